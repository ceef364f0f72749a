// x86_64's register sets as ptrace moves them: NT_PRSTATUS (struct user_regs_struct, also
// PTRACE_GETREGS) and NT_FPREGSET (struct user_fpregs_struct, also PTRACE_GETFPREGS), shown
// as far as the given size covers them.
#include <cstring>

#include "process_decoders.h"

namespace ptk::sys {
namespace {

constexpr std::string_view kPrstatus[] = {
    "r15",    "r14", "r13", "r12",     "rbp",     "rbx", "r11",      "r10", "r9",
    "r8",     "rax", "rcx", "rdx",     "rsi",     "rdi", "orig_rax", "rip", "cs",
    "eflags", "rsp", "ss",  "fs_base", "gs_base", "ds",  "es",       "fs",  "gs"};
constexpr std::size_t kPrstatusSize = sizeof kPrstatus / sizeof kPrstatus[0] * 8;

// struct user_fpregs_struct: 16-bit control words, 64-bit pointers, then arrays of u32.
struct FpRegs {
  std::uint16_t cwd, swd, ftw, fop;
  std::uint64_t rip, rdp;
  std::uint32_t mxcsr, mxcr_mask;
  std::uint32_t st_space[32];
  std::uint32_t xmm_space[64];
  std::uint32_t padding[24];
};
static_assert(sizeof(FpRegs) == 512);

// Sizes the kernel cannot mean (0, or not whole 64-bit words) show the address.
bool readable(DecodeCtx& ctx, std::uint64_t addr, std::uint64_t size, void* buf, std::size_t cap,
              std::size_t& fetched) {
  fetched = static_cast<std::size_t>(std::min<std::uint64_t>(size, cap));
  if (size == 0 || (size & 7) != 0 || !ctx.read(addr, buf, fetched)) {
    ctx.out().ptr(addr);
    return false;
  }
  return true;
}

void u32_array(DecodeCtx& ctx, std::string_view name, const std::uint32_t* v, std::size_t n) {
  TokenList& o = ctx.out();
  o.field(name);
  o.begin_array();
  std::size_t shown = ctx.options().verbose ? n : std::min(n, ctx.options().abbrev_array);
  for (std::size_t i = 0; i < shown; ++i) o.hex(v[i]);
  o.end_array(shown < n);
}

}  // namespace

void print_prstatus_regset(DecodeCtx& ctx, std::uint64_t addr, std::uint64_t size) {
  std::uint64_t regs[sizeof kPrstatus / sizeof kPrstatus[0]] = {};
  std::size_t fetched = 0;
  if (!readable(ctx, addr, size, regs, sizeof regs, fetched)) return;
  TokenList& o = ctx.out();
  o.begin_struct();
  for (std::size_t i = 0; i * 8 < fetched; ++i) {
    o.field(kPrstatus[i]);
    o.hex(regs[i]);
  }
  o.end_struct(size > kPrstatusSize);
}

void print_fpregset(DecodeCtx& ctx, std::uint64_t addr, std::uint64_t size) {
  FpRegs r{};
  std::size_t fetched = 0;
  if (!readable(ctx, addr, size, &r, sizeof r, fetched)) return;
  TokenList& o = ctx.out();
  auto has = [&](std::size_t offset) { return fetched > offset; };
  o.begin_struct();
  o.field("cwd");
  o.hex(r.cwd);
  const std::pair<std::string_view, std::size_t> small[] = {
      {"swd", offsetof(FpRegs, swd)},
      {"ftw", offsetof(FpRegs, ftw)},
      {"fop", offsetof(FpRegs, fop)},
      {"rip", offsetof(FpRegs, rip)},
      {"rdp", offsetof(FpRegs, rdp)},
      {"mxcsr", offsetof(FpRegs, mxcsr)},
      {"mxcr_mask", offsetof(FpRegs, mxcr_mask)}};
  const std::uint64_t values[] = {r.swd, r.ftw, r.fop, r.rip, r.rdp, r.mxcsr, r.mxcr_mask};
  for (std::size_t i = 0; i < std::size(small); ++i) {
    if (!has(small[i].second)) break;
    o.field(small[i].first);
    o.hex(values[i]);
  }
  const struct {
    std::string_view name;
    std::size_t offset;
    const std::uint32_t* v;
    std::size_t n;
  } arrays[] = {{"st_space", offsetof(FpRegs, st_space), r.st_space, 32},
                {"xmm_space", offsetof(FpRegs, xmm_space), r.xmm_space, 64},
                {"padding", offsetof(FpRegs, padding), r.padding, 24}};
  for (const auto& a : arrays) {
    if (!has(a.offset)) break;
    u32_array(ctx, a.name, a.v, std::min(a.n, (fetched - a.offset) / 4));
  }
  o.end_struct(size > sizeof r);
}

}  // namespace ptk::sys
