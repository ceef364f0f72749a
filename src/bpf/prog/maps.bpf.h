/* The maps and global variables of ptk's trace program (ptk_trace.bpf.c), and the per-CPU
 * scratch area a syscall record is built in before it is copied into the ring buffer.
 */
#ifndef PTK_BPF_PROG_MAPS_H
#define PTK_BPF_PROG_MAPS_H

#include "ptk/sys/capture_abi.h"
#include "ptk/sys/raw_event.h"
#include "thread.h"

/* What the capture code keeps between its functions: it lives in the scratch area, not on the
 * stack, so that the bpf_loop callbacks reach it without pointers in their context. */
struct ptk_cap_state {
  __u32 off; /* bytes of the record so far */
  __u16 nchunks;
  __u16 flags; /* PTK_SC_* */
  __u32 ws;    /* the ABI's word size: 4 or 8 */
  __u32 at_exit;
  __s64 ret;
  __u64 args[6];
  __u64 sp;    /* the user stack pointer, the address of PTK_ARG_SP items */
  __u32 fault; /* a read of user memory failed (not for want of room) */
  __u32 pad;
};

/* A record is built at buf[0, PTK_EV_MAX_SIZE); every write is at an offset masked below
 * PTK_EV_MAX_SIZE with at most PTK_EV_MAX_SIZE bytes, which the second half absorbs: the
 * verifier sees every access in bounds without tracking the record's layout. */
struct ptk_scratch {
  struct ptk_cap_state st;
  __u8 buf[2 * PTK_EV_MAX_SIZE];
};

#define PTK_OFF(x) ((x) & (PTK_EV_MAX_SIZE - 1))

#define PTK_MAX_THREADS 32768
#define PTK_LOST_SLOTS 256 /* power of two; CPUs beyond share slots (the adds are atomic) */

struct {
  __uint(type, BPF_MAP_TYPE_RINGBUF);
  __uint(max_entries, 1 << 26); /* the user side sets the size before loading */
} events SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, PTK_PLAN_ABIS* PTK_PLAN_NR_MAX);
  __type(key, __u32);
  __type(value, struct ptk_cap_plan);
} plans SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(max_entries, PTK_MAX_THREADS);
  __type(key, __u32);
  __type(value, struct ptk_thread);
} traced SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 1); /* one per possible CPU, set by the user side before loading */
  __type(key, __u32);
  __type(value, struct ptk_scratch);
} scratch SEC(".maps");

/* Set by the user side before loading. */
const volatile int follow_forks = 0;
const volatile int user_stacks = 0;
const volatile __u64 wake_bytes = 1 << 20;

/* Read by the user side through the skeleton's mapping of .bss. */
__s64 live_threads = 0;          /* entries of `traced` */
__u64 lost[PTK_LOST_SLOTS] = {}; /* records the ring buffer had no room for, per CPU */
/* Written by the user side: nonzero once the syscalls come from kprobes on a few syscall
 * functions instead of the raw syscall tracepoints (hooks.cpp). Not rodata: the loader knows
 * only after loading whether the kernel lets it attach them. */
__u32 syscall_hooks = 0;

static __always_inline struct ptk_scratch* get_scratch(void) {
  __u32 cpu = bpf_get_smp_processor_id();
  return bpf_map_lookup_elem(&scratch, &cpu);
}

static __always_inline void count_lost(void) {
  __u32 slot = bpf_get_smp_processor_id() & (PTK_LOST_SLOTS - 1);
  __sync_fetch_and_add(&lost[slot], 1);
}

/* Waking the consumer costs an inter-processor interrupt (in a VM, an exit to the host) per
 * record when it keeps up, more than the rest of a syscall record: syscall records only wake it
 * once wake_bytes are waiting; it polls with a short timeout anyway. Other records are rare
 * and wake it at once (an exit may be the end of the trace). */
static __always_inline void output(void* rec, __u64 size, int urgent) {
  __u64 flags = BPF_RB_NO_WAKEUP;
  if (urgent || bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA) >= wake_bytes)
    flags = BPF_RB_FORCE_WAKEUP;
  if (bpf_ringbuf_output(&events, rec, size, flags) != 0) count_lost();
}

static __always_inline void fill_header(struct ptk_ev_header* h, __u32 size, __u16 type, __u16 abi,
                                        __u32 tid, __u32 pid) {
  h->size = size;
  h->type = type;
  h->abi = abi;
  h->tid = tid;
  h->pid = pid;
  h->time_ns = bpf_ktime_get_ns();
}

#endif /* PTK_BPF_PROG_MAPS_H */
