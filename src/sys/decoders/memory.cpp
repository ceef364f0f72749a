// Decoders of the memory family: the mmap family, mprotect, mremap, madvise, msync, the mlock
// family, mincore and brk. Everything but mincore's vector is known at entry.
#include <fmt/format.h>

#include <algorithm>
#include <string>

#include "decoders/file/file_util.h"
#include "families.h"

namespace ptk::sys {

namespace mfam {
namespace {

constexpr std::uint64_t kPageSize = 4096;  // x86, both ABIs
constexpr std::uint32_t kMapType = 0xf;
constexpr int kMapHugeShift = 26;
constexpr std::uint32_t kMapHugeMask = 0x3fu << kMapHugeShift;

constexpr std::string_view kMmapNames[6] = {"addr", "len", "prot", "flags", "fd", "off"};

// The MAP_TYPE value first (MAP_PRIVATE, or "0x4 /* MAP_??? */"), then the other flags, then
// the huge page size as N<<MAP_HUGE_SHIFT.
void mmap_flags(DecodeCtx& ctx, std::uint32_t flags) {
  TokenList& o = ctx.out();
  const Xlat* x = find_xlat("mmap_flags");
  o.begin_flags();
  std::uint32_t type = flags & kMapType;
  std::string_view type_name = x != nullptr ? xlat_name(*x, type) : "";
  if (type_name.empty()) {
    o.raw_number(fmt::format("{:#x} /* MAP_??? */", type), type);
  } else {
    o.name(type_name, type);
  }
  std::uint32_t huge = flags & kMapHugeMask;
  std::uint64_t rest = flags & ~(kMapType | kMapHugeMask);
  if (rest != 0 && x != nullptr) {
    for (const XlatEntry& e : x->entries) {
      // The MAP_TYPE values are not bits: they were printed above.
      if (e.value == 0 || (e.value & kMapType) != 0 || (rest & e.value) != e.value) continue;
      o.name(e.name, e.value);
      rest &= ~e.value;
    }
  }
  if (rest != 0) o.hex(rest);
  if (huge != 0) o.raw_number(fmt::format("{}<<MAP_HUGE_SHIFT", huge >> kMapHugeShift), huge);
  o.end_flags();
}

// addr, length, prot, flags, fd and offset (in bytes), named as mmap's arguments.
void print_mmap_args(DecodeCtx& ctx, const std::uint64_t (&args)[6], std::uint64_t offset) {
  TokenList& o = ctx.out();
  ctx.arg_named(kMmapNames[0]);
  o.ptr(args[0]);
  ctx.arg_named(kMmapNames[1]);
  o.uint_(args[1]);
  ctx.arg_named(kMmapNames[2]);
  ffam::flags(ctx, "mmap_prot", args[2]);
  ctx.arg_named(kMmapNames[3]);
  mmap_flags(ctx, static_cast<std::uint32_t>(args[3]));
  ctx.arg_named(kMmapNames[4]);
  ctx.fd(static_cast<std::int32_t>(args[4]));
  ctx.arg_named(kMmapNames[5]);
  o.hex(offset);
}

// mmap (x86_64: the offset in bytes) and mmap2 (i386: in pages; strace shows bytes).
void decode_mmap_common(DecodeCtx& ctx, bool pages) {
  if (!ctx.entering()) return;
  ctx.syscall().more_at_exit = false;
  TokenList& o = ctx.out();
  ctx.arg(0);
  o.ptr(ctx.u(0));
  ctx.arg(1);
  o.uint_(ctx.u(1));
  ctx.arg(2);
  ffam::flags(ctx, "mmap_prot", ctx.u(2));
  ctx.arg(3);
  mmap_flags(ctx, static_cast<std::uint32_t>(ctx.u(3)));
  ctx.arg(4);
  ctx.fd(ctx.s(4));
  ctx.arg(5);
  o.hex(pages ? ctx.u(5) * kPageSize : ctx.u(5));
}

// The name "mmap" is two calls: x86_64's, and i386's old mmap, whose one argument points to
// the six values (the offset in bytes).
void decode_mmap(DecodeCtx& ctx) {
  if (ctx.word_size() == 8) {
    decode_mmap_common(ctx, false);
    return;
  }
  if (!ctx.entering()) return;
  ctx.syscall().more_at_exit = false;
  std::uint32_t words[6];
  if (!ctx.read(ctx.u(0), words)) {
    ctx.arg(0);
    ctx.pointer(ctx.u(0));
    return;
  }
  std::uint64_t args[6];
  std::copy(std::begin(words), std::end(words), std::begin(args));
  // The fd is a C int: keep its sign.
  args[4] = static_cast<std::uint64_t>(static_cast<std::int32_t>(words[4]));
  print_mmap_args(ctx, args, words[5]);
}
void decode_mmap2(DecodeCtx& ctx) { decode_mmap_common(ctx, true); }

// mremap: new_address means something (and shows) only with MREMAP_MAYMOVE|MREMAP_FIXED.
void decode_mremap(DecodeCtx& ctx) {
  constexpr std::uint64_t kMayMoveFixed = 3;
  if (!ctx.entering()) return;
  ctx.syscall().more_at_exit = false;
  for (int i = 0; i < 4; ++i) {
    ctx.arg(i);
    ffam::arg_value(ctx, i);
  }
  if ((ctx.u(3) & kMayMoveFixed) == kMayMoveFixed) {
    ctx.arg(4);
    ctx.out().ptr(ctx.u(4));
  }
}

void decode_remap_file_pages(DecodeCtx& ctx) {
  if (!ctx.entering()) return;
  ctx.syscall().more_at_exit = false;
  for (int i = 0; i < 4; ++i) {
    ctx.arg(i);
    ffam::arg_value(ctx, i);
  }
  ctx.arg(4);
  mmap_flags(ctx, static_cast<std::uint32_t>(ctx.u(4)));
}

// mincore(addr, length, vec): one byte per page of the range, shown as its residency bit.
void decode_mincore(DecodeCtx& ctx) {
  if (ctx.entering()) {
    ctx.syscall().more_at_exit = true;
    for (int i = 0; i < 2; ++i) {
      ctx.arg(i);
      ffam::arg_value(ctx, i);
    }
    return;
  }
  ctx.arg(2);
  std::uint64_t vec = ctx.u(2);
  std::uint64_t len = ctx.u(1);
  std::uint64_t pages = len / kPageSize + (len % kPageSize != 0 ? 1 : 0);
  if (vec == 0 || ctx.failed()) {
    ctx.pointer(vec);
    return;
  }
  const DecodeOptions& opt = ctx.options();
  std::size_t limit = opt.verbose ? opt.max_array : opt.string_limit;
  auto shown = static_cast<std::size_t>(std::min<std::uint64_t>(pages, limit));
  std::string bytes(shown, '\0');
  if (shown != 0 && !ctx.read(vec, bytes.data(), shown)) {
    ctx.pointer(vec);
    return;
  }
  TokenList& o = ctx.out();
  o.begin_array();
  for (char c : bytes) o.uint_(static_cast<unsigned char>(c) & 1u);
  o.end_array(pages > shown);
}

constexpr DecoderEntry kDecoders[] = {
    {"madvise", ffam::decode_table_args},
    {"mincore", decode_mincore},
    {"mlock2", ffam::decode_table_args},
    {"mlockall", ffam::decode_table_args},
    {"mmap", decode_mmap},
    {"mmap2", decode_mmap2},
    {"mprotect", ffam::decode_table_args},
    {"mremap", decode_mremap},
    {"msync", ffam::decode_table_args},
    {"pkey_mprotect", ffam::decode_table_args},
    {"remap_file_pages", decode_remap_file_pages},
};

}  // namespace
}  // namespace mfam

Family memory_family() { return {mfam::kDecoders, {}}; }

}  // namespace ptk::sys
