// Control messages of sendmsg/recvmsg as strace's msghdr.c prints them: SOL_IP payloads by
// type, and arrays of payload elements cut at -s unless -v.
#include <arpa/inet.h>
#include <fmt/format.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <array>
#include <cstring>
#include <string>

#include "decoded_line.h"

namespace ptk::sys {
namespace {

std::uint64_t addr(const void* p) { return reinterpret_cast<std::uintptr_t>(p); }

// One control message of `level`/`type` carrying `data` in a msghdr; sendmsg(-1, msg, 0).
std::string sendmsg_line(int level, int type, const void* data, std::size_t len,
                         const DecodeOptions& opts = {}) {
  alignas(cmsghdr) static std::array<unsigned char, 4096> control;
  control.fill(0);
  auto* c = reinterpret_cast<cmsghdr*>(control.data());
  c->cmsg_len = CMSG_LEN(len);
  c->cmsg_level = level;
  c->cmsg_type = type;
  std::memcpy(CMSG_DATA(c), data, len);
  static msghdr m;
  m = msghdr{};
  m.msg_control = control.data();
  m.msg_controllen = CMSG_SPACE(len);
  return decoded_line(Arch::X86_64, "sendmsg", {static_cast<std::uint64_t>(-1), addr(&m), 0}, -9,
                      opts);
}

TEST(Cmsg, IpPktinfo) {
  in_pktinfo info{};
  info.ipi_ifindex = 0;
  inet_pton(AF_INET, "1.2.3.4", &info.ipi_spec_dst);
  inet_pton(AF_INET, "5.6.7.8", &info.ipi_addr);
  std::string line = sendmsg_line(SOL_IP, IP_PKTINFO, &info, sizeof info);
  EXPECT_NE(line.find("cmsg_type=IP_PKTINFO, cmsg_data={ipi_ifindex=0, "
                      "ipi_spec_dst=inet_addr(\"1.2.3.4\"), ipi_addr=inet_addr(\"5.6.7.8\")}}"),
            std::string::npos)
      << line;
}

TEST(Cmsg, IpOptionBytesAndTheirLimit) {
  std::array<unsigned char, 40> bytes{};
  for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<unsigned char>(0x41 + i);
  std::string tos = sendmsg_line(SOL_IP, IP_TOS, bytes.data(), 1);
  EXPECT_NE(tos.find("cmsg_type=IP_TOS, cmsg_data=[0x41]}"), std::string::npos) << tos;
  DecodeOptions s4;
  s4.string_limit = 4;
  std::string cut = sendmsg_line(SOL_IP, IP_RETOPTS, bytes.data(), bytes.size(), s4);
  EXPECT_NE(cut.find("cmsg_data=[0x41, 0x42, 0x43, 0x44, ...]}"), std::string::npos) << cut;
  s4.verbose = true;
  std::string all = sendmsg_line(SOL_IP, IP_RETOPTS, bytes.data(), bytes.size(), s4);
  EXPECT_NE(all.find("0x67, 0x68]}"), std::string::npos) << all;
}

TEST(Cmsg, TypeThreeOfSolIpIsNamedAsStraceNamesIt) {
  std::string line = sendmsg_line(SOL_IP, 3, "x", 0);
  EXPECT_NE(line.find("cmsg_type=SCM_SECURITY}"), std::string::npos) << line;
}

// setsockopt(MCAST_JOIN_GROUP): struct group_req, whole or its address (group_req.test).
TEST(Sockopt, GroupReq) {
  group_req req{};
  req.gr_interface = 0;
  auto* in = reinterpret_cast<sockaddr_in*>(&req.gr_group);
  in->sin_family = AF_INET;
  in->sin_port = htons(1);
  inet_pton(AF_INET, "224.0.0.3", &in->sin_addr);
  std::string line = decoded_line(Arch::X86_64, "setsockopt",
                                  {3, SOL_IP, MCAST_JOIN_GROUP, addr(&req), sizeof req}, 0);
  EXPECT_EQ(line,
            "setsockopt(3, SOL_IP, MCAST_JOIN_GROUP, {gr_interface=0, gr_group={sa_family=AF_INET, "
            "sin_port=htons(1), sin_addr=inet_addr(\"224.0.0.3\")}}, 136) = 0");
  std::string short_one =
      decoded_line(Arch::X86_64, "setsockopt", {3, SOL_IP, MCAST_JOIN_GROUP, addr(&req), 135}, -22);
  EXPECT_NE(short_one.find(fmt::format("MCAST_JOIN_GROUP, {:#x}, 135)", addr(&req))),
            std::string::npos)
      << short_one;
}

}  // namespace
}  // namespace ptk::sys
