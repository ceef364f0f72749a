// The family of the decoders of misc_decoders.h.
#include "decoders/families.h"
#include "decoders/process/process_util.h"
#include "misc_decoders.h"

namespace ptk::sys {
namespace {

using pfam::fresh;  // decoders that print at exit too

// Decoders that print everything at entry.
template <DecoderFn F>
void at_entry(DecodeCtx& ctx) {
  if (ctx.entering()) fresh<F>(ctx);
}

constexpr DecoderEntry kDecoders[] = {
    {"add_key", at_entry<decode_add_key>},
    {"bpf", fresh<decode_bpf>},
    {"fanotify_init", at_entry<decode_fanotify_init>},
    {"fanotify_mark", at_entry<decode_fanotify_mark>},
    {"get_mempolicy", fresh<decode_get_mempolicy>},
    {"io_uring_enter", at_entry<decode_io_uring_enter>},
    {"io_uring_register", fresh<decode_io_uring_register>},
    {"io_uring_setup", fresh<decode_io_uring_setup>},
    {"kexec_file_load", at_entry<decode_kexec_file_load>},
    {"keyctl", fresh<decode_keyctl>},
    {"kexec_load", at_entry<decode_kexec_load>},
    {"landlock_add_rule", at_entry<decode_landlock_add_rule>},
    {"landlock_create_ruleset", at_entry<decode_landlock_create_ruleset>},
    {"landlock_restrict_self", at_entry<decode_landlock_restrict_self>},
    {"mbind", at_entry<decode_mbind>},
    {"memfd_create", at_entry<decode_memfd_create>},
    {"memfd_secret", at_entry<decode_memfd_secret>},
    {"move_pages", fresh<decode_move_pages>},
    {"process_madvise", at_entry<decode_process_madvise>},
    {"quotactl", fresh<decode_quotactl>},
    {"quotactl_fd", fresh<decode_quotactl_fd>},
    {"request_key", at_entry<decode_request_key>},
    {"set_mempolicy", at_entry<decode_set_mempolicy>},
    {"userfaultfd", at_entry<decode_userfaultfd>},
};

}  // namespace

Family misc_family() { return {kDecoders, {}}; }

}  // namespace ptk::sys
