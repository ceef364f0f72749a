// struct perf_event_attr (linux/perf_event.h) as strace 6.1 prints it: the fields the event
// type gives a meaning, the set bit flags (all of them with -v), and with -v the fields after
// them as far as the struct's size reaches.
#include "perf_attr.h"

#include <fmt/format.h>

#include <cstring>
#include <string>

#include "decoders/arg_util.h"
#include "desc_util.h"

namespace ptk::sys::perf {
namespace {

constexpr std::uint32_t kSizeVer0 = 64;          // the first published size
constexpr std::uint32_t kAbbrevSize = 48;        // up to wakeup_events
constexpr std::uint64_t kBranchStack = 1 << 11;  // PERF_SAMPLE_BRANCH_STACK
constexpr std::uint64_t kStackUser = 1 << 13;    // PERF_SAMPLE_STACK_USER

enum Type : std::uint32_t {
  kHardware = 0,
  kSoftware = 1,
  kTracepoint = 2,
  kHwCache = 3,
  kBreakpoint = 5
};

// The bit flags at offset 40, by bit; precise_ip (bits 15-16) sits between watermark and
// mmap_data.
constexpr std::string_view kLowFlags[] = {
    "disabled",       "inherit",      "pinned",         "exclusive", "exclude_user",
    "exclude_kernel", "exclude_hv",   "exclude_idle",   "mmap",      "comm",
    "freq",           "inherit_stat", "enable_on_exec", "task",      "watermark"};
constexpr std::string_view kHighFlags[] = {"mmap_data",
                                           "sample_id_all",
                                           "exclude_host",
                                           "exclude_guest",
                                           "exclude_callchain_kernel",
                                           "exclude_callchain_user",
                                           "mmap2",
                                           "comm_exec",
                                           "use_clockid",
                                           "context_switch",
                                           "write_backward",
                                           "namespaces",
                                           "ksymbol",
                                           "bpf_event",
                                           "aux_output",
                                           "cgroup",
                                           "text_poke",
                                           "build_id",
                                           "inherit_thread",
                                           "remove_on_exec",
                                           "sigtrap"};
constexpr std::string_view kPreciseIp[] = {"arbitrary skid", "constant skid",
                                           "requested to have 0 skid", "must have 0 skid"};
constexpr int kFreqBit = 10;
constexpr int kWatermarkBit = 14;
constexpr int kUseClockidBit = 25;

template <typename T>
T load(const Attr& a, std::size_t off) {
  T v;
  std::memcpy(&v, a.bytes + off, sizeof v);
  return v;
}

// A value's name, or the number and the placeholder as printxval spells them.
std::string name_text(std::string_view table, std::uint64_t v, std::string_view unknown) {
  const Xlat* x = find_xlat(table);
  std::string_view n = x != nullptr ? xlat_name(*x, v) : std::string_view();
  if (!n.empty()) return std::string(n);
  return fmt::format("{} /* {} */", desc::hex_text(v), unknown);
}

// PERF_TYPE_HARDWARE's and PERF_TYPE_HW_CACHE's config: the PMU type in the high half.
void config(TokenList& o, std::uint32_t type, std::uint64_t c) {
  o.field("config");
  std::string text;
  if (c >> 32) text = fmt::format("{}<<32|", desc::hex_text(c >> 32));
  if (type == kHardware) {
    if (text.empty()) {
      afam::xval(o, "perf_hw_id", c & 0xffffffff, "PERF_COUNT_HW_???");
      return;
    }
    o.raw(text + name_text("perf_hw_id", c & 0xffffffff, "PERF_COUNT_HW_???"));
    return;
  }
  if ((c & 0xffffffff) >> 24)
    text += fmt::format("{}<<24|", desc::hex_text((c & 0xffffffff) >> 24));
  text +=
      name_text("perf_hw_cache_op_result_id", (c >> 16) & 0xff, "PERF_COUNT_HW_CACHE_RESULT_???") +
      "<<16|";
  text += name_text("perf_hw_cache_op_id", (c >> 8) & 0xff, "PERF_COUNT_HW_CACHE_OP_???") + "<<8|";
  text += name_text("perf_hw_cache_id", c & 0xff, "PERF_COUNT_HW_CACHE_???");
  o.raw(text);
}

void field_u(TokenList& o, std::string_view name, std::uint64_t v) {
  o.field(name);
  o.uint_(v);
}

void field_x(TokenList& o, std::string_view name, std::uint64_t v) {
  o.field(name);
  o.hex(v);
}

// The single-bit flags of `names` from bit `first` on: the set ones, all with -v.
template <std::size_t N>
void bit_fields(TokenList& o, const std::string_view (&names)[N], std::uint64_t bits, int first,
                bool all) {
  for (std::size_t i = 0; i < N; ++i) {
    std::uint64_t v = bits >> (first + static_cast<int>(i)) & 1;
    if (all || v != 0) field_u(o, names[i], v);
  }
}

// The fields after the bit flags, which the struct's size may leave out; false at the first
// one it does.
bool tail(DecodeCtx& ctx, const Attr& a, std::uint32_t type, std::uint64_t sample_type,
          std::uint64_t bits) {
  TokenList& o = ctx.out();
  auto has = [&](std::size_t off) { return off < a.size; };
  if (bits >> kWatermarkBit & 1) {
    field_u(o, "wakeup_watermark", load<std::uint32_t>(a, 48));
  } else {
    field_u(o, "wakeup_events", load<std::uint32_t>(a, 48));
  }
  if (type == kBreakpoint) {
    auto bp_type = load<std::uint32_t>(a, 52);
    o.field("bp_type");
    // Any combination of R/W with X is invalid.
    afam::xval(o, "hw_breakpoint_type", bp_type,
               bp_type <= 7 ? "HW_BREAKPOINT_INVALID" : "HW_BREAKPOINT_???");
    field_x(o, "bp_addr", load<std::uint64_t>(a, 56));
  } else {
    field_x(o, "config1", load<std::uint64_t>(a, 56));
  }
  if (!has(64)) return false;
  if (type == kBreakpoint) {
    field_u(o, "bp_len", load<std::uint64_t>(a, 64));
  } else {
    field_x(o, "config2", load<std::uint64_t>(a, 64));
  }
  if (!has(72)) return false;
  if (sample_type & kBranchStack) {
    o.field("branch_sample_type");
    afam::xflags(o, "perf_branch_sample_type", load<std::uint64_t>(a, 72),
                 "PERF_SAMPLE_BRANCH_???");
  }
  if (!has(80)) return false;
  field_x(o, "sample_regs_user", load<std::uint64_t>(a, 80));
  if (!has(88)) return false;
  if (sample_type & kStackUser) field_x(o, "sample_stack_user", load<std::uint32_t>(a, 88));
  if (bits >> kUseClockidBit & 1) {
    if (!has(92)) return false;
    o.field("clockid");
    afam::xval(o, "clockid", load<std::uint32_t>(a, 92), "CLOCK_???");  // zero-extended
  }
  if (!has(96)) return false;
  field_x(o, "sample_regs_intr", load<std::uint64_t>(a, 96));
  if (!has(104)) return false;
  field_u(o, "aux_watermark", load<std::uint32_t>(a, 104));
  if (!has(108)) return false;
  field_u(o, "sample_max_stack", load<std::uint16_t>(a, 108));
  if (!has(110)) return false;
  if (auto r = load<std::uint16_t>(a, 110)) {
    o.comment(fmt::format("bytes 110..111: {}", desc::hex_text(r)));
  }
  if (!has(112)) return false;
  field_u(o, "aux_sample_size", load<std::uint32_t>(a, 112));
  if (!has(116)) return false;
  if (auto r = load<std::uint32_t>(a, 116)) {
    o.comment(fmt::format("bytes 116..119: {}", desc::hex_text(r)));
  }
  if (!has(120)) return false;
  field_x(o, "sig_data", load<std::uint64_t>(a, 120));
  return true;
}

}  // namespace

bool fetch_attr(DecodeCtx& ctx, std::uint64_t addr, Attr& a) {
  std::uint32_t size = 0;
  if (addr == 0 || !ctx.read(addr + 4, size)) {
    ctx.out().ptr(addr);
    return false;
  }
  if (size > sizeof a.bytes) size = sizeof a.bytes;
  if (size == 0) size = kSizeVer0;
  // The kernel rejects a struct shorter than the first published size; so does strace.
  if (size < kSizeVer0) {
    ctx.out().ptr(addr);
    return false;
  }
  if (!ctx.options().verbose) size = kAbbrevSize;
  if (!ctx.options().dereference || !ctx.read(addr, a.bytes, size)) {
    ctx.out().ptr(addr);
    return false;
  }
  a.size = size;
  return true;
}

void print_attr(DecodeCtx& ctx, const Attr& a, int changed, std::uint32_t new_size) {
  TokenList& o = ctx.out();
  bool all = ctx.options().verbose;
  auto type = load<std::uint32_t>(a, 0);
  auto size = load<std::uint32_t>(a, 4);
  auto cfg = load<std::uint64_t>(a, 8);
  auto sample_type = load<std::uint64_t>(a, 24);
  auto bits = load<std::uint64_t>(a, 40);
  o.begin_struct();
  o.field("type");
  afam::xval(o, "perf_type_id", type, "PERF_TYPE_???");
  o.field("size");
  if (changed == 0) {
    afam::xval(o, "perf_attr_size", size, "PERF_ATTR_SIZE_???");
  } else {
    // One token: the new size belongs to the same field.
    o.raw(name_text("perf_attr_size", size, "PERF_ATTR_SIZE_???") + " => " +
          (changed > 0 ? name_text("perf_attr_size", new_size, "PERF_ATTR_SIZE_???")
                       : std::string("???")));
  }
  switch (type) {
    case kHardware:
    case kHwCache:
      config(o, type, cfg);
      break;
    case kSoftware:
      o.field("config");
      afam::xval(o, "perf_sw_ids", cfg, "PERF_COUNT_SW_???");
      break;
    case kTracepoint:
      field_u(o, "config", cfg);
      break;
    default:
      field_x(o, "config", cfg);
      break;
  }
  field_u(o, (bits >> kFreqBit & 1) ? "sample_freq" : "sample_period", load<std::uint64_t>(a, 16));
  o.field("sample_type");
  afam::xflags(o, "perf_event_sample_format", sample_type, "PERF_SAMPLE_???");
  o.field("read_format");
  afam::xflags(o, "perf_event_read_format", load<std::uint64_t>(a, 32), "PERF_FORMAT_???");
  bit_fields(o, kLowFlags, bits, 0, all);
  std::uint64_t precise = bits >> 15 & 3;
  field_u(o, "precise_ip", precise);
  o.comment(kPreciseIp[precise]);
  bit_fields(o, kHighFlags, bits, 17, all);
  if (std::uint64_t reserved = bits >> 38) {
    field_x(o, "__reserved_1", reserved);
    o.comment("Bits 63..38");
  }
  if (all) tail(ctx, a, type, sample_type, bits);
  // The struct goes on past what was read (or shorter than any published size).
  bool more = size != 0 ? size > a.size : a.size < kSizeVer0;
  o.end_struct(more);
}

}  // namespace ptk::sys::perf
