// Backend::run: the ring buffer's consumer. One callback per record, no allocation per record;
// the loss counters are read from the program's .bss mapping (plain memory loads).
#include <sys/wait.h>
#include <time.h>

#include <cerrno>
#include <chrono>

#include "impl.h"
#include "ptk/sys/raw_event.h"

#ifdef PTK_BPF_HAVE_PROGRAM
#include <bpf/libbpf.h>

#include "ptk_trace.skel.h"
#endif

namespace ptk::bpf {

namespace {

#ifdef PTK_BPF_HAVE_PROGRAM
// The program wakes the consumer only for bursts and rare records: the timeout paces the rest.
constexpr int kPollMs = 10;
constexpr auto kSweepEvery = std::chrono::seconds(1);
#endif

std::uint64_t monotonic_ns() {
  timespec ts{};
  ::clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<std::uint64_t>(ts.tv_sec) * 1000000000u +
         static_cast<std::uint64_t>(ts.tv_nsec);
}

// A PTK_EV_LOST record for the records dropped since the last one, if any.
void report_loss(Backend::Impl& impl) {
  std::uint64_t total = impl.lost_total();
  if (total == impl.lost_reported) return;
  ptk_ev_lost rec{};
  rec.h.size = sizeof rec;
  rec.h.type = PTK_EV_LOST;
  rec.h.time_ns = monotonic_ns();
  rec.count = total - impl.lost_reported;
  impl.lost_reported = total;
  (*impl.on_record)(std::as_bytes(std::span(&rec, 1)));
}

#ifdef PTK_BPF_HAVE_PROGRAM
int on_sample(void* ctx, void* data, std::size_t size) {
  auto& impl = *static_cast<Backend::Impl*>(ctx);
  report_loss(impl);
  (*impl.on_record)(std::span(static_cast<const std::byte*>(data), size));
  return 0;
}
#endif

// Reaps the spawned command when it has ended (or, blocking, when it is ending).
void reap(Backend::Impl& impl, bool block) {
  if (impl.child <= 0 || impl.child_reaped) return;
  int status = 0;
  pid_t got;
  do got = ::waitpid(impl.child, &status, block ? 0 : WNOHANG);
  while (got < 0 && errno == EINTR);
  if (got == impl.child) {
    impl.child_reaped = true;
    impl.child_status = status;
  } else if (got < 0) {
    impl.child_reaped = true;  // not ours to wait for any more (ECHILD): nothing to report
    impl.child = -1;
  }
}

}  // namespace

Result<RunResult> Backend::run(const RecordCallback& on_record, const std::atomic<bool>& stop) {
#ifndef PTK_BPF_HAVE_PROGRAM
  (void)on_record;
  (void)stop;
  (void)reap;
  (void)report_loss;
  return Error(ErrorKind::Unsupported, "eBPF tracing");
#else
  Impl& impl = *impl_;
  impl.on_record = &on_record;
  struct Clear {
    Impl& impl;
    ~Clear() { impl.on_record = nullptr; }
  } clear{impl};
  if (impl.ring == nullptr) {
    impl.ring = ring_buffer__new(bpf_map__fd(impl.skel->maps.events), on_sample, &impl, nullptr);
    if (impl.ring == nullptr) return Error::from_errno(errno, "eBPF tracing: ring_buffer__new");
  }
  auto last_sweep = std::chrono::steady_clock::now();
  bool ended = false;
  while (!ended) {
    int n = ring_buffer__poll(impl.ring, kPollMs);
    if (n < 0 && n != -EINTR) return Error::from_errno(-n, "eBPF tracing: reading the ring buffer");
    if (stop.load(std::memory_order_relaxed)) break;
    reap(impl, false);
    if (impl.live() <= 0) {
      // The last exit record went into the ring before the count dropped: drain it.
      ring_buffer__consume(impl.ring);
      reap(impl, true);
      ended = true;
    } else if (n == 0 && std::chrono::steady_clock::now() - last_sweep > kSweepEvery) {
      impl.sweep();
      last_sweep = std::chrono::steady_clock::now();
    }
  }
  if (!ended) ring_buffer__consume(impl.ring);
  report_loss(impl);
  RunResult result;
  if (impl.child > 0 && impl.child_reaped) result.status = impl.child_status;
  result.lost = impl.lost_reported;
  return result;
#endif
}

}  // namespace ptk::bpf
