// SPDX-License-Identifier: GPL-2.0-only
/* ptk's trace program: the raw events of raw_event.h for the threads in the `traced` map,
 * without stopping them. Syscalls come from the BTF-typed sys_enter/sys_exit tracepoints, with
 * user memory copied as each syscall's capture plan says (capture.bpf.h); forks, execs, exits
 * and signals from the scheduler's and the signal code's tracepoints.
 */
#include "vmlinux.h"

#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "capture.bpf.h"
#include "maps.bpf.h"

char LICENSE[] SEC("license") = "GPL";

#define PTK_SIGKILL 9
#define PTK_SI_USER 0
#define PTK_SI_KERNEL 0x80
#define PTK_TS_COMPAT 0x0002      /* x86 thread_info.status: in a 32-bit syscall */
#define PTK_SIGNAL_DELIVERED 0    /* signal_generate's result: TRACE_SIGNAL_DELIVERED */
#define PTK_SIGNAL_IGNORED 1      /* TRACE_SIGNAL_IGNORED */
#define PTK_SIGNAL_GROUP_EXIT 0x4 /* signal_struct.flags: the group is exiting */
#define PTK_STACK_BYTES (127 * 8) /* -k: the innermost 127 return addresses */

static __always_inline __u32 current_tid(void) { return (__u32)bpf_get_current_pid_tgid(); }
static __always_inline __u32 current_pid(void) { return bpf_get_current_pid_tgid() >> 32; }

/* The ABI of the syscall the current thread is in. */
static __always_inline __u16 current_abi(struct task_struct* task) {
#if defined(__TARGET_ARCH_x86)
  /* in_ia32_syscall(): the 32-bit entry paths set TS_COMPAT until the syscall returns. */
  if (bpf_core_field_exists(task->thread_info.status) &&
      (BPF_CORE_READ(task, thread_info.status) & PTK_TS_COMPAT))
    return PTK_ABI_I386;
  return PTK_ABI_X86_64;
#else
  return PTK_ABI_AARCH64;
#endif
}

static __always_inline void read_args(struct pt_regs* regs, __u16 abi, __u64* args) {
#if defined(__TARGET_ARCH_x86)
  if (abi == PTK_ABI_I386) {
    args[0] = (__u32)regs->bx;
    args[1] = (__u32)regs->cx;
    args[2] = (__u32)regs->dx;
    args[3] = (__u32)regs->si;
    args[4] = (__u32)regs->di;
    args[5] = (__u32)regs->bp;
    return;
  }
  args[0] = regs->di;
  args[1] = regs->si;
  args[2] = regs->dx;
  args[3] = regs->r10;
  args[4] = regs->r8;
  args[5] = regs->r9;
#else
  /* At sys_enter x0 still holds the first argument (orig_x0 keeps it for restarts). */
  for (int i = 0; i < 6; i++) args[i] = regs->regs[i];
#endif
}

static __always_inline __u64 regs_ip(struct pt_regs* regs) {
#if defined(__TARGET_ARCH_x86)
  return regs->ip;
#else
  return regs->pc;
#endif
}

/* execve or execveat of the native ABI (a spawned command is ptk's child, native). */
static __always_inline int is_execve(long nr) {
#if defined(__TARGET_ARCH_x86)
  return nr == 59 || nr == 322;
#else
  return nr == 221 || nr == 281;
#endif
}

static __always_inline const struct ptk_cap_plan* plan_of(__u16 abi, long nr) {
  if (nr < 0) return 0; /* a syscall a seccomp filter or tracer skipped */
  __u32 index = abi * PTK_PLAN_NR_MAX + (nr < PTK_PLAN_NR_MAX ? nr : PTK_PLAN_NR_MAX - 1);
  return bpf_map_lookup_elem(&plans, &index);
}

/* The signal a ptrace tracer would have seen but the kernel discarded (on_signal_generate),
 * as a PTK_EV_SIGNAL record. */
static __noinline int emit_pending_signal(struct ptk_thread* t) {
  struct ptk_ev_signal rec = {};
  fill_header(&rec.h, sizeof(rec), PTK_EV_SIGNAL, 0, current_tid(), current_pid());
  rec.sig = t->sig;
  __builtin_memcpy(rec.siginfo, t->siginfo, PTK_KSIGINFO_SIZE);
  t->sig_pending = 0;
  output(&rec, sizeof(rec));
  return 0;
}

/* Starts a syscall record in the scratch area; the items append their chunks. */
static __always_inline struct ptk_scratch* begin_syscall(__u16 abi, long nr, const __u64* args,
                                                         __s64 ret, int at_exit) {
  struct ptk_scratch* s = get_scratch();
  if (!s) return 0;
  s->st.off = sizeof(struct ptk_ev_syscall);
  s->st.nchunks = 0;
  s->st.flags = 0;
  s->st.ws = abi == PTK_ABI_I386 ? 4 : 8;
  s->st.at_exit = at_exit;
  s->st.ret = ret;
  for (int i = 0; i < 6; i++) s->st.args[i] = args[i];
  return s;
}

