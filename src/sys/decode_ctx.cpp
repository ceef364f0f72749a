// DecodeCtx: the bounded building blocks every decoder uses.
#include <fmt/format.h>
#include <signal.h>

#include <algorithm>

#include "ptk/core/wait_status.h"
#include "ptk/sys/decode.h"
#include "ptk/sys/siginfo.h"

namespace ptk::sys {
namespace {

constexpr std::size_t kPathMax = 4096;  // PATH_MAX: strace prints paths whole up to it

// A string read that got some bytes and then met unreadable memory before its NUL: strace
// says so on stderr ("umovestr: short read (1 < 4096) @0x...: Bad address") as it prints the
// address; ptk does the same, for the tests and users that look for it.
void report_short_read(std::size_t got, std::size_t wanted, std::uint64_t addr) {
  if (got == 0) return;
  fmt::print(stderr, "ptk: umovestr: short read ({} < {}) @{:#x}: Bad address\n", got, wanted,
             addr);
}

}  // namespace

std::uint64_t DecodeCtx::u(int i) const {
  std::uint64_t v = sc_.raw_args[static_cast<std::size_t>(i)];
  return word_size() == 4 ? static_cast<std::uint32_t>(v) : v;
}

std::int64_t DecodeCtx::s(int i) const {
  std::uint64_t v = sc_.raw_args[static_cast<std::size_t>(i)];
  return word_size() == 4 ? static_cast<std::int32_t>(v) : static_cast<std::int64_t>(v);
}

std::uint64_t DecodeCtx::u64_pair(int lo_index) const {
  if (word_size() == 8) return u(lo_index);
  return u(lo_index) | (u(lo_index + 1) << 32);
}

void DecodeCtx::arg(int i) {
  std::string_view name;
  if (sc_.spec != nullptr && i < sc_.spec->nargs)
    name = sc_.spec->args[static_cast<std::size_t>(i)].name;
  out().arg(name);
}

void DecodeCtx::arg_named(std::string_view name) { out().arg(name); }

bool DecodeCtx::read(std::uint64_t addr, void* dst, std::size_t len) const {
  if (addr == 0) return false;
  return mem_.read_exact(RemoteAddr(addr), std::span(static_cast<std::byte*>(dst), len)).ok();
}

std::string DecodeCtx::fd_path(int fd) const {
  if (fd_path_ == nullptr || (fd < 0 && fd != -100) || !*fd_path_) return {};
  return (*fd_path_)(sc_.pid, fd);
}

std::string DecodeCtx::fd_path_of(pid_t pid, int fd) const {
  if (fd_path_ == nullptr || fd < 0 || pid <= 0 || !*fd_path_) return {};
  return (*fd_path_)(pid, fd);
}

void DecodeCtx::fd(std::int64_t fd) {
  auto n = static_cast<std::int32_t>(fd);  // descriptors are C ints on every ABI
  if (n == kAtFdcwd) {
    out().int_(n);  // only a directory descriptor argument reads -100 as AT_FDCWD
    return;
  }
  if (opts_.fd_paths && n >= 0) {
    out().fd(n, fd_path(n));
  } else {
    out().fd(n);
  }
}

void DecodeCtx::dirfd(std::int64_t fd) {
  if (static_cast<std::int32_t>(fd) == -100) {  // AT_FDCWD
    // With -y strace shows the directory it stands for: AT_FDCWD</home/me>.
    std::string cwd = opts_.fd_paths ? fd_path(-100) : std::string();
    if (!cwd.empty()) {
      out().fd(kAtFdcwd, cwd);
    } else {
      out().name("AT_FDCWD", static_cast<std::uint64_t>(-100));
    }
    return;
  }
  this->fd(fd);
}

void DecodeCtx::path(std::uint64_t addr) {
  if (addr == 0) {
    out().ptr(0);
    return;
  }
  auto s = mem_.read_string(RemoteAddr(addr), kPathMax);
  // A string that runs into unreadable memory before its NUL is no string the kernel could
  // take either (it fails with EFAULT): strace shows the address, not the bytes before it.
  if (!s.ok() || (!s->terminated && s->bytes.size() < kPathMax)) {
    if (s.ok()) report_short_read(s->bytes.size(), kPathMax, addr);
    out().ptr(addr);
    return;
  }
  // A path is at most PATH_MAX - 1 bytes before its NUL: without one in the PATH_MAX read,
  // strace shows that many and "...".
  if (!s->terminated) s->bytes.resize(kPathMax - 1);
  out().str(s->bytes, s->terminated ? 0 : kTruncated | kUnterminated);
}

void DecodeCtx::string(std::uint64_t addr) {
  if (addr == 0) {
    out().ptr(0);
    return;
  }
  // One byte more than shown tells whether the string goes on.
  auto s = mem_.read_string(RemoteAddr(addr), opts_.string_limit + 1);
  if (!s.ok() || (!s->terminated && s->bytes.size() <= opts_.string_limit)) {
    if (s.ok()) report_short_read(s->bytes.size(), opts_.string_limit + 1, addr);
    out().ptr(addr);  // unreadable before its end, as in path()
    return;
  }
  bool more = s->bytes.size() > opts_.string_limit;
  if (more) s->bytes.resize(opts_.string_limit);
  out().str(s->bytes, more ? kTruncated : 0);
}

void DecodeCtx::buffer(std::uint64_t addr, std::uint64_t len) {
  if (addr == 0) {
    out().ptr(0);
    return;
  }
  // Never more than -s bytes are shown, whatever length the tracee claims; one more is read
  // when there is one, as strace's printstr does: a buffer whose shown part ends at the end of
  // a mapping prints as its address.
  std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(len, opts_.string_limit));
  std::size_t fetch = want + (len > want ? 1 : 0);
  std::string bytes(fetch, '\0');
  if (fetch != 0 && !read(addr, bytes.data(), fetch)) {
    out().ptr(addr);
    return;
  }
  bytes.resize(want);
  out().str(bytes, len > want ? kTruncated : 0);
}

