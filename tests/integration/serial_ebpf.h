// One eBPF test at a time, machine-wide, for the tests that scripts/test.sh's VM stage runs.
#pragma once

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>

namespace ptk_test {

// Holds a lock file while an eBPF test traces. Under QEMU's software emulation (the VM lane),
// two tracers attaching the raw syscall tracepoints at once have hung the guest's kernel: both
// vCPUs spun at the tracepoint's static branch in syscall_trace_enter, with soft lockups, on
// Debian 12's 6.1 (2026-12-06). The VM stage runs its tests two at a time, so the eBPF ones it
// runs take turns here; on a host the lock is uncontended.
class SerialEbpfTest {
 public:
  SerialEbpfTest() : fd_(::open("/tmp/ptk-ebpf-tests.lock", O_RDWR | O_CREAT | O_CLOEXEC, 0600)) {
    if (fd_ < 0) return;
    while (::flock(fd_, LOCK_EX) != 0 && errno == EINTR) {
    }
  }
  ~SerialEbpfTest() {
    if (fd_ >= 0) ::close(fd_);
  }
  SerialEbpfTest(const SerialEbpfTest&) = delete;
  SerialEbpfTest& operator=(const SerialEbpfTest&) = delete;

 private:
  int fd_;
};

}  // namespace ptk_test
