// ioctl decoding, split by device family: the dispatcher (dispatch.cpp) prints the descriptor
// and the request's name, then hands the argument to the family the request's type byte
// selects. Each family decoder runs at entry and, when it asks for it, again at exit.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "decoders/desc/desc_util.h"

namespace ptk::sys::ioctl {

using desc::failed_exit;
using desc::hex_text;

// What a family decoder did with the argument.
enum class Res : std::uint8_t {
  Hex,   // nothing: the argument prints as the hex number it is (at exit too)
  Done,  // printed all there is to print
  Exit,  // (entry only) call again at exit
};

// The dispatcher's mark in DecodedSyscall::priv for "call the family again at exit"; a family
// returning Res::Exit may keep state for its exit in the other bits.
constexpr std::uint64_t kExitPending = std::uint64_t{1} << 63;

// The fields of a request number (asm-generic/ioctl.h; x86 uses the generic layout).
constexpr std::uint32_t kIocNone = 0;
constexpr std::uint32_t kIocWrite = 1;
constexpr std::uint32_t kIocRead = 2;
constexpr std::uint32_t ioc_dir(std::uint32_t c) { return c >> 30; }
constexpr std::uint32_t ioc_type(std::uint32_t c) { return (c >> 8) & 0xff; }
constexpr std::uint32_t ioc_nr(std::uint32_t c) { return c & 0xff; }
constexpr std::uint32_t ioc_size(std::uint32_t c) { return (c >> 16) & 0x3fff; }
constexpr std::uint32_t ioc(std::uint32_t dir, std::uint32_t type, std::uint32_t nr,
                            std::uint32_t size) {
  return dir << 30 | size << 16 | type << 8 | nr;
}

// A value of `table` (its name, else hex with the `unknown` placeholder as a note).
void val(TokenList& o, std::string_view table, std::uint64_t value, std::string_view unknown);
// The same with the number in decimal (strace's printxval_d).
void val_d(TokenList& o, std::string_view table, std::int64_t value, std::string_view unknown);
// Flags of `table`: NAME|NAME|0xrest; no known bit: hex and the placeholder.
void flags(TokenList& o, std::string_view table, std::uint64_t value, std::string_view unknown);
// Flags named by bit number, where strace spells each as "1<<NAME" (the names are no C
// identifiers, so no data table holds them): NAME|NAME|0xrest, in the table's order.
struct NamedBit {
  int bit;
  std::string_view name;
};
void bit_flags(TokenList& o, std::span<const NamedBit> bits, std::uint64_t value,
               std::string_view unknown);
// The name of a value, or empty; the text printxval would print in abbrev style.
std::string_view name_of(std::string_view table, std::uint64_t value);
std::string val_text(std::string_view table, std::uint64_t value, std::string_view unknown);

// Reads a struct at addr for printing: NULL and unreadable addresses (or the exit of a failed
// call, or a call -e verbose= leaves out) are printed as such and give false.
bool fetch(DecodeCtx& ctx, std::uint64_t addr, void* buf, std::size_t len);
template <typename T>
bool fetch(DecodeCtx& ctx, std::uint64_t addr, T& v) {
  return fetch(ctx, addr, &v, sizeof v);
}

// A fixed-size char array up to its NUL; without one, all but the last byte and "..." (strace's
// print_quoted_cstring).
void cstring(TokenList& o, const char* s, std::size_t size);

// `len` bytes at addr all as \x escapes, cut at -s with "..." (strace's printstr_ex with
// QUOTE_FORCE_HEX): NULL, or the address when the bytes (and the one past -s) are unreadable.
void hex_bytes(DecodeCtx& ctx, std::uint64_t addr, std::uint64_t len);

// At most `len` bytes at addr up to a NUL, cut at -s with "..." unless the NUL came (strace's
// printstr_ex with QUOTE_0_TERMINATED): NULL, or the address when unreadable before the NUL.
// Returns the string's length + 1 when the NUL was read, 0 when not, -1 when unreadable.
int bounded_cstring(DecodeCtx& ctx, std::uint64_t addr, std::uint64_t len);

// A named field holding a number.
inline void field_u(TokenList& o, std::string_view name, std::uint64_t v) {
  o.field(name);
  o.uint_(v);
}
inline void field_i(TokenList& o, std::string_view name, std::int64_t v) {
  o.field(name);
  o.int_(v);
}
inline void field_x(TokenList& o, std::string_view name, std::uint64_t v) {
  o.field(name);
  o.hex(v);
}

// ---- the families (one file each) ----

// Terminals, sockets' FIO*/SIOC* basics, files (FS_IOC_*FLAGS) and blocks: the requests whose
// argument kind is a table in term.cpp. Hex for requests it does not know.
Res term(DecodeCtx& ctx, std::uint32_t code, std::uint64_t arg);
Res fs_f(DecodeCtx& ctx, std::uint32_t code, std::uint64_t arg);         // 'f': FS_IOC_*, fiemap
Res inotify(DecodeCtx& ctx, std::uint32_t code, std::uint64_t arg);      // 'I'
Res fs_x(DecodeCtx& ctx, std::uint32_t code, std::uint64_t arg);         // 'X'
Res random(DecodeCtx& ctx, std::uint32_t code, std::uint64_t arg);       // 'R'
Res counter(DecodeCtx& ctx, std::uint32_t code, std::uint64_t arg);      // '>'
Res hdio(DecodeCtx& ctx, std::uint32_t code, std::uint64_t arg);         // 0x03
Res gpio(DecodeCtx& ctx, std::uint32_t code, std::uint64_t arg);         // 0xb4
Res seccomp(DecodeCtx& ctx, std::uint32_t code, std::uint64_t arg);      // '!'
Res ptp(DecodeCtx& ctx, std::uint32_t code, std::uint64_t arg);          // '='
Res lirc(DecodeCtx& ctx, std::uint32_t code, std::uint64_t arg);         // 'i'
Res loop(DecodeCtx& ctx, std::uint32_t code, std::uint64_t arg);         // 'L'
Res rtc(DecodeCtx& ctx, std::uint32_t code, std::uint64_t arg);          // 'p'
Res nbd(DecodeCtx& ctx, std::uint32_t code, std::uint64_t arg);          // 0xab
Res uffdio(DecodeCtx& ctx, std::uint32_t code, std::uint64_t arg);       // 0xaa
Res block(DecodeCtx& ctx, std::uint32_t code, std::uint64_t arg);        // 0x12
Res nsfs(DecodeCtx& ctx, std::uint32_t code, std::uint64_t arg);         // 0xb7
Res ubi(DecodeCtx& ctx, std::uint32_t code, std::uint64_t arg);          // 'O', 'o'
Res mtd(DecodeCtx& ctx, std::uint32_t code, std::uint64_t arg);          // 'M'
Res v4l2(DecodeCtx& ctx, std::uint32_t code, std::uint64_t arg);         // 'V'
Res sock_ifconf(DecodeCtx& ctx, std::uint32_t code, std::uint64_t arg);  // 0x89 SIOCGIFCONF
Res perf(DecodeCtx& ctx, std::uint32_t code, std::uint64_t arg);         // '$' (perf.cpp)
Res scsi(DecodeCtx& ctx, std::uint32_t code, std::uint64_t arg);         // 0x22 (scsi.cpp)
Res kvm(DecodeCtx& ctx, std::uint32_t code, std::uint64_t arg);          // 0xae (kvm.cpp)
Res dm_ioctl(DecodeCtx& ctx, std::uint32_t code, std::uint64_t arg);     // 0xfd (dm*.cpp)
Res sock(DecodeCtx& ctx, std::uint32_t code, std::uint64_t arg);         // 0x89 (sock.cpp)
Res tee_ioctl(DecodeCtx& ctx, std::uint32_t code, std::uint64_t arg);    // 0xa4 (tee*.cpp)
Res vt(DecodeCtx& ctx, std::uint32_t code, std::uint64_t arg);           // 'K' (kd*.cpp)
Res evdev(DecodeCtx& ctx, std::uint32_t code, std::uint64_t arg);        // 'E'
// The name of an evdev request whose number carries an axis, event type or length
// ("EVIOCGBIT(EV_KEY, 8)"), or empty; `verbose`: as the -X verbose comment spells it, without
// placeholders for unknown parts.
std::string evdev_number(std::uint32_t code, bool verbose);
void ff_effect(DecodeCtx& ctx, std::uint64_t arg);  // EVIOCSFF's struct (evdev_ff.cpp)

}  // namespace ptk::sys::ioctl
