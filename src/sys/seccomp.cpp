#include "ptk/sys/seccomp.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <memory>
#include <set>
#include <string>

#include "ptk/base/unique_fd.h"

namespace ptk::sys {

Result<SeccompProgram> SeccompProgram::build(const SyscallFilter& filter) {
  std::unique_ptr<void, void (*)(scmp_filter_ctx)> ctx(seccomp_init(SCMP_ACT_ALLOW),
                                                       seccomp_release);
  if (!ctx) return Error(ErrorKind::Internal, "seccomp_init");
  // On an x86_64 host, accept i386 syscalls too: a 64-bit program can make them with
  // int $0x80, and 32-bit programs are traced under the same filter.
  constexpr bool kI386 = is_host_arch(Arch::I386);
  if (kI386) {
    if (int rc = seccomp_arch_add(ctx.get(), SCMP_ARCH_X86); rc != 0 && rc != -EEXIST) {
      return Error::from_errno(-rc, "seccomp_arch_add(SCMP_ARCH_X86)");
    }
  }
  // libseccomp takes rules by native syscall number and translates them by NAME to the other
  // ABIs of the filter (i386-only calls get pseudo numbers), so rules are added per name.
  std::set<std::string_view> names;
  for (Arch arch : kAllArches) {
    for (int nr : filter.selected(arch)) {
      const SyscallSpec* spec = find_syscall(arch, nr);
      if (spec == nullptr) continue;
      names.insert(spec->name);
      // i386 programs may reach a socket or IPC call through its multiplexer instead; the
      // tracer picks the wanted sub-calls out (see selects_subcall in tracer.cpp).
      if (kI386 && (spec->classes & kClassNetwork)) names.insert("socketcall");
      if (kI386 && (spec->classes & kClassIpc)) names.insert("ipc");
    }
  }
  for (std::string_view name : names) {
    std::string n(name);
    int nr = seccomp_syscall_resolve_name(n.c_str());
    if (nr == __NR_SCMP_ERROR) {
      // A syscall this libseccomp does not know could not be made to stop: refuse rather than
      // silently not trace it (the caller then traces without seccomp).
      return Error(ErrorKind::Unsupported, fmt::format("seccomp_syscall_resolve_name({})", n), 0,
                   "libseccomp does not know this syscall");
    }
    int rc = seccomp_rule_add(ctx.get(), SCMP_ACT_TRACE(0), nr, 0);
    if (rc != 0 && rc != -EDOM) {
      return Error::from_errno(-rc, fmt::format("seccomp_rule_add({})", n));
    }
  }
  // Export the BPF code once, in the tracer, so the child only has to load it.
  UniqueFd mem(::memfd_create("ptk-seccomp", MFD_CLOEXEC));
  if (!mem) return Error::from_errno(errno, "memfd_create");
  if (int rc = seccomp_export_bpf(ctx.get(), mem.get()); rc != 0) {
    return Error::from_errno(-rc, "seccomp_export_bpf");
  }
  off_t size = ::lseek(mem.get(), 0, SEEK_END);
  if (size <= 0 || size % static_cast<off_t>(sizeof(sock_filter)) != 0) {
    return Error(ErrorKind::Internal, "seccomp_export_bpf: unexpected program size");
  }
  SeccompProgram p;
  p.code_.resize(static_cast<std::size_t>(size) / sizeof(sock_filter));
  if (::pread(mem.get(), p.code_.data(), static_cast<std::size_t>(size), 0) != size) {
    return Error::from_errno(errno, "read seccomp program");
  }
  return p;
}

void SeccompProgram::install_in_child() const {
  sock_fprog prog{static_cast<unsigned short>(code_.size()),
                  const_cast<sock_filter*>(code_.data())};
  // Without CAP_SYS_ADMIN the kernel only accepts a filter under no_new_privs.
  if (::geteuid() != 0) ::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
  ::syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog);
}

}  // namespace ptk::sys
