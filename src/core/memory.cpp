#include "ptk/core/memory.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "ptk/core/proc.h"
#include "ptrace_call.h"

namespace ptk {
namespace {

constexpr std::uint64_t kPage = 4096;
constexpr std::size_t kWord = sizeof(long);

Error bad_address(pid_t pid, std::uint64_t addr, std::size_t len) {
  return Error(ErrorKind::BadAddress,
               fmt::format("read of {} bytes at {:#x} in process {}", len, addr, pid), EFAULT);
}

}  // namespace

bool Memory::open_mem() {
  if (mem_fd_) return true;
  int fd = ::open(fmt::format("/proc/{}/mem", pid_).c_str(), O_RDWR | O_CLOEXEC);
  if (fd < 0) return false;
  mem_fd_.reset(fd);
  return true;
}

std::size_t Memory::read_vm(std::uint64_t addr, std::span<std::byte> out) {
  if (vm_unavailable_) return 0;
  std::size_t done = 0;
  // process_vm_readv stops at the first page it cannot read and returns what it got; each
  // call is retried from there so that one short iovec does not hide the rest.
  while (done < out.size()) {
    iovec local{out.data() + done, out.size() - done};
    iovec remote{reinterpret_cast<void*>(addr + done), out.size() - done};
    ssize_t n = ::process_vm_readv(pid_, &local, 1, &remote, 1, 0);
    if (n <= 0) {
      if (n < 0 && (errno == ENOSYS || errno == EPERM)) vm_unavailable_ = true;
      break;
    }
    done += static_cast<std::size_t>(n);
  }
  return done;
}

std::size_t Memory::read_proc_mem(std::uint64_t addr, std::span<std::byte> out) {
  if (!open_mem()) return 0;
  std::size_t done = 0;
  while (done < out.size()) {
    ssize_t n = ::pread64(mem_fd_.get(), out.data() + done, out.size() - done,
                          static_cast<off64_t>(addr + done));
    if (n <= 0) break;
    done += static_cast<std::size_t>(n);
  }
  return done;
}

std::size_t Memory::read_peek(std::uint64_t addr, std::span<std::byte> out) {
  pid_t tid = stopped_tid_ ? stopped_tid_ : pid_;
  std::size_t done = 0;
  while (done < out.size()) {
    std::uint64_t at = addr + done;
    std::uint64_t aligned = at & ~(kWord - 1);
    auto word = detail::ptrace_peek(tid, aligned);
    if (!word.ok()) break;
    long w = *word;
    std::size_t skip = at - aligned;
    std::size_t n = std::min(kWord - skip, out.size() - done);
    std::memcpy(out.data() + done, reinterpret_cast<const std::byte*>(&w) + skip, n);
    done += n;
  }
  return done;
}

Result<std::size_t> Memory::read(RemoteAddr addr, std::span<std::byte> out) {
  if (out.empty()) return std::size_t{0};
  if (source_ != nullptr) {
    std::size_t got = source_->read(addr.addr(), out);
    if (got == 0) return bad_address(pid_, addr.addr(), out.size());
    if (read_filter_) read_filter_(addr.addr(), out.first(got));
    return got;
  }
  std::size_t done = read_vm(addr.addr(), out);
  if (done < out.size()) done += read_proc_mem(addr.addr() + done, out.subspan(done));
  if (done < out.size()) done += read_peek(addr.addr() + done, out.subspan(done));
  if (done == 0) return tracee_gone_if_ending(pid_, bad_address(pid_, addr.addr(), out.size()));
  if (read_filter_) read_filter_(addr.addr(), out.first(done));
  return done;
}

Status Memory::read_exact(RemoteAddr addr, std::span<std::byte> out) {
  PTK_ASSIGN_OR_RETURN(std::size_t n, read(addr, out));
  if (n != out.size()) {
    Error short_read = bad_address(pid_, addr.addr() + n, out.size() - n);
    if (source_ != nullptr) return short_read;
    return tracee_gone_if_ending(pid_, std::move(short_read));
  }
  return ok_status();
}

Result<RemoteString> Memory::read_string(RemoteAddr addr, std::size_t max_len) {
  RemoteString result;
  std::uint64_t at = addr.addr();
  // Read up to the end of each page at a time: a string that ends just before an unmapped
  // page must not fail because a larger read would have crossed into it.
  std::byte chunk[kPage];
  while (result.bytes.size() < max_len) {
    std::size_t want = std::min<std::uint64_t>(kPage - (at % kPage), max_len - result.bytes.size());
    auto n = read(RemoteAddr(at), std::span(chunk, want));
    if (!n.ok()) {
      if (result.bytes.empty() && at == addr.addr()) return std::move(n).error();
      return result;
    }
    const char* begin = reinterpret_cast<const char*>(chunk);
    const void* nul = std::memchr(begin, 0, *n);
    if (nul != nullptr) {
      result.bytes.append(begin, static_cast<const char*>(nul));
      result.terminated = true;
      return result;
    }
    result.bytes.append(begin, *n);
    if (*n < want) return result;
    at += *n;
  }
  return result;
}

Status Memory::write(RemoteAddr addr, std::span<const std::byte> data) {
  if (source_ != nullptr) {
    return Error(
        ErrorKind::Unsupported,
        fmt::format("write of {} bytes at {:#x} in process {}", data.size(), addr.addr(), pid_), 0,
        "its memory is a trace's capture, not a live process");
  }
  std::size_t done = 0;
  if (open_mem()) {
    while (done < data.size()) {
      ssize_t n = ::pwrite64(mem_fd_.get(), data.data() + done, data.size() - done,
                             static_cast<off64_t>(addr.addr() + done));
      if (n <= 0) break;
      done += static_cast<std::size_t>(n);
    }
  }
  // POKEDATA writes whole words: the bytes around a partial word are read first and kept.
  pid_t tid = stopped_tid_ ? stopped_tid_ : pid_;
  while (done < data.size()) {
    std::uint64_t at = addr.addr() + done;
    std::uint64_t aligned = at & ~(kWord - 1);
    std::size_t skip = at - aligned;
    std::size_t n = std::min(kWord - skip, data.size() - done);
    long word = 0;
    if (skip != 0 || n != kWord) {
      auto old = detail::ptrace_peek(tid, aligned);
      if (!old.ok()) break;
      word = *old;
    }
    std::memcpy(reinterpret_cast<std::byte*>(&word) + skip, data.data() + done, n);
    if (!detail::ptrace_call(PTRACE_POKEDATA, tid, aligned, static_cast<std::uint64_t>(word)))
      break;
    done += n;
  }
  if (done != data.size()) {
    // A process that was killed meanwhile fails every access the same way: say so.
    return tracee_gone_if_ending(
        pid_, Error(ErrorKind::BadAddress,
                    fmt::format("write of {} bytes at {:#x} in process {}", data.size() - done,
                                addr.addr() + done, pid_),
                    EFAULT));
  }
  return ok_status();
}

}  // namespace ptk
