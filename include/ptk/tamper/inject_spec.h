// strace's `-e inject=` and `-e fault=` expressions, parsed into plain data (no tracee needed):
//
//   SET[:error=ERRNO|:retval=N][:signal=SIG][:syscall=NAME][:delay_enter=T][:delay_exit=T]
//      [:poke_enter=@argN=HEX,...][:poke_exit=@argN=HEX,...][:when=EXPR]
//
// with strace's meaning (strace(1), "Tampering"): SET is spelled as for -e trace=; error= and
// retval= skip the syscall (or run the pure `syscall=` instead) and return the value; `when=`
// picks which invocations, counted per syscall and per thread; `fault=` is inject= limited to
// error=, syscall= and when=, with error=ENOSYS when none is given.
#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ptk/base/result.h"
#include "ptk/sys/filter.h"

namespace ptk::tamper {

// when=FIRST[..LAST][+[STEP]]: invocations FIRST, FIRST+STEP, ... up to LAST (1-based).
// STEP 0 means FIRST only. The default (no when=) is every invocation: 1..inf+1.
struct InjectWhen {
  static constexpr std::uint32_t kInfinite = 0xffff;  // strace's bound: LAST < 65535
  std::uint32_t first = 1;
  std::uint32_t last = kInfinite;
  std::uint32_t step = 1;

  // Whether invocation `n` (1-based) is one to tamper with.
  bool selects(std::uint64_t n) const;
  bool operator==(const InjectWhen&) const = default;
};

// poke_enter=/poke_exit=: bytes written at the address an argument holds.
struct InjectPoke {
  int arg = 0;  // 0-based (strace spells it @arg1..@arg7)
  std::vector<std::byte> bytes;
};

struct InjectSpec {
  std::string text;    // the expression as given, for messages
  bool fault = false;  // given as -e fault=
  sys::SyscallFilter syscalls;

  std::optional<int> error;  // error=: 1..4095
  std::optional<std::uint64_t> retval;
  int signal = 0;  // signal=: 0 for none
  // syscall=: the substitute's number on each ABI (indexed by Arch), run instead of the call.
  std::optional<std::string> substitute;
  std::array<std::int64_t, kArchCount> substitute_nr = per_arch<std::int64_t>(-1);
  std::optional<std::chrono::nanoseconds> delay_enter, delay_exit;
  std::vector<InjectPoke> poke_enter, poke_exit;
  InjectWhen when;

  // Things worth saying that do not make the expression wrong (strace says them too).
  std::vector<std::string> warnings;

  // error= or retval= given: the syscall is replaced (skipped, or substituted).
  bool replaces_result() const { return error.has_value() || retval.has_value(); }
  // The value the program gets when replaces_result(): -errno or the retval.
  std::int64_t result_value() const;
};

// Parses the text after "inject=" or "fault=". Errors are one line that quotes the wrong part:
//   -e inject=openat:error=ENOPE: unknown errno "ENOPE"
Result<InjectSpec> parse_inject_spec(std::string_view text, bool fault);

// strace keeps one tampering rule per syscall: a later rule naming a syscall replaces what the
// earlier ones said about it. Removes from each spec the syscalls a later spec also names.
void keep_last_rule_per_syscall(std::vector<InjectSpec>& specs);

// A delay as strace's time specification spells it: a decimal number with an optional unit
// s, ms, us or ns (microseconds when none). Nullopt when malformed, negative or too long.
std::optional<std::chrono::nanoseconds> parse_inject_delay(std::string_view text);

// The errno number of a name ("ENOENT", case-insensitive) or a number 1..4095; 0 when neither.
int parse_errno(std::string_view text);

}  // namespace ptk::tamper
