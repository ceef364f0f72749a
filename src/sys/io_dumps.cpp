#include "ptk/sys/io_dumps.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <vector>

#include "ptk/arch/arch.h"

namespace ptk::sys {

// How a call carries its data (strace's dumpio(): the argument after the descriptor).
enum class IoShape : std::uint8_t { Buffer, Vector, Msghdr, Mmsghdr };

struct IoCall {
  std::string_view name;
  IoShape shape;
};

namespace {

// Writes dump what was asked to be written (the count argument, every iovec), whatever the
// result; reads dump what the result says was read, and only on success.
constexpr IoCall kWriteCalls[] = {
    {"write", IoShape::Buffer},   {"pwrite64", IoShape::Buffer},     {"send", IoShape::Buffer},
    {"sendto", IoShape::Buffer},  {"mq_timedsend", IoShape::Buffer}, {"writev", IoShape::Vector},
    {"pwritev", IoShape::Vector}, {"pwritev2", IoShape::Vector},     {"vmsplice", IoShape::Vector},
    {"sendmsg", IoShape::Msghdr}, {"sendmmsg", IoShape::Mmsghdr},
};
constexpr IoCall kReadCalls[] = {
    {"read", IoShape::Buffer},
    {"pread64", IoShape::Buffer},
    {"recv", IoShape::Buffer},
    {"recvfrom", IoShape::Buffer},
    {"mq_timedreceive", IoShape::Buffer},
    {"readv", IoShape::Vector},
    {"preadv", IoShape::Vector},
    {"preadv2", IoShape::Vector},
    {"recvmsg", IoShape::Msghdr},
    {"recvmmsg", IoShape::Mmsghdr},
};

template <std::size_t N>
const IoCall* find_call(const IoCall (&calls)[N], std::string_view name) {
  for (const IoCall& c : calls) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

constexpr std::uint64_t kUnlimited = ~std::uint64_t{0};

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
      set.all_ = true;
      continue;
    }
    int fd = 0;
    auto [p, ec] = std::from_chars(item.data(), item.data() + item.size(), fd);
    if (ec != std::errc() || p != item.data() + item.size() || fd < 0) {
      return Error(ErrorKind::InvalidArgument, fmt::format("descriptor set '{}'", expr), 0,
                   fmt::format("'{}' is not a descriptor number", item));
    }
    set.fds_.push_back(fd);
  }
  std::sort(set.fds_.begin(), set.fds_.end());
  return set;
}

bool FdSet::contains(std::int64_t fd) const {
  bool in = fd >= 0 && (all_ || std::binary_search(fds_.begin(), fds_.end(), fd));
  return in != negated_;
}

