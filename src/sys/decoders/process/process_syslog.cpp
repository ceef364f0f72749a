// syslog(type, buf, len): which of buf and len mean anything depends on the action.
#include <string>

#include "process_decoders.h"
#include "process_util.h"

namespace ptk::sys {
namespace {

// A C int of a value table as strace always shows this call's: the signed number, then its
// name (or the unknown placeholder) in a note.
void int_with_name(TokenList& o, std::string_view table, std::int32_t v, std::string_view unknown) {
  o.int_(v);
  std::string_view n = pfam::xlat_lookup(table, static_cast<std::uint32_t>(v));
  // One past the last console level (the kernel's default "all messages") has a name too.
  if (n.empty() && table == "syslog_console_level" && v == 8) n = "LOGLEVEL_DEBUG+1";
  o.xlat_note(n.empty() ? unknown : n);
}

enum : std::int32_t {
  kRead = 2,
  kReadAll = 3,
  kReadClear = 4,
  kConsoleLevel = 8,
  kSizeBuffer = 10,
};

}  // namespace

void decode_syslog(DecodeCtx& ctx) {
  auto type = static_cast<std::int32_t>(ctx.u(0));
  auto len = static_cast<std::int32_t>(ctx.u(2));
  TokenList& o = ctx.out();
  bool reads = type == kRead || type == kReadAll || type == kReadClear;
  if (ctx.entering()) {
    ctx.arg(0);
    int_with_name(o, "syslog_action", type, "SYSLOG_ACTION_???");
    // The actions without a buffer or a length (0, 1, 5..7, 9, 10) show the type alone.
    if (type >= 0 && type <= kSizeBuffer && !reads && type != kConsoleLevel) return;
    if (reads) {
      ctx.syscall().more_at_exit = true;
      return;
    }
    ctx.arg(1);
    o.ptr(ctx.u(1));
    ctx.arg(2);
    if (type == kConsoleLevel) {
      int_with_name(o, "syslog_console_level", len, "LOGLEVEL_???");
    } else {
      o.int_(len);
    }
    return;
  }
  if (!reads) return;
  ctx.arg(1);
  if (ctx.failed()) {
    o.ptr(ctx.u(1));
  } else {
    ctx.buffer(ctx.u(1), static_cast<std::uint64_t>(ctx.ret()));
  }
  ctx.arg(2);
  o.int_(len);
}

}  // namespace ptk::sys
