// For the decoder tests: one call decoded from raw arguments (and this process's memory) and
// rendered as strace prints it, with the result column closed up (" = ").
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <array>
#include <cstdint>
#include <regex>
#include <string>
#include <string_view>

#include "ptk/arch/syscalls.h"
#include "ptk/core/memory.h"
#include "ptk/sys/decode.h"
#include "ptk/sys/render.h"

namespace ptk::sys {

using Args = std::array<std::uint64_t, 6>;

// Decodes one call of `name` with `args` that returned `ret` (with `opts`: -v, -s, ...), and
// renders it as strace would (in the -X `style`).
inline std::string decoded_line(Arch arch, std::string_view name, Args args, std::int64_t ret,
                                const DecodeOptions& opts = {},
                                ConstNames style = ConstNames::Abbrev) {
  DecodedSyscall sc;
  sc.arch = arch;
  sc.spec = find_syscall(arch, name);
  EXPECT_NE(sc.spec, nullptr) << name;
  if (sc.spec == nullptr) return {};
  sc.nr = sc.spec->nr;
  sc.raw_args = args;
  Memory mem(::getpid());
  decode_entry(sc, mem, opts);
  sc.ret = ret;
  sc.is_error = ret < 0 && ret > -4096;
  decode_exit(sc, mem, opts);
  std::string out;
  TextOptions text;
  text.acolumn = 0;
  text.const_names = style;  // -X
  render_line(sc, text, out);
  return std::regex_replace(out, std::regex(" +="), " =");
}

}  // namespace ptk::sys
