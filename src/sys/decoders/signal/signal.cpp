// Decoders of the signal family: dispositions, masks, alternate stacks, sigreturn, queued
// signals, signalfd, and the siginfo/sigset/stack_t structs (signal_*.cpp).
#include "decoders/families.h"
#include "decoders/process/process_util.h"
#include "signal_decoders.h"

namespace ptk::sys {
namespace {

using pfam::fresh;

constexpr DecoderEntry kDecoders[] = {
    {"pidfd_send_signal", fresh<decode_pidfd_send_signal>},
    {"rt_sigaction", fresh<decode_rt_sigaction>},
    {"rt_sigpending", fresh<decode_rt_sigpending>},
    {"rt_sigprocmask", fresh<decode_rt_sigprocmask>},
    {"rt_sigqueueinfo", fresh<decode_rt_sigqueueinfo>},
    {"rt_sigreturn", fresh<decode_rt_sigreturn>},
    {"rt_sigsuspend", fresh<decode_rt_sigsuspend>},
    {"rt_sigtimedwait", fresh<decode_rt_sigtimedwait>},
    {"rt_sigtimedwait_time64", fresh<decode_rt_sigtimedwait>},
    {"rt_tgsigqueueinfo", fresh<decode_rt_tgsigqueueinfo>},
    {"sgetmask", fresh<decode_sgetmask>},
    {"sigaction", fresh<decode_sigaction>},
    {"sigaltstack", fresh<decode_sigaltstack>},
    {"signal", fresh<decode_signal>},
    {"signalfd", fresh<decode_signalfd>},
    {"signalfd4", fresh<decode_signalfd4>},
    {"sigpending", fresh<decode_sigpending>},
    {"sigprocmask", fresh<decode_sigprocmask>},
    {"sigreturn", fresh<decode_sigreturn>},
    {"sigsuspend", fresh<decode_sigsuspend>},
    {"ssetmask", fresh<decode_ssetmask>},
};

constexpr StructEntry kStructs[] = {
    {"old_sigaction", print_old_sigaction_struct},
    {"old_sigset", print_old_sigset_struct},
    {"sigaction", print_sigaction_struct},
    {"siginfo", print_siginfo_struct},
    {"sigset", print_sigset_struct},
    {"stack_t", print_stack_t_struct},
};

}  // namespace

Family signal_family() { return {kDecoders, kStructs}; }

}  // namespace ptk::sys
