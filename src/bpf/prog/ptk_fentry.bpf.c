// SPDX-License-Identifier: GPL-2.0-only
/* One syscall's records from fentry/fexit programs on its kernel function (__x64_sys_NAME,
 * __ia32_sys_NAME, ...), instead of the sys_enter/sys_exit tracepoints: with a short -e trace=
 * list, the syscalls not on it then cost nothing, where the tracepoints put every syscall of
 * every task on the kernel's slow path. The user side loads one copy per function, its target
 * and (abi, nr) set before loading, and shares ptk_trace.bpf.c's maps and .bss with it.
 */
#include "vmlinux.h"

#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "syscall.bpf.h"

char LICENSE[] SEC("license") = "GPL";

const volatile long hook_nr = 0;
const volatile __u32 hook_abi = 0;

/* The targets are placeholders: the user side names the real function before loading. */
SEC("fentry/__x64_sys_openat")
int BPF_PROG(on_fentry, struct pt_regs* regs) { return handle_enter(ctx, regs, hook_nr, hook_abi); }

SEC("fexit/__x64_sys_openat")
int BPF_PROG(on_fexit, struct pt_regs* regs, long ret) { return handle_exit(ctx, regs, ret); }
