// Parsers for /proc/PID files. The parse_* functions are pure (text in, value out); the
// read_* functions do the I/O.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ptk/base/result.h"

namespace ptk {

struct MapEntry {
  std::uint64_t start = 0;
  std::uint64_t end = 0;
  bool read = false, write = false, exec = false, shared = false;
  std::uint64_t offset = 0;
  std::string dev;  // "fd:01"
  std::uint64_t inode = 0;
  std::string path;  // file path, "[heap]", "[stack]", "[vdso]", or empty for anonymous

  bool contains(std::uint64_t addr) const { return addr >= start && addr < end; }
  std::uint64_t size() const { return end - start; }
};

struct ProcStatus {
  std::string name;
  char state = '?';
  pid_t tgid = 0;
  pid_t ppid = 0;
  pid_t tracer_pid = 0;
  std::uint32_t uid[4] = {};  // real, effective, saved, filesystem
  std::uint32_t gid[4] = {};
  int threads = 0;
};

// Each line of /proc/PID/maps; nullopt when a line is malformed.
std::optional<std::vector<MapEntry>> parse_maps(std::string_view text);
std::optional<ProcStatus> parse_status(std::string_view text);
// Pairs (AT_*, value) of an auxv image of the given word size, up to AT_NULL.
std::vector<std::pair<std::uint64_t, std::uint64_t>> parse_auxv(std::span<const std::byte> data,
                                                                int word_size);

Result<std::vector<MapEntry>> read_maps(pid_t pid);
Result<ProcStatus> read_status(pid_t pid);
Result<std::vector<pid_t>> list_tasks(pid_t pid);  // the threads of a process, sorted
Result<std::string> read_proc_file(pid_t pid, std::string_view name);  // "comm", "cmdline", ...
bool process_exists(pid_t pid);
// Whether the task is a kernel thread (PF_KTHREAD in the flags of /proc/PID/stat): it has no
// user address space. False when the file cannot be read.
bool is_kernel_thread(pid_t pid);
// Whether the process has ended or is ending: it is gone, or every thread of it has exited (a
// zombie) or is exiting (SIGKILL pending, or PF_EXITING: a SIGKILL woke it from its ptrace-stop,
// and it tears down its memory and maps on the way out). Any access to it then fails, whatever
// was asked.
bool process_ending(pid_t pid);
// `error` as TraceeGone (same call, ESRCH) when the process is ending: what failed was not the
// operation but the process under it. Otherwise `error` unchanged.
Error tracee_gone_if_ending(pid_t pid, Error error);
// Whether `sig` is pending for the thread itself (SigPnd of /proc/TID/status; not ShdPnd, the
// process-wide set). Debuggers use it for SIGTRAP: a trap raised just as PTRACE_INTERRUPT came
// is reported after the interrupt stop, and a detach before that report would deliver it and
// kill the program. False when the file cannot be read.
bool thread_signal_pending(pid_t tid, int sig);

// The Yama ptrace_scope value (0-3), or nullopt when Yama is not in the kernel.
std::optional<int> yama_ptrace_scope();

}  // namespace ptk
