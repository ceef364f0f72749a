// The file family's decoders and struct printers, spread over file_*.cpp and listed together
// in file.cpp.
#pragma once

#include <cstdint>

#include "decoders/families.h"

namespace ptk::sys::ffam {

// file_stat.cpp: struct stat of the tracee's ABI, i386's stat64 and __old_kernel_stat, statx,
// statfs, statfs64.
void print_stat(DecodeCtx& ctx, std::uint64_t addr);
void print_stat64(DecodeCtx& ctx, std::uint64_t addr);
void print_old_stat(DecodeCtx& ctx, std::uint64_t addr);  // i386's __old_kernel_stat
void print_statx(DecodeCtx& ctx, std::uint64_t addr);
void print_statfs(DecodeCtx& ctx, std::uint64_t addr);
// statfs64 comes with its size argument: any size but the kernel's prints the address.
void print_statfs64(DecodeCtx& ctx, std::uint64_t addr, std::uint64_t size);
void decode_statx(DecodeCtx& ctx);
void decode_statfs64(DecodeCtx& ctx);
void decode_ustat(DecodeCtx& ctx);

// file_mq.cpp: mq_open and struct mq_attr.
void decode_mq_open(DecodeCtx& ctx);

// file_xattr.cpp
void decode_setxattr(DecodeCtx& ctx);   // and lsetxattr, fsetxattr
void decode_getxattr(DecodeCtx& ctx);   // and lgetxattr, fgetxattr
void decode_listxattr(DecodeCtx& ctx);  // and llistxattr, flistxattr
void print_mq_attr(DecodeCtx& ctx, std::uint64_t addr);
void print_mq_attr_open(DecodeCtx& ctx, std::uint64_t addr);  // mq_flags in hex

// file_swap.cpp: swapon's flags and priority.
void decode_swapon(DecodeCtx& ctx);

// file_dirent.cpp: getdents and getdents64.
void decode_getdents(DecodeCtx& ctx);
void decode_getdents64(DecodeCtx& ctx);

// file_time.cpp: the time arguments of utimensat, utimes, futimesat and utime.
void print_timespec_pair(DecodeCtx& ctx, std::uint64_t addr);
void print_timespec64_pair(DecodeCtx& ctx, std::uint64_t addr);
void print_timeval_pair(DecodeCtx& ctx, std::uint64_t addr);
void print_utimbuf(DecodeCtx& ctx, std::uint64_t addr);

}  // namespace ptk::sys::ffam
