// What `ptk break` prints at each breakpoint hit: the hit line, then the chosen actions
// (registers, integer arguments by the ABI, a backtrace, memory), as text or one JSON object.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/color.h"
#include "ptk/base/result.h"
#include "ptk/core/session.h"
#include "ptk/debug/breakpoints.h"
#include "ptk/debug/symbols.h"
#include "ptk/debug/unwind.h"

namespace ptk::cli {

// --mem ADDR|REG:LEN
struct MemAction {
  std::string where;  // "0x1000" or a register name
  std::size_t len = 0;
};
Result<MemAction> parse_mem_action(const std::string& text);

struct BreakActions {
  bool regs = false;
  int args = 0;
  bool bt = false;
  std::vector<MemAction> mem;
  bool json = false;
};

class BreakPrinter {
 public:
  BreakPrinter(Session& session, const BreakActions& actions, std::FILE* out)
      : session_(session),
        actions_(actions),
        out_(out),
        palette_(actions.json ? Palette() : Palette::for_stream(out)) {}

  // One hit of `location` (as the user typed it), its `count`th.
  void hit(const std::string& location, const debug::BreakpointHit& hit, std::uint64_t count,
           const debug::SymbolTable* symbols);
  // --count: the number of hits of a location.
  void count(const std::string& location, std::uint64_t hits);
  // A watchpoint hit (--watch).
  void watch(const std::string& label, pid_t tid, std::uint64_t ip,
             const std::optional<std::uint64_t>& old_value,
             const std::optional<std::uint64_t>& new_value);

 private:
  // "rax=0x1 rbx=..." (JSON: "\"rax\":1,..."); on a terminal, the values that changed since
  // the thread's previous hit stand out.
  std::string regs_text(pid_t tid, const Registers& regs);
  std::vector<std::uint64_t> args(const debug::BreakpointHit& hit) const;
  std::string mem_text(const debug::BreakpointHit& hit, const MemAction& m) const;

  Session& session_;
  const BreakActions& actions_;
  std::FILE* out_;
  Palette palette_;                                                  // off for JSON
  std::unordered_map<pid_t, std::vector<std::uint64_t>> last_regs_;  // by thread, with color
  debug::Unwinder unwinder_{session_};
};

}  // namespace ptk::cli
