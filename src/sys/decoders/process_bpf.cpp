// A seccomp filter program (struct sock_fprog) as strace prints it: {len=4, filter=0x...}, and
// with -v each classic BPF instruction as the BPF_STMT/BPF_JUMP macro that builds it.
#include <fmt/format.h>

#include <cstring>

#include "process_decoders.h"
#include "process_util.h"

namespace ptk::sys {
namespace {

struct SockFilter {
  std::uint16_t code;
  std::uint8_t jt, jf;
  std::uint32_t k;
};

// "NAME" of a table, or "0x.. /* BPF_??? */".
std::string field(std::string_view table, unsigned v) {
  std::string_view n = pfam::xlat_lookup(table, v);
  return n.empty() ? fmt::format("{:#x} /* BPF_??? */", v) : std::string(n);
}

std::string leftover(unsigned v) {
  return v == 0 ? std::string() : fmt::format("|{:#x} /* BPF_??? */", v);
}

// The opcode: class, then the fields that class uses.
std::string code_text(std::uint16_t code) {
  unsigned cls = code & 0x07;
  unsigned rest = code & ~0x07u;
  std::string s = field("bpf_class", cls);
  switch (cls) {
    case 0x00:  // BPF_LD
    case 0x01:  // BPF_LDX
      s += "|" + field("bpf_size", code & 0x18) + "|" + field("bpf_mode", code & 0xe0);
      break;
    case 0x02:  // BPF_ST
    case 0x03:  // BPF_STX
      s += leftover(rest);
      break;
    case 0x04:  // BPF_ALU
      s += "|" + field("bpf_src", code & 0x08) + "|" + field("bpf_op_alu", code & 0xf0);
      break;
    case 0x05:  // BPF_JMP
      s += "|" + field("bpf_src", code & 0x08) + "|" + field("bpf_op_jmp", code & 0xf0);
      break;
    case 0x06:  // BPF_RET
      s += "|" + field("bpf_rval", code & 0x18) + leftover(rest & ~0x18u);
      break;
    default:  // BPF_MISC
      s += "|" + field("bpf_miscop", code & 0xf8) + leftover(rest & ~0xf8u);
      break;
  }
  return s;
}

std::string hex0(std::uint32_t v) { return v == 0 ? "0" : fmt::format("{:#x}", v); }

std::string insn_text(const SockFilter& f) {
  if (f.jt != 0 || f.jf != 0) {
    return fmt::format("BPF_JUMP({}, {}, {}, {})", code_text(f.code), hex0(f.k), hex0(f.jt),
                       hex0(f.jf));
  }
  std::string k;
  if ((f.code & 0x07) == 0x06) {
    // A return value is a seccomp action and its data.
    constexpr std::uint32_t kActionFull = 0xffff0000;
    std::uint32_t action = f.k & kActionFull;
    std::uint32_t data = f.k & ~action;
    std::string_view n = pfam::xlat_lookup("seccomp_ret_action", action);
    k = n.empty() ? fmt::format("{} /* SECCOMP_RET_??? */", hex0(action)) : std::string(n);
    if (data != 0) k += "|" + hex0(data);
  } else {
    k = hex0(f.k);
  }
  return fmt::format("BPF_STMT({}, {})", code_text(f.code), k);
}

}  // namespace

void print_seccomp_fprog(DecodeCtx& ctx, std::uint64_t addr) {
  std::uint16_t len = 0;
  std::uint64_t filter = 0;
  auto w = static_cast<std::uint64_t>(ctx.word_size());
  // struct sock_fprog: unsigned short len, then the pointer at the next word.
  if (addr == 0 || !ctx.read(addr, len) || !pfam::read_word(ctx, addr + w, filter)) {
    ctx.out().ptr(addr);
    return;
  }
  TokenList& o = ctx.out();
  o.begin_struct();
  o.field("len");
  o.uint_(len);
  o.field("filter");
  if (!ctx.options().verbose) {
    o.ptr(filter);
  } else {
    pfam::print_array(ctx, filter, len, sizeof(SockFilter), [&](const unsigned char* p) {
      SockFilter f;
      std::memcpy(&f, p, sizeof f);
      o.raw(insn_text(f));
    });
  }
  o.end_struct();
}

}  // namespace ptk::sys
