// PatchedBytes and StackBytes: tracee bytes changed for the length of a scope.
#include "ptk/inject/remote_bytes.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>

#include "ptk/core/proc.h"

namespace ptk::inject {

Result<PatchedBytes> PatchedBytes::save(Memory& memory, RemoteAddr addr, std::size_t len) {
  std::vector<std::byte> saved(len);
  PTK_TRY(memory.read_exact(addr, saved));
  return PatchedBytes(memory, addr, std::move(saved));
}

Result<PatchedBytes> PatchedBytes::save_below(Memory& memory, pid_t pid, std::uint64_t top,
                                              std::uint64_t window) {
  std::uint64_t low = top >= window ? top - window : 0;
  if (auto maps = read_maps(pid); maps.ok()) {
    for (const MapEntry& m : *maps) {
      if (m.contains(top - 1)) low = std::max(low, m.start);
    }
  }
  return save(memory, RemoteAddr(low), top - low);
}

Result<PatchedBytes> PatchedBytes::write(Memory& memory, RemoteAddr addr,
                                         std::span<const std::byte> data) {
  PTK_ASSIGN_OR_RETURN(PatchedBytes patch, save(memory, addr, data.size()));
  Status written = memory.write(addr, data);
  if (!written.ok()) {
    // A write can fail half-way (a page boundary): put back what may have changed.
    (void)patch.restore();
    return std::move(written).error();
  }
  return patch;
}

PatchedBytes::PatchedBytes(PatchedBytes&& other) noexcept
    : memory_(other.memory_),
      owner_(std::move(other.owner_)),
      owned_(other.owned_),
      addr_(other.addr_),
      saved_(std::move(other.saved_)),
      active_(other.active_) {
  other.active_ = false;
}

PatchedBytes::~PatchedBytes() { (void)restore(); }

Status PatchedBytes::restore() {
  if (!active_) return ok_status();
  active_ = false;
  if (owned_ && owner_.expired()) {
    return Error(ErrorKind::TraceeGone,
                 fmt::format("put back {} bytes at {:#x}: the process has ended", saved_.size(),
                             addr_.addr()));
  }
  return memory_->write(addr_, saved_);
}

namespace {

std::uint64_t align_down(std::uint64_t value, std::uint64_t align) {
  return align == 0 ? value : value - value % align;
}

}  // namespace

Result<StackBytes> StackBytes::place(RemoteSyscalls& remote, std::uint64_t addr,
                                     std::span<const std::byte> data) {
  std::uint64_t previous = remote.scratch_sp();
  auto patch = PatchedBytes::write(remote.session().memory(remote.tid()), RemoteAddr(addr), data);
  if (!patch.ok()) {
    Error e = std::move(patch).error();
    return e.with_hint(fmt::format(
        "{} bytes do not fit on the tracee's stack below {:#x}; use a remote mapping for large "
        "data",
        data.size(), previous));
  }
  remote.set_scratch_sp(addr);
  return StackBytes(remote, std::move(patch).value(), previous);
}

Result<StackBytes> StackBytes::push(RemoteSyscalls& remote, std::span<const std::byte> data,
                                    std::size_t align) {
  return place(remote, align_down(remote.scratch_sp() - data.size(), align), data);
}

Result<StackBytes> StackBytes::push_string(RemoteSyscalls& remote, std::string_view text) {
  std::vector<std::byte> bytes(text.size() + 1);
  std::memcpy(bytes.data(), text.data(), text.size());
  return push(remote, bytes, 1);
}

Result<StackBytes> StackBytes::push_return_address(RemoteSyscalls& remote, std::uint64_t address) {
  const AbiInfo& abi = remote.abi_info();
  std::size_t word = abi.word_size;
  // After a call the return address is at sp and sp + word is aligned (SysV psABIs: "the
  // end of the input argument area shall be aligned on a 16 byte boundary").
  std::uint64_t at =
      align_down(remote.scratch_sp() - abi.stack_align, abi.stack_align) + abi.stack_align - word;
  std::byte bytes[8];
  std::memcpy(bytes, &address, sizeof bytes);  // little-endian: the low `word` bytes first
  return place(remote, at, std::span<const std::byte>(bytes, word));
}

StackBytes::StackBytes(StackBytes&& other) noexcept
    : remote_(other.remote_),
      bytes_(std::move(other.bytes_)),
      previous_sp_(other.previous_sp_),
      active_(other.active_) {
  other.active_ = false;
}

StackBytes::~StackBytes() { (void)restore(); }

Status StackBytes::restore() {
  if (!active_) return ok_status();
  active_ = false;
  remote_->set_scratch_sp(previous_sp_);
  return bytes_.restore();
}

}  // namespace ptk::inject
