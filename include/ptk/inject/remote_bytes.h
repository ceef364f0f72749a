// Scopes over tracee bytes: whatever they overwrite comes back when they end.
//
// - PatchedBytes: bytes written at a given address (code over the instruction stream), or a
//   region only saved (a stack window foreign code may scribble on).
// - StackBytes: data pushed onto the tracee's stack below the red zone (and below anything
//   pushed before in the same RemoteSyscalls scope), e.g. the strings of a remote syscall.
//   Scopes nest: the last pushed must end first, as on a stack.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "ptk/base/remote_ptr.h"
#include "ptk/base/result.h"
#include "ptk/core/memory.h"
#include "ptk/inject/remote_syscalls.h"

namespace ptk::inject {

class PatchedBytes {
 public:
  // Writes `data` at `addr` (read-only text too), keeping the bytes it covers.
  static Result<PatchedBytes> write(Memory& memory, RemoteAddr addr,
                                    std::span<const std::byte> data);
  // Keeps a copy of [addr, addr + len) to write back at the end, without changing it.
  static Result<PatchedBytes> save(Memory& memory, RemoteAddr addr, std::size_t len);
  // save() of up to `window` bytes below `top` (a stack pointer), cut at the start of the
  // mapping that holds them: foreign code run on a thread's stack may write there.
  static Result<PatchedBytes> save_below(Memory& memory, pid_t pid, std::uint64_t top,
                                         std::uint64_t window);

  PatchedBytes(PatchedBytes&& other) noexcept;
  PatchedBytes& operator=(PatchedBytes&&) = delete;
  PatchedBytes(const PatchedBytes&) = delete;
  PatchedBytes& operator=(const PatchedBytes&) = delete;
  ~PatchedBytes();  // restore(), errors ignored

  // Writes the saved bytes back. Idempotent.
  Status restore();
  RemoteAddr addr() const { return addr_; }
  std::size_t size() const { return saved_.size(); }

 private:
  PatchedBytes(Memory& memory, RemoteAddr addr, std::vector<std::byte> saved)
      : memory_(&memory),
        owner_(memory.weak_from_this()),
        owned_(!owner_.expired()),
        addr_(addr),
        saved_(std::move(saved)),
        active_(true) {}

  Memory* memory_;
  // A Session's Memory goes with its process: a tracee killed during an injection is removed
  // from the session before the scope that patched it ends (issue 13, defect 7, under ASan).
  std::weak_ptr<Memory> owner_;
  bool owned_ = false;  // memory_ belongs to a Session: look at owner_ before using it
  RemoteAddr addr_;
  std::vector<std::byte> saved_;
  bool active_ = false;
};

class StackBytes {
 public:
  // Pushes `data` at an address aligned to `align`, below remote.scratch_sp().
  static Result<StackBytes> push(RemoteSyscalls& remote, std::span<const std::byte> data,
                                 std::size_t align = 16);
  // A C string with its terminating NUL.
  static Result<StackBytes> push_string(RemoteSyscalls& remote, std::string_view text);
  // One word, the return address of a call: placed where a `call` would leave it, so that the
  // callee finds the stack aligned as the ABI promises (sp + word is a multiple of the ABI's
  // stack alignment).
  static Result<StackBytes> push_return_address(RemoteSyscalls& remote, std::uint64_t address);

  StackBytes(StackBytes&& other) noexcept;
  StackBytes& operator=(StackBytes&&) = delete;
  StackBytes(const StackBytes&) = delete;
  StackBytes& operator=(const StackBytes&) = delete;
  ~StackBytes();  // restore(), errors ignored

  Status restore();
  RemoteAddr addr() const { return bytes_.addr(); }

 private:
  StackBytes(RemoteSyscalls& remote, PatchedBytes bytes, std::uint64_t previous_sp)
      : remote_(&remote), bytes_(std::move(bytes)), previous_sp_(previous_sp), active_(true) {}
  static Result<StackBytes> place(RemoteSyscalls& remote, std::uint64_t addr,
                                  std::span<const std::byte> data);

  RemoteSyscalls* remote_;
  PatchedBytes bytes_;
  std::uint64_t previous_sp_;
  bool active_ = false;
};

}  // namespace ptk::inject
