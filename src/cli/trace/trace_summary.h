// The -c / -C summary: calls, errors and time per syscall, in strace's table.
#pragma once

#include <map>
#include <string>

#include "common/time_table.h"
#include "ptk/sys/tracer.h"

namespace ptk::cli {

class SummarySink final : public sys::TraceSink {
 public:
  void syscall_entry(sys::DecodedSyscall&) override {}
  void syscall_exit(sys::DecodedSyscall& sc) override;
  void signal(const Event&) override {}
  void thread_gone(const Event&, sys::DecodedSyscall*) override {}

  // The table, sorted by time spent (ties by calls, then name), as strace -c prints it.
  std::string table() const { return table_.render("syscall", true); }

 private:
  TimeTable table_;
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
  void exec(const Event& ev) override {
    for (auto* s : sinks_) s->exec(ev);
  }
  void exec_failed(const Event& ev) override {
    for (auto* s : sinks_) s->exec_failed(ev);
  }
  void thread_start(const Event& ev) override {
    for (auto* s : sinks_) s->thread_start(ev);
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
