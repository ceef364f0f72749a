// The device mapper's requests (0xfd): dm.cpp decodes the struct dm_ioctl header,
// dm_payload.cpp the payloads after it.
#pragma once

#include "decoders/ioctl/ioctl.h"

namespace ptk::sys::ioctl {

namespace dm {

// The request numbers (_IOWR(0xfd, nr, struct dm_ioctl)).
enum Nr : std::uint32_t {
  kVersion = 0,
  kRemoveAll = 1,
  kListDevices = 2,
  kDevCreate = 3,
  kDevRemove = 4,
  kDevRename = 5,
  kDevSuspend = 6,
  kDevStatus = 7,
  kDevWait = 8,
  kTableLoad = 9,
  kTableClear = 10,
  kTableDeps = 11,
  kTableStatus = 12,
  kListVersions = 13,
  kTargetMsg = 14,
  kDevSetGeometry = 15,
  kDevArmPoll = 16,
};

// struct dm_ioctl; the payload starts at data_start, counted from the header's start.
struct Header {
  std::uint32_t version[3];
  std::uint32_t data_size;
  std::uint32_t data_start;
  std::uint32_t target_count;
  std::int32_t open_count;
  std::uint32_t flags;
  std::uint32_t event_nr;
  std::uint32_t padding;
  std::uint64_t dev;
  char name[128];
  char uuid[129];
  char data[7];
};
static_assert(sizeof(Header) == 312);
constexpr std::uint32_t kHeaderSize = 305;  // up to data[]

// The payloads, each as array elements after the header ("..." without -v).
void target_specs(DecodeCtx& ctx, std::uint64_t arg, const Header& h);
void target_deps(DecodeCtx& ctx, std::uint64_t arg, const Header& h);
void name_list(DecodeCtx& ctx, std::uint64_t arg, const Header& h);
void target_versions(DecodeCtx& ctx, std::uint64_t arg, const Header& h);
void target_msg(DecodeCtx& ctx, std::uint64_t arg, const Header& h);
void data_string(DecodeCtx& ctx, std::uint64_t arg, const Header& h);

}  // namespace dm
}  // namespace ptk::sys::ioctl
