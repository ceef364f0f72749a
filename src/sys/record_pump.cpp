#include "ptk/sys/record_pump.h"

#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <cstring>

#include "ptk/sys/raw_event.h"

namespace ptk::sys {
namespace {

// A block this large wakes the decoding thread at once; a smaller one waits for its tick, so
// that a quiet trace costs no wake-up per record and a blocked call still shows within it.
constexpr std::size_t kWakeBytes = 256 * 1024;
constexpr std::chrono::milliseconds kTick{50};

}  // namespace

RecordPump::RecordPump(Consume consume, std::size_t max_bytes, int nice)
    : consume_(std::move(consume)), max_bytes_(max_bytes), nice_(nice) {
  filling_.reserve(kWakeBytes * 2);
  thread_ = std::thread([this] { run(); });
}

RecordPump::~RecordPump() { close(); }

void RecordPump::append_lost_locked() {
  ptk_ev_lost lost{};
  lost.h.size = sizeof lost;
  lost.h.type = PTK_EV_LOST;
  lost.count = unreported_;
  auto bytes = std::as_bytes(std::span(&lost, 1));
  filling_.insert(filling_.end(), bytes.begin(), bytes.end());
  unreported_ = 0;
}

void RecordPump::push(std::span<const std::byte> record) {
  bool wake = false;
  {
    std::lock_guard lock(mutex_);
    if (filling_.size() + record.size() > max_bytes_) {
      ++dropped_;
      ++unreported_;
      return;
    }
    if (unreported_ != 0) append_lost_locked();
    filling_.insert(filling_.end(), record.begin(), record.end());
    if (!notified_ && filling_.size() >= kWakeBytes) wake = notified_ = true;
  }
  if (wake) wake_.notify_one();
}

void RecordPump::close() {
  {
    std::lock_guard lock(mutex_);
    if (closed_) return;
    closed_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
}

std::uint64_t RecordPump::dropped() const {
  std::lock_guard lock(mutex_);
  return dropped_;
}

void RecordPump::run() {
  // setpriority(2) with PRIO_PROCESS and a thread id sets that one thread's nice value (Linux's
  // threads have their own; POSIX would want the whole process).
  if (nice_ != 0) (void)::setpriority(PRIO_PROCESS, static_cast<id_t>(::gettid()), nice_);
  std::vector<std::byte> draining;
  draining.reserve(kWakeBytes * 2);
  for (;;) {
    bool last = false;
    {
      std::unique_lock lock(mutex_);
      wake_.wait_for(lock, kTick, [&] { return closed_ || filling_.size() >= kWakeBytes; });
      if (unreported_ != 0 && closed_) append_lost_locked();
      draining.swap(filling_);
      filling_.clear();
      notified_ = false;
      last = closed_;
    }
    // Records were pushed whole and checked by the backend; walk them by their size fields.
    std::size_t at = 0;
    while (draining.size() - at >= sizeof(ptk_ev_header)) {
      ptk_ev_header h;
      std::memcpy(&h, draining.data() + at, sizeof h);
      if (h.size < sizeof h || h.size > draining.size() - at) break;
      consume_(std::span<const std::byte>(draining).subspan(at, h.size));
      at += h.size;
    }
    draining.clear();
    if (last) return;
  }
}

}  // namespace ptk::sys
