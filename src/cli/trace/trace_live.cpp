#include "trace/trace_live.h"

#include <pthread.h>
#include <signal.h>

namespace ptk::cli {

void LiveFlusher::start() {
  if (running_) return;
  busy_.lock();
  sigset_t all, old;
  sigfillset(&all);
  // A process-directed signal (SIGINT, SIGCHLD...) goes to any thread that does not block it;
  // the tracer thread's handlers interrupt its wait, so the flusher must never take one.
  pthread_sigmask(SIG_SETMASK, &all, &old);
  thread_ = std::thread([this] { run(); });
  pthread_sigmask(SIG_SETMASK, &old, nullptr);
  running_ = true;
}

void LiveFlusher::stop() {
  if (!running_) return;
  {
    std::lock_guard lock(mutex_);
    quit_ = true;
    dormant_ = false;
  }
  wake_.notify_one();
  busy_.unlock();
  thread_.join();
  running_ = false;
}

void LiveFlusher::before_wait() {
  if (!running_) return;
  busy_.unlock();
  // Only a dormant flusher needs a wake-up (a futex call): one per tick at most.
  if (dormant_.load(std::memory_order_relaxed)) {
    {
      std::lock_guard lock(mutex_);
      dormant_ = false;
    }
    wake_.notify_one();
  }
}

void LiveFlusher::after_wait() {
  if (running_) busy_.lock();
}

void LiveFlusher::run() {
  std::unique_lock lock(mutex_);
  for (;;) {
    // New output waits a tick, so that a busy trace is written in blocks.
    wake_.wait_for(lock, kTick, [this] { return quit_; });
    if (quit_) return;
    lock.unlock();
    {
      std::lock_guard busy(busy_);
      // Dormant is decided with busy_ held: output written after this tick is followed by a
      // before_wait() that sees it and wakes the thread, so none is left unwritten.
      if (!tick_()) dormant_ = true;
    }
    lock.lock();
    wake_.wait(lock, [this] { return quit_ || !dormant_.load(); });
    if (quit_) return;
  }
}

}  // namespace ptk::cli
