// NETLINK_SOCK_DIAG: the per-family request and response decoders and what they share.
#pragma once

#include <cstdint>

#include "nl.h"

namespace ptk::sys::nl {

// [N, N]: a sock_diag cookie.
void print_cookie(TokenList& o, const std::uint32_t (&cookie)[2]);
// 1<<TCP_LISTEN|1<<TCP_CLOSE: a mask whose bits are the values of `table`.
void print_shift_flags(TokenList& o, std::string_view table, std::uint32_t value,
                       std::string_view unknown);
// The rest of a diag struct of `size` bytes after its family byte: false when len is short
// ("...") or unreadable (the address).
bool read_diag(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, void* out, std::size_t size);

void inet_diag_req(DecodeCtx& ctx, const Msg& m, std::uint8_t family, std::uint64_t addr,
                   std::uint32_t len);
void inet_diag_msg(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len);
void smc_diag_req(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len);
void smc_diag_msg(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len);
void packet_diag_req(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len);
void packet_diag_msg(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len);
void unix_diag_req(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len);
void unix_diag_msg(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len);
void netlink_diag_req(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len);
void netlink_diag_msg(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len);

// The SMC_DIAG_* attribute decoders.
std::span<const AttrFn> smc_diag_decoders();

// SK_MEMINFO_* array: [[SK_MEMINFO_RMEM_ALLOC]=N, ...].
bool attr_meminfo(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void* opaque);

}  // namespace ptk::sys::nl
