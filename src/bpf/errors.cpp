// Why the eBPF backend cannot run here, in one line naming the cause.
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "impl.h"

namespace ptk::bpf {

namespace {

constexpr int kCapSysAdmin = 21;
constexpr int kCapPerfmon = 38;
constexpr int kCapBpf = 39;

// The effective capabilities (CapEff of /proc/self/status), or none when unreadable.
std::uint64_t effective_capabilities() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("CapEff:", 0) == 0) return std::strtoull(line.c_str() + 7, nullptr, 16);
  }
  return 0;
}

bool has(std::uint64_t caps, int cap) { return (caps >> cap) & 1; }

bool privileged() {
  std::uint64_t caps = effective_capabilities();
  return has(caps, kCapSysAdmin) || (has(caps, kCapBpf) && has(caps, kCapPerfmon));
}

// The selected mode of /sys/kernel/security/lockdown ("none [integrity] confidentiality"), or
// "" when the file is missing (no lockdown LSM).
std::string lockdown_mode() {
  std::ifstream file("/sys/kernel/security/lockdown");
  std::string text;
  std::getline(file, text);
  std::size_t open = text.find('[');
  std::size_t close = text.find(']', open);
  if (open == std::string::npos || close == std::string::npos) return {};
  return text.substr(open + 1, close - open - 1);
}

// The last non-empty line of libbpf's messages (for a verifier rejection, its reason).
std::string last_line(const std::string& log) {
  std::istringstream in(log);
  std::string line;
  std::string last;
  while (std::getline(in, line)) {
    if (line.find_first_not_of(" \t-") != std::string::npos) last = line;
  }
  return last;
}

}  // namespace

Result<void> check_privilege() {
  if (privileged()) return {};
  return Error(ErrorKind::PermissionDenied,
               "eBPF tracing is not permitted: it needs root (or CAP_BPF and CAP_PERFMON)");
}

Error load_error(int err, const std::string& libbpf_log) {
  if (::access("/sys/kernel/btf/vmlinux", R_OK) != 0) {
    return Error(ErrorKind::Unsupported,
                 "eBPF tracing needs the kernel's BTF: /sys/kernel/btf/vmlinux is missing "
                 "(a kernel built without CONFIG_DEBUG_INFO_BTF)");
  }
  if (err == EPERM || err == EACCES) {
    std::string mode = lockdown_mode();
    if (mode == "confidentiality") {
      return Error(ErrorKind::PermissionDenied,
                   "eBPF tracing is not permitted: the kernel is locked down (lockdown="
                   "confidentiality forbids reading memory from eBPF)");
    }
    if (!privileged()) return check_privilege().error();
  }
  std::string why = last_line(libbpf_log);
  return Error(kind_from_errno(err), "loading the eBPF trace program", err,
               why.empty() ? std::string() : fmt::format("libbpf: {}", why));
}

}  // namespace ptk::bpf
