// Decoders of smaller families that have no file of their own elsewhere: keys (add_key,
// request_key), fanotify, memfd. misc.cpp lists them.
#pragma once

#include "ptk/sys/decode.h"

namespace ptk::sys {

void decode_add_key(DecodeCtx& ctx);
void decode_request_key(DecodeCtx& ctx);
void decode_fanotify_init(DecodeCtx& ctx);
void decode_fanotify_mark(DecodeCtx& ctx);
void decode_memfd_create(DecodeCtx& ctx);

}  // namespace ptk::sys
