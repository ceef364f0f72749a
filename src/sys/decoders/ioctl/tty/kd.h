// 'K' requests of the virtual terminal (linux/kd.h, linux/keyboard.h), in three files: kd.cpp
// (numbers and flags passed by value or in one int), kd_keys.cpp (the keyboard's tables) and
// kd_font.cpp (screen maps and fonts). Each returns Res::Hex for a request it does not know.
#pragma once

#include "decoders/ioctl/ioctl.h"

namespace ptk::sys::ioctl::kd {

// The request numbers ('K' << 8 | nr, no size or direction bits).
enum Request : std::uint32_t {
  kKiocSound = 0x4b2f,
  kMkTone = 0x4b30,
  kGetLed = 0x4b31,
  kSetLed = 0x4b32,
  kGkbType = 0x4b33,
  kAddIo = 0x4b34,
  kDelIo = 0x4b35,
  kEnabIo = 0x4b36,
  kDisabIo = 0x4b37,
  kSetMode = 0x4b3a,
  kGetMode = 0x4b3b,
  kMapDisp = 0x4b3c,
  kUnmapDisp = 0x4b3d,
  kGioScrnMap = 0x4b40,
  kPioScrnMap = 0x4b41,
  kGkbMode = 0x4b44,
  kSkbMode = 0x4b45,
  kGkbEnt = 0x4b46,
  kSkbEnt = 0x4b47,
  kGkbSent = 0x4b48,
  kSkbSent = 0x4b49,
  kGkbDiacr = 0x4b4a,
  kSkbDiacr = 0x4b4b,
  kGetKeycode = 0x4b4c,
  kSetKeycode = 0x4b4d,
  kSigAccept = 0x4b4e,
  kKbdRep = 0x4b52,
  kGioFont = 0x4b60,
  kPioFont = 0x4b61,
  kGkbMeta = 0x4b62,
  kSkbMeta = 0x4b63,
  kGkbLed = 0x4b64,
  kSkbLed = 0x4b65,
  kGioUnimap = 0x4b66,
  kPioUnimap = 0x4b67,
  kPioUnimapClr = 0x4b68,
  kGioUniScrnMap = 0x4b69,
  kPioUniScrnMap = 0x4b6a,
  kGioFontx = 0x4b6b,
  kPioFontx = 0x4b6c,
  kPioFontReset = 0x4b6d,
  kGioCmap = 0x4b70,
  kPioCmap = 0x4b71,
  kFontOp = 0x4b72,
  kGkbDiacrUc = 0x4bfa,
  kSkbDiacrUc = 0x4bfb,
};

Res keys(DecodeCtx& ctx, std::uint32_t code, std::uint64_t arg);  // kd_keys.cpp
Res font(DecodeCtx& ctx, std::uint32_t code, std::uint64_t arg);  // kd_font.cpp

}  // namespace ptk::sys::ioctl::kd
