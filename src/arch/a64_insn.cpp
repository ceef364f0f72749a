// The A64 encodings ptk simulates (a64_insn.h), decoded by their fixed opcode bits.
#include "ptk/arch/a64_insn.h"

#include "host_layout.h"

namespace ptk::a64 {
namespace {

constexpr std::uint32_t bits(std::uint32_t word, int lsb, int width) {
  return (word >> lsb) & ((1U << width) - 1);
}

// The `width`-bit field at `lsb`, sign-extended and scaled by `shift` (a byte offset).
constexpr std::int64_t signed_field(std::uint32_t word, int lsb, int width, int shift) {
  auto value = static_cast<std::int64_t>(bits(word, lsb, width));
  if (value & (std::int64_t{1} << (width - 1))) value -= std::int64_t{1} << width;
  return value * (std::int64_t{1} << shift);
}

enum class Kind : std::uint8_t {
  Other,
  B,        // b / bl (bit 31: link)
  BCond,    // b.cond, bc.cond
  Cbz,      // cbz / cbnz (bit 24: nonzero), bit 31: 64-bit register
  Tbz,      // tbz / tbnz (bit 24: nonzero), bit number b5:b40
  Adr,      // adr / adrp (bit 31: page)
  LdrLit,   // ldr Wt, ldr Xt, ldrsw, prfm (literal)
  LdrLitV,  // ldr St/Dt/Qt (literal): SIMD&FP registers
  Blr,      // blr Xn
  BlrAuth,  // blraa, blrab, blraaz, blrabz
};

Kind kind_of(std::uint32_t w) {
  if ((w & 0x7c000000) == 0x14000000) return Kind::B;
  if ((w & 0xff000000) == 0x54000000) return Kind::BCond;
  if ((w & 0x7e000000) == 0x34000000) return Kind::Cbz;
  if ((w & 0x7e000000) == 0x36000000) return Kind::Tbz;
  if ((w & 0x1f000000) == 0x10000000) return Kind::Adr;
  if ((w & 0x3b000000) == 0x18000000) return (w & (1U << 26)) ? Kind::LdrLitV : Kind::LdrLit;
  if ((w & 0xfffffc1f) == 0xd63f0000) return Kind::Blr;
  // BLRAA/BLRAB (key in bit 10, modifier Xm) and their zero-modifier forms BLRAAZ/BLRABZ.
  if ((w & 0xfefff800) == 0xd63f0800) return Kind::BlrAuth;
  return Kind::Other;
}

// Register n as an operand: 31 is the zero register in every encoding handled here.
std::uint64_t xreg(const Registers& regs, std::uint32_t n) {
  return n == 31 ? 0 : regs.get(host::q(host::xreg(static_cast<int>(n))));
}

}  // namespace

std::uint32_t word_of(std::span<const std::byte> code) {
  std::uint32_t word = 0;
  for (int i = 3; i >= 0; --i) word = (word << 8) | std::to_integer<std::uint32_t>(code[i]);
  return word;
}

void set_x(Registers& regs, std::uint8_t n, std::uint64_t value) {
  if (n != 31) regs.set(host::q(host::xreg(n)), value);
}

PcUse classify(std::uint32_t word) {
  switch (kind_of(word)) {
    case Kind::Other:
      return PcUse::None;
    case Kind::LdrLitV:
    case Kind::BlrAuth:
      return PcUse::Unsimulated;
    default:
      return PcUse::Simulated;
  }
}

bool condition_holds(std::uint8_t cond, std::uint64_t pstate) {
  const bool n = pstate & (1ULL << 31), z = pstate & (1ULL << 30), c = pstate & (1ULL << 29),
             v = pstate & (1ULL << 28);
  bool holds = false;
  switch ((cond >> 1) & 7) {
    case 0:
      holds = z;
      break;  // eq / ne
    case 1:
      holds = c;
      break;  // cs / cc
    case 2:
      holds = n;
      break;  // mi / pl
    case 3:
      holds = v;
      break;  // vs / vc
    case 4:
      holds = c && !z;
      break;  // hi / ls
    case 5:
      holds = n == v;
      break;  // ge / lt
    case 6:
      holds = n == v && !z;
      break;  // gt / le
    case 7:
      return true;  // al, and nv, which also means always in A64
  }
  return (cond & 1) ? !holds : holds;
}

std::optional<Effect> simulate(std::uint32_t w, std::uint64_t pc, const Registers& regs) {
  Effect e;
  e.next_pc = pc + 4;
  const std::uint32_t rt = bits(w, 0, 5);
  switch (kind_of(w)) {
    case Kind::B:
      if (w & (1U << 31)) {
        e.write_reg = 30;
        e.write_value = pc + 4;
      }
      e.next_pc = pc + signed_field(w, 0, 26, 2);
      return e;
    case Kind::BCond:
      if (condition_holds(static_cast<std::uint8_t>(bits(w, 0, 4)), regs.flags())) {
        e.next_pc = pc + signed_field(w, 5, 19, 2);
      }
      return e;
    case Kind::Cbz: {
      std::uint64_t value = xreg(regs, rt);
      if (!(w & (1U << 31))) value &= 0xffffffffULL;  // cbz Wt tests the low half only
      if ((value != 0) == bool(w & (1U << 24))) e.next_pc = pc + signed_field(w, 5, 19, 2);
      return e;
    }
    case Kind::Tbz: {
      const std::uint32_t bit = (bits(w, 31, 1) << 5) | bits(w, 19, 5);
      const bool set = (xreg(regs, rt) >> bit) & 1;
      if (set == bool(w & (1U << 24))) e.next_pc = pc + signed_field(w, 5, 14, 2);
      return e;
    }
    case Kind::Adr: {
      const std::int64_t imm = (signed_field(w, 5, 19, 0) * 4) | bits(w, 29, 2);
      e.write_reg = static_cast<std::uint8_t>(rt);
      e.write_value = (w & (1U << 31)) ? (pc & ~std::uint64_t{0xfff}) + imm * 4096 : pc + imm;
      return e;
    }
    case Kind::LdrLit: {
      const std::uint32_t opc = bits(w, 30, 2);
      if (opc == 3) return e;  // prfm: a hint, nothing to do
      e.load = Load{.address = pc + signed_field(w, 5, 19, 2),
                    .reg = static_cast<std::uint8_t>(rt),
                    .width = static_cast<std::uint8_t>(opc == 1 ? 8 : 4),
                    .sign = opc == 2};
      return e;
    }
    case Kind::Blr:
      // The target is read before x30 is written: `blr x30` jumps to the old x30.
      e.next_pc = xreg(regs, bits(w, 5, 5));
      e.write_reg = 30;
      e.write_value = pc + 4;
      return e;
    case Kind::Other:
    case Kind::LdrLitV:
    case Kind::BlrAuth:
      break;
  }
  return std::nullopt;
}

std::optional<std::uint32_t> encode_branch(std::uint64_t from, std::uint64_t to) {
  const auto offset = static_cast<std::int64_t>(to - from);
  if ((offset & 3) != 0 || offset < -static_cast<std::int64_t>(kBranchReach) ||
      offset >= static_cast<std::int64_t>(kBranchReach)) {
    return std::nullopt;
  }
  return 0x14000000U | (static_cast<std::uint32_t>(offset >> 2) & 0x03ffffffU);
}

}  // namespace ptk::a64
