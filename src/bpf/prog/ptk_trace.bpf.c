// SPDX-License-Identifier: GPL-2.0-only
/* ptk's trace program: the raw events of raw_event.h for the threads in the `traced` map,
 * without stopping them. Syscalls come from the BTF-typed sys_enter/sys_exit tracepoints (or,
 * for a few syscalls, from kprobes on their functions), with user memory copied as each
 * syscall's capture plan says (syscall.bpf.h, capture.bpf.h); forks, execs, exits and signals
 * from the scheduler's and the signal code's tracepoints.
 */
#include "vmlinux.h"

#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "syscall.bpf.h"

char LICENSE[] SEC("license") = "GPL";

SEC("tp_btf/sys_enter")
int BPF_PROG(on_sys_enter, struct pt_regs* regs, long nr) {
  return handle_enter(ctx, regs, nr, PTK_ABI_CURRENT);
}

SEC("tp_btf/sys_exit")
int BPF_PROG(on_sys_exit, struct pt_regs* regs, long ret) { return handle_exit(ctx, regs, ret, 1); }

/* Function hooks: the same records from kprobes on a few syscalls' functions (__x64_sys_NAME,
 * ...), attached by the user side instead of the two tracepoints above, which put every syscall
 * of every task on the kernel's slow path. The attach cookie is the syscall: abi << 32 | nr.
 * bpf_task_pt_regs gives the user registers as a typed pointer, at entry and at return. */
SEC("kprobe")
int on_syscall_function(struct pt_regs* ctx) {
  __u64 cookie = bpf_get_attach_cookie(ctx);
  struct pt_regs* regs = (struct pt_regs*)bpf_task_pt_regs(bpf_get_current_task_btf());
  return handle_enter(ctx, regs, (long)(__u32)cookie, (__u16)(cookie >> 32));
}

SEC("kretprobe")
int on_syscall_function_return(struct pt_regs* ctx) {
  struct pt_regs* regs = (struct pt_regs*)bpf_task_pt_regs(bpf_get_current_task_btf());
  return handle_exit(ctx, regs, PT_REGS_RC(ctx), 0);
}

/* The siginfo a signal_generate tracepoint passes, as the thread's handler would get it. */
static __always_inline void fill_siginfo(__u8* out, int sig, struct kernel_siginfo* info) {
  __s32* fields = (__s32*)out; /* si_signo, si_errno, si_code, pad, si_pid, si_uid */
  if ((unsigned long)info <= 1) {
    /* SEND_SIG_NOINFO (0): from a user's kill; SEND_SIG_PRIV (1): from the kernel. */
    fields[0] = sig;
    fields[2] = info ? PTK_SI_KERNEL : PTK_SI_USER;
    if (!info) {
      fields[4] = current_pid();
      fields[5] = (__u32)bpf_get_current_uid_gid();
    }
  } else {
    bpf_probe_read_kernel(out, PTK_KSIGINFO_SIZE, info);
  }
}

/* A PTK_EV_SIGNAL record for `task`'s thread `tid`, from the sender's context. */
static __always_inline int emit_signal_now(struct task_struct* task, __u32 tid, int sig,
                                           struct kernel_siginfo* info) {
  struct ptk_ev_signal rec = {};
  fill_header(&rec.h, sizeof(rec), PTK_EV_SIGNAL, 0, tid, BPF_CORE_READ(task, tgid));
  rec.sig = sig;
  fill_siginfo(rec.siginfo, sig, info);
  output(&rec, sizeof(rec), 1);
  return 0;
}

/* A signal a ptrace tracer would see that never reaches signal_deliver:
 * - one the kernel discards because it is ignored (SIGCHLD's default): kept on the thread
 *   until its next syscall event, where the tracer would have seen it. With syscall hooks only
 *   the traced syscalls are seen, so it is reported at once unless the thread is inside one of
 *   them (a ptrace tracer stops the thread for it on its way back to user mode, which is soon:
 *   an ignored signal still wakes a traced thread, kernel/signal.c sig_ignored());
 * - a fatal one the kernel turns into a group exit at once (SIGTERM's default): reported now,
 *   as the tracer sees it before the process dies. */
SEC("tp_btf/signal_generate")
int BPF_PROG(on_signal_generate, int sig, struct kernel_siginfo* info, struct task_struct* task,
             int group, int result) {
  if (sig == PTK_SIGKILL) return 0;
  __u32 tid = BPF_CORE_READ(task, pid);
  struct ptk_thread* t = bpf_map_lookup_elem(&traced, &tid);
  if (!t || (t->flags & PTK_THREAD_WAIT_EXEC)) return 0;
  if (result == PTK_SIGNAL_DELIVERED) {
    /* complete_signal has run: a fatal signal's shortcut leaves the group exiting with it. */
    struct signal_struct* signal = BPF_CORE_READ(task, signal);
    if (!(BPF_CORE_READ(signal, flags) & PTK_SIGNAL_GROUP_EXIT) ||
        BPF_CORE_READ(signal, group_exit_code) != sig)
      return 0;
    return emit_signal_now(task, tid, sig, info);
  }
  if (result != PTK_SIGNAL_IGNORED) return 0;
  if (syscall_hooks && t->in_call != PTK_CALL_REPORTED)
    return emit_signal_now(task, tid, sig, info);
  /* One at a time: a standard signal already pending is not queued again either. */
  if (t->sig_pending) return 0;
  __builtin_memset(t->siginfo, 0, PTK_KSIGINFO_SIZE);
  fill_siginfo(t->siginfo, sig, info);
  t->sig = sig;
  t->sig_pending = 1;
  return 0;
}

