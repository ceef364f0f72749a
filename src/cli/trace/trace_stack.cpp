#include "trace/trace_stack.h"

#include <fmt/format.h>

#include <iterator>

#include "ptk/sys/escape.h"

namespace ptk::cli {

// Deeper stacks are cut: a runaway recursion must not print thousands of lines per syscall.
constexpr std::size_t kMaxFrames = 256;

void StackTraces::capture(pid_t tid) {
  auto frames = unwinder_.backtrace(tid, kMaxFrames);
  // A thread that cannot be unwound prints no stack; an old one must not stand in for it.
  if (frames.ok()) {
    stacks_[tid] = std::move(*frames);
  } else {
    stacks_.erase(tid);
  }
}

namespace {

bool is_exec(const sys::DecodedSyscall& sc) {
  std::string name = sc.name();
  return name == "execve" || name == "execveat";
}

}  // namespace

void StackTraces::on_entry(Session& /*session*/, sys::DecodedSyscall& sc) {
  if (sc.pid == initial_exec_ && is_exec(sc)) {
    stacks_.erase(sc.tid);  // ptk's own code: see on_exit
    return;
  }
  capture(sc.tid);
}

void StackTraces::on_exit(Session& /*session*/, sys::DecodedSyscall& sc) {
  if (sc.pid != initial_exec_ || !is_exec(sc)) return;
  initial_exec_ = 0;
  // The spawned command's own execve: at its entry the caller is ptk's forked child, so, as
  // strace does, it shows the new program instead, stopped at its loader's entry point. (The
  // Exec event came before this exit stop: the cache already describes the new image.)
  if (!sc.is_error) capture(sc.tid);
}

void StackTraces::thread_gone(const Event& ev, sys::DecodedSyscall* /*pending*/) {
  stacks_.erase(ev.tid);
  // The process is gone when its leader is (a leader that exits before its threads only makes
  // the cache be built again).
  if (ev.tid == ev.pid) unwinder_.forget(ev.pid);
}

void StackTraces::exec(const Event& ev) {
  unwinder_.forget(ev.pid);
  // A non-leader that exec'd took the leader's tid, and its execve completes under that tid.
  if (ev.old_tid != ev.tid) {
    auto old = stacks_.find(ev.old_tid);
    if (old == stacks_.end()) {
      stacks_.erase(ev.tid);
    } else {
      stacks_[ev.tid] = std::move(old->second);
      stacks_.erase(old);
    }
  }
}

void append_strace_frame(const debug::Frame& f, std::string& out) {
  auto it = std::back_inserter(out);
  if (f.module.empty()) {
    fmt::format_to(it, " > unexpected_backtracing_error [{:#x}]", f.pc);
  } else if (f.symbol.empty()) {
    fmt::format_to(it, " > {}() [{:#x}]", sys::printable(f.module), f.module_offset);
  } else {
    // strace prints these names raw; they come from the tracee's files: escaped here.
    fmt::format_to(it, " > {}({}+{:#x}) [{:#x}]", sys::printable(f.module),
                   sys::printable(f.symbol), f.symbol_offset, f.module_offset);
  }
}

void StackTraces::take_lines(pid_t tid, std::string& out) {
  out.clear();
  auto it = stacks_.find(tid);
  if (it == stacks_.end()) return;
  for (const debug::Frame& f : it->second) {
    if (!out.empty()) out += '\n';
    append_strace_frame(f, out);
  }
  stacks_.erase(it);
}

}  // namespace ptk::cli
