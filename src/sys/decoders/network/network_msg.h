// sendmsg/recvmsg/sendmmsg/recvmmsg: struct msghdr with its iovecs and control messages.
#pragma once

#include "decoders/families.h"

namespace ptk::sys::dec {

void decode_sendmsg(DecodeCtx& ctx);
void decode_recvmsg(DecodeCtx& ctx);
void decode_sendmmsg(DecodeCtx& ctx);
void decode_recvmmsg(DecodeCtx& ctx);

}  // namespace ptk::sys::dec
