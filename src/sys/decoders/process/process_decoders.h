// The decoders and struct printers of the process family, listed by process.cpp.
#pragma once

#include <cstdint>

#include "ptk/sys/decode.h"

namespace ptk::sys {

// process_exec.cpp: execve, execveat.
void decode_execve(DecodeCtx& ctx);
void decode_execveat(DecodeCtx& ctx);

// process_clone.cpp: clone, clone3, unshare, setns and the i386 user_desc.
void decode_clone(DecodeCtx& ctx);
void decode_clone3(DecodeCtx& ctx);
void decode_unshare(DecodeCtx& ctx);
void decode_setns(DecodeCtx& ctx);
void print_user_desc(DecodeCtx& ctx, std::uint64_t addr);
void decode_modify_ldt(DecodeCtx& ctx);

// process_wait.cpp: wait4, waitpid, waitid, rusage.
void decode_wait4(DecodeCtx& ctx);
void decode_waitpid(DecodeCtx& ctx);
void decode_waitid(DecodeCtx& ctx);
void decode_getrusage(DecodeCtx& ctx);
void print_rusage_struct(DecodeCtx& ctx, std::uint64_t addr);

// process_prctl.cpp: prctl, arch_prctl.
void decode_prctl(DecodeCtx& ctx);
void decode_ptrace(DecodeCtx& ctx);
// x86_64's NT_PRSTATUS and NT_FPREGSET register sets at addr, `size` bytes of them.
void print_prstatus_regset(DecodeCtx& ctx, std::uint64_t addr, std::uint64_t size);
void print_fpregset(DecodeCtx& ctx, std::uint64_t addr, std::uint64_t size);
void decode_arch_prctl(DecodeCtx& ctx);
// process_bpf.cpp: struct sock_fprog of a seccomp filter ({len=N, filter=...}).
void print_seccomp_fprog(DecodeCtx& ctx, std::uint64_t addr);
// process_seccomp.cpp: seccomp(2), its argument by operation.
void decode_seccomp(DecodeCtx& ctx);

// process_res.cpp: resource limits, uname, sysinfo, times, personality, priorities.
void decode_getrlimit(DecodeCtx& ctx);
void decode_setrlimit(DecodeCtx& ctx);
void decode_prlimit64(DecodeCtx& ctx);
void decode_personality(DecodeCtx& ctx);
void decode_getpriority(DecodeCtx& ctx);
void decode_setpriority(DecodeCtx& ctx);
void decode_get_robust_list(DecodeCtx& ctx);
void decode_all_at_exit(DecodeCtx& ctx);
void print_rlimit_struct(DecodeCtx& ctx, std::uint64_t addr);
void print_rlimit64_struct(DecodeCtx& ctx, std::uint64_t addr);
void print_utsname_struct(DecodeCtx& ctx, std::uint64_t addr);
void print_sysinfo_struct(DecodeCtx& ctx, std::uint64_t addr);
void print_tms_struct(DecodeCtx& ctx, std::uint64_t addr);

// process_sched.cpp: sched_*, capabilities, ids.
void decode_sched_getaffinity(DecodeCtx& ctx);
// strace's print_affinitylist: the CPUs of a mask of `len` bytes as a set, "..." past the
// kernel's cpu set size (also io_uring_register's IORING_REGISTER_IOWQ_AFF).
void print_affinitylist(DecodeCtx& ctx, std::uint64_t addr, std::uint64_t len);
void decode_sched_setaffinity(DecodeCtx& ctx);
void decode_sched_getscheduler(DecodeCtx& ctx);
void decode_sched_setscheduler(DecodeCtx& ctx);
void decode_sched_priority_limit(DecodeCtx& ctx);
void decode_sched_getattr(DecodeCtx& ctx);
void decode_sched_setattr(DecodeCtx& ctx);
void decode_capget(DecodeCtx& ctx);
void decode_capset(DecodeCtx& ctx);
void decode_getresid(DecodeCtx& ctx);
void decode_getgroups(DecodeCtx& ctx);
void decode_setgroups(DecodeCtx& ctx);
void decode_ioprio_get(DecodeCtx& ctx);
void decode_ioprio_set(DecodeCtx& ctx);
// An I/O priority as strace spells it: IOPRIO_PRIO_VALUE(IOPRIO_CLASS_BE, 4) by -X style.
void print_ioprio(DecodeCtx& ctx, std::uint32_t value);
void decode_kcmp(DecodeCtx& ctx);
void decode_syslog(DecodeCtx& ctx);
void decode_reboot(DecodeCtx& ctx);
void decode_sethostname(DecodeCtx& ctx);
void print_sysctl_args(DecodeCtx& ctx, std::uint64_t addr);
void decode_process_vm_readv(DecodeCtx& ctx);
void decode_process_vm_writev(DecodeCtx& ctx);
void print_sched_param_struct(DecodeCtx& ctx, std::uint64_t addr);
void print_uid_struct(DecodeCtx& ctx, std::uint64_t addr);
void print_uint_struct(DecodeCtx& ctx, std::uint64_t addr);
void print_aio_context_struct(DecodeCtx& ctx, std::uint64_t addr);
void print_uid16_struct(DecodeCtx& ctx, std::uint64_t addr);

}  // namespace ptk::sys
