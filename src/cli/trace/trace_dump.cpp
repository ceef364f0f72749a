#include "trace/trace_dump.h"

#include <fmt/format.h>

#include <charconv>
#include <vector>

#include "ptk/arch/arch.h"

namespace ptk::cli {
namespace {

enum class Io : std::uint8_t { None, Read, Write };
enum class Shape : std::uint8_t { Buffer, Vector };

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
      set.fds_.set();
      continue;
    }
    unsigned fd = 0;
    auto [p, ec] = std::from_chars(item.data(), item.data() + item.size(), fd);
    if (ec != std::errc() || p != item.data() + item.size() || fd >= kMax) {
      return Error(ErrorKind::InvalidArgument, fmt::format("descriptor set '{}'", expr), 0,
                   fmt::format("'{}' is not a descriptor number below {}", item, kMax));
    }
    set.fds_.set(fd);
  }
  return set;
}

bool FdSet::contains(std::int64_t fd) const {
  bool in =
      fd >= 0 && static_cast<std::uint64_t>(fd) < kMax && fds_.test(static_cast<std::size_t>(fd));
  return in != negated_;
}

void append_hex_dump(std::string_view data, std::string& out) {
  for (std::size_t off = 0; off < data.size(); off += 16) {
    if (off != 0) out += '\n';
    fmt::format_to(std::back_inserter(out), " | {:05x}  ", off);
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
  std::string data(len, '\0');
  auto bytes = std::as_writable_bytes(std::span(data.data(), data.size()));
  if (!session.memory(sc.tid).read_exact(RemoteAddr(addr), bytes).ok()) return;
  if (!out.empty()) out += '\n';
  append_hex_dump(data, out);
}

void IoDumps::dump_vector(Session& session, const sys::DecodedSyscall& sc, std::uint64_t iov,
                          std::uint64_t count, std::uint64_t total, std::string& out) {
  // struct iovec is two words of the tracee's ABI: base, then length.
  std::size_t word = abi(sc.arch).word_size;
  for (std::uint64_t i = 0; i < count && total > 0; ++i) {
    std::uint64_t pair[2] = {0, 0};
    for (std::size_t half = 0; half < 2; ++half) {
      std::uint64_t value = 0;
      auto dst = std::as_writable_bytes(std::span(&value, 1)).first(word);
      RemoteAddr at(iov + (i * 2 + half) * word);
      if (!session.memory(sc.tid).read_exact(at, dst).ok()) return;
      pair[half] = value;
    }
    std::uint64_t len = std::min(pair[1], total);
    total -= len;
    if (!out.empty()) out += '\n';
    fmt::format_to(std::back_inserter(out), " * {} bytes in buffer {}", len, i);
    if (len != 0) dump(session, sc, pair[0], len, out);
  }
}

void IoDumps::on_exit(Session& session, sys::DecodedSyscall& sc) {
  if (sc.is_error || sc.ret <= 0) return;
  const IoCall* call = io_call(sc.name());
  if (call == nullptr) return;
  const FdSet& set = call->io == Io::Read ? reads_ : writes_;
  auto fd = static_cast<std::int64_t>(static_cast<std::int32_t>(sc.raw_args[0]));
  if (!set.contains(fd)) return;
  std::string& out = lines_[sc.tid];
  out.clear();
  auto total = static_cast<std::uint64_t>(sc.ret);
  if (call->shape == Shape::Buffer) {
    dump(session, sc, sc.raw_args[1], total, out);
  } else {
    dump_vector(session, sc, sc.raw_args[1], sc.raw_args[2], total, out);
  }
}

void IoDumps::take_lines(pid_t tid, std::string& out) {
  auto it = lines_.find(tid);
  if (it == lines_.end()) return;
  out = std::move(it->second);
  lines_.erase(it);
}

}  // namespace ptk::cli
