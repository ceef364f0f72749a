// Live output without a write per line.
//
// The trace is written into stdio buffers. A second thread writes them out a tick after new
// output came, and does so only while the tracer thread sleeps in waitpid: the tracer holds
// `busy_` at all other times (TraceSink::before_wait/after_wait let it go around the wait), so
// the tick never sees a printer or a decoded syscall half updated. A syscall that blocks thus
// shows up a tick after its entry, as strace shows it at once, and a busy trace costs a write
// per tick rather than one per line. With nothing new the thread sleeps until the next wait
// after new output: an idle trace costs no wake-ups.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

#include "ptk/sys/tracer.h"

namespace ptk::cli {

class LiveFlusher final : public sys::TraceSink {
 public:
  // Runs on the flusher thread while the tracer waits; returns whether to tick again (false
  // when it found nothing to write and nothing that may need writing later).
  using Tick = std::function<bool()>;

  static constexpr std::chrono::milliseconds kTick{100};

  explicit LiveFlusher(Tick tick) : tick_(std::move(tick)) {}
  ~LiveFlusher() override { stop(); }
  LiveFlusher(const LiveFlusher&) = delete;
  LiveFlusher& operator=(const LiveFlusher&) = delete;

  // Starts the thread (with every signal blocked: they are the tracer thread's). Call it after
  // the last fork of the tracer (spawning the command): a fork copies only the calling thread,
  // and a lock the flusher held would stay held in the child.
  void start();
  // Joins the thread; the caller writes out what is left.
  void stop();

  void syscall_entry(sys::DecodedSyscall&) override {}
  void syscall_exit(sys::DecodedSyscall&) override {}
  void signal(const Event&) override {}
  void thread_gone(const Event&, sys::DecodedSyscall*) override {}
  void before_wait() override;
  void after_wait() override;

 private:
  void run();

  Tick tick_;
  std::mutex busy_;  // held by the tracer thread except while it waits
  std::mutex mutex_;
  std::condition_variable wake_;
  std::atomic<bool> dormant_{false};  // the thread sleeps until the next wait after output
  bool quit_ = false;
  bool running_ = false;
  std::thread thread_;
};

}  // namespace ptk::cli
