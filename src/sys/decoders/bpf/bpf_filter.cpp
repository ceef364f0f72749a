// Classic BPF and eBPF opcodes and classic programs (see bpf_filter.h).
#include "bpf_filter.h"

#include <fmt/format.h>

#include <cstring>
#include <string>

#include "decoders/process/process_decoders.h"
#include "decoders/process/process_util.h"

namespace ptk::sys::bpf {
namespace {

constexpr std::uint64_t kMaxInsns = 4096;  // BPF_MAXINSNS: strace shows no more

std::string hex0(std::uint64_t v) { return v == 0 ? "0" : fmt::format("{:#x}", v); }

// A value spelled three ways at once, for TokenList::styled: -X raw, abbrev and verbose.
struct Spelling {
  std::string raw, abbrev, verbose;

  void text(std::string_view s) {
    raw += s;
    abbrev += s;
    verbose += s;
  }
  // strace's printxval: NAME, 0x.. raw, "0x.. /* NAME */" verbose; an unknown value is hex
  // with the `unknown` note but under -X raw.
  void xval(std::string_view table, std::uint64_t v, std::string_view unknown) {
    std::string_view n = pfam::xlat_lookup(table, v);
    raw += hex0(v);
    if (n.empty()) {
      std::string s = fmt::format("{} /* {} */", hex0(v), unknown);
      abbrev += s;
      verbose += s;
    } else {
      abbrev += n;
      verbose += fmt::format("{} /* {} */", hex0(v), n);
    }
  }
  // The same with a second table for names the first lacks (strace's printxvals).
  void xvals(std::string_view t1, std::string_view t2, std::uint64_t v) {
    xval(pfam::xlat_lookup(t1, v).empty() && !t2.empty() ? t2 : t1, v, "BPF_???");
  }
  // Bits no field explains: hex and a note in every style.
  void rest(std::uint64_t v) {
    if (v != 0) text(fmt::format("|{} /* BPF_??? */", hex0(v)));
  }
  void emit(TokenList& o) const { o.styled(raw, abbrev, verbose); }
};

// strace's print_bpf_filter_code: the class, then the fields that class uses; eBPF reuses the
// classic encoding with more classes and operations.
void code(Spelling& s, std::uint16_t c, bool extended) {
  unsigned cls = c & 0x07;
  unsigned rest = c & ~0x07u;
  s.xval(extended ? "ebpf_class" : "bpf_class", cls, "BPF_???");
  bool ld = cls <= 0x01 || (extended && cls <= 0x03);   // LD, LDX (eBPF: ST, STX too)
  bool alu = cls == 0x04 || (extended && cls == 0x07);  // ALU (eBPF: ALU64)
  if (ld) {
    s.text("|");
    s.xvals("bpf_size", extended ? "ebpf_size" : "", c & 0x18);
    s.text("|");
    s.xval(extended ? "ebpf_mode" : "bpf_mode", c & 0xe0, "BPF_???");
  } else if (alu || cls == 0x05) {  // ALU or JMP
    s.text("|");
    s.xval("bpf_src", c & 0x08, "BPF_???");
    s.text("|");
    if (alu) {
      s.xvals("bpf_op_alu", extended ? "ebpf_op_alu" : "", c & 0xf0);
    } else {
      s.xvals("bpf_op_jmp", extended ? "ebpf_op_jmp" : "", c & 0xf0);
    }
  } else if (cls == 0x07) {  // classic BPF_MISC
    s.text("|");
    s.xval("bpf_miscop", c & 0xf8, "BPF_???");
    s.rest(rest & ~0xf8u);
  } else if (cls == 0x06 && !extended) {  // BPF_RET
    s.text("|");
    s.xval("bpf_rval", c & 0x18, "BPF_???");
    s.rest(rest & ~0x18u);
  } else {  // classic ST, STX; eBPF JMP32
    s.rest(rest);
  }
}

struct SockFilter {
  std::uint16_t code;
  std::uint8_t jt, jf;
  std::uint32_t k;
};

// The constant of a BPF_STMT as the filter's user reads it; false for a plain number.
bool stmt_k(Spelling& s, const SockFilter& f, FilterKind kind) {
  if (kind == FilterKind::Seccomp) {
    if ((f.code & 0x07) != 0x06) return false;  // only BPF_RET returns an action
    constexpr std::uint32_t kActionFull = 0xffff0000;
    std::uint32_t action = f.k & kActionFull;
    s.xval("seccomp_ret_action", action, "SECCOMP_RET_???");
    if ((f.k & ~action) != 0) s.text("|" + hex0(f.k & ~action));
    return true;
  }
  if ((f.code & 0x07) != 0x00 || (f.code & 0xe0) != 0x20) return false;  // BPF_LD|BPF_ABS
  // Negative offsets reach the packet's link and network layers and ancillary data.
  struct Area {
    std::uint32_t base;
    std::string_view name;
  };
  static constexpr Area kAreas[] = {
      {0xfffff000, "SKF_AD_OFF"}, {0xfff00000, "SKF_NET_OFF"}, {0xffe00000, "SKF_LL_OFF"}};
  for (const Area& a : kAreas) {
    if (f.k < a.base) continue;
    s.raw += hex0(a.base);
    s.abbrev += a.name;
    s.verbose += fmt::format("{} /* {} */", hex0(a.base), a.name);
    s.text("+");
    if (a.base == 0xfffff000) {
      s.xval("skf_ad", f.k - a.base, "SKF_AD_???");
    } else {
      s.text(fmt::format("{}", f.k - a.base));
    }
    return true;
  }
  return false;
}

void insn(TokenList& o, const SockFilter& f, FilterKind kind) {
  Spelling s;
  bool jump = f.jt != 0 || f.jf != 0;
  s.text(jump ? "BPF_JUMP(" : "BPF_STMT(");
  code(s, f.code, false);
  s.text(", ");
  if (jump) {
    s.text(fmt::format("{}, {}, {}", hex0(f.k), hex0(f.jt), hex0(f.jf)));
  } else if (!stmt_k(s, f, kind)) {
    s.text(hex0(f.k));
  }
  s.text(")");
  s.emit(o);
}

}  // namespace

void ebpf_code(TokenList& o, std::uint8_t c) {
  Spelling s;
  code(s, c, true);
  s.emit(o);
}

void insn_array(DecodeCtx& ctx, std::uint64_t addr, std::uint64_t n, std::size_t elem_size,
                const std::function<void(const unsigned char*)>& print) {
  TokenList& o = ctx.out();
  if (addr == 0 || n == 0) {
    pfam::print_array(ctx, addr, n, elem_size, print);  // NULL, []
    return;
  }
  if (n > UINT64_MAX / elem_size || addr + n * elem_size < addr) {
    o.ptr(addr);
    return;
  }
  unsigned char elem[8];
  for (std::uint64_t i = 0; i < n; ++i) {
    std::uint64_t at = addr + i * elem_size;
    // Each instruction is fetched before the limit is checked, as strace's print_array does.
    if (!ctx.read(at, elem, elem_size)) {
      if (i == 0) {
        o.ptr(addr);
        return;
      }
      o.raw("...");
      o.comment(fmt::format("{:#x}", at));
      break;
    }
    if (i == 0) o.begin_array();
    if (i >= kMaxInsns) {
      o.raw("...");
      break;
    }
    print(elem);
  }
  o.end_array();
}

void print_fprog_filter(DecodeCtx& ctx, std::uint64_t addr, std::uint64_t len, FilterKind kind) {
  if (!ctx.options().verbose) {
    ctx.out().ptr(addr);
    return;
  }
  insn_array(ctx, addr, len, sizeof(SockFilter), [&](const unsigned char* p) {
    SockFilter f;
    std::memcpy(&f, p, sizeof f);
    insn(ctx.out(), f, kind);
  });
}

void print_sock_fprog_struct(DecodeCtx& ctx, std::uint64_t addr, FilterKind kind) {
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
  print_fprog_filter(ctx, filter, len, kind);
  o.end_struct();
}

}  // namespace ptk::sys::bpf

namespace ptk::sys {

void print_seccomp_fprog(DecodeCtx& ctx, std::uint64_t addr) {
  bpf::print_sock_fprog_struct(ctx, addr, bpf::FilterKind::Seccomp);
}

}  // namespace ptk::sys
