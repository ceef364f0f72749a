/* The raw events of a trace: what the eBPF backend's kernel program writes into its ring
 * buffer, what `ptk trace --record` writes to a file (after a file header, see record.h) with
 * either backend, and what the replayer (replay.h) decodes into the structured model. Nothing
 * in a raw event is decoded: a syscall carries its registers and the bytes of user memory its
 * capture plan (capture_plan.h) copied, as chunks the decoders read as if from the tracee.
 *
 * Plain C: the eBPF program (src/bpf/prog) includes this file after vmlinux.h, which defines
 * the __u32/__u64 types; C++ gets them from <linux/types.h>. Every record is 8-byte aligned,
 * its size a multiple of 8, and all fields are in the host's byte order. Changing a layout
 * means a new PTK_RECORD_VERSION (docs/record-format.md).
 */
#ifndef PTK_SYS_RAW_EVENT_H
#define PTK_SYS_RAW_EVENT_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

/* The record types (ptk_ev_header.type). */
enum ptk_ev_type {
  PTK_EV_SYSCALL_ENTRY = 1, /* ptk_ev_syscall, chunks captured at entry */
  PTK_EV_SYSCALL_EXIT = 2,  /* ptk_ev_syscall (nr/args as at entry), chunks captured at exit */
  PTK_EV_SIGNAL = 3,        /* ptk_ev_signal: a signal is being delivered to the thread */
  PTK_EV_EXIT = 4,          /* ptk_ev_exit: the thread is gone */
  PTK_EV_EXEC = 5,          /* ptk_ev_exec: a successful execve replaced the process image */
  PTK_EV_FORK = 6,          /* ptk_ev_fork: a traced thread created a thread or process */
  PTK_EV_LOST = 7,          /* ptk_ev_lost: events were dropped here */
};

/* The syscall ABI of a syscall event (ptk_ev_header.abi); 0 for events of no syscall. */
enum ptk_ev_abi {
  PTK_ABI_X86_64 = 0,
  PTK_ABI_I386 = 1, /* int $0x80 or the compat entry of a 32-bit process */
  PTK_ABI_AARCH64 = 2,
};

struct ptk_ev_header {
  __u32 size;    /* bytes of the whole record, header included: a multiple of 8 */
  __u16 type;    /* enum ptk_ev_type */
  __u16 abi;     /* enum ptk_ev_abi */
  __u32 tid;     /* the thread (kernel pid) */
  __u32 pid;     /* its thread group (tgid) */
  __u64 time_ns; /* CLOCK_MONOTONIC (bpf_ktime_get_ns); the file header maps it to realtime */
};

/* ptk_ev_syscall.flags */
#define PTK_SC_CAPTURE_FULL 0x1 /* the record's room ran out: chunks of the plan are missing */
/* At entry: an item could not be read yet (its page was not faulted in: a tracepoint cannot
 * fault, the kernel faults it in when the syscall reads it). It is read again at the exit, into
 * the exit record, and the entry is decoded once the exit came, with those chunks too. */
#define PTK_SC_RETRY_AT_EXIT 0x2

struct ptk_ev_syscall {
  struct ptk_ev_header h;
  __s64 nr;
  __u64 args[6];
  __s64 ret; /* PTK_EV_SYSCALL_EXIT: the raw return value (-errno on error); 0 at entry */
  __u64 ip;  /* the instruction after the syscall instruction */
  __u64 sp;  /* the user stack pointer (sigreturn's frame is there) */
  __u16 nchunks;
  __u16 flags; /* PTK_SC_* */
  __u32 pad;
  /* followed by nchunks chunks */
};

/* ptk_ev_chunk.flags */
#define PTK_CHUNK_FAULT 0x1 /* the byte after the chunk could not be read */
/* Not memory: the thread's user stack as return addresses (__u64 each, innermost first) at the
 * syscall's entry, for -k; addr is 0. */
#define PTK_CHUNK_USER_STACK 0x2

/* Bytes of user memory at `addr`, as they were when captured. A read of addresses no chunk
 * of the event covers fails, as a read of unmapped memory does. */
struct ptk_ev_chunk {
  __u64 addr;
  __u32 len; /* bytes that follow, then zero padding to a multiple of 8 */
  __u32 flags;
};

#define PTK_CHUNK_PAD(len) (((len) + 7u) & ~7u)

struct ptk_ev_signal {
  struct ptk_ev_header h;
  __s32 sig;
  __u32 pad;
  __u8 siginfo[128]; /* siginfo_t as the thread's handler would get it (the 64-bit layout) */
};

/* ptk_ev_exit.flags */
#define PTK_EXIT_GROUP_DEAD 0x1 /* the last thread of its process */

struct ptk_ev_exit {
  struct ptk_ev_header h;
  __s32 status; /* a wait(2) status: exit code << 8, or the signal | 0x80 when it dumped core */
  __u32 flags;  /* PTK_EXIT_* */
};

struct ptk_ev_exec {
  struct ptk_ev_header h; /* tid: the thread the process now is (the leader) */
  __u32 old_tid;          /* the thread that called execve */
  __u32 pad;
};

/* ptk_ev_fork.flags */
#define PTK_FORK_THREAD 0x1 /* a thread of the same process (CLONE_THREAD) */

struct ptk_ev_fork {
  struct ptk_ev_header h; /* the parent thread */
  __u32 child_tid;
  __u32 child_pid;
  __u32 flags; /* PTK_FORK_* */
  __u32 pad;
};

struct ptk_ev_lost {
  struct ptk_ev_header h; /* tid/pid 0 */
  __u64 count;            /* events dropped since the previous record */
};

/* The most bytes of one record (the eBPF program's per-CPU scratch area). */
#define PTK_EV_MAX_SIZE 65536u

#endif /* PTK_SYS_RAW_EVENT_H */
