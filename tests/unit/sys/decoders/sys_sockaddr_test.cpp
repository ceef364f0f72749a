// Socket addresses, classic BPF socket filters and bounded buffers decoded from this process's
// memory as strace 6.1 prints them, in each -X style.
#include <arpa/inet.h>
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <string>

#include "decoded_line.h"

namespace ptk::sys {
namespace {

std::uint64_t addr(const void* p) { return reinterpret_cast<std::uintptr_t>(p); }

std::string connect_line(const void* sa, std::size_t len, ConstNames style) {
  return decoded_line(Arch::X86_64, "connect", {static_cast<std::uint64_t>(-1), addr(sa), len},
                      -EBADF, {}, style);
}

constexpr std::string_view kEbadf = " = -1 EBADF (Bad file descriptor)";

TEST(SysSockaddr, InetInEveryStyle) {
  sockaddr_in in{};
  in.sin_family = AF_INET;
  in.sin_port = htons(12345);
  in.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  EXPECT_EQ(connect_line(&in, sizeof in, ConstNames::Abbrev),
            std::string("connect(-1, {sa_family=AF_INET, sin_port=htons(12345), "
                        "sin_addr=inet_addr(\"127.0.0.1\")}, 16)") +
                std::string(kEbadf));
  EXPECT_EQ(connect_line(&in, sizeof in, ConstNames::Raw),
            std::string("connect(-1, {sa_family=0x2, sin_port=\"\\x30\\x39\", "
                        "sin_addr=\"\\x7f\\x00\\x00\\x01\"}, 16)") +
                std::string(kEbadf));
  EXPECT_EQ(connect_line(&in, sizeof in, ConstNames::Verbose),
            std::string("connect(-1, {sa_family=0x2 /* AF_INET */, sin_port=\"\\x30\\x39\" /* "
                        "htons(12345) */, sin_addr=\"\\x7f\\x00\\x00\\x01\" /* "
                        "inet_addr(\"127.0.0.1\") */}, 16)") +
                std::string(kEbadf));
}

TEST(SysSockaddr, Inet6NamesItsFieldOnlyWithRawBytes) {
  sockaddr_in6 in6{};
  in6.sin6_family = AF_INET6;
  in6.sin6_port = htons(1);
  in6.sin6_addr = in6addr_loopback;
  std::string zeros = "\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00";
  EXPECT_EQ(connect_line(&in6, 24, ConstNames::Abbrev),
            "connect(-1, {sa_family=AF_INET6, sin6_port=htons(1), sin6_flowinfo=htonl(0), "
            "inet_pton(AF_INET6, \"::1\", &sin6_addr)}, 24)" +
                std::string(kEbadf));
  EXPECT_EQ(connect_line(&in6, 24, ConstNames::Verbose),
            "connect(-1, {sa_family=0xa /* AF_INET6 */, sin6_port=\"\\x00\\x01\" /* htons(1) */, "
            "sin6_flowinfo=\"\\x00\\x00\\x00\\x00\" /* htonl(0) */, sin6_addr=\"" +
                zeros + "\\x01\" /* inet_pton(AF_INET6, \"::1\") */}, 24)" + std::string(kEbadf));
}

TEST(SysSockaddr, BluetoothByLength) {
  unsigned char rc[10] = {AF_BLUETOOTH, 0, 'a', 'b', 'c', 'd', 'e', 'f', 42, 0};
  EXPECT_EQ(connect_line(rc, 8, ConstNames::Abbrev),
            "connect(-1, {sa_family=AF_BLUETOOTH, sco_bdaddr=61:62:63:64:65:66}, 8)" +
                std::string(kEbadf));
  EXPECT_EQ(connect_line(rc, 10, ConstNames::Raw),
            "connect(-1, {sa_family=0x1f, rc_bdaddr=\"\\x61\\x62\\x63\\x64\\x65\\x66\", "
            "rc_channel=42}, 10)" +
                std::string(kEbadf));
  EXPECT_EQ(connect_line(rc, 9, ConstNames::Abbrev),
            "connect(-1, {sa_family=AF_BLUETOOTH, sa_data=\"abcdef*\"}, 9)" + std::string(kEbadf));
}

TEST(SysSockaddr, VsockAndXdpFlags) {
  unsigned char vm[16] = {AF_VSOCK & 0xff, 0};
  const std::uint32_t port = 0xffffffff, cid = 2;
  std::memcpy(vm + 4, &port, 4);
  std::memcpy(vm + 8, &cid, 4);
  vm[12] = 0xef;
  EXPECT_EQ(connect_line(vm, 16, ConstNames::Abbrev),
            "connect(-1, {sa_family=AF_VSOCK, svm_cid=VMADDR_CID_HOST, svm_port=VMADDR_PORT_ANY, "
            "svm_flags=VMADDR_FLAG_TO_HOST|0xee}, 16)" +
                std::string(kEbadf));
  EXPECT_EQ(connect_line(vm, 16, ConstNames::Verbose),
            "connect(-1, {sa_family=0x28 /* AF_VSOCK */, svm_cid=0x2 /* VMADDR_CID_HOST */, "
            "svm_port=0xffffffff /* VMADDR_PORT_ANY */, svm_flags=0xef /* "
            "VMADDR_FLAG_TO_HOST|0xee */}, 16)" +
                std::string(kEbadf));
  unsigned char xdp[16] = {AF_XDP & 0xff, 0, 0xd0, 0xba};
  EXPECT_EQ(connect_line(xdp, 16, ConstNames::Abbrev),
            "connect(-1, {sa_family=AF_XDP, sxdp_flags=0xbad0 /* XDP_??? */, sxdp_ifindex=0, "
            "sxdp_queue_id=0}, 16)" +
                std::string(kEbadf));
}

TEST(SysSockaddr, AlgNamesAndExplainedFlags) {
  unsigned char alg[32] = {AF_ALG & 0xff, 0, 'h', 'a', 's', 'h'};
  const std::uint32_t feat = 0x1001;
  std::memcpy(alg + 16, &feat, 4);
  std::memcpy(alg + 24, "sha1", 4);
  EXPECT_EQ(connect_line(alg, 32, ConstNames::Abbrev),
            "connect(-1, {sa_family=AF_ALG, salg_type=\"hash\", salg_feat=0x1001 /* "
            "CRYPTO_ALG_KERN_DRIVER_ONLY|0x1 */, salg_mask=0, salg_name=\"sha1\"}, 32)" +
                std::string(kEbadf));
  EXPECT_EQ(connect_line(alg, 32, ConstNames::Raw),
            "connect(-1, {sa_family=0x26, salg_type=\"hash\", salg_feat=0x1001, salg_mask=0, "
            "salg_name=\"sha1\"}, 32)" +
                std::string(kEbadf));
}

TEST(SysSockaddr, RxrpcOverInet) {
  unsigned char rx[36] = {AF_RXRPC & 0xff, 0, 1, 0, SOCK_DGRAM, 0, 16, 0, AF_INET, 0, 0, 80};
  rx[12] = 10;
  rx[15] = 1;
  EXPECT_EQ(connect_line(rx, 36, ConstNames::Abbrev),
            "connect(-1, {sa_family=AF_RXRPC, srx_service=0x1 /* CM_SERVICE */, "
            "transport_type=SOCK_DGRAM, transport_len=16, transport={sin={sin_family=AF_INET, "
            "sin_port=htons(80), sin_addr=inet_addr(\"10.0.0.1\")}}}, 36)" +
                std::string(kEbadf));
}

TEST(SysSockaddr, OldFamilies) {
  unsigned char ipx[16] = {AF_IPX, 0,   0x30, 0x39, 0xfa, 0xce, 0xfe, 0xed,
                           'A',    'B', 'C',  'D',  'E',  'F',  0xff, 0};
  EXPECT_EQ(
      connect_line(ipx, 16, ConstNames::Abbrev),
      "connect(-1, {sa_family=AF_IPX, sipx_port=htons(12345), sipx_network=htonl(0xfacefeed), "
      "sipx_node=[0x41, 0x42, 0x43, 0x44, 0x45, 0x46], sipx_type=0xff}, 16)" +
          std::string(kEbadf));
  unsigned char x25[18] = {AF_X25, 0, '0', '1', '2', '3'};
  EXPECT_EQ(
      connect_line(x25, 18, ConstNames::Abbrev),
      "connect(-1, {sa_family=AF_X25, sx25_addr={x25_addr=\"0123\"}}, 18)" + std::string(kEbadf));
  // VALID-13, no digipeaters; then one claimed digipeater that the length leaves out.
  unsigned char ax[16] = {AF_AX25,  0,        'V' << 1, 'A' << 1, 'L' << 1,
                          'I' << 1, 'D' << 1, ' ' << 1, 13 << 1};
  EXPECT_EQ(connect_line(ax, 16, ConstNames::Abbrev),
            "connect(-1, {sa_family=AF_AX25, sax25_call=VALID-13, sax25_ndigis=0}, 16)" +
                std::string(kEbadf));
  EXPECT_EQ(
      connect_line(ax, 16, ConstNames::Raw),
      "connect(-1, {sa_family=0x3, sax25_call={ax25_call=\"\\xac\\x82\\x98\\x92\\x88\\x40\\x1a\"}, "
      "sax25_ndigis=0}, 16)" +
          std::string(kEbadf));
  ax[12] = 1;
  EXPECT_EQ(connect_line(ax, 16, ConstNames::Abbrev),
            "connect(-1, {sa_family=AF_AX25, fsa_ax25={sax25_call=VALID-13, sax25_ndigis=1}, "
            "fsa_digipeater=[...]}, 16)" +
                std::string(kEbadf));
}

TEST(SysSockaddr, BluetoothL2) {
  unsigned char l2[14] = {AF_BLUETOOTH, 0, 0x39, 0x30, 'a', 'b', 'c', 'd', 'e', 'f', 1, 0, 2};
  EXPECT_EQ(connect_line(l2, 14, ConstNames::Abbrev),
            "connect(-1, {sa_family=AF_BLUETOOTH, l2_psm=htobs(L2CAP_PSM_DYN_START+8248), "
            "l2_bdaddr=61:62:63:64:65:66, l2_cid=htobs(L2CAP_CID_SIGNALING), "
            "l2_bdaddr_type=BDADDR_LE_RANDOM}, 14)" +
                std::string(kEbadf));
  std::string verbose = connect_line(l2, 12, ConstNames::Verbose);
  EXPECT_NE(verbose.find("l2_psm=htobs(0x3039 /* L2CAP_PSM_DYN_START+8248 */), l2_bdaddr=\"\\x61"),
            std::string::npos)
      << verbose;
}

TEST(SysSockaddr, BufferEndingAtItsMappingPrintsAsAddress) {
  long page = ::sysconf(_SC_PAGESIZE);
  void* map = ::mmap(nullptr, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  ASSERT_NE(map, MAP_FAILED);
  auto* second = static_cast<char*>(map) + page;
  ASSERT_EQ(::munmap(second, page), 0);
  char* tail = second - 32;  // the last 32 bytes of the mapping
  std::memset(tail, 'x', 32);
  // -s 32 shows 32 bytes, but strace reads one more to know whether there are: that one faults.
  EXPECT_EQ(decoded_line(Arch::X86_64, "write", {1, addr(tail), 33}, 33),
            "write(1, " + fmt::format("{:#x}", addr(tail)) + ", 33) = 33");
  EXPECT_EQ(decoded_line(Arch::X86_64, "write", {1, addr(tail), 32}, 32),
            "write(1, \"" + std::string(32, 'x') + "\", 32) = 32");
  ::munmap(map, page);
}

}  // namespace
}  // namespace ptk::sys
