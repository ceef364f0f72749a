// search_memory over real memory (the test's own, through process_vm_readv): matches that
// straddle two chunks, a hole in the middle of a mapping skipped, the bound on matches.
#include <sys/mman.h>

#include <cstring>

#include "ptk/core/mem_search.h"
#include "test_util.h"

namespace ptk_test {
namespace {

constexpr std::size_t kPage = 4096;

// Three pages of zeros with the needle at the given offsets; optionally the middle page
// unmapped. The mapping entry still covers all three pages, as a stale map would.
class Region {
 public:
  explicit Region(bool hole) {
    void* p =
        ::mmap(nullptr, 3 * kPage, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) std::abort();
    base_ = static_cast<char*>(p);
    if (hole) ::munmap(base_ + kPage, kPage);
    hole_ = hole;
  }
  ~Region() {
    ::munmap(base_, kPage);
    if (!hole_) ::munmap(base_ + kPage, kPage);
    ::munmap(base_ + 2 * kPage, kPage);
  }
  void put(std::size_t offset, std::string_view s) {
    std::memcpy(base_ + offset, s.data(), s.size());
  }
  std::uint64_t addr(std::size_t offset) const {
    return reinterpret_cast<std::uint64_t>(base_) + offset;
  }
  ptk::MapEntry entry() const {
    ptk::MapEntry m;
    m.start = addr(0);
    m.end = addr(3 * kPage);
    m.read = m.write = true;
    return m;
  }

 private:
  char* base_;
  bool hole_;
};

std::vector<std::byte> needle(std::string_view s) {
  auto p = reinterpret_cast<const std::byte*>(s.data());
  return {p, p + s.size()};
}

// The needle spelled at run time, so that its only copies are those the test puts.
std::string make_needle() {
  std::string s = "needle";
  for (int i = 0; i < 6; ++i) s += static_cast<char>('A' + i * 3);
  return s;
}

TEST(InspectSearch, MatchesAcrossChunkBoundaries) {
  Region r(false);
  std::string n = make_needle();
  r.put(kPage - 5, n);             // straddles the first chunk boundary
  r.put(2 * kPage - 1, n);         // one byte before the second
  r.put(3 * kPage - n.size(), n);  // at the very end
  ptk::Memory memory(::getpid());
  std::vector<ptk::MapEntry> maps = {r.entry()};
  auto found = ptk::search_memory(memory, maps, needle(n), {.chunk_size = kPage});
  ASSERT_TRUE(found.ok()) << found.error().message();
  ASSERT_EQ(found->matches.size(), 3u);
  EXPECT_EQ(found->matches[0].address, r.addr(kPage - 5));
  EXPECT_EQ(found->matches[1].address, r.addr(2 * kPage - 1));
  EXPECT_EQ(found->matches[2].address, r.addr(3 * kPage - n.size()));
  EXPECT_FALSE(found->truncated);
  EXPECT_EQ(found->bytes_searched, 3 * kPage);
  EXPECT_EQ(found->bytes_unreadable, 0u);
}

TEST(InspectSearch, SkipsAHoleAndBoundsMatches) {
  Region r(true);
  std::string n = make_needle();
  r.put(kPage - 100, n);
  r.put(kPage - 3, n.substr(0, 3));  // cut by the hole: no match
  r.put(2 * kPage + 100, n);
  r.put(2 * kPage + 200, n);
  ptk::Memory memory(::getpid());
  std::vector<ptk::MapEntry> maps = {r.entry()};
  auto found = ptk::search_memory(memory, maps, needle(n), {.chunk_size = 2 * kPage});
  ASSERT_TRUE(found.ok()) << found.error().message();
  ASSERT_EQ(found->matches.size(), 3u);
  EXPECT_EQ(found->matches[1].address, r.addr(2 * kPage + 100));
  EXPECT_EQ(found->bytes_unreadable, kPage);
  EXPECT_EQ(found->bytes_searched, 2 * kPage);

  auto two = ptk::search_memory(memory, maps, needle(n), {.max_matches = 2});
  ASSERT_TRUE(two.ok());
  EXPECT_EQ(two->matches.size(), 2u);
  EXPECT_TRUE(two->truncated);

  EXPECT_FALSE(ptk::search_memory(memory, maps, {}).ok());
}

}  // namespace
}  // namespace ptk_test
