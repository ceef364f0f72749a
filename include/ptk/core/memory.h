// Tracee memory through one path. Reads: process_vm_readv (one copy, no stop needed), then
// /proc/PID/mem (reaches pages process_vm_readv refuses, e.g. PROT_NONE or execute-only), then
// PTRACE_PEEKDATA. Writes: /proc/PID/mem first (it writes with FOLL_FORCE, so read-only text
// can be patched), then PTRACE_POKEDATA.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <type_traits>
#include <utility>

#include "ptk/base/remote_ptr.h"
#include "ptk/base/result.h"
#include "ptk/base/unique_fd.h"

namespace ptk {

struct RemoteString {
  std::string bytes;        // without the terminating NUL
  bool terminated = false;  // false when the bound or an unreadable page came first
};

// What a Memory reads instead of a live process: the user memory a trace captured (the eBPF
// backend's events and recorded files, see ptk/sys/record_memory.h), so that the decoders that
// read a stopped tracee read a captured one the same way.
class MemorySource {
 public:
  virtual ~MemorySource() = default;
  // Copies what it holds of [addr, addr + out.size()) from addr on, stopping at the first byte
  // it does not hold; returns the count (0: not even the first byte).
  virtual std::size_t read(std::uint64_t addr, std::span<std::byte> out) const = 0;
};

// A Session owns the Memory of each process it traces (shared_ptr), and drops it when the process
// ends: what keeps a Memory& past a call (PatchedBytes) holds weak_from_this() to know.
class Memory : public std::enable_shared_from_this<Memory> {
 public:
  explicit Memory(pid_t pid) : pid_(pid) {}
  // Reads come from `source` (not owned, outlives this) and never from the process; writes fail.
  Memory(pid_t pid, const MemorySource* source) : pid_(pid), source_(source) {}

  pid_t pid() const { return pid_; }
  // The thread used for PEEK/POKE fallbacks: those requests need a thread in a ptrace-stop.
  void set_stopped_tid(pid_t tid) { stopped_tid_ = tid; }

  // Reads as much of [addr, addr+out.size()) as is readable from the start; returns the
  // count (short at the first unreadable byte). BadAddress when not even one byte is.
  Result<std::size_t> read(RemoteAddr addr, std::span<std::byte> out);
  Status read_exact(RemoteAddr addr, std::span<std::byte> out);
  template <typename T>
  Result<T> read_value(RemotePtr<T> addr) {
    static_assert(std::is_trivially_copyable_v<T>);
    T value{};
    PTK_TRY(read_exact(addr.bytes(), std::as_writable_bytes(std::span(&value, 1))));
    return value;
  }
  // A NUL-terminated string of at most max_len bytes.
  Result<RemoteString> read_string(RemoteAddr addr, std::size_t max_len);

  // Writes all of `data` or fails; patches read-only mappings too.
  Status write(RemoteAddr addr, std::span<const std::byte> data);
  template <typename T>
  Status write_value(RemotePtr<T> addr, const T& value) {
    static_assert(std::is_trivially_copyable_v<T>);
    return write(addr.bytes(), std::as_bytes(std::span(&value, 1)));
  }

  // Called with every successful read's bytes before the caller sees them: a debugger hides
  // its inserted int3 bytes this way (ptk_debug's BreakpointSet). Writes are not filtered.
  using ReadFilter = std::function<void(std::uint64_t addr, std::span<std::byte> bytes)>;
  void set_read_filter(ReadFilter filter) { read_filter_ = std::move(filter); }

  // After execve the process has a new address space, and an open /proc/PID/mem keeps
  // reading the old one (the file pins the mm it was opened on), so it must be reopened.
  void reset_address_space() { mem_fd_.reset(); }

 private:
  std::size_t read_vm(std::uint64_t addr, std::span<std::byte> out);
  std::size_t read_proc_mem(std::uint64_t addr, std::span<std::byte> out);
  std::size_t read_peek(std::uint64_t addr, std::span<std::byte> out);
  bool open_mem();

  pid_t pid_;
  const MemorySource* source_ = nullptr;
  pid_t stopped_tid_ = 0;
  UniqueFd mem_fd_;
  bool vm_unavailable_ = false;  // process_vm_readv answered ENOSYS/EPERM once: skip it
  ReadFilter read_filter_;
};

}  // namespace ptk
