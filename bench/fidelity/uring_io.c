// An io_uring program for bench/fidelity.sh: sets up a ring, registers a buffer, submits a nop
// and a read of /etc/hostname, reaps both completions. Its syscalls are what strace-diff scores.
#include <fcntl.h>
#include <liburing.h>
#include <stdio.h>
#include <sys/uio.h>
#include <unistd.h>

int main(void) {
  struct io_uring ring;
  if (io_uring_queue_init(8, &ring, 0) != 0) return 1;
  char buf[256];
  struct iovec iov = {buf, sizeof buf};
  if (io_uring_register_buffers(&ring, &iov, 1) != 0) return 2;
  int fd = open("/etc/hostname", O_RDONLY | O_CLOEXEC);
  if (fd < 0) return 3;
  io_uring_prep_nop(io_uring_get_sqe(&ring));
  io_uring_prep_read_fixed(io_uring_get_sqe(&ring), fd, buf, sizeof buf, 0, 0);
  if (io_uring_submit_and_wait(&ring, 2) != 2) return 4;
  for (int i = 0; i < 2; ++i) {
    struct io_uring_cqe* cqe;
    if (io_uring_wait_cqe(&ring, &cqe) != 0) return 5;
    io_uring_cqe_seen(&ring, cqe);
  }
  io_uring_unregister_buffers(&ring);
  close(fd);
  io_uring_queue_exit(&ring);
  puts("ok");
  return 0;
}
