// The TEE subsystem's requests (0xa4, linux/tee.h): tee.cpp dispatches and decodes the plain
// structs, tee_args.cpp the calls whose argument struct and parameters sit behind a
// struct tee_ioctl_buf_data.
#pragma once

#include "decoders/ioctl/ioctl.h"

namespace ptk::sys::ioctl::tee {

enum Request : std::uint32_t {
  kVersion = 0x800ca400,
  kShmAlloc = 0xc010a401,
  kOpenSession = 0x8010a402,
  kInvoke = 0x8010a403,
  kCancel = 0x8008a404,
  kCloseSession = 0x8004a405,
  kSupplRecv = 0x8010a406,
  kSupplSend = 0x8010a407,
  kShmRegisterFd = 0xc020a408,  // not upstream; strace decodes it
  kShmRegister = 0xc018a409,
};

// TEE_IOC_OPEN_SESSION, TEE_IOC_INVOKE, TEE_IOC_SUPPL_RECV and TEE_IOC_SUPPL_SEND.
Res buffer_call(DecodeCtx& ctx, std::uint32_t code, std::uint64_t arg);

}  // namespace ptk::sys::ioctl::tee
