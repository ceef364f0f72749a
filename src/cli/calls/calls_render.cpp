#include "calls/calls_render.h"

#include <fmt/format.h>

#include <time.h>

#include "common/time_format.h"
#include "ptk/core/wait_status.h"
#include "ptk/sys/escape.h"

namespace ptk::cli {
namespace {

std::string json_str(std::string_view s) { return sys::json_string(s); }

std::int64_t realtime_ns() {
  timespec ts{};
  ::clock_gettime(CLOCK_REALTIME, &ts);
  return static_cast<std::int64_t>(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

std::string args_text(const debug::CallEntry& call) {
  std::string out;
  for (const debug::CallValue& v : call.args) out += (out.empty() ? "" : ", ") + v.text;
  return out;
}

}  // namespace

std::string CallPrinter::head(pid_t tid, int depth) const {
  std::string out = prefix_ ? fmt::format("[pid {}] ", tid) : std::string();
  if (options_.timestamps > 0) {
    append_timestamp(out, realtime_ns(), options_.timestamps);
  }
  out.append(static_cast<std::size_t>(depth) * 2, ' ');
  return out;
}

void CallPrinter::emit(const std::string& line) {
  std::fputs(line.c_str(), out_);
  std::fflush(out_);  // a reader may wait for the line
}

void CallPrinter::close_open() {
  if (!open_) return;
  emit(open_->text + " <unfinished ...>\n");
  open_.reset();
}

void CallPrinter::on_call(const debug::CallEntry& call) {
  if (json_) {
    if (call.noreturn) {
      std::string args;
      for (const auto& v : call.args) args += (args.empty() ? "" : ",") + json_str(v.text);
      emit(fmt::format(
          "{{\"pid\":{},\"tid\":{},\"depth\":{},\"name\":{},\"args\":[{}],\"retval\":null}}\n",
          call.pid, call.tid, call.depth, json_str(call.name), args));
    }
    return;  // the others are printed whole at their return
  }
  close_open();
  // The name comes from the program's symbol tables: escaped (the arguments are already).
  std::string text =
      fmt::format("{}{}({})", head(call.tid, call.depth),
                  palette_.paint(Style::Symbol, sys::printable(call.name)), args_text(call));
  if (call.noreturn) {
    emit(text + " <no return ...>\n");
  } else {
    open_ = Open{.tid = call.tid, .text = std::move(text)};
  }
}

void CallPrinter::on_return(const debug::CallExit& ret) {
  if (json_) {
    std::string args;
    for (const auto& v : ret.args) args += (args.empty() ? "" : ",") + json_str(v.text);
    emit(fmt::format(
        "{{\"pid\":{},\"tid\":{},\"depth\":{},\"name\":{},\"args\":[{}],\"retval\":{}}}\n", ret.pid,
        ret.tid, ret.depth, json_str(ret.name), args, json_str(ret.ret.text)));
    return;
  }
  std::string took;
  if (options_.durations) append_duration(took, ret.duration_ns);
  if (open_ && open_->tid == ret.tid) {
    emit(fmt::format("{} = {}{}\n", open_->text, palette_.paint(Style::Success, ret.ret.text),
                     took));
    open_.reset();
    return;
  }
  close_open();
  emit(fmt::format("{}<... {} resumed> = {}{}\n", head(ret.tid, ret.depth),
                   palette_.paint(Style::Symbol, sys::printable(ret.name)),
                   palette_.paint(Style::Success, ret.ret.text), took));
}

void CallPrinter::exited(pid_t tid, int status) {
  if (json_) return emit(fmt::format("{{\"tid\":{},\"exited\":{}}}\n", tid, status));
  close_open();
  emit(head(tid, 0) +
       palette_.paint(Style::Exit, fmt::format("+++ exited (status {}) +++", status)) + '\n');
}

void CallPrinter::killed(pid_t tid, int signal) {
  if (json_)
    return emit(fmt::format("{{\"tid\":{},\"killed\":{}}}\n", tid, json_str(signal_name(signal))));
  close_open();
  emit(head(tid, 0) +
       palette_.paint(Style::Signal, fmt::format("+++ killed by {} +++", signal_name(signal))) +
       '\n');
}

void CallPrinter::finish() { close_open(); }

}  // namespace ptk::cli
