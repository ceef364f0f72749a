// Decoding call arguments and return values for `ptk calls`. Never fails: an unreadable
// string shows as its address, as strace shows a pointer it cannot follow.
#include "ptk/debug/call_args.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cstring>

#include "ptk/sys/escape.h"

namespace ptk::debug {
namespace {

std::uint64_t mask(std::uint64_t v, std::size_t word) {
  return word >= 8 ? v : v & ((std::uint64_t{1} << (8 * word)) - 1);
}

std::int64_t sign_extend(std::uint64_t v, std::size_t bytes) {
  if (bytes >= 8) return static_cast<std::int64_t>(v);
  std::uint64_t sign = std::uint64_t{1} << (8 * bytes - 1);
  v = mask(v, bytes);
  return static_cast<std::int64_t>((v ^ sign) - sign);
}

std::string pointer(std::uint64_t v) { return v == 0 ? "NULL" : fmt::format("{:#x}", v); }

std::string string_at(std::uint64_t addr, std::size_t word, Memory& mem, const CallFormat& f) {
  if (addr == 0) return "NULL";
  auto s = mem.read_string(RemoteAddr(addr), f.string_limit + 1);
  if (!s.ok()) return pointer(mask(addr, word));
  std::string_view bytes = s->bytes;
  bool more = !s->terminated || bytes.size() > f.string_limit;
  if (bytes.size() > f.string_limit) bytes = bytes.substr(0, f.string_limit);
  std::string out;
  sys::append_quoted(out, bytes, 0, more);
  return out;
}

// `len` bytes at `addr` (a Buffer), quoted like a string and cut at the string limit.
std::string buffer_at(std::uint64_t addr, std::uint64_t len, Memory& mem, const CallFormat& f) {
  if (addr == 0) return "NULL";
  std::vector<std::byte> bytes(
      static_cast<std::size_t>(std::min<std::uint64_t>(len, f.string_limit)));
  auto n = mem.read(RemoteAddr(addr), bytes);
  if (!n.ok()) return pointer(addr);
  std::string out;
  sys::append_quoted(out, std::string_view(reinterpret_cast<const char*>(bytes.data()), *n), 0,
                     len > *n);
  return out;
}

// x86's XSAVE image starts with the FXSAVE layout: x87 st(0)..st(7) at byte 32 (16 bytes each,
// 10 used, in stack order), xmm0..xmm15 at byte 160 (16 bytes each). aarch64's NT_PRFPREG
// regset is struct user_fpsimd_state: v0..v31 from byte 0 (16 bytes each), then fpsr and fpcr.
constexpr std::size_t kSt0 = 32, kXmm0 = 160, kV0 = 0;

// A Double's or Float's bits from vector register `index` (xmm or v: the low lane).
bool vreg(std::span<const std::byte> x, Arch arch, int index, ArgType t, std::uint64_t& bits) {
  std::size_t at = (arch == Arch::Aarch64 ? kV0 : kXmm0) + 16 * static_cast<std::size_t>(index);
  std::size_t size = t == ArgType::Float ? 4 : 8;
  if (x.size() < at + size) return false;
  bits = 0;
  std::memcpy(&bits, x.data() + at, size);
  return true;
}

// st(0), the i386 return register of floating-point functions (80-bit extended precision).
bool st0(std::span<const std::byte> x, ArgType t, std::uint64_t& bits) {
  if (x.size() < kSt0 + 10) return false;
  static_assert(sizeof(long double) >= 10, "x86 long double is the x87 extended format");
  long double value = 0;
  std::memcpy(&value, x.data() + kSt0, 10);
  bits = t == ArgType::Float ? std::bit_cast<std::uint32_t>(static_cast<float>(value))
                             : std::bit_cast<std::uint64_t>(static_cast<double>(value));
  return true;
}

// Walks the arguments of a call at its first instruction. x86_64 SysV: integers in rdi, rsi,
// rdx, rcx, r8, r9, floating point in xmm0-7, the rest in stack words above the return address
// in order; i386 cdecl: everything on the stack, a double taking two words; AAPCS64: integers
// in x0-x7, floating point in v0-v7, the rest in stack words from sp (the return address is
// in x30).
class ArgCursor {
 public:
  ArgCursor(const Registers& regs, Memory& mem, const FloatState& floats)
      : regs_(regs), mem_(mem), floats_(floats), abi_(regs.abi_info()) {}

  std::size_t word() const { return abi_.word_size; }
  bool missing() const { return missing_; }

  std::uint64_t next(ArgType t) {
    missing_ = false;
    bool real = t == ArgType::Double || t == ArgType::Float;
    if (!real) {
      if (ints_ < abi_.call.reg_args) {
        return regs_.get(abi_.call.int_arg_regs[static_cast<std::size_t>(ints_++)]);
      }
      return stack(1);
    }
    if (abi_.arch != Arch::I386 && vecs_ < 8) {
      if (!have_floats_) {
        x_ = floats_ ? floats_() : std::span<const std::byte>();
        have_floats_ = true;
      }
      std::uint64_t bits = 0;
      missing_ = !vreg(x_, abi_.arch, vecs_++, t, bits);
      return bits;
    }
    // On the stack: a double is 8 bytes (two i386 words), a float 4.
    if (t == ArgType::Float || word() == 8) return stack(1);
    std::uint64_t low = stack(1);
    return low | (stack(1) << 32);
  }

