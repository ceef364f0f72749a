// Replaying raw events (raw_event.h): the eBPF backend's live stream and a recorded file
// (`ptk show`) become the same sink calls a ptrace trace makes, decoded from the memory the
// events captured instead of from a stopped tracee.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <unordered_map>

#include "ptk/base/result.h"
#include "ptk/sys/raw_event.h"
#include "ptk/sys/record_memory.h"
#include "ptk/sys/tracer.h"

namespace ptk::sys {

class Replayer {
 public:
  // `options` as a ptrace Tracer takes them (hooks are not run: nothing can be changed in a
  // process that is not stopped). The filter selects what is reported, as with ptrace.
  Replayer(TracerOptions options, TraceSink& sink);
  ~Replayer();
  Replayer(const Replayer&) = delete;
  Replayer& operator=(const Replayer&) = delete;

  // Raw event times are CLOCK_MONOTONIC; the renderers want CLOCK_REALTIME (-t, JSON). The
  // offset is realtime - monotonic, taken once when the trace starts (or from a record file).
  void set_clock_offset(std::int64_t realtime_minus_monotonic_ns) {
    clock_offset_ = realtime_minus_monotonic_ns;
  }

  // Decodes one whole record and hands it to the sink. A record whose size or contents are
  // impossible is refused with an error naming what is wrong; nothing is handed on then.
  Status feed(std::span<const std::byte> record);

  // The stream ended (the traced processes are gone or the trace was stopped).
  void finish();

  std::uint64_t lost_events() const { return lost_; }

 private:
  struct Thread;
  Status feed_syscall(std::span<const std::byte> record, bool exit);
  Thread& thread(pid_t tid);
  Event event_of(const ptk_ev_header& h, EventKind kind) const;
  Event syscall_event(const ptk_ev_syscall& sc, Arch arch, bool exit) const;
  // Hands on the thread's entry that waits for its exit (PTK_SC_RETRY_AT_EXIT), with what it
  // captured: something else of the thread came first, or the stream ended.
  void flush_deferred(pid_t tid);

  TraceSink& sink_;
  RecordMemory source_;             // the chunks of the record being decoded
  std::shared_ptr<Memory> memory_;  // reads source_
  Tracer tracer_;                   // the decoding and filtering of a ptrace trace
  std::int64_t clock_offset_ = 0;
  std::uint64_t lost_ = 0;
  std::unordered_map<pid_t, std::unique_ptr<Thread>> threads_;
};

}  // namespace ptk::sys
