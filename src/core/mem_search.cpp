#include "ptk/core/mem_search.h"

#include <fmt/format.h>

#include <algorithm>
#include <functional>

namespace ptk {
namespace {

constexpr std::uint64_t kPage = 4096;

class Searcher {
 public:
  Searcher(Memory& memory, std::span<const std::byte> needle, const MemSearchOptions& options,
           MemSearchResult& result)
      : memory_(memory),
        needle_(needle),
        options_(options),
        result_(result),
        searcher_(needle.begin(), needle.end()) {
    buffer_.resize(needle.size() - 1 + options.chunk_size);
  }

  // Returns false once max_matches is reached.
  bool search_mapping(const MapEntry& map, std::size_t index) {
    std::size_t carry = 0;  // bytes kept from the previous chunk, at buffer_ start
    std::uint64_t at = map.start;
    while (at < map.end) {
      std::size_t want =
          static_cast<std::size_t>(std::min<std::uint64_t>(options_.chunk_size, map.end - at));
      auto got = memory_.read(RemoteAddr(at), std::span(buffer_.data() + carry, want));
      std::size_t n = got.ok() ? *got : 0;
      result_.bytes_searched += n;
      if (!scan(at - carry, carry + n, index)) return false;
      if (n == want) {
        // Keep the tail a match could start in; the next chunk is read in after it.
        std::size_t valid = carry + n;
        std::size_t keep = std::min(needle_.size() - 1, valid);
        std::copy(buffer_.begin() + static_cast<std::ptrdiff_t>(valid - keep),
                  buffer_.begin() + static_cast<std::ptrdiff_t>(valid), buffer_.begin());
        carry = keep;
        at += n;
        continue;
      }
      // The page at at+n cannot be read, even by /proc/PID/mem (a file mapping past the end
      // of its file raises SIGBUS when touched; [vvar] is VM_IO and refuses remote access):
      // skip that page and go on with the next, with nothing carried across the hole.
      std::uint64_t bad = at + n;
      std::uint64_t next = std::min(map.end, (bad + kPage) & ~(kPage - 1));
      result_.bytes_unreadable += next - bad;
      carry = 0;
      at = next;
    }
    return true;
  }

 private:
  // Finds the matches in buffer_[0, valid), whose first byte is at address `base`.
  bool scan(std::uint64_t base, std::size_t valid, std::size_t index) {
    auto begin = buffer_.begin();
    auto end = begin + static_cast<std::ptrdiff_t>(valid);
    for (auto it = begin; it != end;) {
      it = std::search(it, end, searcher_);
      if (it == end) break;
      if (result_.matches.size() >= options_.max_matches) {
        result_.truncated = true;
        return false;
      }
      result_.matches.push_back(
          MemMatch{.address = base + static_cast<std::uint64_t>(it - begin), .mapping = index});
      ++it;
    }
    return true;
  }

  Memory& memory_;
  std::span<const std::byte> needle_;
  const MemSearchOptions& options_;
  MemSearchResult& result_;
  std::boyer_moore_horspool_searcher<std::span<const std::byte>::iterator> searcher_;
  std::vector<std::byte> buffer_;
};

}  // namespace

Result<MemSearchResult> search_memory(Memory& memory, std::span<const MapEntry> mappings,
                                      std::span<const std::byte> needle,
                                      const MemSearchOptions& options) {
  if (needle.empty()) {
    return Error(ErrorKind::InvalidArgument, "search memory", 0, "nothing to search for");
  }
  if (options.max_matches == 0 || options.chunk_size == 0) {
    return Error(ErrorKind::InvalidArgument, "search memory", 0,
                 "max_matches and chunk_size must be positive");
  }
  if (needle.size() > options.chunk_size) {
    return Error(
        ErrorKind::InvalidArgument, "search memory", 0,
        fmt::format("the pattern is longer than the {}-byte search window", options.chunk_size));
  }
  MemSearchResult result;
  Searcher searcher(memory, needle, options, result);
  for (std::size_t i = 0; i < mappings.size(); ++i) {
    if (!mappings[i].read) continue;
    if (!searcher.search_mapping(mappings[i], i)) break;
  }
  return result;
}

}  // namespace ptk
