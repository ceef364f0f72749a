// 'E' requests: input event devices (linux/input.h). The request names with parameters are
// here (evdev_number); the arguments are in evdev_args.cpp.
#include <fmt/format.h>

#include "decoders/ioctl/ioctl.h"

namespace ptk::sys::ioctl {

std::string evdev_number(std::uint32_t code, bool verbose) {
  std::uint32_t nr = ioc_nr(code);
  std::uint32_t size = ioc_size(code);
  if (ioc_dir(code) == kIocWrite && nr >= 0xc0 && nr <= 0xc0 + 0x3f)
    return fmt::format("EVIOCSABS({})", val_text("evdev_abs", nr - 0xc0, verbose ? "" : "ABS_???"));
  if (ioc_dir(code) != kIocRead) return {};
  if (nr >= 0x20 && nr <= 0x20 + 0x1f) {
    // Type 0 asks for the bitmap of event types, not of EV_SYN's codes.
    std::string type =
        nr == 0x20 ? "0" : val_text("evdev_types", nr - 0x20, verbose ? "" : "EV_???");
    return fmt::format("EVIOCGBIT({}, {})", type, size);
  }
  if (nr >= 0x40 && nr <= 0x40 + 0x3f)
    return fmt::format("EVIOCGABS({})", val_text("evdev_abs", nr - 0x40, verbose ? "" : "ABS_???"));
  std::string_view name;
  switch (nr) {
    case 0x06:
      name = "EVIOCGNAME";
      break;
    case 0x07:
      name = "EVIOCGPHYS";
      break;
    case 0x08:
      name = "EVIOCGUNIQ";
      break;
    case 0x09:
      name = "EVIOCGPROP";
      break;
    case 0x0a:
      name = "EVIOCGMTSLOTS";
      break;
    case 0x18:
      name = "EVIOCGKEY";
      break;
    case 0x19:
      name = "EVIOCGLED";
      break;
    case 0x1a:
      name = "EVIOCGSND";
      break;
    case 0x1b:
      name = "EVIOCGSW";
      break;
    default:
      return {};
  }
  return fmt::format("{}({})", name, size);
}

}  // namespace ptk::sys::ioctl
