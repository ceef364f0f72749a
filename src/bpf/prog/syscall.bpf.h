/* The syscall records (capture plans executed at entry and exit) and the helpers every program
 * of ptk's shares, called from the sys_enter/sys_exit tracepoints or from kprobes on a
 * syscall's function (ptk_trace.bpf.c).
 */
#ifndef PTK_BPF_PROG_SYSCALL_H
#define PTK_BPF_PROG_SYSCALL_H

#include "capture.bpf.h"
#include "maps.bpf.h"

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

static __always_inline __u32 plan_index(__u16 abi, long nr) {
  return abi * PTK_PLAN_NR_MAX + (nr < PTK_PLAN_NR_MAX ? nr : PTK_PLAN_NR_MAX - 1);
}

static __always_inline const struct ptk_cap_plan* plan_of(__u16 abi, long nr) {
  if (nr < 0) return 0; /* a syscall a seccomp filter or tracer skipped */
  __u32 index = plan_index(abi, nr);
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
  output(&rec, sizeof(rec), 1);
  return 0;
}

/* Starts a syscall record in the scratch area; the items append their chunks. */
static __always_inline struct ptk_scratch* begin_syscall(__u16 abi, const __u64* args, __u64 sp,
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
  s->st.sp = sp;
  return s;
}

/* Runs the plan's items for `when`, and the items of `retry` (a bit per item) again. Returns
 * the items whose reads failed. */
static __always_inline __u32 run_items(__u32 index, const struct ptk_cap_plan* plan, __u8 when,
                                       __u32 retry) {
  __u32 failed = 0;
  for (int i = 0; i < PTK_PLAN_MAX_ITEMS; i++) {
    if (i >= plan->nitems) break;
    if (((plan->items[i].when & when) || (retry & (1u << i))) && run_item(index, i))
      failed |= 1u << i;
  }
  return failed;
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
  output(s->buf, size, 0);
}

/* handle_enter's abi when the caller does not know it: found from the thread, only when traced. */
#define PTK_ABI_CURRENT 0xffff

/* Records the entry of a syscall the plan reports, and stashes its registers for the exit. */
static __always_inline void record_entry(void* ctx, struct ptk_thread* t, struct pt_regs* regs,
                                         long nr, __u16 abi, const struct ptk_cap_plan* plan) {
  __u64 args[6];
  read_args(regs, abi, args);
  t->nr = nr;
  for (int i = 0; i < 6; i++) t->args[i] = args[i];
  t->abi = abi;
  t->in_call = PTK_CALL_REPORTED;

  struct ptk_scratch* s = begin_syscall(abi, args, regs->sp, 0, 0);
  if (!s) return;
  /* A tracepoint cannot fault pages in: what failed is read again at the exit, once the
   * syscall itself has touched it. */
  t->retry_items = run_items(plan_index(abi, nr), plan, PTK_AT_ENTRY, 0);
  if (t->retry_items) {
    s = get_scratch();
    if (s) s->st.flags |= PTK_SC_RETRY_AT_EXIT;
  }
  if (user_stacks) add_user_stack(ctx);
  finish_syscall(PTK_EV_SYSCALL_ENTRY, abi, nr, regs);
}

/* The number of the syscall the user registers are in. */
static __always_inline long regs_nr(struct pt_regs* regs) {
#if defined(__TARGET_ARCH_x86)
  return (long)regs->orig_ax;
#else
  return (long)regs->syscallno;
#endif
}

static __always_inline int handle_enter(void* ctx, struct pt_regs* regs, long nr, __u16 abi) {
  __u32 tid = current_tid();
  struct ptk_thread* t = bpf_map_lookup_elem(&traced, &tid);
  if (!t) return 0;
  t->in_call = PTK_CALL_UNREPORTED;
  if (t->flags & PTK_THREAD_WAIT_EXEC) {
    if (!is_execve(nr)) return 0;
    t->flags &= ~PTK_THREAD_WAIT_EXEC;
  }
  if (t->sig_pending) emit_pending_signal(t);
  if (abi == PTK_ABI_CURRENT) abi = current_abi(bpf_get_current_task_btf());
  const struct ptk_cap_plan* plan = plan_of(abi, nr);
  if (!plan || !(plan->flags & PTK_PLAN_TRACE)) return 0;
  record_entry(ctx, t, regs, nr, abi, plan);
  return 0;
}

/* A syscall's exit: the record of one whose entry was recorded, with the entry's registers.
 * From the sys_exit tracepoint (tracepoint), an exit without an entry of a thread that has
 * entered syscalls before (PTK_CALL_NONE, not PTK_CALL_FRESH: a new child's return from clone,
 * a syscall in progress at attach) is one the kernel skipped before the sys_enter tracepoint (a
 * seccomp filter's SECCOMP_RET_TRAP or ERRNO): a ptrace tracer sees its entry, so it is
 * recorded now. */
static __always_inline int handle_exit(void* ctx, struct pt_regs* regs, long ret, int tracepoint) {
  __u32 tid = current_tid();
  struct ptk_thread* t = bpf_map_lookup_elem(&traced, &tid);
  if (!t) return 0;
  if (t->in_call == PTK_CALL_NONE && tracepoint) {
    long nr = regs_nr(regs);
    __u16 abi = current_abi(bpf_get_current_task_btf());
    const struct ptk_cap_plan* plan = plan_of(abi, nr);
    if (plan && (plan->flags & PTK_PLAN_TRACE)) record_entry(ctx, t, regs, nr, abi, plan);
  }
  __u32 state = t->in_call;
  t->in_call = PTK_CALL_NONE;
  if (state == PTK_CALL_REPORTED) {
    __u16 abi = t->abi;
    long nr = t->nr;
    const struct ptk_cap_plan* plan = plan_of(abi, nr);
    if (plan && begin_syscall(abi, t->args, regs->sp, ret, 1)) {
      run_items(plan_index(abi, nr), plan, PTK_AT_EXIT, t->retry_items);
      t->retry_items = 0;
      finish_syscall(PTK_EV_SYSCALL_EXIT, abi, nr, regs);
    }
  }
  if (t->sig_pending) emit_pending_signal(t);
  return 0;
}

#endif /* PTK_BPF_PROG_SYSCALL_H */
