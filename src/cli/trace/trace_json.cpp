#include "trace/trace_json.h"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>

#include "ptk/core/wait_status.h"
#include "ptk/sys/escape.h"
#include "ptk/sys/render.h"
#include "ptk/sys/siginfo.h"

namespace ptk::cli {

void JsonPrinter::syscall_entry(sys::DecodedSyscall& sc) {
  in_progress_[sc.tid] = {.sc = &sc, .shown = false};
}

bool JsonPrinter::write_old_entries(std::int64_t now_ns, std::int64_t min_age_ns) {
  bool younger = false;
  for (auto& [tid, call] : in_progress_) {
    if (call.shown) continue;
    if (now_ns - call.sc->entry_ns < min_age_ns) {
      younger = true;
      continue;
    }
    line_.clear();
    sys::render_json_entry(*call.sc, line_);
    out_.write_line(tid, line_);
    call.shown = true;
  }
  return younger;
}

void JsonPrinter::syscall_exit(sys::DecodedSyscall& sc) {
  in_progress_.erase(sc.tid);
  line_.clear();
  sys::render_json(sc, line_);
  out_.write_line(sc.tid, line_);
}

void JsonPrinter::signal(const Event& ev) {
  if (ev.signal <= 0 || ev.signal > 64 ||
      !opts_.signals.test(static_cast<std::size_t>(ev.signal))) {
    return;
  }
  line_.clear();
  fmt::format_to(std::back_inserter(line_),
                 "{{\"type\":\"signal\",\"pid\":{},\"tid\":{},\"signal\":", ev.pid, ev.tid);
  sys::append_json_string(line_, signal_name(ev.signal));
  sys::TokenList info;
  sys::decode_siginfo(info, ev.siginfo, ev.syscall.arch);
  line_ += ",\"siginfo\":";
  sys::render_json_value(info, line_);
  std::int64_t now = sys::now_ns();
  fmt::format_to(std::back_inserter(line_), ",\"ts\":{}.{:06}}}", now / 1000000000,
                 (now / 1000) % 1000000);
  out_.write_line(ev.tid, line_);
}

void JsonPrinter::group_stop(const Event& ev) {
  line_.clear();
  fmt::format_to(std::back_inserter(line_),
                 "{{\"type\":\"stop\",\"pid\":{},\"tid\":{},\"signal\":", ev.pid, ev.tid);
  sys::append_json_string(line_, signal_name(ev.signal));
  line_ += '}';
  out_.write_line(ev.tid, line_);
}

void JsonPrinter::thread_gone(const Event& ev, sys::DecodedSyscall* pending) {
  if (pending != nullptr) syscall_exit(*pending);  // "ret": null: it never returned
  in_progress_.erase(ev.tid);
  line_.clear();
  if (ev.kind == EventKind::Exited) {
    fmt::format_to(std::back_inserter(line_),
                   "{{\"type\":\"exit\",\"pid\":{},\"tid\":{},\"status\":{}}}", ev.pid, ev.tid,
                   ev.exit_code);
  } else {
    fmt::format_to(std::back_inserter(line_),
                   "{{\"type\":\"killed\",\"pid\":{},\"tid\":{},\"signal\":", ev.pid, ev.tid);
    sys::append_json_string(line_, signal_name(ev.signal));
    fmt::format_to(std::back_inserter(line_), ",\"core_dumped\":{}}}", ev.core_dumped);
  }
  out_.write_line(ev.tid, line_);
}

void JsonPrinter::exec(const Event& ev) {
  // After an exec from a non-leader thread the tracer's record of the call moved to the new tid:
  // forget both rather than keep a pointer into the old one.
  in_progress_.erase(ev.old_tid);
  in_progress_.erase(ev.tid);
  line_.clear();
  fmt::format_to(std::back_inserter(line_),
                 "{{\"type\":\"exec\",\"pid\":{},\"tid\":{},\"old_tid\":{}}}", ev.pid, ev.tid,
                 ev.old_tid);
  out_.write_line(ev.tid, line_);
}

PerfettoWriter::~PerfettoWriter() { close(); }

Status PerfettoWriter::open(const std::string& path) {
  file_ = std::fopen(path.c_str(), "we");  // e: O_CLOEXEC, the tracee must not inherit it
  if (file_ == nullptr) {
    return Error::from_errno(errno, fmt::format("--perfetto {}: cannot open for writing", path));
  }
  std::setvbuf(file_, nullptr, _IOFBF, 1 << 16);
  std::fputs("{\"displayTimeUnit\":\"ns\",\"traceEvents\":[\n", file_);
  return ok_status();
}

void PerfettoWriter::event(const std::string& json) {
  if (file_ == nullptr) return;
  if (!first_) std::fputs(",\n", file_);
  first_ = false;
  std::fwrite(json.data(), 1, json.size(), file_);
}

void PerfettoWriter::syscall_exit(sys::DecodedSyscall& sc) {
  // Timestamps are microseconds (the trace-event format's unit) from the first event, with
  // nanosecond fractions so that short syscalls keep a non-zero duration.
  if (origin_ns_ == 0) origin_ns_ = sc.entry_ns;
  std::int64_t end = sc.exited ? sc.exit_ns : sc.entry_ns;
  std::string line;
  sys::render_line(sc, sys::TextOptions{.xlevel = 0, .acolumn = 0}, line, 0);
  buf_.clear();
  fmt::format_to(std::back_inserter(buf_),
                 "{{\"ph\":\"X\",\"name\":\"{}\",\"cat\":\"syscall\",\"pid\":{},\"tid\":{},"
                 "\"ts\":{:.3f},\"dur\":{:.3f},\"args\":{{\"line\":",
                 sc.name(), sc.pid, sc.tid, (sc.entry_ns - origin_ns_) / 1000.0,
                 (end - sc.entry_ns) / 1000.0);
  sys::append_json_string(buf_, line);
  buf_ += "}}";
  event(buf_);
}

void PerfettoWriter::signal(const Event& ev) {
  std::int64_t now = sys::now_ns();
  if (origin_ns_ == 0) origin_ns_ = now;
  buf_.clear();
  fmt::format_to(std::back_inserter(buf_),
                 "{{\"ph\":\"i\",\"s\":\"t\",\"name\":\"{}\",\"cat\":\"signal\",\"pid\":{},"
                 "\"tid\":{},\"ts\":{:.3f}}}",
                 signal_name(ev.signal), ev.pid, ev.tid, (now - origin_ns_) / 1000.0);
  event(buf_);
}

void PerfettoWriter::thread_gone(const Event& ev, sys::DecodedSyscall* pending) {
  if (pending != nullptr) syscall_exit(*pending);
  std::int64_t now = sys::now_ns();
  if (origin_ns_ == 0) origin_ns_ = now;
  buf_.clear();
  fmt::format_to(std::back_inserter(buf_),
                 "{{\"ph\":\"i\",\"s\":\"t\",\"name\":\"{}\",\"cat\":\"exit\",\"pid\":{},"
                 "\"tid\":{},\"ts\":{:.3f}}}",
                 ev.kind == EventKind::Exited ? fmt::format("exit {}", ev.exit_code)
                                              : "killed by " + signal_name(ev.signal),
                 ev.pid, ev.tid, (now - origin_ns_) / 1000.0);
  event(buf_);
}

void PerfettoWriter::close() {
  if (file_ == nullptr) return;
  std::fputs("\n]}\n", file_);
  std::fclose(file_);
  file_ = nullptr;
}

}  // namespace ptk::cli
