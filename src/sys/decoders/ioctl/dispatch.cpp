// ioctl(2): the descriptor, the request by name and its argument by the family decoder its
// type byte selects; requests nobody decodes show the argument as a hex number.
#include <fmt/format.h>

#include <algorithm>
#include <string>

#include "ioctl.h"

namespace ptk::sys::desc {
namespace {

using ioctl::Res;

// Families by the request's type byte; each returns Res::Hex for requests it does not know,
// which then get the terminal/file/block table's chance.
struct Family {
  std::uint8_t type;
  Res (*fn)(DecodeCtx&, std::uint32_t, std::uint64_t);
};

constexpr Family kFamilies[] = {
    {0x03, ioctl::hdio},         // HDIO_*
    {0x12, ioctl::block},        // BLK*
    {0x22, ioctl::scsi},         // SG_*
    {'!', ioctl::seccomp},       // SECCOMP_IOCTL_*
    {'$', ioctl::perf},          // PERF_EVENT_IOC_*
    {'=', ioctl::ptp},           // PTP_*
    {'>', ioctl::counter},       // COUNTER_*
    {'E', ioctl::evdev},         // EVIOC*
    {'I', ioctl::inotify},       // INOTIFY_IOC_*
    {'K', ioctl::vt},            // KD*, [GP]IO_* of the console
    {'L', ioctl::loop},          // LOOP_*
    {'M', ioctl::mtd},           // MEM*, OTP*, ECC*, MTDFILEMODE
    {'O', ioctl::ubi},           // UBI_IOC* of volumes
    {'R', ioctl::random},        // RND*
    {'V', ioctl::v4l2},          // VIDIOC_*
    {'X', ioctl::fs_x},          // FITRIM, FS_IOC_FS[GS]ETXATTR
    {'f', ioctl::fs_f},          // FS_IOC_*FLAGS, FS_IOC_FIEMAP
    {'i', ioctl::lirc},          // LIRC_*
    {'o', ioctl::ubi},           // UBI_IOC* of the control device
    {'p', ioctl::rtc},           // RTC_*
    {0x89, ioctl::sock_ifconf},  // SIOCGIFCONF
    {0x89, ioctl::sock},         // SIOC* but SIOCGIFCONF
    {0xa4, ioctl::tee_ioctl},    // TEE_IOC_*
    {0xaa, ioctl::uffdio},       // UFFDIO_*
    {0xab, ioctl::nbd},          // NBD_*
    {0xae, ioctl::kvm},          // KVM_*
    {0xb4, ioctl::gpio},         // GPIO_*
    {0xb7, ioctl::nsfs},         // NS_GET_*
    {0xfd, ioctl::dm_ioctl},     // DM_*
};

Res dispatch(DecodeCtx& ctx, std::uint32_t code, std::uint64_t arg) {
  for (const Family& f : kFamilies) {
    if (f.type != ioctl::ioc_type(code)) continue;
    Res r = f.fn(ctx, code, arg);
    if (r != Res::Hex) return r;
  }
  return ioctl::term(ctx, code, arg);
}

// Names by number for the requests whose number carries a parameter: "EVIOCGBIT(EV_KEY, 8)".
// Empty when the number is a plain one. `verbose`: the spelling of the -X verbose comment.
std::string numbered_name(std::uint32_t code, bool verbose) {
  using namespace ioctl;
  std::uint32_t dir = ioc_dir(code);
  std::uint32_t nr = ioc_nr(code);
  std::uint32_t size = ioc_size(code);
  auto sized = [&](std::string_view name) { return fmt::format("{}({})", name, size); };
  switch (ioc_type(code)) {
    case '!':
      // The kernel briefly had SECCOMP_IOCTL_NOTIF_ID_VALID with the wrong direction (5.0-5.7).
      if (code == ioc(kIocRead, '!', 2, 8)) return "SECCOMP_IOCTL_NOTIF_ID_VALID_WRONG_DIR";
      return {};
    case 'E':
      return ioctl::evdev_number(code, verbose);
    case 'H':
      if (dir == kIocRead) {
        switch (nr) {
          case 0x04:
            return sized("HIDIOCGRAWNAME");
          case 0x05:
            return sized("HIDIOCGRAWPHYS");
          case 0x06:
            return sized("HIDIOCSFEATURE");
          case 0x08:
            return sized("HIDIOCGRAWUNIQ");
          case 0x12:
            return sized("HIDIOCGPHYS");
        }
      } else if (dir == (kIocRead | kIocWrite)) {
        if (nr == 0x06) return sized("HIDIOCSFEATURE");
        if (nr == 0x07) return sized("HIDIOCGFEATURE");
      }
      return {};
    case 'M':
      if (dir == kIocWrite) return fmt::format("MIXER_WRITE({})", nr);
      if (dir == kIocRead) return fmt::format("MIXER_READ({})", nr);
      return {};
    case 'U':
      if (dir == kIocRead && nr == 0x2c) return sized("UI_GET_SYSNAME");
      return {};
    case 'j':
      if (dir == kIocRead && nr == 0x13) return sized("JSIOCGNAME");
      return {};
    case 'k':
      if (dir == kIocWrite && nr == 0) return sized("SPI_IOC_MESSAGE");
      return {};
    default:
      return {};
  }
}

// i386 requests whose size field differs from x86_64's (a long or pointer in the size).
struct Name32 {
  std::uint32_t code;
  std::string_view name;
};
constexpr Name32 kNames32[] = {
    {0x80041270, "BLKBSZGET"},
    {0x40041271, "BLKBSZSET"},
    {0x80041272, "BLKGETSIZE64"},
};

// _IOC(_IOC_READ|_IOC_WRITE, 0x54, 0x1, 0x4) for a request without a name.
std::string ioc_text(std::uint32_t code) {
  static constexpr std::string_view kDirs[] = {"_IOC_NONE", "_IOC_WRITE", "_IOC_READ",
                                               "_IOC_READ|_IOC_WRITE"};
  return fmt::format("_IOC({}, {}, {}, {})", kDirs[ioctl::ioc_dir(code)],
                     hex_text(ioctl::ioc_type(code)), hex_text(ioctl::ioc_nr(code)),
                     hex_text(ioctl::ioc_size(code)));
}

// The request as strace names it: the numbered name, then every table name of the number
// joined by " or ", else the _IOC() spelling; -X raw/verbose add or keep the hex number.
void request_name(DecodeCtx& ctx, std::uint32_t code) {
  std::string text = numbered_name(code, false);
  std::string verbose = numbered_name(code, true);
  std::string names;
  if (ctx.word_size() == 4) {
    for (const Name32& n : kNames32) {
      if (n.code != code) continue;
      names += " or ";
      names += n.name;
    }
  }
  // The table is sorted by number (then name): the names of a number are adjacent.
  static const Xlat* const table = find_xlat("ioctl_requests");
  if (names.empty() && table != nullptr) {
    auto it = std::lower_bound(table->entries.begin(), table->entries.end(), code,
                               [](const XlatEntry& e, std::uint32_t c) { return e.value < c; });
    for (; it != table->entries.end() && it->value == code; ++it) {
      names += " or ";
      names += it->name;
    }
  }
  if (!names.empty()) {
    // Drop the leading " or " unless a numbered name comes first.
    std::string_view rest = text.empty() ? std::string_view(names).substr(4) : names;
    text += rest;
    verbose += rest;
  }
  if (text.empty()) text = verbose = ioc_text(code);
  if (text == verbose) {
    ctx.out().name_hex(text, code);
  } else {
    ctx.out().name_alt(text, verbose, code);
  }
}

}  // namespace

void decode_ioctl(DecodeCtx& ctx) {
  auto code = static_cast<std::uint32_t>(ctx.u(1));
  std::uint64_t arg = ctx.u(2);
  DecodedSyscall& sc = ctx.syscall();
  Res r = Res::Hex;
  if (ctx.entering()) {
    ctx.arg(0);
    ctx.fd(ctx.s(0));
    ctx.arg(1);
    request_name(ctx, code);
    sc.priv = 0;
    r = dispatch(ctx, code, arg);
    if (r == Res::Exit) {
      sc.priv |= ioctl::kExitPending;
    } else {
      sc.priv = 0;
    }
    if (r != Res::Hex) return;
  } else {
    if ((sc.priv & ioctl::kExitPending) == 0) return;
    r = dispatch(ctx, code, arg);
    if (r != Res::Hex) return;
  }
  ctx.arg(2);
  ctx.out().hex(arg);
}

}  // namespace ptk::sys::desc
