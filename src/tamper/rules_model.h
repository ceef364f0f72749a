// The parsed form of a --rewrite rule (private to ptk_tamper): what the parser builds, the
// resolver binds to each syscall it covers, and the hook executes.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "ptk/arch/syscalls.h"
#include "ptk/base/result.h"
#include "rules_text.h"

namespace ptk::tamper::rules {

enum class Op : std::uint8_t { Eq, Ne, Lt, Le, Gt, Ge, Glob, Regex };
std::string_view op_text(Op op);

// The right-hand side of a predicate.
struct Value {
  enum class Kind : std::uint8_t { Number, String, Regex } kind = Kind::Number;
  std::int64_t number = 0;
  std::string text;  // a string or glob; a regex's source
  std::shared_ptr<const Regex> regex;
};

struct Predicate {
  std::string arg;  // as written: an argument name, or the alias "path" / "buf"
  std::size_t column = 0;
  Op op = Op::Eq;
  Value value;
};

enum class ActionKind : std::uint8_t {
  Transform,  // ARG="str" | reverse | s/re/repl/ | replace("a","b"): a string or buffer
  SetNumber,  // ARG=N: the register itself
  Deny,       // deny=ERRNO: skip the call, the thread sees -ERRNO
  Skip,       // skip=N: skip the call, the thread sees N
  Return,     // return=N: the call runs, the thread sees N
  Delay,      // delay=DURATION (at entry)
  Signal,     // signal=SIG (raised at entry, arrives as the call returns)
};

struct Action {
  ActionKind kind = ActionKind::SetNumber;
  std::string arg;  // for Transform and SetNumber
  std::size_t column = 0;
  std::int64_t number = 0;  // SetNumber value, errno, skip/return value, delay in us, signal
  Transform transform;
};

// Where an argument action acts.
enum class Site : std::uint8_t {
  None,       // not an argument action
  Register,   // SetNumber: the register (both halves of a split 64-bit value)
  String,     // a NUL-terminated string (Path, Str) at entry
  InBuffer,   // bytes the kernel reads (InBuf) at entry; the length argument is adjusted
  OutBuffer,  // bytes the kernel wrote (OutBuf) at exit; the return value is adjusted
};

struct ActionBinding {
  Site site = Site::None;
  int arg = -1;        // register index (the low half of a split value)
  int len = -1;        // buffers: index of the length argument
  bool split = false;  // Register: a 64-bit value in two registers (i386 loff_t, ...)
};

struct PredicateBinding {
  std::vector<int> args;  // an alias may name several arguments: any of them matching counts
  bool split = false;     // a 64-bit value in two registers
};

// A rule bound to one syscall of one ABI.
struct Binding {
  Arch arch = Arch::X86_64;
  const SyscallSpec* spec = nullptr;
  std::vector<PredicateBinding> preds;  // parallel to RuleData::preds
  std::vector<ActionBinding> actions;   // parallel to RuleData::actions
};

struct RuleData {
  std::string text;
  std::string match;  // a syscall name, or "%class"
  std::uint32_t class_bits = 0;
  std::vector<Predicate> preds;
  std::int64_t nth = 0;  // 0: every match; else only the nth (and later with nth_on)
  bool nth_on = false;
  std::vector<Action> actions;

  std::vector<Binding> bindings;
  // Per ABI (indexed by Arch): nr -> index in bindings, or -1.
  std::array<std::vector<std::int16_t>, kArchCount> by_nr;

  const Binding* binding(Arch arch, const SyscallSpec* spec) const;
  bool skips() const;  // deny or skip: the call does not run
};

// Helpers shared by the parser and its error messages.
Error rule_error(std::string message, std::string hint = {});

// Binds the rule's names to every syscall its match covers; errors name the offending part.
Status resolve(RuleData& rule);

}  // namespace ptk::tamper::rules
