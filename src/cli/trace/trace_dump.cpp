#include "trace/trace_dump.h"

#include <fmt/format.h>

#include <charconv>
#include <cstring>
#include <vector>

#include "ptk/arch/arch.h"

namespace ptk::cli {
namespace {

enum class Io : std::uint8_t { None, Read, Write };
// The data: a buffer, an iovec array, the iovec array of a struct msghdr, or those of an
// array of struct mmsghdr (each with its own length).
enum class Shape : std::uint8_t { Buffer, Vector, Msghdr, Mmsghdr };

struct IoCall {
  std::string_view name;
  Io io;
  Shape shape;
};

// The calls whose data -e read=/write= show: the buffer (or iovec array) is argument 1 and
// the byte count is the result, on every ABI.
constexpr IoCall kIoCalls[] = {
    {"read", Io::Read, Shape::Buffer},      {"pread64", Io::Read, Shape::Buffer},
    {"recv", Io::Read, Shape::Buffer},      {"recvfrom", Io::Read, Shape::Buffer},
    {"readv", Io::Read, Shape::Vector},     {"preadv", Io::Read, Shape::Vector},
    {"preadv2", Io::Read, Shape::Vector},   {"write", Io::Write, Shape::Buffer},
    {"pwrite64", Io::Write, Shape::Buffer}, {"send", Io::Write, Shape::Buffer},
    {"sendto", Io::Write, Shape::Buffer},   {"writev", Io::Write, Shape::Vector},
    {"pwritev", Io::Write, Shape::Vector},  {"pwritev2", Io::Write, Shape::Vector},
    {"vmsplice", Io::Write, Shape::Vector}, {"sendmsg", Io::Write, Shape::Msghdr},
    {"recvmsg", Io::Read, Shape::Msghdr},   {"sendmmsg", Io::Write, Shape::Mmsghdr},
    {"recvmmsg", Io::Read, Shape::Mmsghdr},
};

const IoCall* io_call(std::string_view name) {
  for (const IoCall& c : kIoCalls) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

}  // namespace

Result<FdSet> FdSet::parse(std::string_view expr) {
  FdSet set;
  std::string_view body = expr;
  while (body.starts_with('!')) {
    set.negated_ = !set.negated_;
    body.remove_prefix(1);
  }
  while (!body.empty()) {
    std::size_t comma = body.find(',');
    std::string_view item = body.substr(0, comma);
    body = comma == std::string_view::npos ? std::string_view{} : body.substr(comma + 1);
    if (item.empty() || item == "none") continue;
    if (item == "all") {
      set.fds_.assign(set.fds_.size(), true);
      set.high_ = true;
      continue;
    }
    unsigned fd = 0;
    auto [p, ec] = std::from_chars(item.data(), item.data() + item.size(), fd);
    if (ec != std::errc() || p != item.data() + item.size() || fd > kMax) {
      return Error(ErrorKind::InvalidArgument, fmt::format("descriptor set '{}'", expr), 0,
                   fmt::format("'{}' is not a descriptor number", item));
    }
    if (fd >= set.fds_.size()) set.fds_.resize(std::size_t{fd} + 1, set.high_);
    set.fds_[fd] = true;
  }
  return set;
}

bool FdSet::contains(std::int64_t fd) const {
  bool in = false;
  if (fd >= 0) {
    auto n = static_cast<std::uint64_t>(fd);
    in = n < fds_.size() ? fds_[static_cast<std::size_t>(n)] : high_;
  }
  return in != negated_;
}

void append_hex_dump(std::string_view data, std::string& out) {
  append_hex_dump(data, out, 0, data.size());
}

void append_hex_dump(std::string_view data, std::string& out, std::uint64_t offset,
                     std::uint64_t total) {
  // The offsets take 5 hex digits, more for a dump past 1 MiB (as many as its last offset).
  int width = 5;
  if (total > (std::uint64_t{1} << 20)) {
    width = 1 + (63 - __builtin_clzll(static_cast<unsigned long long>(total - 1))) / 4;
  }
  for (std::size_t off = 0; off < data.size(); off += 16) {
    if (off != 0) out += '\n';
    fmt::format_to(std::back_inserter(out), " | {:0{}x}  ", offset + off, width);
    std::string text;
    for (std::size_t i = 0; i < 16; ++i) {
      if (off + i < data.size()) {
        auto b = static_cast<unsigned char>(data[off + i]);
        fmt::format_to(std::back_inserter(out), "{:02x} ", b);
        text += b >= 0x20 && b < 0x7f ? static_cast<char>(b) : '.';
      } else {
        out += "   ";
        text += ' ';
      }
      if (i == 7) out += ' ';
    }
    out += ' ';
    out += text;
    out += " |";
  }
}

void IoDumps::dump(Session& session, const sys::DecodedSyscall& sc, std::uint64_t addr,
                   std::uint64_t len, std::string& out) {
  // As strace: 64 KiB at a time; a part that cannot be read ends the dump with a note (none
  // when nothing could be read).
  constexpr std::uint64_t kChunk = 1 << 16;
  std::uint64_t chunk = std::min((len + 15) / 16 * 16, kChunk);
  std::string data;
  for (std::uint64_t i = 0; i < len; i += data.size()) {
    std::uint64_t n = std::min(len - i, chunk);
    data.assign(static_cast<std::size_t>(n), '\0');
    auto bytes = std::as_writable_bytes(std::span(data.data(), data.size()));
    if (!session.memory(sc.tid).read_exact(RemoteAddr(addr + i), bytes).ok()) {
      if (i == 0) return;
      out += '\n';
      fmt::format_to(std::back_inserter(out), " | <Cannot fetch {} byte{} from pid {} @{:#x}>", n,
                     n == 1 ? "" : "s", sc.tid, addr + i);
      return;
    }
    if (!out.empty()) out += '\n';
    append_hex_dump(data, out, i, len);
  }
}

void IoDumps::dump_vector(Session& session, const sys::DecodedSyscall& sc, std::uint64_t iov,
                          std::uint64_t count, std::uint64_t total, std::string& out) {
  // struct iovec is two words of the tracee's ABI: base, then length. As strace, the whole
  // array is read first: a part that cannot be read means no dump at all.
  constexpr std::uint64_t kMaxIov = 1 << 20;
  std::size_t word = abi(sc.arch).word_size;
  if (count == 0 || count > kMaxIov) return;
  std::vector<std::byte> raw(count * 2 * word);
  if (!session.memory(sc.tid).read_exact(RemoteAddr(iov), raw).ok()) return;
  for (std::uint64_t i = 0; i < count && total > 0; ++i) {
    std::uint64_t pair[2] = {0, 0};
    for (std::size_t half = 0; half < 2; ++half) {
      std::memcpy(&pair[half], raw.data() + (i * 2 + half) * word, word);
    }
    std::uint64_t len = std::min(pair[1], total);
    if (len == 0) break;
    total -= len;
    if (!out.empty()) out += '\n';
    fmt::format_to(std::back_inserter(out), " * {} bytes in buffer {}", len, i);
    dump(session, sc, pair[0], len, out);
  }
}

void IoDumps::on_exit(Session& session, sys::DecodedSyscall& sc) {
  const IoCall* call = io_call(sc.name());
  if (call == nullptr) return;
  bool write = call->io == Io::Write;
  // As strace: what a write was given shows whatever became of it; a read shows what it got.
  if (!write && (sc.is_error || sc.ret <= 0)) return;
  const FdSet& set = write ? writes_ : reads_;
  auto fd = static_cast<std::int64_t>(static_cast<std::int32_t>(sc.raw_args[0]));
  if (!set.contains(fd)) return;
  std::uint64_t total = 0;
  if (!write) {
    total = static_cast<std::uint64_t>(sc.ret);
  } else if (call->shape == Shape::Buffer) {
    total =
        abi(sc.arch).word_size == 4 ? static_cast<std::uint32_t>(sc.raw_args[2]) : sc.raw_args[2];
  } else {
    total = ~std::uint64_t{0};  // every buffer of the vector, in full
  }
  if (total == 0) return;
  std::string& out = lines_[sc.tid];
  out.clear();
  std::size_t word = abi(sc.arch).word_size;
  // struct msghdr: msg_iov and msg_iovlen are its third and fourth words on either ABI.
  auto iov_of = [&](std::uint64_t at, std::uint64_t(&iov)[2]) {
    std::uint64_t words[4] = {};
    for (std::size_t k = 0; k < 4; ++k) {
      auto dst = std::as_writable_bytes(std::span(&words[k], 1)).first(word);
      if (!session.memory(sc.tid).read_exact(RemoteAddr(at + k * word), dst).ok()) return false;
    }
    iov[0] = words[2];
    iov[1] = words[3];
    return true;
  };
  std::uint64_t iov[2] = {};
  switch (call->shape) {
    case Shape::Buffer:
      dump(session, sc, sc.raw_args[1], total, out);
      break;
    case Shape::Vector:
      dump_vector(session, sc, sc.raw_args[1], sc.raw_args[2], total, out);
      break;
    case Shape::Msghdr:
      if (iov_of(sc.raw_args[1], iov)) dump_vector(session, sc, iov[0], iov[1], total, out);
      break;
    case Shape::Mmsghdr: {
      // The messages the call handled (its result), each with the bytes it moved (msg_len).
      if (sc.is_error || sc.ret <= 0) break;
      std::size_t size = word == 8 ? 64 : 32;
      for (std::uint64_t i = 0; i < static_cast<std::uint64_t>(sc.ret); ++i) {
        std::uint64_t at = sc.raw_args[1] + i * size;
        std::uint32_t msg_len = 0;
        auto len_bytes = std::as_writable_bytes(std::span(&msg_len, 1));
        if (!iov_of(at, iov) ||
            !session.memory(sc.tid).read_exact(RemoteAddr(at + 7 * word), len_bytes).ok()) {
          break;
        }
        if (!out.empty()) out += '\n';
        fmt::format_to(std::back_inserter(out), " = {} buffers in vector {}", iov[1], i);
        dump_vector(session, sc, iov[0], iov[1], msg_len, out);
      }
      break;
    }
  }
}

void IoDumps::take_lines(pid_t tid, std::string& out) {
  auto it = lines_.find(tid);
  if (it == lines_.end()) return;
  out = std::move(it->second);
  lines_.erase(it);
}

}  // namespace ptk::cli