void append_hex_dump(std::string_view data, std::string& out, std::size_t first,
                     std::size_t total) {
  if (total == 0) total = data.size();
  // Offsets take five hex digits, more when the last one of the whole dump needs them.
  int width = 5;
  for (std::size_t last = total == 0 ? 0 : total - 1; (last >> (4 * width)) != 0;) ++width;
  for (std::size_t off = 0; off < data.size(); off += 16) {
    if (off != 0) out += '\n';
    fmt::format_to(std::back_inserter(out), " | {:0{}x}  ", first + off, width);
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

void IoDumps::dump(Session& session, const DecodedSyscall& sc, std::uint64_t addr,
                   std::uint64_t len, std::string& out) {
  if (len == 0 || addr + len < addr) return;
  // In chunks, as strace reads them: what was readable is shown, then where reading stopped.
  constexpr std::uint64_t kChunk = 64 * 1024;
  std::string data;
  for (std::uint64_t done = 0; done < len; done += kChunk) {
    std::uint64_t size = std::min(kChunk, len - done);
    data.assign(size, '\0');
    auto bytes = std::as_writable_bytes(std::span(data.data(), data.size()));
    if (!session.memory(sc.tid).read_exact(RemoteAddr(addr + done), bytes).ok()) {
      if (done != 0) {
        fmt::format_to(std::back_inserter(out), "\n | <Cannot fetch {} byte{} from pid {} @{:#x}>",
                       size, size == 1 ? "" : "s", sc.tid, addr + done);
      }
      return;
    }
    if (!out.empty()) out += '\n';
    append_hex_dump(data, out, done, len);
  }
}

bool IoDumps::read_word(Session& session, const DecodedSyscall& sc, std::uint64_t addr,
                        std::size_t size, std::uint64_t& value) {
  value = 0;
  auto dst = std::as_writable_bytes(std::span(&value, 1)).first(size);
  return session.memory(sc.tid).read_exact(RemoteAddr(addr), dst).ok();
}

void IoDumps::dump_vector(Session& session, const DecodedSyscall& sc, std::uint64_t iov,
                          std::uint64_t count, std::uint64_t total, std::string& out) {
  // struct iovec is two words of the tracee's ABI: base, then length.
  std::size_t word = abi(sc.arch).word_size;
  count = std::min<std::uint64_t>(count, kMaxIovecs);
  std::vector<std::uint64_t> words(count * 2);
  for (std::size_t i = 0; i < words.size(); ++i) {
    // The whole array first: strace dumps nothing when any of it is unreadable.
    if (!read_word(session, sc, iov + i * word, word, words[i])) return;
  }
  for (std::uint64_t i = 0; i < count; ++i) {
    std::uint64_t len = std::min(words[i * 2 + 1], total);
    if (len == 0) break;  // strace stops at the first empty (or exhausted) buffer
    total -= len;
    if (!out.empty()) out += '\n';
    fmt::format_to(std::back_inserter(out), " * {} bytes in buffer {}", len, i);
    dump(session, sc, words[i * 2], len, out);
  }
}

void IoDumps::dump_msghdr(Session& session, const DecodedSyscall& sc, std::uint64_t msg,
                          std::uint64_t total, std::string& out) {
  // struct msghdr: name, namelen (padded to a word), iov, iovlen: msg_iov is the third word.
  std::size_t word = abi(sc.arch).word_size;
  std::uint64_t iov = 0, iovlen = 0;
  if (!read_word(session, sc, msg + 2 * word, word, iov) ||
      !read_word(session, sc, msg + 3 * word, word, iovlen)) {
    return;
  }
  dump_vector(session, sc, iov, iovlen, total, out);
}

void IoDumps::dump_mmsghdr(Session& session, const DecodedSyscall& sc, std::uint64_t vec,
                           std::string& out) {
  // struct mmsghdr: a msghdr (seven words) then the unsigned msg_len, padded to a word.
  std::size_t word = abi(sc.arch).word_size;
  std::size_t stride = 8 * word;
  auto n = static_cast<std::uint64_t>(sc.is_error ? 0 : sc.ret);
  for (std::uint64_t i = 0; i < n; ++i) {
    std::uint64_t at = vec + i * stride, iov = 0, iovlen = 0, len = 0;
    if (!read_word(session, sc, at + 2 * word, word, iov) ||
        !read_word(session, sc, at + 3 * word, word, iovlen) ||
        !read_word(session, sc, at + 7 * word, 4, len)) {
      return;
    }
    if (!out.empty()) out += '\n';
    fmt::format_to(std::back_inserter(out), " = {} buffers in vector {}", iovlen, i);
    dump_vector(session, sc, iov, iovlen, len, out);
  }
}

void IoDumps::dump_call(Session& session, const DecodedSyscall& sc, const IoCall& call,
                        std::uint64_t total, std::string& out) {
  switch (call.shape) {
    case IoShape::Buffer:
      return dump(session, sc, sc.raw_args[1], total, out);
    case IoShape::Vector:
      return dump_vector(session, sc, sc.raw_args[1], sc.raw_args[2], total, out);
    case IoShape::Msghdr:
      return dump_msghdr(session, sc, sc.raw_args[1], total, out);
    case IoShape::Mmsghdr:
      return dump_mmsghdr(session, sc, sc.raw_args[1], out);
  }
}

void IoDumps::on_exit(Session& session, DecodedSyscall& sc) {
  auto fd = static_cast<std::int64_t>(static_cast<std::int32_t>(sc.raw_args[0]));
  if (fd < 0) return;
  std::string out;
  if (writes_.contains(fd)) {
    if (const IoCall* call = find_call(kWriteCalls, sc.name())) {
      std::uint64_t count =
          abi(sc.arch).word_size == 4 ? static_cast<std::uint32_t>(sc.raw_args[2]) : sc.raw_args[2];
      dump_call(session, sc, *call, call->shape == IoShape::Buffer ? count : kUnlimited, out);
    }
  }
  if (!sc.is_error && sc.ret >= 0 && reads_.contains(fd)) {
    if (const IoCall* call = find_call(kReadCalls, sc.name())) {
      dump_call(session, sc, *call, static_cast<std::uint64_t>(sc.ret), out);
    }
  }
  if (!out.empty()) lines_[sc.tid] = std::move(out);
}

void IoDumps::take_lines(pid_t tid, std::string& out) {
  auto it = lines_.find(tid);
  if (it == lines_.end()) return;
  out = std::move(it->second);
  lines_.erase(it);
}

}  // namespace ptk::sys