void DecodeCtx::flags(std::string_view table, std::uint64_t value) {
  const Xlat* x = find_xlat(table);
  TokenList& o = out();
  if (x == nullptr) {
    o.hex(value);
    return;
  }
  std::string_view zero = xlat_name(*x, 0);
  if (value == 0) {
    if (zero.empty()) {
      o.hex(0);
    } else {
      o.name(zero, 0);
    }
    return;
  }
  std::size_t mark = o.size();
  o.begin_flags();
  std::uint64_t rest = value;
  for (const XlatEntry& e : x->entries) {
    if (e.value != 0 && (rest & e.value) == e.value) {
      o.name(e.name, e.value);
      rest &= ~e.value;
    }
  }
  if (rest == value) {
    // No flag known: strace prints the number with the table's placeholder, 0x40 /* AT_??? */.
    o.truncate(mark);
    o.hex(value);
    if (!x->unknown.empty()) o.xlat_note(x->unknown);
    return;
  }
  if (rest != 0) o.hex(rest);
  o.end_flags();
}

void DecodeCtx::symbol(std::string_view table, std::uint64_t value, std::string_view fallback) {
  const Xlat* x = find_xlat(table);
  std::string_view n = x != nullptr ? xlat_name(*x, value) : std::string_view();
  if (!n.empty()) {
    // strace prints an enum's raw value as it prints an unknown one: in hex.
    out().name(n, value, fallback == "hex" ? kHexValue : 0);
  } else if (fallback == "int" || (x != nullptr && x->other_decimal)) {
    out().int_(static_cast<std::int64_t>(value));
  } else if (fallback == "uint") {
    out().uint_(value);
  } else {
    out().hex(value);
    if (x != nullptr && !x->unknown.empty()) out().xlat_note(x->unknown);
  }
}

void DecodeCtx::signal(std::int64_t sig) {
  if (sig > 0 && sig <= SIGRTMAX) {
    std::string n = signal_name(static_cast<int>(sig));
    out().name(n, static_cast<std::uint64_t>(sig));
  } else {
    out().int_(sig);
  }
}

void DecodeCtx::pid(std::int64_t pid, PidKind kind) {
  auto p = static_cast<std::int32_t>(pid);  // pid_t is a C int on every ABI
  bool task = kind == PidKind::Tid || kind == PidKind::Tgid;
  // A pid of another namespace names its process by the pid in ours (the one /proc knows).
  std::int32_t ours = pidns().ours(p, kind);
  std::string comm =
      opts_.pid_comm && task && p > 0 ? process_comm(ours != 0 ? ours : p) : std::string();
  if (comm.empty()) {
    out().int_(p);
  } else {
    out().pid_comm(p, comm);
  }
  ours_note(out(), ours);
}

void DecodeCtx::pid_or_pgid(std::int64_t pid) {
  auto p = static_cast<std::int32_t>(pid);
  if (p < -1) {
    out().int_(p);
    pid_note(out(), pidns(), -p, PidKind::Pgid);
    return;
  }
  if (p > 0) {
    this->pid(p, PidKind::Tgid);
    return;
  }
  out().int_(p);
}

void DecodeCtx::sigset(std::uint64_t addr, std::uint64_t size) {
  // As strace's print_sigset_addr_len: a size below the word or above the kernel's 8-byte
  // sigset (both refused by the kernel with EINVAL) shows the address, as does a bad pointer.
  std::uint64_t set = 0;
  if (size < static_cast<std::uint64_t>(word_size()) || size > sizeof set || addr == 0 ||
      !read(addr, &set, static_cast<std::size_t>(size))) {
    out().ptr(addr);
    return;
  }
  sigmask_tokens(out(), set, static_cast<unsigned>(size));
}

void DecodeCtx::str_array(std::uint64_t addr, bool env) {
  if (addr == 0 || !opts_.dereference) {
    out().ptr(0);
    return;
  }
  std::size_t ws = static_cast<std::size_t>(word_size());
  auto read_ptr = [&](std::size_t i, std::uint64_t& p) {
    p = 0;
    return read(addr + i * ws, &p, ws);
  };
  if (env && !opts_.verbose) {
    // strace: the address and a count of the variables, not their text; an unreadable array
    // is the address alone.
    std::size_t n = 0;
    std::uint64_t p = 0;
    if (!read_ptr(0, p)) {
      out().ptr(addr);
      return;
    }
    while (n < opts_.max_array * 64 && read_ptr(n, p) && p != 0) ++n;
    out().ptr(addr);
    out().comment(fmt::format("{} var{}", n, n == 1 ? "" : "s"));
    return;
  }
  std::uint64_t p = 0;
  if (!read_ptr(0, p)) {
    out().ptr(addr);
    return;
  }
  out().begin_array();
  std::size_t i = 0;
  bool more = false;
  for (; read_ptr(i, p) && p != 0; ++i) {
    if (i >= opts_.abbrev_array && !opts_.verbose) {
      more = true;
      break;
    }
    if (i >= opts_.max_array) {
      more = true;
      break;
    }
    string(p);
  }
  out().end_array(more);
}

}  // namespace ptk::sys
