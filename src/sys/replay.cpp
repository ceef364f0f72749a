#include "ptk/sys/replay.h"

#include <fmt/format.h>
#include <sys/wait.h>

#include <cstring>
#include <vector>

#include "ptk/sys/capture_plan.h"
#include "ptk/sys/raw_event.h"
#include "ptk/sys/record_memory.h"

namespace ptk::sys {
namespace {

Error bad_record(std::string what) {
  return Error(ErrorKind::InvalidArgument, fmt::format("raw event: {}", what), 0,
               "the trace is corrupt, or was written by another version of ptk");
}

// Records come from a ring buffer or a file: read their fields by copy, whatever the alignment.
template <typename T>
T load(std::span<const std::byte> bytes, std::size_t offset = 0) {
  T value;
  std::memcpy(&value, bytes.data() + offset, sizeof value);
  return value;
}

Result<Arch> abi_arch(std::uint16_t abi) {
  if (auto arch = arch_of_abi(abi)) return *arch;
  return bad_record(fmt::format("syscall ABI {} is not one this ptk decodes", abi));
}

// The chunks of a syscall record, checked to lie within it.
Status add_chunks(std::span<const std::byte> record, std::uint16_t count, RecordMemory& memory) {
  std::size_t at = sizeof(ptk_ev_syscall);
  for (std::uint16_t i = 0; i < count; ++i) {
    if (record.size() - at < sizeof(ptk_ev_chunk)) {
      return bad_record(fmt::format("chunk {} of {} starts past the record's end", i + 1, count));
    }
    auto chunk = load<ptk_ev_chunk>(record, at);
    at += sizeof(ptk_ev_chunk);
    if (chunk.len > record.size() - at) {
      return bad_record(fmt::format("chunk {} of {} ({} bytes at {:#x}) ends past the record",
                                    i + 1, count, chunk.len, chunk.addr));
    }
    if ((chunk.flags & PTK_CHUNK_USER_STACK) == 0) {
      memory.add({chunk.addr, record.subspan(at, chunk.len)});
    }
    at += PTK_CHUNK_PAD(static_cast<std::size_t>(chunk.len));
    if (at > record.size()) at = record.size();  // the last chunk's padding may be cut
  }
  return ok_status();
}

}  // namespace

// A thread's syscall in progress: its entry record, whose chunks back the exit's decoding too.
struct Replayer::Thread {
  std::vector<std::byte> entry;
  bool in_syscall = false;
  // The entry waits for its exit record, which carries what the entry could not read yet
  // (PTK_SC_RETRY_AT_EXIT).
  bool deferred = false;
};

Replayer::Replayer(TracerOptions options, TraceSink& sink)
    : sink_(sink),
      memory_(std::make_shared<Memory>(0, &source_)),
      tracer_([this](pid_t) -> Memory& { return *memory_; }, std::move(options), sink) {}

Replayer::~Replayer() = default;

Replayer::Thread& Replayer::thread(pid_t tid) {
  auto& slot = threads_[tid];
  if (!slot) slot = std::make_unique<Thread>();
  return *slot;
}

Event Replayer::event_of(const ptk_ev_header& h, EventKind kind) const {
  Event ev{.kind = kind};
  ev.tid = static_cast<pid_t>(h.tid);
  ev.pid = static_cast<pid_t>(h.pid);
  // In unsigned arithmetic: a damaged record's time must not overflow (fuzz_record_reader).
  ev.time_ns = static_cast<std::int64_t>(h.time_ns + static_cast<std::uint64_t>(clock_offset_));
  if (ev.time_ns == 0) ev.time_ns = 1;  // 0 would mean "now" to the tracer
  return ev;
}

Status Replayer::feed(std::span<const std::byte> record) {
  if (record.size() < sizeof(ptk_ev_header)) {
    return bad_record(fmt::format("{} bytes is shorter than a record header", record.size()));
  }
  auto h = load<ptk_ev_header>(record);
  if (h.size != record.size()) {
    return bad_record(
        fmt::format("its size field says {} bytes, the record has {}", h.size, record.size()));
  }
  auto need = [&](std::size_t size, std::string_view kind) -> Status {
    if (record.size() < size) {
      return bad_record(
          fmt::format("a {} record of {} bytes (at least {})", kind, record.size(), size));
    }
    return ok_status();
  };
  if (deferred_ != 0 && h.type != PTK_EV_SYSCALL_EXIT) flush_deferred(static_cast<pid_t>(h.tid));
  switch (h.type) {
    case PTK_EV_SYSCALL_ENTRY:
    case PTK_EV_SYSCALL_EXIT:
      PTK_TRY(need(sizeof(ptk_ev_syscall), "syscall"));
      return feed_syscall(record, h.type == PTK_EV_SYSCALL_EXIT);
    case PTK_EV_SIGNAL: {
      PTK_TRY(need(sizeof(ptk_ev_signal), "signal"));
      auto sig = load<ptk_ev_signal>(record);
      if (sig.sig <= 0 || sig.sig >= 65) return bad_record(fmt::format("signal {}", sig.sig));
      Event ev = event_of(h, EventKind::Signal);
      ev.signal = sig.sig;
      static_assert(sizeof ev.siginfo == sizeof sig.siginfo);
      std::memcpy(&ev.siginfo, sig.siginfo, sizeof ev.siginfo);
      tracer_.dispatch(ev);
      return ok_status();
    }
    case PTK_EV_EXIT: {
      PTK_TRY(need(sizeof(ptk_ev_exit), "exit"));
      auto ex = load<ptk_ev_exit>(record);
      int status = ex.status;
      Event ev = event_of(h, WIFSIGNALED(status) ? EventKind::Killed : EventKind::Exited);
      if (WIFSIGNALED(status)) {
        ev.signal = WTERMSIG(status);
        ev.core_dumped = WCOREDUMP(status);
      } else {
        ev.exit_code = WEXITSTATUS(status);
      }
      tracer_.dispatch(ev);
      threads_.erase(ev.tid);
      return ok_status();
    }
    case PTK_EV_EXEC: {
      PTK_TRY(need(sizeof(ptk_ev_exec), "exec"));
      auto ex = load<ptk_ev_exec>(record);
      Event ev = event_of(h, EventKind::Exec);
      ev.old_tid = static_cast<pid_t>(ex.old_tid);
      flush_deferred(ev.old_tid);
      if (ev.old_tid != ev.tid) {
        // A non-leader thread's execve: it goes on as the leader, with its syscall in progress.
        auto node = threads_.extract(ev.old_tid);
        threads_.erase(ev.tid);
        if (!node.empty()) {
          node.key() = ev.tid;
          threads_.insert(std::move(node));
        }
      }
      tracer_.dispatch(ev);
      return ok_status();
    }
    case PTK_EV_FORK: {
      PTK_TRY(need(sizeof(ptk_ev_fork), "fork"));
      auto fk = load<ptk_ev_fork>(record);
      Event ev = event_of(h, EventKind::ThreadStart);
      ev.tid = static_cast<pid_t>(fk.child_tid);
      ev.pid = static_cast<pid_t>(fk.child_pid);
      tracer_.dispatch(ev);
      return ok_status();
    }
    case PTK_EV_LOST: {
      PTK_TRY(need(sizeof(ptk_ev_lost), "lost"));
      auto lost = load<ptk_ev_lost>(record);
      lost_ += lost.count;
      sink_.lost(lost.count);
      return ok_status();
    }
    default:
      return bad_record(fmt::format("unknown record type {}", h.type));
  }
}

Event Replayer::syscall_event(const ptk_ev_syscall& sc, Arch arch, bool exit) const {
  Event ev = event_of(sc.h, exit ? EventKind::SyscallExit : EventKind::SyscallEntry);
  ev.syscall.arch = arch;
  ev.syscall.nr = sc.nr;
  std::memcpy(ev.syscall.args.data(), sc.args, sizeof sc.args);
  ev.syscall.ip = sc.ip;
  ev.syscall.sp = sc.sp;
  if (exit) {
    ev.syscall.ret = sc.ret;
    // IS_ERR_VALUE: the last page of values are -errno.
    ev.syscall.is_error = sc.ret < 0 && sc.ret >= -4095;
  }
  return ev;
}

Status Replayer::feed_syscall(std::span<const std::byte> record, bool exit) {
  auto sc = load<ptk_ev_syscall>(record);
  PTK_ASSIGN_OR_RETURN(Arch arch, abi_arch(sc.h.abi));
  auto tid = static_cast<pid_t>(sc.h.tid);
  Thread& t = thread(tid);
  source_.clear();
  if (!exit) {
    if (t.deferred) flush_deferred(tid);
    // Keep the entry: the exit's decoders read what the entry captured too (a read's buffer
    // address came in at entry; the struct an ioctl passes in).
    if (sc.nchunks == 0 && (sc.flags & PTK_SC_RETRY_AT_EXIT) == 0) {
      // Nothing for the exit to read again: spare the copy (getpid's kind, the hot path).
      t.entry.clear();
      t.in_syscall = true;
      tracer_.dispatch(syscall_event(sc, arch, false));
      return ok_status();
    }
    t.entry.assign(record.begin(), record.end());
    Status chunks = add_chunks(t.entry, sc.nchunks, source_);
    t.in_syscall = chunks.ok();
    PTK_TRY(std::move(chunks));
    if ((sc.flags & PTK_SC_RETRY_AT_EXIT) != 0) {
      t.deferred = true;
      ++deferred_;
      source_.clear();
      return ok_status();
    }
    tracer_.dispatch(syscall_event(sc, arch, false));
    source_.clear();
    return ok_status();
  }
  // The exit's chunks over the entry's: the memory as the syscall left it.
  if (t.in_syscall && !t.entry.empty()) {
    auto entry = load<ptk_ev_syscall>(t.entry);
    PTK_TRY(add_chunks(t.entry, entry.nchunks, source_));
  }
  PTK_TRY(add_chunks(record, sc.nchunks, source_));
  if (t.deferred) {
    // The entry is decoded now, with what the exit read again too.
    t.deferred = false;
    --deferred_;
    auto entry = load<ptk_ev_syscall>(t.entry);
    PTK_ASSIGN_OR_RETURN(Arch entry_arch, abi_arch(entry.h.abi));
    tracer_.dispatch(syscall_event(entry, entry_arch, false));
  }
  t.in_syscall = false;
  tracer_.dispatch(syscall_event(sc, arch, true));
  source_.clear();
  return ok_status();
}

void Replayer::flush_deferred(pid_t tid) {
  auto it = threads_.find(tid);
  if (it == threads_.end() || !it->second->deferred) return;
  Thread& t = *it->second;
  t.deferred = false;
  --deferred_;
  auto entry = load<ptk_ev_syscall>(t.entry);
  auto arch = abi_arch(entry.h.abi);
  if (!arch.ok()) return;  // refused when it came
  source_.clear();
  (void)add_chunks(t.entry, entry.nchunks, source_);
  tracer_.dispatch(syscall_event(entry, *arch, false));
  source_.clear();
}

void Replayer::finish() {
  for (auto& [tid, t] : threads_) flush_deferred(tid);
  threads_.clear();
  deferred_ = 0;
}

}  // namespace ptk::sys
