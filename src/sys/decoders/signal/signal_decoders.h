// The decoders and struct printers of the signal family, listed by signal.cpp.
#pragma once

#include <cstdint>

#include "ptk/sys/decode.h"

namespace ptk::sys {

// signal_action.cpp: sigaction, masks, alternate stacks, sigreturn.
void decode_rt_sigaction(DecodeCtx& ctx);
void decode_sigaction(DecodeCtx& ctx);
void decode_signal(DecodeCtx& ctx);
void decode_rt_sigprocmask(DecodeCtx& ctx);
void decode_sigprocmask(DecodeCtx& ctx);
void decode_rt_sigpending(DecodeCtx& ctx);
void decode_sigpending(DecodeCtx& ctx);
void decode_rt_sigsuspend(DecodeCtx& ctx);
void decode_sigsuspend(DecodeCtx& ctx);
void decode_sgetmask(DecodeCtx& ctx);
void decode_ssetmask(DecodeCtx& ctx);
void decode_sigaltstack(DecodeCtx& ctx);
void decode_rt_sigreturn(DecodeCtx& ctx);
void decode_sigreturn(DecodeCtx& ctx);
void print_sigaction_struct(DecodeCtx& ctx, std::uint64_t addr);
void print_old_sigaction_struct(DecodeCtx& ctx, std::uint64_t addr);
void print_sigset_struct(DecodeCtx& ctx, std::uint64_t addr);
void print_old_sigset_struct(DecodeCtx& ctx, std::uint64_t addr);
void print_stack_t_struct(DecodeCtx& ctx, std::uint64_t addr);

// signal_wait.cpp: queued signals, waits for signals, signalfd.
void decode_rt_sigtimedwait(DecodeCtx& ctx);
void decode_rt_sigqueueinfo(DecodeCtx& ctx);
void decode_rt_tgsigqueueinfo(DecodeCtx& ctx);
void decode_pidfd_send_signal(DecodeCtx& ctx);
void decode_signalfd(DecodeCtx& ctx);
void decode_signalfd4(DecodeCtx& ctx);

// signal_siginfo.cpp
void print_siginfo_struct(DecodeCtx& ctx, std::uint64_t addr);

}  // namespace ptk::sys
