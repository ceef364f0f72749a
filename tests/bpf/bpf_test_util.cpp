#include "bpf_test_util.h"

#include <sys/wait.h>

#include <cstring>

namespace ptk_bpf_test {

namespace {

template <typename T>
T read_as(std::span<const std::byte> bytes, std::size_t at = 0) {
  T value{};
  if (at + sizeof(T) <= bytes.size()) std::memcpy(&value, bytes.data() + at, sizeof(T));
  return value;
}

std::string probe_skip_reason() {
  ptk::bpf::BackendOptions options;
  options.ring_bytes = 4096;
  auto backend = ptk::bpf::Backend::open(options);
  if (backend) return {};
  auto kind = backend.error().kind();
  if (kind == ptk::ErrorKind::PermissionDenied || kind == ptk::ErrorKind::Unsupported) {
    return "eBPF tracing is not possible here: " + backend.error().message();
  }
  return {};  // another failure is the tests' to report
}

}  // namespace

Record parse(std::span<const std::byte> bytes) {
  Record r;
  r.h = read_as<ptk_ev_header>(bytes);
  switch (r.h.type) {
    case PTK_EV_SYSCALL_ENTRY:
    case PTK_EV_SYSCALL_EXIT: {
      r.sc = read_as<ptk_ev_syscall>(bytes);
      std::size_t at = sizeof(ptk_ev_syscall);
      for (unsigned i = 0; i < r.sc.nchunks && at + sizeof(ptk_ev_chunk) <= bytes.size(); ++i) {
        auto c = read_as<ptk_ev_chunk>(bytes, at);
        at += sizeof c;
        Chunk chunk{c.addr, c.flags, {}};
        if (at + c.len <= bytes.size()) {
          chunk.bytes.assign(reinterpret_cast<const char*>(bytes.data() + at), c.len);
        }
        at += PTK_CHUNK_PAD(c.len);
        r.chunks.push_back(std::move(chunk));
      }
      break;
    }
    case PTK_EV_SIGNAL:
      r.sig = read_as<ptk_ev_signal>(bytes);
      break;
    case PTK_EV_EXIT:
      r.exit = read_as<ptk_ev_exit>(bytes);
      break;
    case PTK_EV_EXEC:
      r.exec = read_as<ptk_ev_exec>(bytes);
      break;
    case PTK_EV_FORK:
      r.fork = read_as<ptk_ev_fork>(bytes);
      break;
    case PTK_EV_LOST:
      r.lost = read_as<ptk_ev_lost>(bytes);
      break;
    default:
      break;
  }
  return r;
}

std::vector<const Record*> RunOutcome::of(int type, long nr) const {
  std::vector<const Record*> out;
  for (const Record& r : records) {
    if (r.h.type != type) continue;
    if (nr >= 0 && r.sc.nr != nr) continue;
    out.push_back(&r);
  }
  return out;
}

std::string skip_reason() {
  static const std::string reason = probe_skip_reason();
  return reason;
}

RunOutcome trace_command(const std::vector<std::string>& argv, ptk::bpf::BackendOptions options,
                         bool wait_first) {
  RunOutcome out;
  auto backend = ptk::bpf::Backend::open(options);
  EXPECT_TRUE(backend.ok()) << (backend ? "" : backend.error().message());
  if (!backend) return out;
  std::vector<std::string> env{"PATH=/usr/bin:/bin", "LC_ALL=C"};
  auto pid = backend.value()->spawn(argv, env);
  EXPECT_TRUE(pid.ok()) << (pid ? "" : pid.error().message());
  if (!pid) return out;
  out.pid = *pid;
  out.exec_errno = backend.value()->exec_error();
  if (wait_first) {
    siginfo_t info{};
    ::waitid(P_PID, static_cast<id_t>(*pid), &info, WEXITED | WNOWAIT);
  }
  std::atomic<bool> stop{false};
  auto result = backend.value()->run(
      [&](std::span<const std::byte> bytes) { out.records.push_back(parse(bytes)); }, stop);
  EXPECT_TRUE(result.ok()) << (result ? "" : result.error().message());
  if (result) out.result = *result;
  return out;
}

}  // namespace ptk_bpf_test
