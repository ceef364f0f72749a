// Socket addresses as strace prints them: {sa_family=AF_INET, sin_port=htons(80), ...}.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "decoders/families.h"

namespace ptk::sys::dec {

// The sockaddr of `len` bytes at addr (len is bounded by sizeof(struct sockaddr_storage));
// NULL, a length under 2 or an unreadable address print as the address. Returns the family,
// or -1 when nothing was decoded.
int print_sockaddr(DecodeCtx& ctx, std::uint64_t addr, std::int64_t len);

// An IPv4 or IPv6 address in the form strace shows: inet_addr("127.0.0.1"), its bytes with
// -X raw. xlevel: -x/-xx quote the address text as they quote any string (strace's -xx: all
// hex). An IPv6 address carries its own field name `var` (inet_pton(AF_INET6, "::1",
// &sin6_addr) by default, sin6_addr="\x00..." with -X raw); an IPv4 one follows the caller's.
void print_inet_addr(TokenList& out, int family, const unsigned char* bytes, int xlevel,
                     std::string_view var = "sin6_addr");

// A port in network order: htons(80), its two bytes with -X raw.
void print_net_port(TokenList& o, const unsigned char* bytes);
// The fields after sa_family of a sockaddr_in and a sockaddr_in6 of `len` bytes at buf.
void print_sockaddr_in(DecodeCtx& ctx, TokenList& o, const unsigned char* buf);
void print_sockaddr_in6(DecodeCtx& ctx, TokenList& o, const unsigned char* buf, std::size_t len);

// The fields after sa_family of the families network_sockaddr_more.cpp knows (Bluetooth,
// RxRPC, IEEE 802.15.4, AF_ALG, NFC, vsock, Qualcomm IPC router, XDP, MCTP); false when the
// family is not one of them or `len` is too short for its struct (sa_data is then shown).
// buf holds `len` bytes and zeros up to sizeof(struct sockaddr_storage).
bool print_sockaddr_more(DecodeCtx& ctx, int family, const unsigned char* buf, std::size_t len);
// The same for the families of network_sockaddr_legacy.cpp: AX.25, IPX and X.25.
bool print_sockaddr_legacy(DecodeCtx& ctx, int family, const unsigned char* buf, std::size_t len);
// The bytes after sa_family as strace's raw form: sa_data="...".
void print_sockaddr_data(TokenList& o, const unsigned char* buf, std::size_t len);

// An interface index as strace shows it: if_nametoindex("lo") when the tracer knows the name.
void print_ifindex(TokenList& o, std::uint32_t index);

}  // namespace ptk::sys::dec
