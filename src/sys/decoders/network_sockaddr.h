// Socket addresses as strace prints them: {sa_family=AF_INET, sin_port=htons(80), ...}.
#pragma once

#include <cstdint>

#include "families.h"

namespace ptk::sys::dec {

// The sockaddr of `len` bytes at addr (len is bounded by sizeof(struct sockaddr_storage));
// NULL, a length under 2 or an unreadable address print as the address. Returns the family,
// or -1 when nothing was decoded.
int print_sockaddr(DecodeCtx& ctx, std::uint64_t addr, std::int64_t len);

// An IPv4 or IPv6 address in the form strace shows: inet_addr("127.0.0.1").
// xlevel: -x/-xx quote the address text as they quote any string (strace's -xx: all hex).
void print_inet_addr(TokenList& out, int family, const unsigned char* bytes, int xlevel);

// An interface index as strace shows it: if_nametoindex("lo") when the tracer knows the name.
void print_ifindex(TokenList& o, std::uint32_t index);

}  // namespace ptk::sys::dec
