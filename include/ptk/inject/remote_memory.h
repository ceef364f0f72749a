// Remote memory: mappings made, protected and removed in a tracee by remote syscalls (mmap on
// x86_64, mmap2 on i386), written through Session::memory.
#pragma once

#include <sys/mman.h>

#include <cstddef>
#include <cstdint>
#include <span>

#include "ptk/base/remote_ptr.h"
#include "ptk/base/result.h"
#include "ptk/inject/remote_syscalls.h"

namespace ptk::inject {

// mmap(addr, len, prot, flags, fd, offset) in the tracee; `offset` must be page aligned.
Result<RemoteAddr> remote_mmap(RemoteSyscalls& remote, std::uint64_t addr, std::size_t len,
                               int prot, int flags, int fd = -1, std::uint64_t offset = 0);
Status remote_mprotect(RemoteSyscalls& remote, RemoteAddr addr, std::size_t len, int prot);
Status remote_munmap(RemoteSyscalls& remote, RemoteAddr addr, std::size_t len);

// An anonymous private mapping in the tracee for the length of a scope (unmapped at its end,
// so /proc/PID/maps is as before). Must end before the RemoteSyscalls scope it was made in.
class RemoteMapping {
 public:
  static Result<RemoteMapping> create(RemoteSyscalls& remote, std::size_t len,
                                      int prot = PROT_READ | PROT_WRITE);

  RemoteMapping(RemoteMapping&& other) noexcept;
  RemoteMapping& operator=(RemoteMapping&&) = delete;
  RemoteMapping(const RemoteMapping&) = delete;
  RemoteMapping& operator=(const RemoteMapping&) = delete;
  ~RemoteMapping();  // unmap(), errors ignored

  // Writes at `offset` inside the mapping (whatever its protection: /proc/PID/mem).
  Status write(std::size_t offset, std::span<const std::byte> data);
  Status protect(int prot);
  Status unmap();

  RemoteAddr addr() const { return addr_; }
  std::size_t size() const { return len_; }

 private:
  RemoteMapping(RemoteSyscalls& remote, RemoteAddr addr, std::size_t len)
      : remote_(&remote), addr_(addr), len_(len), active_(true) {}

  RemoteSyscalls* remote_;
  RemoteAddr addr_;
  std::size_t len_;
  bool active_ = false;
};

}  // namespace ptk::inject
