// Descriptors of every kind -yy decorates, for trace_fds_test: TCP and UDP over loopback (IPv4
// and, when the host has it, IPv6), UNIX socketpairs and a bound UNIX socket, a netlink route
// socket, character devices, a pidfd, a signalfd and an eventfd. Each descriptor is used once
// (the call shows its decoration) and closed. argv[1] is a directory for the UNIX socket.
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <fcntl.h>
#include <linux/netlink.h>
#include <netinet/in.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

// A server and a client connected over loopback; the data crosses once each way.
static void tcp_pair(int family) {
  struct sockaddr_storage ss;
  memset(&ss, 0, sizeof ss);
  socklen_t len;
  if (family == AF_INET) {
    struct sockaddr_in* in = (struct sockaddr_in*)&ss;
    in->sin_family = AF_INET;
    in->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    len = sizeof *in;
  } else {
    struct sockaddr_in6* in6 = (struct sockaddr_in6*)&ss;
    in6->sin6_family = AF_INET6;
    in6->sin6_addr = in6addr_loopback;
    len = sizeof *in6;
  }
  int srv = socket(family, SOCK_STREAM, 0);
  if (bind(srv, (struct sockaddr*)&ss, len) != 0) {
    close(srv);
    return;  // no loopback of this family (an IPv6-less container)
  }
  listen(srv, 1);
  getsockname(srv, (struct sockaddr*)&ss, &len);
  int cli = socket(family, SOCK_STREAM, 0);
  connect(cli, (struct sockaddr*)&ss, len);
  int conn = accept(srv, NULL, NULL);
  char c = 0;
  write(cli, "t", 1);
  read(conn, &c, 1);
  close(conn);
  close(cli);
  close(srv);
}

// A UDP receiver bound to loopback and a sender connected to it. (The sender is not bound
// before it connects: strace 6.1 keeps the first details it finds for a socket, so a socket
// seen bound and then connected would still print its own address alone there.)
static void udp_pair(void) {
  struct sockaddr_in in = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  socklen_t len = sizeof in;
  int rx = socket(AF_INET, SOCK_DGRAM, 0);
  bind(rx, (struct sockaddr*)&in, len);
  getsockname(rx, (struct sockaddr*)&in, &len);
  int tx = socket(AF_INET, SOCK_DGRAM, 0);
  connect(tx, (struct sockaddr*)&in, len);
  char c = 0;
  send(tx, "u", 1, 0);
  recv(rx, &c, 1, 0);
  close(tx);
  close(rx);
}

static void unix_sockets(const char* dir) {
  int sv[2];
  char c = 0;
  socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
  write(sv[0], "s", 1);
  read(sv[1], &c, 1);
  close(sv[0]);
  close(sv[1]);
  socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
  write(sv[0], "d", 1);
  close(sv[0]);
  close(sv[1]);

  struct sockaddr_un un = {.sun_family = AF_UNIX};
  snprintf(un.sun_path, sizeof un.sun_path, "%s/fd.sock", dir);
  int srv = socket(AF_UNIX, SOCK_STREAM, 0);
  bind(srv, (struct sockaddr*)&un, sizeof un);
  listen(srv, 1);
  int cli = socket(AF_UNIX, SOCK_STREAM, 0);
  connect(cli, (struct sockaddr*)&un, sizeof un);
  int conn = accept(srv, NULL, NULL);
  write(cli, "b", 1);
  read(conn, &c, 1);
  close(conn);
  close(cli);
  close(srv);
  unlink(un.sun_path);

  // An abstract name (its first byte NUL: strace prints @"name"), named after the directory
  // so that tests side by side never bind the same one; a SOCK_SEQPACKET pair.
  struct sockaddr_un abs = {.sun_family = AF_UNIX};
  int n = snprintf(abs.sun_path + 1, sizeof abs.sun_path - 1, "ptk-fds%s", dir);
  socklen_t abs_len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + n);
  srv = socket(AF_UNIX, SOCK_DGRAM, 0);
  bind(srv, (struct sockaddr*)&abs, abs_len);
  getsockname(srv, (struct sockaddr*)&abs, &abs_len);
  close(srv);
  socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv);
  write(sv[1], "q", 1);
  close(sv[1]);
  close(sv[0]);
}

static void netlink_route(void) {
  int nl = socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE);
  struct sockaddr_nl snl = {.nl_family = AF_NETLINK};
  socklen_t len = sizeof snl;
  bind(nl, (struct sockaddr*)&snl, len);
  getsockname(nl, (struct sockaddr*)&snl, &len);
  close(nl);
}

static void devices(void) {
  int null = open("/dev/null", O_WRONLY);
  write(null, "n", 1);
  close(null);
  int zero = open("/dev/zero", O_RDONLY);
  char c = 0;
  read(zero, &c, 1);
  close(zero);
}

static void anon_inodes(void) {
  int pidfd = (int)syscall(SYS_pidfd_open, getpid(), 0);
  if (pidfd >= 0) {
    syscall(SYS_pidfd_send_signal, pidfd, 0, NULL, 0);
    close(pidfd);
  }
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGUSR1);
  sigaddset(&set, SIGUSR2);
  sigprocmask(SIG_BLOCK, &set, NULL);
  int sfd = signalfd(-1, &set, 0);
  fcntl(sfd, F_GETFL);
  close(sfd);
  int efd = eventfd(3, 0);
  uint64_t one = 1;
  write(efd, &one, sizeof one);
  close(efd);
}

int main(int argc, char** argv) {
  const char* dir = argc > 1 ? argv[1] : "/tmp";
  tcp_pair(AF_INET);
  tcp_pair(AF_INET6);
  udp_pair();
  unix_sockets(dir);
  netlink_route();
  devices();
  anon_inodes();
  return 0;
}
