// ioctl arguments of the common terminal, file, socket, watchdog and random requests (a table of
// argument kinds by request number).
#include <fmt/format.h>

#include <cstring>
#include <string>

#include "decoders/ioctl/ioctl.h"

namespace ptk::sys::ioctl {
namespace {

using desc::flags_text;
using desc::num_flags;
using desc::num_int;
using desc::num_uint64;
using desc::num_ulong;
using desc::xval;

// How a request's argument is shown. *Get kinds are outputs: shown at exit (where strace also
// prints the separator), as the address after a failure.
enum class Arg : std::uint8_t {
  Hex,     // the number (unknown requests, pointers strace does not follow)
  None,    // no argument shown
  IntGet,  // [int]
  IntSet,
  UlongGet,   // [unsigned long]
  U64Get,     // [u64]
  Int,        // the argument itself, a C int
  NullOrHex,  // a struct strace decodes; only NULL is shown as such here
  String1,    // one byte: TIOCSTI
  TcXonc,
  TcFlsh,
  ModemGet,  // [TIOCM_DTR|...]
  ModemSet,
  FsFlagsGet,  // [FS_EXTENT_FL|...]
  FsFlagsSet,
  TermiosGet,
  TermiosSet,
  Termios2Get,
  Termios2Set,
  TermioGet,
  TermioSet,
  WinszGet,
  WinszSet,
};

constexpr std::uint8_t k64 = 1;
constexpr std::uint8_t k32 = 2;
constexpr std::uint8_t kBoth = k64 | k32;

struct Request {
  std::uint32_t code;
  std::uint8_t abis;
  Arg arg;
};

// The requests whose argument is decoded here (terminals, files, sockets, ...); numbers
// from the kernel's uapi headers for x86 (both ABIs unless the size differs).
constexpr Request kRequests[] = {
    {0x5401, kBoth, Arg::TermiosGet},
    {0x5402, kBoth, Arg::TermiosSet},
    {0x5403, kBoth, Arg::TermiosSet},
    {0x5404, kBoth, Arg::TermiosSet},
    {0x5405, kBoth, Arg::TermioGet},
    {0x5406, kBoth, Arg::TermioSet},
    {0x5407, kBoth, Arg::TermioSet},
    {0x5408, kBoth, Arg::TermioSet},
    {0x5409, kBoth, Arg::Int},
    {0x540a, kBoth, Arg::TcXonc},
    {0x540b, kBoth, Arg::TcFlsh},
    {0x540c, kBoth, Arg::None},
    {0x540d, kBoth, Arg::None},
    {0x540e, kBoth, Arg::Int},
    {0x540f, kBoth, Arg::IntGet},
    {0x5410, kBoth, Arg::IntSet},
    {0x5411, kBoth, Arg::IntGet},
    {0x5412, kBoth, Arg::String1},
    {0x5413, kBoth, Arg::WinszGet},
    {0x5414, kBoth, Arg::WinszSet},
    {0x5415, kBoth, Arg::ModemGet},
    {0x5416, kBoth, Arg::ModemSet},
    {0x5417, kBoth, Arg::ModemSet},
    {0x5418, kBoth, Arg::ModemSet},
    {0x5419, kBoth, Arg::IntGet},
    {0x541a, kBoth, Arg::IntSet},
    {0x541b, kBoth, Arg::IntGet},
    {0x541c, kBoth, Arg::Hex},
    {0x541d, kBoth, Arg::None},
    {0x541e, kBoth, Arg::Hex},
    {0x541f, kBoth, Arg::None},
    {0x5420, kBoth, Arg::IntSet},
    {0x5421, kBoth, Arg::IntSet},
    {0x5422, kBoth, Arg::None},
    {0x5423, kBoth, Arg::IntSet},
    {0x5424, kBoth, Arg::IntGet},
    {0x5425, kBoth, Arg::Int},
    {0x5427, kBoth, Arg::None},
    {0x5428, kBoth, Arg::None},
    {0x5429, kBoth, Arg::IntGet},
    {0x542e, kBoth, Arg::Hex},
    {0x542f, kBoth, Arg::Hex},
    {0x5432, kBoth, Arg::Hex},
    {0x5433, kBoth, Arg::Hex},
    {0x5434, kBoth, Arg::Hex},
    {0x5435, kBoth, Arg::Hex},
    {0x5437, kBoth, Arg::None},
    {0x5441, kBoth, Arg::Hex},
    {0x5450, kBoth, Arg::None},
    {0x5451, kBoth, Arg::None},
    {0x5452, kBoth, Arg::IntSet},
    {0x5453, kBoth, Arg::Hex},
    {0x5454, kBoth, Arg::Hex},
    {0x5455, kBoth, Arg::Hex},
    {0x5456, kBoth, Arg::TermiosGet},
    {0x5457, kBoth, Arg::TermiosSet},
    {0x5458, kBoth, Arg::Hex},
    {0x5459, kBoth, Arg::Hex},
    {0x545a, kBoth, Arg::Hex},
    {0x545b, kBoth, Arg::Hex},
    {0x545c, kBoth, Arg::Hex},
    {0x545d, kBoth, Arg::Hex},
    {0x5460, kBoth, Arg::Hex},
    {0x802c542a, kBoth, Arg::Termios2Get},
    {0x402c542b, kBoth, Arg::Termios2Set},
    {0x402c542c, kBoth, Arg::Termios2Set},
    {0x402c542d, kBoth, Arg::Termios2Set},
    {0x80045430, kBoth, Arg::IntGet},
    {0x40045431, kBoth, Arg::IntSet},
    {0x80045432, kBoth, Arg::IntGet},
    {0x40045436, kBoth, Arg::Hex},
    {0x80045438, kBoth, Arg::Hex},
    {0x80045439, kBoth, Arg::Hex},
    {0x80045440, kBoth, Arg::IntGet},
    {0x8901, kBoth, Arg::IntSet},
    {0x8902, kBoth, Arg::IntSet},
    {0x8903, kBoth, Arg::IntGet},
    {0x8904, kBoth, Arg::IntGet},
    {0x8905, kBoth, Arg::IntGet},
    {0x0001, kBoth, Arg::Hex},
    {0x0002, kBoth, Arg::Hex},
    {0x40049409, kBoth, Arg::Int},
    {0x4020940d, kBoth, Arg::NullOrHex},
    {0xc0189436, kBoth, Arg::NullOrHex},
    {0xc020660b, kBoth, Arg::NullOrHex},
    {0x80046601, kBoth, Arg::FsFlagsGet},
    {0x40046602, kBoth, Arg::FsFlagsSet},
    {0x80047601, kBoth, Arg::Hex},
    {0x40047602, kBoth, Arg::Hex},
    {0x80086601, k64, Arg::FsFlagsGet},
    {0x40086602, k64, Arg::FsFlagsSet},
    {0x80087601, k64, Arg::Hex},
    {0x40087602, k64, Arg::Hex},
    // watchdog (linux/watchdog.h); WDIOC_KEEPALIVE's int is ignored by the kernel
    {0x80045701, kBoth, Arg::IntGet},  // WDIOC_GETSTATUS
    {0x80045702, kBoth, Arg::IntGet},  // WDIOC_GETBOOTSTATUS
    {0x80045703, kBoth, Arg::IntGet},  // WDIOC_GETTEMP
    {0x80045707, kBoth, Arg::IntGet},  // WDIOC_GETTIMEOUT
    {0x80045709, kBoth, Arg::IntGet},  // WDIOC_GETPRETIMEOUT
    {0x8004570a, kBoth, Arg::IntGet},  // WDIOC_GETTIMELEFT
    {0xc0045706, kBoth, Arg::IntSet},  // WDIOC_SETTIMEOUT
    {0xc0045708, kBoth, Arg::IntSet},  // WDIOC_SETPRETIMEOUT
    {0x80045705, kBoth, Arg::None},    // WDIOC_KEEPALIVE
    // random (linux/random.h)
    {0x80045200, kBoth, Arg::IntGet},  // RNDGETENTCNT
    {0x40045201, kBoth, Arg::IntSet},  // RNDADDTOENTCNT
    {0x5204, kBoth, Arg::None},        // RNDZAPENTCNT
    {0x5206, kBoth, Arg::None},        // RNDCLEARPOOL
    {0x5207, kBoth, Arg::None},        // RNDRESEEDCRNG
    // filesystems ('X', linux/fs.h)
    {0xc0045877, kBoth, Arg::None},  // FIFREEZE
    {0xc0045878, kBoth, Arg::None},  // FITHAW
};

const Request* find_request(std::uint32_t code, int word_size) {
  std::uint8_t abi = word_size == 4 ? k32 : k64;
  for (const Request& r : kRequests) {
    if (r.code == code && (r.abis & abi) != 0) return &r;
  }
  return nullptr;
}

bool is_output(Arg a) {
  switch (a) {
    case Arg::IntGet:
    case Arg::UlongGet:
    case Arg::U64Get:
    case Arg::ModemGet:
    case Arg::FsFlagsGet:
    case Arg::TermiosGet:
    case Arg::Termios2Get:
    case Arg::TermioGet:
    case Arg::WinszGet:
      return true;
    default:
      return false;
  }
}

// ---- terminal structs (the kernel's layouts, the same on both x86 ABIs) ----

// Flags as strace's printflags64 without a default: names, the unknown rest in hex, and
// nothing at all for 0.
std::string bare_flags(std::string_view table, std::uint64_t value) {
  return value == 0 ? std::string() : flags_text(table, value);
}

std::string xval_text(std::string_view table, std::uint64_t value, std::string_view dflt) {
  const Xlat* x = find_xlat(table);
  std::string_view n = x != nullptr ? xlat_name(*x, value) : std::string_view();
  if (!n.empty()) return std::string(n);
  return fmt::format("{} /* {} */", hex_text(value), dflt);
}

std::string oflag_text(std::uint32_t v) {
  struct Field {
    std::string_view table;
    std::uint32_t mask;
    std::string_view dflt;
  };
  static constexpr Field kFields[] = {
      {"term_oflags_nldly", 0000400, "NL?"},   {"term_oflags_crdly", 0003000, "CR?"},
      {"term_oflags_tabdly", 0014000, "TAB?"}, {"term_oflags_bsdly", 0020000, "BS?"},
      {"term_oflags_vtdly", 0040000, "VT?"},   {"term_oflags_ffdly", 0100000, "FF?"},
  };
  std::string s;
  for (const Field& f : kFields) {
    s += xval_text(f.table, v & f.mask, f.dflt);
    s += '|';
    v &= ~f.mask;
  }
  s += bare_flags("term_oflags", v);
  return s;
}

std::string cflag_text(std::uint32_t v) {
  constexpr std::uint32_t kCbaud = 0010017;
  constexpr std::uint32_t kCibaud = 002003600000;
  constexpr std::uint32_t kCsize = 0000060;
  constexpr int kIbshift = 16;
  std::string s = xval_text("baud_options", v & kCbaud, "B???");
  s += '|';
  if (v & kCibaud) {
    s += xval_text("baud_options", (v & kCibaud) >> kIbshift, "B???");
    s += "<<IBSHIFT|";
  }
  s += xval_text("term_csize", v & kCsize, "CS?");
  s += '|';
  s += bare_flags("term_cflags", v & ~(kCbaud | kCibaud | kCsize));
  return s;
}

// termios (36 bytes), termios2 (44: speeds after c_cc) or termio (18: 16-bit flags, 8 cc).
void print_term(DecodeCtx& ctx, std::uint64_t addr, int kind) {
  constexpr int kTermios = 0;
  constexpr int kTermios2 = 1;
  unsigned char b[44] = {};
  std::size_t size = kind == kTermios ? 36 : kind == kTermios2 ? 44 : 18;
  if (addr == 0) {
    ctx.out().ptr(0);
    return;
  }
  if (failed_exit(ctx) || !ctx.read(addr, b, size)) {
    ctx.out().ptr(addr);
    return;
  }
  std::uint32_t flag[4];
  std::size_t cc_at = 17;
  std::size_t ncc = 19;
  if (kind == kTermios || kind == kTermios2) {
    std::memcpy(flag, b, 16);
  } else {
    for (int i = 0; i < 4; ++i) {
      std::uint16_t f = 0;
      std::memcpy(&f, b + 2 * i, 2);
      flag[i] = f;
    }
    cc_at = 9;
    ncc = 8;
  }
  TokenList& o = ctx.out();
  o.begin_struct();
  o.field("c_iflag");
  o.raw(bare_flags("term_iflags", flag[0]));
  o.field("c_oflag");
  o.raw(oflag_text(flag[1]));
  o.field("c_cflag");
  o.raw(cflag_text(flag[2]));
  o.field("c_lflag");
  o.raw(bare_flags("term_lflags", flag[3]));
  if (!ctx.options().verbose) {
    o.end_struct(true);
    return;
  }
  o.field("c_line");
  xval(o, "term_line_discs", b[cc_at - 1]);
  o.field("c_cc");
  o.begin_array();
  const Xlat* names = find_xlat("termios_cc");
  for (std::size_t i = 0; i < ncc; ++i) {
    std::string_view n = names != nullptr ? xlat_name(*names, i) : std::string_view();
    o.field(n.empty() ? fmt::format("[{}]", i) : fmt::format("[{}]", n));
    o.hex(b[cc_at + i]);
  }
  o.end_array();
  if (kind == kTermios2) {
    std::uint32_t speed[2];
    std::memcpy(speed, b + 36, 8);
    o.field("c_ispeed");
    o.uint_(speed[0]);
    o.field("c_ospeed");
    o.uint_(speed[1]);
  }
  o.end_struct();
}

void print_winsize(DecodeCtx& ctx, std::uint64_t addr) {
  std::uint16_t ws[4];
  if (addr == 0) {
    ctx.out().ptr(0);
    return;
  }
  if (failed_exit(ctx) || !ctx.read(addr, ws)) {
    ctx.out().ptr(addr);
    return;
  }
  static constexpr std::string_view kNames[] = {"ws_row", "ws_col", "ws_xpixel", "ws_ypixel"};
  TokenList& o = ctx.out();
  o.begin_struct();
  for (int i = 0; i < 4; ++i) {
    o.field(kNames[i]);
    o.uint_(ws[i]);
  }
  o.end_struct();
}

void print_arg(DecodeCtx& ctx, Arg kind, std::uint64_t arg) {
  TokenList& o = ctx.out();
  switch (kind) {
    case Arg::Hex:
    case Arg::None:
      o.hex(arg);
      break;
    case Arg::IntGet:
    case Arg::IntSet:
      num_int(ctx, arg);
      break;
    case Arg::UlongGet:
      num_ulong(ctx, arg);
      break;
    case Arg::U64Get:
      num_uint64(ctx, arg);
      break;
    case Arg::Int:
      o.int_(static_cast<std::int32_t>(arg));
      break;
    case Arg::NullOrHex:
      o.ptr(arg);
      break;
    case Arg::String1:
      ctx.buffer(arg, 1);
      break;
    case Arg::TcXonc:
      xval(o, "tcxonc_options", arg);
      break;
    case Arg::TcFlsh:
      xval(o, "tcflsh_options", arg);
      break;
    case Arg::ModemGet:
    case Arg::ModemSet:
      num_flags(ctx, arg, "tiocm_flags");
      break;
    case Arg::FsFlagsGet:
    case Arg::FsFlagsSet:
      num_flags(ctx, arg, "fs_inode_flags");
      break;
    case Arg::TermiosGet:
    case Arg::TermiosSet:
      print_term(ctx, arg, 0);
      break;
    case Arg::Termios2Get:
    case Arg::Termios2Set:
      print_term(ctx, arg, 1);
      break;
    case Arg::TermioGet:
    case Arg::TermioSet:
      print_term(ctx, arg, 2);
      break;
    case Arg::WinszGet:
    case Arg::WinszSet:
      print_winsize(ctx, arg);
      break;
  }
}

}  // namespace

Res term(DecodeCtx& ctx, std::uint32_t code, std::uint64_t arg) {
  const Request* req = find_request(code, ctx.word_size());
  if (req == nullptr) return Res::Hex;
  Arg kind = req->arg;
  if (kind == Arg::Hex) return Res::Hex;
  if (kind == Arg::None) return Res::Done;
  if (ctx.entering() && is_output(kind)) return Res::Exit;
  ctx.arg(2);
  print_arg(ctx, kind, arg);
  return Res::Done;
}

}  // namespace ptk::sys::ioctl
