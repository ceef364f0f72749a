/* One traced thread: the value of the kernel program's `traced` map, keyed by tid. Plain C,
 * shared by the program and the user side (which inserts the threads it traces).
 */
#ifndef PTK_BPF_PROG_THREAD_H
#define PTK_BPF_PROG_THREAD_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

/* The bytes of a kernel_siginfo (the 64-bit siginfo_t without its padding). */
#define PTK_KSIGINFO_SIZE 48

/* ptk_thread.flags */
/* A spawned command before its execve: its syscalls until then (the end of its wait for the
 * go-ahead) are ptk's, not the command's, and are not reported. */
#define PTK_THREAD_WAIT_EXEC 0x1

/* ptk_thread.in_call */
#define PTK_CALL_FRESH 0      /* no syscall entered since the thread is traced */
#define PTK_CALL_REPORTED 1   /* in a syscall whose entry was recorded: its exit is due */
#define PTK_CALL_UNREPORTED 2 /* in a syscall its plan does not report */
#define PTK_CALL_NONE 3       /* between syscalls */

struct ptk_thread {
  __u32 flags; /* PTK_THREAD_*; the user side sets PTK_THREAD_WAIT_EXEC or nothing */
  __u32 abi;
  /* The entry's registers: the exit record carries them (execve's are gone at its exit). A
   * non-leader exec moves the value to the leader's tid with the thread. */
  __s64 nr;
  __u64 args[6];
  __u32 in_call; /* PTK_CALL_* */
  /* A signal the kernel discarded because it is ignored (see on_signal_generate). */
  __u32 sig_pending;
  __s32 sig;
  __u32 retry_items; /* entry items to read again at the exit (PTK_SC_RETRY_AT_EXIT) */
  __u8 siginfo[PTK_KSIGINFO_SIZE];
};

#endif /* PTK_BPF_PROG_THREAD_H */
