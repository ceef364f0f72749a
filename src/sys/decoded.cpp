#include "ptk/sys/decoded.h"

#include <fmt/format.h>

#include <cstring>

namespace ptk::sys {
namespace {

// Codes the kernel uses internally for a syscall interrupted by a signal; a tracer sees them
// at syscall exit (include/linux/errno.h). Texts as strace prints them.
struct KernelErrno {
  int code;
  std::string_view name;
  std::string_view text;
};
constexpr KernelErrno kKernelErrnos[] = {
    {512, "ERESTARTSYS", "To be restarted if SA_RESTART is set"},
    {513, "ERESTARTNOINTR", "To be restarted"},
    {514, "ERESTARTNOHAND", "To be restarted if no handler"},
    {515, "ENOIOCTLCMD", "No ioctl command"},
    {516, "ERESTART_RESTARTBLOCK", "Interrupted by signal"},
    {517, "EPROBE_DEFER", "Driver requests probe retry"},
    {518, "EOPENSTALE", "Open found a stale dentry"},
    {519, "ENOPARAM", "Parameter not supported"},
    {521, "EBADHANDLE", "Illegal NFS file handle"},
    {522, "ENOTSYNC", "Update synchronization mismatch"},
    {523, "EBADCOOKIE", "Cookie is stale"},
    {524, "ENOTSUPP", "Operation is not supported"},
    {525, "ETOOSMALL", "Buffer or request is too small"},
    {526, "ESERVERFAULT", "An untranslatable error occurred"},
    {527, "EBADTYPE", "Type not supported by server"},
    {528, "EJUKEBOX", "Request initiated, but will not complete before timeout"},
    {529, "EIOCBQUEUED", "iocb queued, will get completion event"},
    {530, "ERECALLCONFLICT", "Conflict with recalled state"},
};

}  // namespace

std::string DecodedSyscall::name() const {
  if (spec != nullptr && display_for == spec && !display_name.empty()) return display_name;
  if (spec != nullptr) return std::string(spec->name);
  return fmt::format("syscall_{:#x}", static_cast<std::uint64_t>(nr));
}

void DecodedSyscall::reset() {
  args.clear();
  ret_aux.clear();
  note.clear();
  args_poked = false;
  ret_fd_path.clear();
  ret_comm.clear();
  ret_pidns = 0;
  display_name.clear();
  display_for = nullptr;
  priv = 0;
  priv_list.clear();
  entry_tokens = 0;
  exited = false;
  ret = 0;
  is_error = false;
  spec = nullptr;
  more_at_exit = false;
  ret_type = RetType::Int;
  entry_ns = exit_ns = 0;
  entry_stime_ns = exit_stime_ns = -1;
}

std::string_view errno_name(int err) {
  for (const auto& k : kKernelErrnos) {
    if (k.code == err) return k.name;
  }
  // strerrorname_np: glibc 2.32+.
  const char* name = err > 0 && err < 4096 ? ::strerrorname_np(err) : nullptr;
  return name != nullptr ? std::string_view(name) : std::string_view();
}

std::string_view errno_text(int err) {
  for (const auto& k : kKernelErrnos) {
    if (k.code == err) return k.text;
  }
  const char* text = err > 0 && err < 4096 ? ::strerrordesc_np(err) : nullptr;
  return text != nullptr ? std::string_view(text) : std::string_view("Unknown error");
}

}  // namespace ptk::sys
