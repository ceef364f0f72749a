// Exercises the network syscalls for trace_network_test: sockets of several families,
// sockaddrs, socket options, messages with ancillary data, and hostile arguments.
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/netlink.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

static socklen_t unix_len(const char* path) {
  return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + strlen(path) + 1);
}

int main(int argc, char** argv) {
  // The abstract socket's name ends with the port the test gives (five digits), for the same
  // reason as the port itself below: tests side by side must not bind the same name.
  const char* suffix = argc > 1 ? argv[1] : "00443";

  // socket(): protocols print by family.
  int tcp = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, IPPROTO_IP);
  int udp6 = socket(AF_INET6, SOCK_DGRAM | SOCK_NONBLOCK, IPPROTO_UDP);
  int nl = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
  int unx = socket(AF_UNIX, SOCK_STREAM, 0);
  socket(AF_PACKET, SOCK_DGRAM, htons(ETH_P_IP));
  socket(46, 0xf, 7);

  // sockaddr_in, sockaddr_in6, sockaddr_nl, sockaddr_un (path and abstract).
  struct sockaddr_in in = {0};
  in.sin_family = AF_INET;
  in.sin_port = htons(1);
  in.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  connect(tcp, (struct sockaddr*)&in, sizeof in);
  struct sockaddr_in6 in6 = {0};
  in6.sin6_family = AF_INET6;
  // The port comes from the test, so that tests running side by side (ctest -j2) never bind
  // the same one.
  in6.sin6_port = htons((unsigned short)(argc > 1 ? atoi(argv[1]) : 443));
  in6.sin6_addr = in6addr_loopback;
  bind(udp6, (struct sockaddr*)&in6, sizeof in6);
  struct sockaddr_nl snl = {0};
  snl.nl_family = AF_NETLINK;
  bind(nl, (struct sockaddr*)&snl, sizeof snl);
  struct sockaddr_un un = {0};
  un.sun_family = AF_UNIX;
  strcpy(un.sun_path, "/nonexistent/ptk.sock");
  connect(unx, (struct sockaddr*)&un, unix_len(un.sun_path));

  // A listening abstract socket, a client, accept4 with the peer address.
  int srv = socket(AF_UNIX, SOCK_STREAM, 0);
  struct sockaddr_un abs = {0};
  abs.sun_family = AF_UNIX;
  int n = 1 + (int)strlen(strcpy(abs.sun_path + 1, "ptk-net-"));
  strcpy(abs.sun_path + n, suffix);
  socklen_t abs_len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n + strlen(suffix));
  bind(srv, (struct sockaddr*)&abs, abs_len);
  listen(srv, 5);
  struct sockaddr_un got;
  socklen_t got_len = sizeof got;
  getsockname(srv, (struct sockaddr*)&got, &got_len);
  int cli = socket(AF_UNIX, SOCK_STREAM, 0);
  connect(cli, (struct sockaddr*)&abs, abs_len);
  got_len = sizeof got;
  int acc = accept4(srv, (struct sockaddr*)&got, &got_len, SOCK_CLOEXEC);
  got_len = sizeof got;
  getpeername(cli, (struct sockaddr*)&got, &got_len);
  accept(-1, (struct sockaddr*)&got, &got_len);

  // Data: send/recv with flags, -s truncation, and a peer address.
  write(cli, "x", 0);
  sendto(cli, "hello", 5, MSG_NOSIGNAL, NULL, 0);
  char buf[256];
  recvfrom(acc, buf, sizeof buf, MSG_DONTWAIT, NULL, NULL);
  memset(buf, 'a', sizeof buf);
  sendto(cli, buf, 100, 0, NULL, 0);
  struct sockaddr_un from;
  socklen_t from_len = sizeof from;
  recvfrom(acc, buf, sizeof buf, 0, (struct sockaddr*)&from, &from_len);

  // sendmsg/recvmsg with SCM_RIGHTS.
  int sv[2];
  socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, sv);
  struct iovec iov[2] = {{(void*)"abc", 3}, {(void*)"defgh", 5}};
  union {
    char buf[CMSG_SPACE(sizeof(int) * 2)];
    struct cmsghdr align;
  } ctl;
  memset(&ctl, 0, sizeof ctl);
  struct msghdr mh = {0};
  mh.msg_iov = iov;
  mh.msg_iovlen = 2;
  mh.msg_control = ctl.buf;
  mh.msg_controllen = sizeof ctl.buf;
  struct cmsghdr* cm = CMSG_FIRSTHDR(&mh);
  cm->cmsg_level = SOL_SOCKET;
  cm->cmsg_type = SCM_RIGHTS;
  cm->cmsg_len = CMSG_LEN(sizeof(int) * 2);
  int fds[2] = {0, 1};
  memcpy(CMSG_DATA(cm), fds, sizeof fds);
  sendmsg(sv[0], &mh, 0);
  char rbuf[16];
  memset(rbuf, 0, sizeof rbuf);
  struct iovec riov = {rbuf, sizeof rbuf};
  struct msghdr rh = {0};
  rh.msg_iov = &riov;
  rh.msg_iovlen = 1;
  memset(&ctl, 0, sizeof ctl);
  rh.msg_control = ctl.buf;
  rh.msg_controllen = sizeof ctl.buf;
  recvmsg(sv[1], &rh, MSG_CMSG_CLOEXEC);
  struct msghdr empty = {0};
  sendmsg(sv[0], &empty, MSG_DONTWAIT);
  recvmsg(sv[1], &empty, MSG_DONTWAIT);

  // sendmmsg/recvmmsg.
  struct mmsghdr mm[2];
  memset(mm, 0, sizeof mm);
  struct iovec m0 = {(void*)"one", 3}, m1 = {(void*)"two!", 4};
  mm[0].msg_hdr.msg_iov = &m0;
  mm[0].msg_hdr.msg_iovlen = 1;
  mm[1].msg_hdr.msg_iov = &m1;
  mm[1].msg_hdr.msg_iovlen = 1;
  sendmmsg(sv[0], mm, 2, 0);
  char r0[8], r1[8];
  struct iovec ri0 = {r0, sizeof r0}, ri1 = {r1, sizeof r1};
  struct mmsghdr rm[2];
  memset(rm, 0, sizeof rm);
  rm[0].msg_hdr.msg_iov = &ri0;
  rm[0].msg_hdr.msg_iovlen = 1;
  rm[1].msg_hdr.msg_iov = &ri1;
  rm[1].msg_hdr.msg_iovlen = 1;
  recvmmsg(sv[1], rm, 2, MSG_DONTWAIT, NULL);

  // Socket options of several levels, set and get.
  int one = 1;
  setsockopt(tcp, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  setsockopt(tcp, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  setsockopt(udp6, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
  setsockopt(tcp, IPPROTO_IP, IP_TOS, &one, sizeof one);
  struct linger lg = {1, 5};
  setsockopt(tcp, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
  setsockopt(tcp, SOL_SOCKET, SO_BINDTODEVICE, "lo", 3);
  int val = 0;
  socklen_t vlen = sizeof val;
  getsockopt(tcp, SOL_SOCKET, SO_TYPE, &val, &vlen);
  vlen = sizeof val;
  getsockopt(tcp, SOL_SOCKET, SO_ERROR, &val, &vlen);
  vlen = sizeof lg;
  getsockopt(tcp, SOL_SOCKET, SO_LINGER, &lg, &vlen);
  char big[64];
  vlen = sizeof big;
  getsockopt(tcp, SOL_SOCKET, SO_REUSEADDR, big, &vlen);
  getsockopt(tcp, SOL_SOCKET, 9999, big, &vlen);
  setsockopt(tcp, 9999, 1, &one, sizeof one);
  shutdown(cli, SHUT_WR);
  shutdown(cli, 7);

  // Hostile arguments: lengths too long or short, unreadable pointers, unknown families.
  in.sin_family = 46;
  connect(tcp, (struct sockaddr*)&in, sizeof in);
  connect(tcp, (struct sockaddr*)&in, 1);
  static char wide[1000];
  memcpy(wide, &in, sizeof in);
  connect(tcp, (struct sockaddr*)wide, sizeof wide);
  connect(tcp, (struct sockaddr*)16, 16);
  connect(tcp, NULL, 0);
  sendto(cli, (void*)16, 0x80000000u, 0x7fffffff, (struct sockaddr*)16, 16);
  struct msghdr bad = {0};
  bad.msg_iov = (struct iovec*)16;
  bad.msg_iovlen = (size_t)1 << 30;
  sendmsg(sv[0], &bad, 0);
  recvmsg(sv[1], (struct msghdr*)16, 0);
  bad.msg_iov = &riov;
  bad.msg_iovlen = 1;
  bad.msg_control = (void*)16;
  bad.msg_controllen = 1u << 31;
  sendmsg(sv[0], &bad, 0);
  getsockname(srv, (struct sockaddr*)&got, (socklen_t*)16);
  close(acc);
  close(cli);
  close(srv);
  return 0;
}
