// The -c / -C summary: calls, errors and time per syscall, in strace's table (summary_table.h),
// and the values of the options that shape it: -w, -S, -U, -O.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "ptk/base/result.h"
#include "ptk/sys/tracer.h"
#include "trace/summary_table.h"

namespace ptk::cli {

// -S SORTBY (--summary-sort-by): strace's keys and aliases (time, time-percent, total-time,
// min-time, shortest, max-time, longest, avg-time, calls, count, errors, error, name, syscall,
// syscall-name, nothing, none, each also with '_' for '-'), and strace 7.1's wall-total,
// wall-min, wall-max, wall-avg. Errors quote the value: "-S bogus; 'bogus' is not a sort key ...".
Status parse_summary_sort(std::string_view text, SummaryOptions& options);
// -U COLUMNS (--summary-columns): a comma-separated list of the same names (not nothing/none),
// each at most once; the name column is appended when missing, as strace does.
Status parse_summary_columns(std::string_view text, SummaryOptions& options);
// -O OVERHEAD (--summary-syscall-overhead): strace's time specification, a decimal number
// (strtod's form: no sign, no hex, no inf) with an optional unit s, ms, us or ns; us when none.
Status parse_summary_overhead(std::string_view text, SummaryOptions& options);
// What strace 6.1 says of these options without -c/-C: -w and -U are errors, -S a warning
// (`warning` is set, the status ok), -O nothing.
Status check_summary_use(const SummaryOptions& options, bool summary, std::string& warning);

class SummarySink final : public sys::TraceSink {
 public:
  explicit SummarySink(SummaryOptions options = {}) : table_(std::move(options)) {}
  void syscall_entry(sys::DecodedSyscall&) override {}
  void syscall_exit(sys::DecodedSyscall& sc) override;
  void signal(const Event&) override {}
  void thread_gone(const Event&, sys::DecodedSyscall*) override {}

  // The table as strace -c prints it (nothing when no syscall finished).
  std::string table() const { return table_.render(); }

 private:
  SummaryTable table_;
};

// Forwards every callback to several sinks in order (text and summary for -C, perfetto...).
class FanOut final : public sys::TraceSink {
 public:
  void add(sys::TraceSink* s) { sinks_.push_back(s); }
  void syscall_entry(sys::DecodedSyscall& sc) override {
    for (auto* s : sinks_) s->syscall_entry(sc);
  }
  void syscall_exit(sys::DecodedSyscall& sc) override {
    for (auto* s : sinks_) s->syscall_exit(sc);
  }
  void signal(const Event& ev) override {
    for (auto* s : sinks_) s->signal(ev);
  }
  void group_stop(const Event& ev) override {
    for (auto* s : sinks_) s->group_stop(ev);
  }
  void thread_gone(const Event& ev, sys::DecodedSyscall* p) override {
    for (auto* s : sinks_) s->thread_gone(ev, p);
  }
  void thread_exiting(const Event& ev, sys::DecodedSyscall& p) override {
    for (auto* s : sinks_) s->thread_exiting(ev, p);
  }
  void exec(const Event& ev) override {
    for (auto* s : sinks_) s->exec(ev);
  }
  void exec_failed(const Event& ev) override {
    for (auto* s : sinks_) s->exec_failed(ev);
  }
  void thread_start(const Event& ev) override {
    for (auto* s : sinks_) s->thread_start(ev);
  }
  void lost(std::uint64_t count) override {
    for (auto* s : sinks_) s->lost(count);
  }
  void before_wait() override {
    for (auto* s : sinks_) s->before_wait();
  }
  void after_wait() override {
    for (auto* s : sinks_) s->after_wait();
  }

 private:
  std::vector<sys::TraceSink*> sinks_;
};

}  // namespace ptk::cli
