// The argument printers of io_uring_register(2)'s opcodes (io_uring_register*.cpp), for its
// decoder. Each prints at entry; the two whose argument the kernel writes back (PROBE,
// IOWQ_MAX_WORKERS) print again at exit and return whether they want to.
#pragma once

#include <cstdint>

#include "ptk/sys/decode.h"

namespace ptk::sys::uring {

// What a printer that runs at entry and exit keeps in DecodedSyscall::priv between them.
constexpr std::uint64_t kMoreAtExit = 1;    // the argument prints again at exit
constexpr std::uint64_t kShownAtEntry = 2;  // PROBE: the entry showed the struct (" => " next)

// struct io_uring_files_update (IORING_REGISTER_FILES_UPDATE).
void files_update(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t n);
// The array of struct io_uring_restriction (IORING_REGISTER_RESTRICTIONS).
void restrictions(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t n);
// struct io_uring_rsrc_register (FILES2, BUFFERS2) and io_uring_rsrc_update2 (FILES_UPDATE2,
// BUFFERS_UPDATE); `size` is nr_args, the caller's size of the struct.
void rsrc_register(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t size, std::uint32_t opcode);
void rsrc_update(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t size, std::uint32_t opcode);
// The array of struct io_uring_rsrc_update of IORING_(UN)REGISTER_RING_FDS.
void ring_fds(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t n, bool unregister);
// struct io_uring_buf_reg (IORING_(UN)REGISTER_PBUF_RING).
void buf_reg(DecodeCtx& ctx, std::uint64_t addr);
// struct io_uring_probe with n ops (IORING_REGISTER_PROBE), at entry and at exit.
void probe(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t n);
// The u32 array of IORING_REGISTER_IOWQ_MAX_WORKERS indexed by IO_WQ_*, at entry and exit.
void iowq_max_workers(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t n);

// Shared by the printers: an array of file descriptors where, when `skip` is set, -2 is
// IORING_REGISTER_FILES_SKIP; an array of iovecs shown by address; "0x..." of a number as C's
// %#x prints it (0 as 0).
void fd_array(DecodeCtx& ctx, std::uint64_t addr, std::uint64_t n, bool skip);
void iovec_addresses(DecodeCtx& ctx, std::uint64_t addr, std::uint64_t n);
std::string hex_text(std::uint64_t v);

}  // namespace ptk::sys::uring
