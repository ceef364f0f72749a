/* Capture plans as the eBPF program reads them from its plan map, and as the ptrace backend's
 * recorder follows them: for one syscall of one ABI, which user memory to copy at its entry
 * and at its exit so that the decoders can later print it as strace would, without the tracee
 * (see raw_event.h for the events the copies travel in, capture_plan.h for how plans are made).
 *
 * Plain C, shared with src/bpf/prog like raw_event.h. An item copies memory an argument points
 * to; what it copies is bounded (`max`, `count_max`, PTK_EV_MAX_SIZE for the whole record), and
 * what it cannot copy is simply missing: the decoders print a missing pointer's address.
 */
#ifndef PTK_SYS_CAPTURE_ABI_H
#define PTK_SYS_CAPTURE_ABI_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

/* What an item copies from the address in args[arg]. */
enum ptk_cap_kind {
  PTK_CAP_NONE = 0,
  /* A NUL-terminated string: at most `max` bytes, the NUL included when it is within them. */
  PTK_CAP_CSTR = 1,
  /* `len` bytes (the item's length rule), at most `max`. */
  PTK_CAP_BUF = 2,
  /* A NULL-terminated array of pointers (argv): the array (at most `count_max` pointers and
   * the NULL after them) and each pointed-to string as PTK_CAP_CSTR with `max`. */
  PTK_CAP_STR_ARRAY = 3,
  /* The same array without the strings (envp, which strace shows as a count). */
  PTK_CAP_PTR_ARRAY = 4,
  /* An array of struct iovec, `len` elements (length rule, size 1), at most `count_max`; and
   * each element's iov_base, at most `max` bytes of it. */
  PTK_CAP_IOVEC = 5,
  /* A struct msghdr: itself, its msg_name (msg_namelen bytes, at most 128), its iovec array as
   * PTK_CAP_IOVEC would copy it, and its msg_control (msg_controllen bytes, at most `size`). */
  PTK_CAP_MSGHDR = 6,
  /* An array of struct mmsghdr, `len` elements (at most `count_max`), each as PTK_CAP_MSGHDR. */
  PTK_CAP_MMSGHDR = 7,
};

/* How an item's length is found (an element count for the array kinds). */
enum ptk_cap_len_rule {
  PTK_LEN_CONST = 0,   /* `size` bytes */
  PTK_LEN_ARG = 1,     /* args[len_arg] * size */
  PTK_LEN_RET = 2,     /* the return value * size; nothing when it is negative (exit only) */
  PTK_LEN_ARG_U32 = 3, /* the u32 args[len_arg] points to, * size (a socklen_t *) */
};

/* ptk_cap_item.arg: the address is the user stack pointer (rt_sigreturn's signal frame). */
#define PTK_ARG_SP 6

/* ptk_cap_item.when */
#define PTK_AT_ENTRY 0x1
#define PTK_AT_EXIT 0x2

/* ptk_cap_item.flags */
/* When the whole length cannot be read, copy what can be read up to the end of the first
 * page instead (for a struct whose real size the plan only bounds, like an ioctl argument). */
#define PTK_CAP_PAGE_OK 0x1

struct ptk_cap_item {
  __u8 kind;     /* enum ptk_cap_kind */
  __u8 arg;      /* the argument holding the address: 0..5, or PTK_ARG_SP */
  __u8 when;     /* PTK_AT_* */
  __u8 len_rule; /* enum ptk_cap_len_rule */
  __u8 len_arg;  /* the argument the length rule reads */
  __u8 flags;    /* PTK_CAP_* */
  __u16 count_max;
  __u32 size;
  __u32 max;
};

#define PTK_PLAN_MAX_ITEMS 8
/* Plans are indexed by abi * PTK_PLAN_NR_MAX + nr; a larger nr has no plan (and is traced
 * with its registers only when the plan of PTK_PLAN_NR_MAX - 1, the fallback, says so). */
#define PTK_PLAN_NR_MAX 1024
#define PTK_PLAN_ABIS 3

/* ptk_cap_plan.flags */
#define PTK_PLAN_TRACE 0x1 /* report this syscall (the -e trace= filter, decided in the kernel) */

struct ptk_cap_plan {
  __u32 flags;
  __u16 nitems;
  __u16 pad;
  struct ptk_cap_item items[PTK_PLAN_MAX_ITEMS];
};

#endif /* PTK_SYS_CAPTURE_ABI_H */
