// For the ioctl decoder tests: one x86_64 ioctl(-1, code, arg) call decoded from this process's
// memory and rendered as the live printer renders it, the entry's part first and the exit's
// apart from it (the way a decoder that leaves a struct open at entry is seen).
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdint>
#include <regex>
#include <string>

#include "ptk/arch/syscalls.h"
#include "ptk/core/memory.h"
#include "ptk/sys/decode.h"
#include "ptk/sys/render.h"

namespace ptk::sys {

inline std::string ioctl_live_line(std::uint32_t code, std::uint64_t arg, std::int64_t ret,
                                   ConstNames style = ConstNames::Abbrev,
                                   std::size_t string_limit = 32, bool verbose = false) {
  DecodeOptions opts;
  opts.string_limit = string_limit;
  opts.abbrev_array = string_limit;
  opts.verbose = verbose;
  DecodedSyscall sc;
  sc.arch = Arch::X86_64;
  sc.spec = find_syscall(sc.arch, "ioctl");
  EXPECT_NE(sc.spec, nullptr);
  if (sc.spec == nullptr) return {};
  sc.nr = sc.spec->nr;
  sc.raw_args = {static_cast<std::uint64_t>(-1), code, arg};
  Memory mem(::getpid());
  decode_entry(sc, mem, opts);
  TextOptions text;
  text.acolumn = 0;
  text.const_names = style;
  std::string out;
  render_open_head(sc, text, out);
  sc.ret = ret;
  sc.is_error = ret < 0 && ret > -4096;
  decode_exit(sc, mem, opts);
  sc.exited = true;
  render_tail_args(sc, text, out);
  render_result(sc, text, out, 0);
  return std::regex_replace(out, std::regex(" +="), " =");
}

}  // namespace ptk::sys
