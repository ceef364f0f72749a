// The device mapper's payloads after struct dm_ioctl: target specs, dependencies, device
// names, target versions, messages and strings. Offsets are u32 from the header's start and
// bounded by data_size; an offset that points backwards or past the end is "misplaced".
#include <cstring>
#include <string>

#include "decoders/file/file_util.h"
#include "dm.h"

namespace ptk::sys::ioctl::dm {
namespace {

template <typename T>
T load(const unsigned char* p) {
  T v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

void misplaced(TokenList& o, std::string_view what) {
  o.raw("???");
  o.comment("misplaced " + std::string(what));
}

// Where a record's fixed part ends; false when it wraps or passes data_size.
bool fits(std::uint32_t offset, std::uint32_t fixed, const Header& h, std::uint32_t& end) {
  end = offset + fixed;
  return end > offset && end <= h.data_size;
}

// Without -v the payloads are left out as "...".
bool abbreviated(DecodeCtx& ctx) {
  if (ctx.options().verbose) return false;
  ctx.out().raw("...");
  return true;
}

}  // namespace

// struct dm_target_spec {u64 sector_start, length; s32 status; u32 next; char target_type[16]}
// and its parameter string; `next` counts from the spec at entry, from data_start at exit.
void target_specs(DecodeCtx& ctx, std::uint64_t arg, const Header& h) {
  constexpr std::uint32_t kSpecSize = 40;
  TokenList& o = ctx.out();
  if (!ctx.options().verbose) {
    if (h.target_count != 0) o.raw("...");
    return;
  }
  std::uint32_t offset = h.data_start;
  std::uint32_t end = 0;
  for (std::uint32_t i = 0; i < h.target_count; ++i) {
    if ((i != 0 && offset <= end) || !fits(offset, kSpecSize, h, end)) {
      return misplaced(o, "struct dm_target_spec");
    }
    if (i >= ctx.options().string_limit) {
      o.raw("...");
      return;
    }
    unsigned char s[kSpecSize];
    if (!fetch(ctx, arg + offset, s, sizeof s)) return;
    o.begin_struct();
    field_u(o, "sector_start", load<std::uint64_t>(s));
    field_u(o, "length", load<std::uint64_t>(s + 8));
    if (ctx.exiting()) field_i(o, "status", load<std::int32_t>(s + 16));
    o.field("target_type");
    cstring(o, reinterpret_cast<const char*>(s + 24), 16);
    o.field("string");
    bounded_cstring(ctx, arg + end, h.data_size - end);
    o.end_struct();
    auto next = load<std::uint32_t>(s + 20);
    offset = ctx.entering() ? offset + next : h.data_start + next;
  }
}

// struct dm_target_deps {u32 count, padding; u64 dev[]}.
void target_deps(DecodeCtx& ctx, std::uint64_t arg, const Header& h) {
  if (h.data_start == h.data_size || abbreviated(ctx)) return;
  TokenList& o = ctx.out();
  std::uint32_t end = 0;
  if (!fits(h.data_start, 8, h, end)) return misplaced(o, "struct dm_target_deps");
  std::uint32_t head[2];
  if (!fetch(ctx, arg + h.data_start, head)) return;
  if (head[0] > (h.data_size - end) / 8) return misplaced(o, "struct dm_target_deps");
  o.begin_struct();
  field_u(o, "count", head[0]);
  o.field("deps");
  desc::array(ctx, arg + end, head[0], 8,
              [&](const unsigned char* p) { ffam::device(ctx, load<std::uint64_t>(p)); });
  o.end_struct();
}

// struct dm_name_list {u64 dev; u32 next; char name[]}, chained by next; since DM 4.37 an
// event number follows the name, u64-aligned, when the record has room for it.
void name_list(DecodeCtx& ctx, std::uint64_t arg, const Header& h) {
  constexpr std::uint32_t kNameOffset = 12;
  if (h.data_start == h.data_size || abbreviated(ctx)) return;
  TokenList& o = ctx.out();
  std::uint32_t offset = h.data_start;
  std::uint32_t end = 0;
  for (std::uint32_t count = 0;; ++count) {
    if ((count != 0 && offset <= end) || !fits(offset, kNameOffset, h, end)) {
      return misplaced(o, "struct dm_name_list");
    }
    if (count >= ctx.options().string_limit) {
      o.raw("...");
      return;
    }
    unsigned char s[16];
    if (!fetch(ctx, arg + offset, s, sizeof s)) return;
    auto next = load<std::uint32_t>(s + 8);
    o.begin_struct();
    o.field("dev");
    ffam::device(ctx, load<std::uint64_t>(s));
    o.field("name");
    int len = bounded_cstring(ctx, arg + end, h.data_size - end);
    if (len > 0 && h.version[1] >= 37) {
      std::uint64_t event_addr = (arg + end + static_cast<std::uint64_t>(len) + 7) & ~7ULL;
      std::uint32_t event_nr = 0;
      if (event_addr + 4 <= arg + offset + next && ctx.read(event_addr, event_nr)) {
        field_u(o, "event_nr", event_nr);
      }
    }
    o.end_struct();
    if (next == 0) return;
    offset += next;
  }
}

// struct dm_target_versions {u32 next; u32 version[3]; char name[]}, chained by next.
void target_versions(DecodeCtx& ctx, std::uint64_t arg, const Header& h) {
  constexpr std::uint32_t kNameOffset = 16;
  if (h.data_start == h.data_size || abbreviated(ctx)) return;
  TokenList& o = ctx.out();
  std::uint32_t offset = h.data_start;
  std::uint32_t end = 0;
  for (std::uint32_t count = 0;; ++count) {
    if ((count != 0 && offset <= end) || !fits(offset, kNameOffset, h, end)) {
      return misplaced(o, "struct dm_target_versions");
    }
    if (count >= ctx.options().string_limit) {
      o.raw("...");
      return;
    }
    std::uint32_t s[4];
    if (!fetch(ctx, arg + offset, s)) return;
    o.begin_struct();
    o.field("name");
    bounded_cstring(ctx, arg + end, h.data_size - end);
    o.field("version");
    o.begin_array();
    for (int i = 1; i < 4; ++i) o.uint_(s[i]);
    o.end_array();
    o.end_struct();
    if (s[0] == 0) return;
    offset += s[0];
  }
}

// struct dm_target_msg {u64 sector; char message[]}.
void target_msg(DecodeCtx& ctx, std::uint64_t arg, const Header& h) {
  if (h.data_start == h.data_size || abbreviated(ctx)) return;
  TokenList& o = ctx.out();
  std::uint32_t end = 0;
  if (!fits(h.data_start, 8, h, end)) return misplaced(o, "struct dm_target_msg");
  std::uint64_t sector = 0;
  if (!fetch(ctx, arg + h.data_start, sector)) return;
  o.begin_struct();
  field_u(o, "sector", sector);
  o.field("message");
  bounded_cstring(ctx, arg + end, h.data_size - end);
  o.end_struct();
}

// A string at data_start: DM_DEV_RENAME's new name, DM_DEV_SET_GEOMETRY's geometry, the
// reply of DM_TARGET_MSG.
void data_string(DecodeCtx& ctx, std::uint64_t arg, const Header& h) {
  if (abbreviated(ctx)) return;
  TokenList& o = ctx.out();
  if (h.data_start > h.data_size) return misplaced(o, "string");
  o.begin_struct();
  o.field("string");
  bounded_cstring(ctx, arg + h.data_start, h.data_size - h.data_start);
  o.end_struct();
}

}  // namespace ptk::sys::ioctl::dm
