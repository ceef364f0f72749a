// The tracer in a child process, so that `kill -9` of ptk leaves its tracees whole.
//
// A tracer that dies by SIGKILL cannot put back what it changed: the kernel detaches its
// tracees (ptrace(2), "the tracer dies"), and one that was stopped at, or later runs into, a
// breakpoint's int3 gets a SIGTRAP that kills it; a scratch page or a borrowed buffer stays in
// it. No process can clean up after that from the outside in time: a tracee held at a SIGTRAP
// stop receives the signal the moment it is released.
//
// So the process the user starts (and sees, and kills) only waits: run_tracer_in_child() forks,
// the child goes on as the tracer, and the parent passes on the signals that end a session and
// exits as the child did. When the parent dies, however it dies, the kernel sends the child
// `parent_death_signal` (PR_SET_PDEATHSIG), which the tracer treats like Ctrl-C: it restores
// everything and detaches. Limits: a SIGKILL sent to the tracer child itself (`pkill -9 ptk`
// reaches both, as does `kill -9` of the whole process group) still loses, as it would for any
// debugger; and the child's pid, not the parent's, is the TracerPid tracees show.
#pragma once

#include <span>

namespace ptk {

// Returns in the child, the tracer. In the parent it never returns: it waits for the child,
// passing on each of `forward` as it comes, and exits with the child's status (or dies of the
// child's signal). If fork fails, it returns in the only process there is.
void run_tracer_in_child(std::span<const int> forward, int parent_death_signal);

// Ends this process as a process with that wait status ended: exit(code), or death by the
// same signal (without a core file of its own).
[[noreturn]] void exit_like(int wait_status);

}  // namespace ptk