static __always_inline void run_items(const struct ptk_cap_plan* plan, __u8 when) {
  for (int i = 0; i < PTK_PLAN_MAX_ITEMS; i++) {
    if (i >= plan->nitems) break;
    if (plan->items[i].when & when) run_item(&plan->items[i]);
  }
}

static __always_inline void add_user_stack(void* ctx) {
  struct ptk_scratch* s = get_scratch();
  if (!s || room(s) < PTK_STACK_BYTES) return;
  __u32 at = PTK_OFF(s->st.off + PTK_CHUNK_HDR);
  long n = bpf_get_stack(ctx, s->buf + at, PTK_STACK_BYTES, BPF_F_USER_STACK);
  if (n > 0 && n <= PTK_STACK_BYTES) close_chunk(s, 0, n, PTK_CHUNK_USER_STACK);
}

/* Fills the record's fixed part and sends it. */
static __always_inline void finish_syscall(__u16 type, __u16 abi, long nr, struct pt_regs* regs) {
  struct ptk_scratch* s = get_scratch();
  if (!s) return;
  struct ptk_ev_syscall* rec = (void*)s->buf;
  __u32 size = s->st.off;
  if (size > PTK_EV_MAX_SIZE) size = PTK_EV_MAX_SIZE;
  fill_header(&rec->h, size, type, abi, current_tid(), current_pid());
  rec->nr = nr;
  for (int i = 0; i < 6; i++) rec->args[i] = s->st.args[i];
  rec->ret = s->st.ret;
  rec->ip = regs_ip(regs);
  rec->sp = regs->sp;
  rec->nchunks = s->st.nchunks;
  rec->flags = s->st.flags;
  rec->pad = 0;
  output(s->buf, size);
}

SEC("tp_btf/sys_enter")
int BPF_PROG(on_sys_enter, struct pt_regs* regs, long nr) {
  __u32 tid = current_tid();
  struct ptk_thread* t = bpf_map_lookup_elem(&traced, &tid);
  if (!t) return 0;
  if (t->flags & PTK_THREAD_WAIT_EXEC) {
    if (!is_execve(nr)) return 0;
    t->flags &= ~PTK_THREAD_WAIT_EXEC;
  }
  if (t->sig_pending) emit_pending_signal(t);
  t->in_call = 0;
  struct task_struct* task = bpf_get_current_task_btf();
  __u16 abi = current_abi(task);
  const struct ptk_cap_plan* plan = plan_of(abi, nr);
  if (!plan || !(plan->flags & PTK_PLAN_TRACE)) return 0;

  __u64 args[6];
  read_args(regs, abi, args);
  t->nr = nr;
  for (int i = 0; i < 6; i++) t->args[i] = args[i];
  t->abi = abi;
  t->in_call = 1;

  if (!begin_syscall(abi, nr, args, 0, 0)) return 0;
  run_items(plan, PTK_AT_ENTRY);
  if (user_stacks) add_user_stack(ctx);
  finish_syscall(PTK_EV_SYSCALL_ENTRY, abi, nr, regs);
  return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(on_sys_exit, struct pt_regs* regs, long ret) {
  __u32 tid = current_tid();
  struct ptk_thread* t = bpf_map_lookup_elem(&traced, &tid);
  if (!t) return 0;
  if (t->in_call) {
    t->in_call = 0;
    __u16 abi = t->abi;
    long nr = t->nr;
    const struct ptk_cap_plan* plan = plan_of(abi, nr);
    if (plan && begin_syscall(abi, nr, t->args, ret, 1)) {
      run_items(plan, PTK_AT_EXIT);
      finish_syscall(PTK_EV_SYSCALL_EXIT, abi, nr, regs);
    }
  }
  if (t->sig_pending) emit_pending_signal(t);
  return 0;
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

/* A signal a ptrace tracer would see that never reaches signal_deliver:
 * - one the kernel discards because it is ignored (SIGCHLD's default): kept on the thread
 *   until its next syscall event, where the tracer would have seen it;
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
    struct ptk_ev_signal rec = {};
    fill_header(&rec.h, sizeof(rec), PTK_EV_SIGNAL, 0, tid, BPF_CORE_READ(task, tgid));
    rec.sig = sig;
    fill_siginfo(rec.siginfo, sig, info);
    output(&rec, sizeof(rec));
    return 0;
  }
  /* One at a time: a standard signal already pending is not queued again either. */
  if (result != PTK_SIGNAL_IGNORED || t->sig_pending) return 0;
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
  output(&rec, sizeof(rec));
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
  output(&rec, sizeof(rec));
  return 0;
}

SEC("tp_btf/sched_process_exec")
int BPF_PROG(on_exec, struct task_struct* p, pid_t old_pid, struct linux_binprm* bprm) {
  __u32 tid = BPF_CORE_READ(p, pid);
  __u32 old_tid = old_pid;
  struct ptk_thread* t = bpf_map_lookup_elem(&traced, &old_tid);
  if (!t) return 0;
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
  output(&rec, sizeof(rec));
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
  output(&rec, sizeof(rec));
  if (bpf_map_delete_elem(&traced, &tid) == 0) __sync_fetch_and_sub(&live_threads, 1);
  return 0;
}
