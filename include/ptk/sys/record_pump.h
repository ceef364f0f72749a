// Decouples taking raw events off a ring buffer from decoding them. The eBPF backend's
// producers never wait, so a consumer that decodes and prints in the ring's own loop loses
// events whenever it falls behind a busy tracee; here the ring's thread only copies each
// record into memory and a thread of the pump's own decodes them, so nothing is lost while
// memory (max_bytes of records waiting) lasts.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <span>
#include <thread>
#include <vector>

namespace ptk::sys {

class RecordPump {
 public:
  using Consume = std::function<void(std::span<const std::byte> record)>;

  // `consume` runs on the pump's thread, once per record, in the order pushed. The thread runs
  // at `nice` (a negative value needs CAP_SYS_NICE; refused, it keeps ptk's).
  RecordPump(Consume consume, std::size_t max_bytes, int nice = 0);
  ~RecordPump();
  RecordPump(const RecordPump&) = delete;
  RecordPump& operator=(const RecordPump&) = delete;

  // One whole record (a ptk_ev_header first). Past max_bytes waiting it is dropped and
  // counted; a PTK_EV_LOST record with the count goes before the next one that fits.
  void push(std::span<const std::byte> record);
  // Consumes what is left and stops the thread. Called by the destructor too.
  void close();
  // Records dropped for want of memory.
  std::uint64_t dropped() const;

 private:
  void run();
  void append_lost_locked();

  Consume consume_;
  std::size_t max_bytes_;
  int nice_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::vector<std::byte> filling_;  // appended to by push(), swapped out by the thread
  std::uint64_t dropped_ = 0;
  std::uint64_t unreported_ = 0;  // dropped since the last PTK_EV_LOST record
  bool notified_ = false;         // the thread was woken for the current block
  bool closed_ = false;
  std::thread thread_;
};

}  // namespace ptk::sys
