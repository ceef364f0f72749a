// ptk_bpf_drain: runs a command under the eBPF backend with the real capture plans and throws
// the records away, to measure what tracing costs the command (bench/bpf_bench.sh).
//
//   ptk_bpf_drain [-n] [-e EXPR] [-f] [-h] [-r RING_BYTES] [-s STRSIZE] CMD [ARG...]
//
// -n runs the command untraced, timed the same way (fork, execve, wait), for the ratio; -h asks
// for function hooks (BackendOptions::function_hooks).
// Prints one line to stderr: wall seconds, records, bytes, records lost. Exits with the
// command's exit code (128+N when killed by signal N).
#include <fmt/format.h>
#include <getopt.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <string>
#include <vector>

#include "ptk/bpf/backend.h"
#include "ptk/sys/capture_plan.h"
#include "ptk/sys/decode.h"
#include "ptk/sys/filter.h"

extern char** environ;

namespace {

int run_native(char** command) {
  auto start = std::chrono::steady_clock::now();
  pid_t pid = ::fork();
  if (pid == 0) {
    ::execvp(command[0], command);
    _exit(127);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  fmt::print(stderr, "bpf_drain: {:.3f} s, 0 records, 0 bytes, 0 lost\n", seconds);
  return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
}

}  // namespace

int main(int argc, char** argv) {
  std::string expr = "all";
  ptk::bpf::BackendOptions options;
  ptk::sys::DecodeOptions decode;
  int opt;
  bool native = false;
  while ((opt = ::getopt(argc, argv, "+ne:fhr:s:")) != -1) {
    switch (opt) {
      case 'n':
        native = true;
        break;
      case 'e':
        expr = optarg;
        break;
      case 'f':
        options.follow_forks = true;
        break;
      case 'h':
        options.function_hooks = true;
        break;
      case 'r':
        options.ring_bytes = std::strtoull(optarg, nullptr, 0);
        break;
      case 's':
        decode.string_limit = std::strtoull(optarg, nullptr, 0);
        break;
      default:
        return 2;
    }
  }
  if (optind >= argc) {
    fmt::print(stderr, "usage: ptk_bpf_drain [-e EXPR] [-f] [-r RING] [-s N] CMD [ARG...]\n");
    return 2;
  }
  if (native) return run_native(argv + optind);
  auto filter = ptk::sys::SyscallFilter::parse(expr);
  if (!filter) {
    fmt::print(stderr, "ptk_bpf_drain: {}\n", filter.error().message());
    return 2;
  }
  auto plans = ptk::sys::CapturePlans::build(*filter, decode);
  options.plans = plans.table();
  auto backend = ptk::bpf::Backend::open(options);
  if (!backend) {
    fmt::print(stderr, "ptk_bpf_drain: {}\n", backend.error().message());
    return 1;
  }
  std::vector<std::string> args(argv + optind, argv + argc);
  std::vector<std::string> env;
  for (char** e = environ; *e != nullptr; ++e) env.emplace_back(*e);
  auto start = std::chrono::steady_clock::now();
  auto pid = backend.value()->spawn(args, env);
  if (!pid) {
    fmt::print(stderr, "ptk_bpf_drain: {}\n", pid.error().message());
    return 1;
  }
  std::uint64_t records = 0;
  std::uint64_t bytes = 0;
  std::atomic<bool> stop{false};
  auto result = backend.value()->run(
      [&](std::span<const std::byte> record) {
        ++records;
        bytes += record.size();
      },
      stop);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!result) {
    fmt::print(stderr, "ptk_bpf_drain: {}\n", result.error().message());
    return 1;
  }
  fmt::print(stderr, "bpf_drain: {:.3f} s, {} records, {} bytes, {} lost ({})\n", seconds, records,
             bytes, result->lost,
             backend.value()->uses_function_hooks() ? "function hooks" : "tracepoints");
  int status = result->status.value_or(0);
  return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
}