 private:
  std::uint64_t stack(std::size_t words) {
    std::size_t w = word();
    const std::size_t return_words = abi_.call.return_in_reg ? 0 : 1;
    std::uint64_t at = regs_.sp() + w * (return_words + stack_);
    stack_ += words;
    std::array<std::byte, 8> b{};
    if (!mem_.read_exact(RemoteAddr(at), std::span(b).first(w)).ok()) return 0;
    std::uint64_t v = 0;
    for (std::size_t k = 0; k < w; ++k) v |= std::to_integer<std::uint64_t>(b[k]) << (8 * k);
    return v;
  }

  const Registers& regs_;
  Memory& mem_;
  const FloatState& floats_;
  const AbiInfo& abi_;
  int ints_ = 0, vecs_ = 0;
  std::size_t stack_ = 0;  // words used above the return address
  bool have_floats_ = false, missing_ = false;
  std::span<const std::byte> x_;
};

}  // namespace

std::string quote_char(unsigned char c) {
  switch (c) {
    case '\n':
      return "'\\n'";
    case '\t':
      return "'\\t'";
    case '\r':
      return "'\\r'";
    case '\0':
      return "'\\0'";
    case '\'':
      return "'\\''";
    case '\\':
      return "'\\\\'";
    default:
      if (c >= 0x20 && c < 0x7f) return fmt::format("'{}'", static_cast<char>(c));
      return fmt::format("'\\{:o}'", c);
  }
}

std::uint64_t call_arg(const Registers& regs, Memory& mem, int index) {
  FloatState none;
  ArgCursor cursor(regs, mem, none);
  std::uint64_t v = 0;
  for (int i = 0; i <= index; ++i) v = cursor.next(ArgType::Hex);
  return v;
}

std::string format_value(ArgType type, std::uint64_t raw, std::size_t word, Memory& mem,
                         const CallFormat& f) {
  switch (type) {
    case ArgType::Void:
      return "<void>";
    case ArgType::Int:
      return fmt::format("{}", sign_extend(raw, 4));
    case ArgType::UInt:
      return fmt::format("{}", mask(raw, 4));
    case ArgType::Long:
      return fmt::format("{}", sign_extend(raw, word));
    case ArgType::ULong:
      return fmt::format("{}", mask(raw, word));
    case ArgType::Hex:
      return fmt::format("{:#x}", mask(raw, word));
    case ArgType::Oct:
      return fmt::format("0{:o}", mask(raw, word));
    case ArgType::Char: {
      std::int64_t v = sign_extend(raw, 4);
      return v >= 0 && v <= 0xff ? quote_char(static_cast<unsigned char>(v)) : fmt::format("{}", v);
    }
    case ArgType::Ptr:
    case ArgType::Func:
      return pointer(mask(raw, word));
    case ArgType::String:
    case ArgType::Format:
      return string_at(mask(raw, word), word, mem, f);
    case ArgType::Buffer:  // without its length (decode_args has it): the address
      return pointer(mask(raw, word));
    case ArgType::Double:
      return fmt::format("{}", std::bit_cast<double>(raw));
    case ArgType::Float:
      return fmt::format("{}", std::bit_cast<float>(static_cast<std::uint32_t>(raw)));
  }
  return fmt::format("{:#x}", raw);
}

std::vector<CallValue> decode_args(const Prototype& proto, const Registers& regs, Memory& mem,
                                   const CallFormat& f, const FloatState& floats) {
  ArgCursor cursor(regs, mem, floats);
  std::vector<CallValue> out;
  auto add = [&](ArgType t) {
    std::uint64_t raw = cursor.next(t);
    out.push_back({.type = t,
                   .raw = raw,
                   .text = cursor.missing() ? "?" : format_value(t, raw, cursor.word(), mem, f)});
  };
  for (ArgType t : proto.args) add(t);
  // A Buffer's length is the argument after it, known only now.
  for (std::size_t i = 0; i + 1 < out.size(); ++i) {
    if (out[i].type != ArgType::Buffer || out[i].text == "?") continue;
    out[i].text =
        buffer_at(mask(out[i].raw, cursor.word()), mask(out[i + 1].raw, cursor.word()), mem, f);
  }
  if (proto.variadic) {
    // The format is the last fixed argument; its conversions name the rest.
    auto it = std::find_if(out.begin(), out.end(),
                           [](const CallValue& v) { return v.type == ArgType::Format; });
    if (it != out.end() && it->raw != 0) {
      auto s = mem.read_string(RemoteAddr(mask(it->raw, cursor.word())), 4096);
      if (s.ok()) {
        for (ArgType t : format_conversions(s->bytes, f.max_variadic)) add(t);
      }
    }
  }
  return out;
}

CallValue decode_return(const Prototype& proto, const Registers& regs, Memory& mem,
                        const CallFormat& f, const FloatState& floats) {
  const AbiInfo& abi = regs.abi_info();
  CallValue v{.type = proto.ret, .raw = 0, .text = {}};
  if (proto.ret == ArgType::Double || proto.ret == ArgType::Float) {
    std::span<const std::byte> x = floats ? floats() : std::span<const std::byte>();
    bool ok =
        abi.arch == Arch::I386 ? st0(x, proto.ret, v.raw) : vreg(x, abi.arch, 0, proto.ret, v.raw);
    v.text = ok ? format_value(proto.ret, v.raw, abi.word_size, mem, f) : "?";
    return v;
  }
  v.raw = regs.get(abi.call.ret);
  v.text = format_value(proto.ret, v.raw, abi.word_size, mem, f);
  return v;
}

}  // namespace ptk::debug
