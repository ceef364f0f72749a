// SysV IPC (msg*, sem*, shm*): the decoders of ipc.cpp and ipc_ctl.cpp, and what they share.
#pragma once

#include <cstdint>

#include "ptk/sys/decode.h"

namespace ptk::sys::ipc {

// The *ctl commands may carry IPC_64 (the layout version of old ABIs): strace shows it apart.
inline constexpr std::uint32_t kIpc64 = 0x100;
inline constexpr std::uint32_t kIpcRmid = 0, kIpcSet = 1, kIpcStat = 2, kIpcInfo = 3;

// "IPC_64|" when the command has it, then the command of `table` with `unknown` as its note.
void ctl_cmd(TokenList& o, std::uint32_t cmd, std::string_view table, std::string_view unknown);

void decode_msgctl(DecodeCtx& ctx);
void decode_semctl(DecodeCtx& ctx);
void decode_shmctl(DecodeCtx& ctx);

}  // namespace ptk::sys::ipc
