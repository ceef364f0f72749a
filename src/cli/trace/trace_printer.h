// The strace-compatible text printer of `ptk trace`.
//
// As strace, it writes a syscall's entry part as it enters and finishes the line at its exit;
// when anything else must be printed in between (another thread's entry, a signal), the open
// line ends in "<unfinished ...>" and the exit comes later as "<... name resumed>". So at most
// one line is open: the latest entry's. The output is buffered and written out while the
// tracer waits (trace_live.h), so a call that blocks is on screen with its arguments while it
// blocks. --whole-lines never splits.
#pragma once

#include <bitset>
#include <functional>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/color.h"
#include "ptk/sys/render.h"
#include "ptk/sys/tracer.h"
#include "trace/trace_options.h"
#include "trace/trace_output.h"

namespace ptk::cli {

class TextPrinter final : public sys::TraceSink {
 public:
  TextPrinter(TraceOutput& out, const TraceOptions& opts);

  void syscall_entry(sys::DecodedSyscall& sc) override;
  void syscall_exit(sys::DecodedSyscall& sc) override;
  void signal(const Event& ev) override;
  void group_stop(const Event& ev) override;
  void thread_gone(const Event& ev, sys::DecodedSyscall* pending) override;
  void thread_exiting(const Event& ev, sys::DecodedSyscall& pending) override;
  void thread_start(const Event& ev) override;
  void exec(const Event& ev) override;
  void lost(std::uint64_t count) override;

  // Ends the output: an open line as strace ends it at a detach.
  void finish();
  // The thread's process is let go in the middle of the trace (-b execve).
  void detached(pid_t tid);
  // A line of the thread's own that is no syscall ("--- breakpoint main #1 at ... ---"), with
  // the prefix of every line and `more` (further lines, e.g. a stack) after it.
  void event_line(pid_t tid, std::string_view text, std::string_view more = {});
  void set_tracee_count(std::size_t n) { tracees_ = n; }
  // --decode-pids=pidns: a signal's si_pid in ptk's namespace too.
  void set_pidns(sys::PidTranslator* t) { pidns_ = t; }
  // --color: syscall names, return values, errors, signals and exits. Off, the output is
  // strace's byte for byte.
  void set_palette(Palette palette) { palette_ = palette; }
  // Lines printed after the line that completes a syscall (-k: its stack), unprefixed: the
  // function fills `out` with them joined by '\n', or leaves it empty.
  using AfterSyscall = std::function<void(pid_t tid, std::string& out)>;
  void add_after_syscall(AfterSyscall fn) { after_syscall_.push_back(std::move(fn)); }

 private:
  struct Pending {
    sys::DecodedSyscall* sc = nullptr;
    bool head_printed = false;
    bool ended = false;  // its "= ?" line was printed at the thread's exit stop
  };

  bool selected_by_status(const sys::DecodedSyscall& sc) const;
  // The line's prefix: pid, time, then -n's syscall number and -i's instruction pointer.
  void start_line(std::string& line, pid_t tid, std::int64_t ns, const sys::DecodedSyscall* sc);
  // Ends the open line as "<unfinished ...>" before other output.
  void close_open_line();
  void append_duration(const sys::DecodedSyscall& sc);
  void emit(pid_t tid);
  void emit_after_syscall(pid_t tid);
  // After a call's head: " <unfinished ...>" where its decoder had more to print at exit, then
  // ") = ?" (strace's line of a call its thread died in).
  void finish_never_returned(const sys::DecodedSyscall& sc, std::size_t line_start);
  // The line of a syscall the thread will never return from: "<... name resumed>) = ?" or the
  // open line ended by ") = ?", as -e status= selects.
  void end_unfinished(pid_t tid, sys::DecodedSyscall& pending);
  // -e status= with "detached": the whole line of the call in progress of a thread let go.
  void detached_whole_line(pid_t tid);
  // Colors a finished line_ of `sc`: its return value at the end, then the name at `name_at`
  // (npos: the name is not in line_). Done after the line is rendered, so that -a's result
  // column counts only what shows.
  void paint_syscall(const sys::DecodedSyscall& sc, std::size_t name_at);
  // open_line_ as it is written out: its syscall name (at `name_at`) colored.
  std::string painted_head(const sys::DecodedSyscall& sc, std::size_t name_at) const;

  TraceOutput& out_;
  const TraceOptions& opts_;
  sys::TextOptions text_;
  bool deferred_;  // whole lines only, printed at exit (--whole-lines, -z, -Z, status=)
  std::unordered_map<pid_t, Pending> pending_;
  std::unordered_map<pid_t, std::int64_t>
      last_nr_;     // -n on lines that are not a syscall's  // each thread's syscall in progress
  pid_t open_ = 0;  // the thread whose line is open (its head written, no newline), or 0
  std::string open_line_;  // that line so far: the result column counts from its start
  std::string line_;
  std::size_t tracees_ = 1;
  std::vector<AfterSyscall> after_syscall_;  // in order: -e read=/write= dumps, then -k
  sys::PidTranslator* pidns_ = nullptr;
  Palette palette_;
};

}  // namespace ptk::cli
