// `ptk step` output: one line per instruction, and the per-function profile.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <unordered_map>

#include "common/color.h"
#include "ptk/arch/registers.h"
#include "ptk/core/session.h"
#include "ptk/debug/disasm.h"
#include "ptk/debug/live_symbols.h"
#include "ptk/debug/symbols.h"

namespace ptk::cli {

// "0x401000 <_start+0>  b8 01 00 00 00        movl $1, %eax", columns aligned.
class StepPrinter {
 public:
  StepPrinter(Session& session, debug::LiveSymbols& symbols, debug::AsmSyntax syntax,
              std::FILE* out, bool source_lines, Palette palette)
      : session_(session),
        symbols_(symbols),
        disasm_(syntax),
        out_(out),
        lines_(source_lines),
        palette_(palette) {}
  void print(pid_t tid, const Registers& regs);

 private:
  Session& session_;
  debug::LiveSymbols& symbols_;
  debug::Disassembler disasm_;
  std::FILE* out_;
  bool lines_;
  Palette palette_;
  std::size_t location_width_ = 0;  // grows to the widest "address <symbol+offset>" seen
};

// Instructions per function.
class StepProfile {
 public:
  explicit StepProfile(debug::LiveSymbols& symbols) : symbols_(symbols) {}
  void add(std::uint64_t ip);
  // "  count      %  function (object)" rows, most executed first.
  std::string table(const Palette& palette) const;

 private:
  debug::LiveSymbols& symbols_;
  std::unordered_map<std::string, std::uint64_t> counts_;
  std::uint64_t total_ = 0;
  // The function of the last address: loops stay inside one, and its range saves a lookup.
  std::uint64_t range_start_ = 1, range_end_ = 0;
  std::uint64_t* range_count_ = nullptr;
};

}  // namespace ptk::cli
