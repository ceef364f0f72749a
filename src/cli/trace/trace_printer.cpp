#include "trace/trace_printer.h"

#include <fmt/format.h>

#include <algorithm>

#include "common/time_format.h"
#include "ptk/core/wait_status.h"
#include "ptk/sys/siginfo.h"

namespace ptk::cli {

namespace {

// A replayed event's own time (the eBPF backend's, a recorded trace's), else now: the stop is
// being handled as it happens.
std::int64_t event_ns(const Event& ev) { return ev.time_ns != 0 ? ev.time_ns : sys::now_ns(); }

}  // namespace

TextPrinter::TextPrinter(TraceOutput& out, const TraceOptions& opts) : out_(out), opts_(opts) {
  text_.xlevel = opts.xlevel;
  text_.acolumn = static_cast<std::size_t>(opts.acolumn);
  text_.arg_names = opts.arg_names;
  text_.const_names = opts.const_style == ConstStyle::Raw       ? sys::ConstNames::Raw
                      : opts.const_style == ConstStyle::Verbose ? sys::ConstNames::Verbose
                                                                : sys::ConstNames::Abbrev;
  // Whole lines only when asked, when -z/-Z/status= decide at exit, and with -ff, where each
  // thread has a file of its own and nothing can come between a line's halves.
  deferred_ =
      opts.whole_lines || opts.status != kStatusAll || (opts.follow >= 2 && !opts.output.empty());
}

bool TextPrinter::selected_by_status(const sys::DecodedSyscall& sc) const {
  unsigned cls = !sc.exited ? kStatusUnfinished : sc.is_error ? kStatusFailed : kStatusSuccessful;
  return (opts_.status & cls) != 0;
}

void TextPrinter::start_line(std::string& line, pid_t tid, std::int64_t ns,
                             const sys::DecodedSyscall* sc) {
  out_.begin_line(line, tid, ns, tracees_ > 1);
  if (sc != nullptr) last_nr_[tid] = sc->nr;
  if (opts_.syscall_numbers) {
    // strace -n: the number of the syscall, or of the thread's last one on other lines.
    auto it = last_nr_.find(tid);
    if (it != last_nr_.end()) {
      fmt::format_to(std::back_inserter(line), "[{:4}] ", it->second);
    } else {
      line += "[????] ";
    }
  }
  if (opts_.instruction_pointer) {
    bool narrow = sc != nullptr && abi(sc->arch).word_size == 4;
    if (sc == nullptr) {
      line += "[????????????????] ";
    } else if (narrow) {
      fmt::format_to(std::back_inserter(line), "[{:08x}] ", sc->ip);
    } else {
      fmt::format_to(std::back_inserter(line), "[{:016x}] ", sc->ip);
    }
  }
}

void TextPrinter::emit(pid_t tid) { out_.write_line(tid, line_); }

void TextPrinter::lost(std::uint64_t count) {
  // Not a thread's line: the events of any thread may be among those lost. Said where it
  // happened, as strace's +++ lines say what became of a process.
  close_open_line();
  out_.write_raw(fmt::format("+++ {} event{} lost +++\n", count, count == 1 ? "" : "s"));
}

void TextPrinter::paint_syscall(const sys::DecodedSyscall& sc, std::size_t name_at) {
  if (!palette_.on()) return;
  if (sc.exited) {
    // The value as render_result writes it after "= ": rendered alone, it is what ends line_.
    std::string alone;
    sys::TextOptions no_column = text_;
    no_column.acolumn = 0;
    sys::render_result(sc, no_column, alone, 0);
    std::size_t len = alone.size() - std::string_view(") = ").size();
    if (alone.starts_with(") = ") && len <= line_.size()) {
      std::size_t at = line_.size() - len;
      line_.replace(
          at, len, palette_.paint(sc.is_error ? Style::Failure : Style::Success, line_.substr(at)));
    }
  }
  std::string name = sc.name();
  if (name_at != std::string::npos && line_.compare(name_at, name.size(), name) == 0) {
    line_.replace(name_at, name.size(), palette_.paint(Style::Syscall, name));
  }
}

std::string TextPrinter::painted_head(const sys::DecodedSyscall& sc, std::size_t name_at) const {
  std::string name = sc.name();
  if (!palette_.on() || open_line_.compare(name_at, name.size(), name) != 0) return open_line_;
  std::string out = open_line_;
  out.replace(name_at, name.size(), palette_.paint(Style::Syscall, name));
  return out;
}

void TextPrinter::emit_after_syscall(pid_t tid) {
  for (const AfterSyscall& fn : after_syscall_) {
    line_.clear();
    fn(tid, line_);
    if (!line_.empty()) emit(tid);
  }
}

void TextPrinter::close_open_line() {
  if (open_ == 0) return;
  out_.write_partial(open_, " <unfinished ...>\n");
  open_ = 0;
  open_line_.clear();
}

void TextPrinter::syscall_entry(sys::DecodedSyscall& sc) {
  out_.remember_comm(sc.tid);  // -Y: prctl(PR_SET_NAME) may have renamed it
  Pending& p = pending_[sc.tid];
  p = Pending{.sc = &sc};
  if (deferred_) return;
  close_open_line();
  start_line(open_line_, sc.tid, sc.entry_ns, &sc);
  std::size_t name_at = open_line_.size();
  sys::render_open_head(sc, text_, open_line_);
  out_.write_partial(sc.tid, palette_.on() ? painted_head(sc, name_at) : open_line_);
  p.head_printed = true;
  open_ = sc.tid;
}

void TextPrinter::append_duration(const sys::DecodedSyscall& sc) {
  if (!opts_.syscall_times || !sc.exited) return;
  cli::append_duration(line_, sc.exit_ns - sc.entry_ns, opts_.syscall_time_digits);
}

void TextPrinter::syscall_exit(sys::DecodedSyscall& sc) {
  Pending& p = pending_[sc.tid];
  bool head_printed = p.sc == &sc && p.head_printed;
  p = Pending{};
  if (!selected_by_status(sc)) return;
  std::size_t written = 0;  // what of line_ is on the output already
  std::size_t name_at = std::string::npos;
  if (head_printed && open_ == sc.tid) {
    // Nothing came between: the line goes on.
    line_ = std::move(open_line_);
    written = line_.size();
    open_ = 0;
    open_line_.clear();
    sys::render_tail_args(sc, text_, line_);
    sys::render_result(sc, text_, line_, 0);
  } else if (head_printed) {
    close_open_line();
    start_line(line_, sc.tid, sc.exit_ns, &sc);
    name_at = line_.size() + 5;
    fmt::format_to(std::back_inserter(line_), "<... {} resumed>", sc.name());
    sys::render_tail_args(sc, text_, line_);
    sys::render_result(sc, text_, line_, 0);
  } else {
    close_open_line();
    start_line(line_, sc.tid, sc.entry_ns, &sc);
    name_at = line_.size();
    sys::render_line(sc, text_, line_, 0);
  }
  paint_syscall(sc, name_at);
  append_duration(sc);
  line_.erase(0, written);
  emit(sc.tid);
  emit_after_syscall(sc.tid);
}

void TextPrinter::signal(const Event& ev) {
  if (ev.signal <= 0 || ev.signal > 64 ||
      !opts_.signals.test(static_cast<std::size_t>(ev.signal))) {
    return;
  }
  close_open_line();
  start_line(line_, ev.tid, event_ns(ev), nullptr);
  sys::TokenList info;
  sys::decode_siginfo(info, ev.siginfo, ev.syscall.arch, sys::SiginfoEnv{{pidns_, ev.tid}});
  line_ += "--- ";
  line_ += palette_.paint(Style::Signal, signal_name(ev.signal));
  line_ += ' ';
  sys::render_tokens(info, 0, info.size(), text_, line_);
  line_ += " ---";
  emit(ev.tid);
}

void TextPrinter::event_line(pid_t tid, std::string_view text, std::string_view more) {
  close_open_line();
  start_line(line_, tid, sys::now_ns(), nullptr);
  line_ += text;
  emit(tid);
  if (more.empty()) return;
  line_ = more;  // as -k's lines after a syscall (emit_after_syscall)
  emit(tid);
}

void TextPrinter::group_stop(const Event& ev) {
  close_open_line();
  start_line(line_, ev.tid, event_ns(ev), nullptr);
  line_ += "--- stopped by ";
  line_ += palette_.paint(Style::Signal, signal_name(ev.signal));
  line_ += " ---";
  emit(ev.tid);
}

void TextPrinter::thread_start(const Event& ev) {
  ++tracees_;
  out_.remember_comm(ev.tid);
}

void TextPrinter::exec(const Event& ev) {
  out_.remember_comm(ev.tid);  // the new program's name
  if (ev.old_tid == ev.tid) return;
  // A non-leader thread exec'd and took the leader's tid: the old leader is gone without an
  // exit report, and the syscall in progress (the execve) goes on under the new tid.
  if (open_ == ev.tid) close_open_line();  // the old leader's: not to be taken for the execve's
  pending_.erase(ev.tid);
  if (auto it = pending_.find(ev.old_tid); it != pending_.end()) {
    pending_[ev.tid] = it->second;
    pending_.erase(ev.old_tid);
  }
  if (open_ == ev.old_tid) {
    // As strace: the execve's line ends where it was, and its result comes as "<... resumed>"
    // under the new tid.
    out_.write_partial(ev.old_tid, fmt::format(" <pid changed to {} ...>\n", ev.tid));
    open_ = 0;
    open_line_.clear();
  }
  if (!(opts_.quiet & kQuietThreadExecve)) {
    close_open_line();
    start_line(line_, ev.tid, event_ns(ev), nullptr);
    fmt::format_to(std::back_inserter(line_), "+++ superseded by execve in pid {} +++", ev.old_tid);
    emit(ev.tid);
  }
  if (tracees_ > 1) --tracees_;
}

void TextPrinter::finish_never_returned(const sys::DecodedSyscall& sc, std::size_t line_start) {
  if (sc.more_at_exit) line_ += " <unfinished ...>";
  sys::render_result(sc, text_, line_, line_start);
}

void TextPrinter::end_unfinished(pid_t tid, sys::DecodedSyscall& pending) {
  Pending& p = pending_[tid];
  bool head_printed = p.sc == &pending && p.head_printed;
  bool line_open = head_printed && open_ == tid;
  p.ended = true;
  if (!(opts_.status & kStatusUnfinished)) {
    if (line_open) close_open_line();
    return;
  }
  std::size_t written = 0;
  std::size_t name_at = std::string::npos;
  if (line_open) {
    line_ = std::move(open_line_);
    written = line_.size();
    open_ = 0;
    open_line_.clear();
  } else {
    close_open_line();
    start_line(line_, tid, pending.entry_ns, &pending);
    name_at = line_.size();
    if (head_printed) {
      name_at += 5;
      fmt::format_to(std::back_inserter(line_), "<... {} resumed>", pending.name());
    } else {
      sys::render_open_head(pending, text_, line_);
    }
  }
  finish_never_returned(pending, 0);
  paint_syscall(pending, name_at);
  line_.erase(0, written);
  emit(tid);
  emit_after_syscall(tid);
}

void TextPrinter::thread_exiting(const Event& ev, sys::DecodedSyscall& pending) {
  // strace ends the line of a call the thread dies in at its exit stop, before other threads
  // go on: the order of the lines is the order of the events.
  end_unfinished(ev.tid, pending);
}

void TextPrinter::thread_gone(const Event& ev, sys::DecodedSyscall* pending) {
  if (pending != nullptr) {
    // A syscall that never returned: the thread died in it (exit, exit_group, a kill), unless
    // its exit stop already said so.
    auto it = pending_.find(ev.tid);
    if (it == pending_.end() || it->second.sc != pending || !it->second.ended) {
      end_unfinished(ev.tid, *pending);
    }
  }
  pending_.erase(ev.tid);
  // -qq hides exits; a death by a signal stays, as in strace.
  if (ev.kind != EventKind::Exited || !(opts_.quiet & kQuietExit)) {
    close_open_line();
    start_line(line_, ev.tid, event_ns(ev), nullptr);
    if (ev.kind == EventKind::Exited) {
      line_ += palette_.paint(Style::Exit, fmt::format("+++ exited with {} +++", ev.exit_code));
    } else {
      line_ += palette_.paint(Style::Signal,
                              fmt::format("+++ killed by {}{} +++", signal_name(ev.signal),
                                          ev.core_dumped ? " (core dumped)" : ""));
    }
    emit(ev.tid);
  }
  out_.forget_comm(ev.tid);
  if (tracees_ > 1) --tracees_;
}

void TextPrinter::detached_whole_line(pid_t tid) {
  // With -e status=, a call in progress was not printed at its entry; it is printed now when
  // "detached" is selected, as strace publishes the line it held back.
  auto it = pending_.find(tid);
  if (!deferred_ || !(opts_.status & kStatusDetached) || it == pending_.end() ||
      it->second.sc == nullptr || it->second.ended) {
    return;
  }
  const sys::DecodedSyscall& sc = *it->second.sc;
  start_line(line_, tid, sc.entry_ns, &sc);
  sys::render_open_head(sc, text_, line_);
  line_ += " <detached ...>";
  emit(tid);
}

void TextPrinter::detached(pid_t tid) {
  if (open_ == tid) {
    out_.write_partial(open_, " <detached ...>\n");
    open_ = 0;
    open_line_.clear();
  }
  detached_whole_line(tid);
  pending_.erase(tid);
  if (tracees_ > 1) --tracees_;
}

void TextPrinter::finish() {
  // A call still open when ptk lets the process go (Ctrl-C, -p): strace's "<detached ...>".
  if (open_ != 0) out_.write_partial(open_, " <detached ...>\n");
  open_ = 0;
  open_line_.clear();
  if (deferred_) {
    std::vector<pid_t> tids;
    for (const auto& [tid, p] : pending_) {
      if (p.sc != nullptr) tids.push_back(tid);
    }
    std::sort(tids.begin(), tids.end());
    for (pid_t tid : tids) detached_whole_line(tid);
  }
  out_.flush();
}

}  // namespace ptk::cli
