// Control message payloads (see network_cmsg.h).
#include "network_cmsg.h"

#include <fmt/format.h>
#include <sys/socket.h>

#include <algorithm>
#include <cstring>
#include <string_view>

#include "decoders/time/time_util.h"
#include "network_sockaddr.h"

namespace ptk::sys::dec {
namespace {

// strace's print_local_array for payload elements of `size` bytes: at most -s of them (all
// with -v), then "...".
template <typename Fn>
void int_array(DecodeCtx& ctx, const unsigned char* data, std::size_t n, std::size_t size,
               Fn each) {
  TokenList& o = ctx.out();
  o.begin_array();
  std::size_t shown = ctx.options().verbose ? n : std::min(n, ctx.options().string_limit);
  for (std::size_t i = 0; i < shown; ++i) each(data + i * size);
  o.end_array(shown < n);
}

// SO_TIMESTAMP{,NS,ING}_{OLD,NEW}: the _OLD ones in the tracee's longs, the _NEW ones 64-bit.
bool is_scm_timestamp(int type) {
  return type == 29 || type == 35 || type == 37 || type == 63 || type == 64 || type == 65;
}

// A timeval (usec) or timespec of `word` bytes a field; false when len is short.
std::int64_t read_word(const unsigned char* p, int word) {
  if (word == 4) {
    std::int32_t v;
    std::memcpy(&v, p, 4);
    return v;
  }
  std::int64_t v;
  std::memcpy(&v, p, 8);
  return v;
}

void print_scm_timestamp(DecodeCtx& ctx, int type, const unsigned char* data, std::size_t len) {
  TokenList& o = ctx.out();
  int word = type >= 63 ? 8 : ctx.word_size();
  bool usec = type == 29 || type == 63;
  std::size_t count = type == 37 || type == 65 ? 3 : 1;
  auto size = static_cast<std::size_t>(2 * word);
  if (len < size * count) {
    o.raw("???");
    return;
  }
  if (count > 1) o.begin_array();
  for (std::size_t i = 0; i < count; ++i) {
    const unsigned char* p = data + i * size;
    o.begin_struct();
    o.field("tv_sec");
    o.int_(read_word(p, word));
    o.field(usec ? "tv_usec" : "tv_nsec");
    o.int_(read_word(p + word, word));
    o.end_struct();
  }
  if (count > 1) o.end_array();
}

// The data of a SOL_IP control message, each type only when it is long enough for strace to
// print it (msghdr.c's table of printers and minimum lengths).
void print_ip_cmsg(DecodeCtx& ctx, int type, const unsigned char* data, std::size_t len,
                   std::uint64_t data_addr) {
  TokenList& o = ctx.out();
  constexpr int kIpTos = 1, kIpTtl = 2, kIpRecvopts = 6, kIpRetopts = 7, kIpPktinfo = 8,
                kIpRecverr = 11, kIpOrigdstaddr = 20, kIpChecksum = 23;
  constexpr std::size_t kSockaddrIn = 16, kSockaddrStorage = 128;
  if ((type == kIpTtl || type == kIpChecksum) && len >= 4) {
    o.field("cmsg_data");
    int_array(ctx, data, len / 4, 4, [&](const unsigned char* p) {
      std::uint32_t v;
      std::memcpy(&v, p, 4);
      o.uint_(v);
    });
  } else if ((type == kIpTos || type == kIpRecvopts || type == kIpRetopts) && len >= 1) {
    o.field("cmsg_data");
    int_array(ctx, data, len, 1, [&](const unsigned char* p) { o.hex(*p); });
  } else if (type == kIpPktinfo && len >= 12) {
    // struct in_pktinfo: int ipi_ifindex; struct in_addr ipi_spec_dst, ipi_addr.
    std::uint32_t ifindex;
    std::memcpy(&ifindex, data, 4);
    o.field("cmsg_data");
    o.begin_struct();
    o.field("ipi_ifindex");
    print_ifindex(o, ifindex);
    o.field("ipi_spec_dst");
    print_inet_addr(o, AF_INET, data + 4, ctx.options().xlevel);
    o.field("ipi_addr");
    print_inet_addr(o, AF_INET, data + 8, ctx.options().xlevel);
    o.end_struct();
  } else if (type == kIpRecverr && len >= 16 + kSockaddrIn) {
    // struct sock_extended_err (errno, origin, type, code, pad, info, data), then the
    // offender's sockaddr_in.
    std::uint32_t err, info, extra;
    std::memcpy(&err, data, 4);
    std::memcpy(&info, data + 8, 4);
    std::memcpy(&extra, data + 12, 4);
    o.field("cmsg_data");
    o.begin_struct();
    o.field("ee_errno");
    o.uint_(err);
    static constexpr std::string_view kBytes[] = {"ee_origin", "ee_type", "ee_code"};
    for (std::size_t i = 0; i < 3; ++i) {
      o.field(kBytes[i]);
      o.uint_(data[4 + i]);
    }
    o.field("ee_info");
    o.uint_(info);
    o.field("ee_data");
    o.uint_(extra);
    o.field("offender");
    print_sockaddr(ctx, data_addr + 16, kSockaddrIn);
    o.end_struct();
  } else if (type == kIpOrigdstaddr && len >= kSockaddrIn) {
    o.field("cmsg_data");
    print_sockaddr(ctx, data_addr, static_cast<std::int64_t>(std::min(len, kSockaddrStorage)));
  }
}

}  // namespace

void print_cmsg_data(DecodeCtx& ctx, int level, int type, const unsigned char* data,
                     std::size_t len, std::uint64_t data_addr) {
  TokenList& o = ctx.out();
  constexpr int kSolSocket = 1, kSolIp = 0;
  if (level == kSolSocket) {
    xval(o, "scm_type", static_cast<std::uint32_t>(type));
    if (type == 1 && len >= 4) {  // SCM_RIGHTS
      o.field("cmsg_data");
      int_array(ctx, data, len / 4, 4, [&](const unsigned char* p) {
        std::int32_t fd;
        std::memcpy(&fd, p, 4);
        ctx.fd(fd);
      });
    } else if (type == 2 && len >= 12) {  // SCM_CREDENTIALS
      std::int32_t pid;
      std::uint32_t uid, gid;
      std::memcpy(&pid, data, 4);
      std::memcpy(&uid, data + 4, 4);
      std::memcpy(&gid, data + 8, 4);
      o.field("cmsg_data");
      o.begin_struct();
      o.field("pid");
      o.int_(pid);
      o.field("uid");
      o.uint_(uid);
      o.field("gid");
      o.uint_(gid);
      o.end_struct();
    } else if (is_scm_timestamp(type) && len >= 1) {
      o.field("cmsg_data");
      print_scm_timestamp(ctx, type, data, len);
    } else if (type == 3 && len >= 1) {  // SCM_SECURITY
      o.field("cmsg_data");
      o.str(std::string_view(reinterpret_cast<const char*>(data), len));
    }
  } else if (level == kSolIp) {
    xval(o, "ip_cmsg_type", static_cast<std::uint32_t>(type));
    print_ip_cmsg(ctx, type, data, len, data_addr);
  } else {
    o.hex(static_cast<std::uint32_t>(type));
  }
}

}  // namespace ptk::sys::dec
