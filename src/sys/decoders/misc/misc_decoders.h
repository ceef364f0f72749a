// Decoders of smaller families that have no file of their own elsewhere: keys (add_key, keyctl,
// request_key), fanotify, memfd, landlock, userfaultfd, kexec, process_madvise, NUMA policies,
// io_uring, quotactl.
// misc.cpp lists them.
#pragma once

#include <cstdint>

#include "ptk/sys/decode.h"

namespace ptk::sys {

void decode_add_key(DecodeCtx& ctx);
void decode_request_key(DecodeCtx& ctx);
// keyctl.cpp: keyctl(2), its arguments by command.
void decode_keyctl(DecodeCtx& ctx);
void decode_fanotify_init(DecodeCtx& ctx);
void decode_fanotify_mark(DecodeCtx& ctx);
void decode_memfd_create(DecodeCtx& ctx);
void decode_memfd_secret(DecodeCtx& ctx);
void decode_userfaultfd(DecodeCtx& ctx);
void decode_landlock_create_ruleset(DecodeCtx& ctx);
void decode_landlock_add_rule(DecodeCtx& ctx);
void decode_landlock_restrict_self(DecodeCtx& ctx);
void decode_kexec_load(DecodeCtx& ctx);
void decode_kexec_file_load(DecodeCtx& ctx);
void decode_process_madvise(DecodeCtx& ctx);
void decode_set_mempolicy(DecodeCtx& ctx);
void decode_get_mempolicy(DecodeCtx& ctx);
void decode_mbind(DecodeCtx& ctx);
void decode_move_pages(DecodeCtx& ctx);
void decode_io_uring_setup(DecodeCtx& ctx);
void decode_io_uring_enter(DecodeCtx& ctx);
// io_uring_register.cpp
void decode_io_uring_register(DecodeCtx& ctx);
// bpf/bpf.cpp
void decode_bpf(DecodeCtx& ctx);
void decode_quotactl(DecodeCtx& ctx);
void decode_quotactl_fd(DecodeCtx& ctx);
// quota_xfs.cpp, for quota.cpp.
void print_fs_disk_quota(DecodeCtx& ctx, std::uint64_t addr);
void print_fs_quota_stat(DecodeCtx& ctx, std::uint64_t addr);
void print_fs_quota_statv(DecodeCtx& ctx, std::uint64_t addr);

}  // namespace ptk::sys
