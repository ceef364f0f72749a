// The SCSI generic driver's requests (0x22): scsi.cpp dispatches, sg_io.cpp decodes SG_IO.
#pragma once

#include "decoders/ioctl/ioctl.h"

namespace ptk::sys::ioctl {

// SG_IO: the header's interface id picks the layout, v3 ('S', struct sg_io_hdr) or v4 ('Q',
// struct sg_io_v4); the request at entry, the response at exit inside the same braces.
Res sg_io(DecodeCtx& ctx, std::uint64_t arg);

}  // namespace ptk::sys::ioctl