SEC("tp_btf/signal_deliver")
int BPF_PROG(on_signal_deliver, int sig, struct kernel_siginfo* info, struct k_sigaction* ka) {
  /* A fatal SIGKILL is never reported to a ptrace tracer, so strace does not show it. */
  if (sig == PTK_SIGKILL) return 0;
  __u32 tid = current_tid();
  struct ptk_thread* t = bpf_map_lookup_elem(&traced, &tid);
  if (!t || (t->flags & PTK_THREAD_WAIT_EXEC)) return 0;
  struct ptk_ev_signal rec = {};
  fill_header(&rec.h, sizeof(rec), PTK_EV_SIGNAL, 0, tid, current_pid());
  rec.sig = sig;
  if ((unsigned long)info > 1) bpf_probe_read_kernel(rec.siginfo, PTK_KSIGINFO_SIZE, info);
  output(&rec, sizeof(rec), 1);
  return 0;
}

SEC("tp_btf/sched_process_fork")
int BPF_PROG(on_fork, struct task_struct* parent, struct task_struct* child) {
  if (!follow_forks) return 0;
  __u32 tid = BPF_CORE_READ(parent, pid);
  if (!bpf_map_lookup_elem(&traced, &tid)) return 0;
  struct ptk_thread fresh = {};
  __u32 child_tid = BPF_CORE_READ(child, pid);
  if (bpf_map_update_elem(&traced, &child_tid, &fresh, BPF_NOEXIST) == 0)
    __sync_fetch_and_add(&live_threads, 1);
  struct ptk_ev_fork rec = {};
  __u32 pid = BPF_CORE_READ(parent, tgid);
  fill_header(&rec.h, sizeof(rec), PTK_EV_FORK, 0, tid, pid);
  rec.child_tid = child_tid;
  rec.child_pid = BPF_CORE_READ(child, tgid);
  rec.flags = rec.child_pid == pid ? PTK_FORK_THREAD : 0;
  output(&rec, sizeof(rec), 1);
  return 0;
}

SEC("tp_btf/sched_process_exec")
int BPF_PROG(on_exec, struct task_struct* p, pid_t old_pid, struct linux_binprm* bprm) {
  __u32 tid = BPF_CORE_READ(p, pid);
  __u32 old_tid = old_pid;
  struct ptk_thread* t = bpf_map_lookup_elem(&traced, &old_tid);
  if (!t) return 0;
  /* With syscall hooks only on a few syscalls' functions, execve's entry may not be seen. */
  t->flags &= ~PTK_THREAD_WAIT_EXEC;
  /* The old image's memory is gone: an entry item that failed cannot be read again. */
  t->retry_items = 0;
  if (old_tid != tid) {
    /* A non-leader exec: the thread now has the leader's tid (the leader's own entry went
     * with its exit); its stashed execve entry goes with it. */
    struct ptk_thread moved = *t;
    if (bpf_map_update_elem(&traced, &tid, &moved, BPF_NOEXIST) == 0)
      __sync_fetch_and_add(&live_threads, 1);
    else
      bpf_map_update_elem(&traced, &tid, &moved, BPF_ANY);
    if (bpf_map_delete_elem(&traced, &old_tid) == 0) __sync_fetch_and_sub(&live_threads, 1);
  }
  struct ptk_ev_exec rec = {};
  fill_header(&rec.h, sizeof(rec), PTK_EV_EXEC, 0, tid, BPF_CORE_READ(p, tgid));
  rec.old_tid = old_tid;
  output(&rec, sizeof(rec), 1);
  return 0;
}

SEC("tp_btf/sched_process_exit")
int BPF_PROG(on_exit, struct task_struct* p) {
  __u32 tid = BPF_CORE_READ(p, pid);
  if (!bpf_map_lookup_elem(&traced, &tid)) return 0;
  struct ptk_ev_exit rec = {};
  fill_header(&rec.h, sizeof(rec), PTK_EV_EXIT, 0, tid, BPF_CORE_READ(p, tgid));
  rec.status = BPF_CORE_READ(p, exit_code);
  /* do_exit has already counted this thread out of signal->live. */
  if (BPF_CORE_READ(p, signal, live.counter) == 0) rec.flags = PTK_EXIT_GROUP_DEAD;
  output(&rec, sizeof(rec), 1);
  if (bpf_map_delete_elem(&traced, &tid) == 0) __sync_fetch_and_sub(&live_threads, 1);
  return 0;
}
