#include "ptk/tamper/inject_spec.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <limits>

#include "ptk/core/wait_status.h"
#include "ptk/sys/decoded.h"
#include "ptk/sys/edit_distance.h"

namespace ptk::tamper {
namespace {

constexpr int kMaxErrno = 4095;  // the kernel's MAX_ERRNO: -4095..-1 are errors
constexpr int kMaxSignal = 64;   // _NSIG on x86

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

template <typename T>
bool parse_number(std::string_view s, T& out, int base = 10) {
  if (s.empty()) return false;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out, base);
  return ec == std::errc() && p == s.data() + s.size();
}

// Up to three errno names close to a misspelt one, closest first.
std::string nearest_errno(std::string_view name) {
  std::string want = upper(name);
  std::vector<std::pair<std::size_t, std::string_view>> near;
  for (int e = 1; e <= kMaxErrno; ++e) {
    std::string_view n = sys::errno_name(e);
    if (n.empty()) continue;
    std::size_t d = sys::edit_distance(want, n);
    if (d <= 2) near.emplace_back(d, n);
  }
  std::stable_sort(near.begin(), near.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::string out;
  for (std::size_t i = 0; i < near.size() && i < 3; ++i) {
    if (i != 0) out += ", ";
    out += near[i].second;
  }
  return out;
}

// One failure of one expression; `detail` quotes the wrong part.
class SpecError {
 public:
  SpecError(std::string_view text, bool fault) : text_(text), fault_(fault) {}
  Error operator()(std::string detail, std::string hint = {}) const {
    return Error(
        ErrorKind::InvalidArgument,
        fmt::format("invalid {} argument '{}': {}", fault_ ? "fault" : "inject", text_, detail), 0,
        std::move(hint));
  }

 private:
  std::string_view text_;
  bool fault_;
};

// when=FIRST[..LAST][+[STEP]], as strace reads it.
Status parse_when(std::string_view v, InjectWhen& w, const SpecError& bad) {
  auto wrong = [&](std::string what) {
    return bad(fmt::format("when={}: {}", v, what),
               "the form is FIRST, FIRST+, FIRST+STEP, FIRST..LAST or FIRST..LAST+STEP");
  };
  std::size_t end = v.find_first_of(".+");
  std::uint32_t first = 0;
  if (!parse_number(v.substr(0, end), first) || first < 1 || first > 0xffff) {
    return wrong(fmt::format("\"{}\" is not a number in 1..65535", v.substr(0, end)));
  }
  std::uint32_t last = InjectWhen::kInfinite;
  std::string_view rest = end == std::string_view::npos ? std::string_view{} : v.substr(end);
  if (rest.starts_with('.')) {
    if (!rest.starts_with("..")) return wrong("a range is FIRST..LAST");
    rest.remove_prefix(2);
    std::size_t plus = rest.find('+');
    std::string_view l = rest.substr(0, plus);
    if (!parse_number(l, last) || last < first || last >= InjectWhen::kInfinite) {
      return wrong(fmt::format("\"{}\" is not a number in {}..65534", l, first));
    }
    rest = plus == std::string_view::npos ? std::string_view{} : rest.substr(plus);
  }
  std::uint32_t step = last == InjectWhen::kInfinite ? 0 : 1;  // F alone: F only; F..L: each
  if (rest.starts_with('+')) {
    rest.remove_prefix(1);
    step = 1;
    if (!rest.empty() && (!parse_number(rest, step) || step < 1 || step > 0xffff)) {
      return wrong(fmt::format("step \"{}\" is not a number in 1..65535", rest));
    }
  } else if (!rest.empty()) {
    return wrong(fmt::format("unexpected \"{}\"", rest));
  }
  w = InjectWhen{first, last, step};
  return ok_status();
}

// @argN=HEX[,@argM=HEX...]
Status parse_pokes(std::string_view key, std::string_view v, std::vector<InjectPoke>& out,
                   const SpecError& bad) {
  if (!out.empty()) return bad(fmt::format("{}= given twice", key));
  if (v.empty()) return bad(fmt::format("{}= is empty", key), "the form is @argN=HEX,...");
  while (!v.empty()) {
    std::size_t comma = v.find(',');
    std::string_view item = v.substr(0, comma);
    v = comma == std::string_view::npos ? std::string_view{} : v.substr(comma + 1);
    // x86 syscalls have six arguments (strace's @arg7 exists for other architectures).
    if (item.size() < 6 || !item.starts_with("@arg") || item[4] < '1' || item[4] > '6' ||
        item[5] != '=') {
      return bad(fmt::format("{}: \"{}\" is not @argN=HEX with N in 1..6", key, item));
    }
    std::string_view hex = item.substr(6);
    if (hex.empty() || hex.size() % 2 != 0 || hex.size() > 2048) {
      return bad(fmt::format("{}: \"{}\" is not an even number (2..2048) of hex digits", key, hex));
    }
    InjectPoke poke{.arg = item[4] - '1', .bytes = {}};
    // Two pokes of one argument would race for the same bytes: strace refuses them too.
    for (const InjectPoke& earlier : out) {
      if (earlier.arg == poke.arg) return bad(fmt::format("{}: @arg{} given twice", key, item[4]));
    }
    for (std::size_t i = 0; i < hex.size(); i += 2) {
      unsigned byte = 0;
      if (!parse_number(hex.substr(i, 2), byte, 16)) {
        return bad(fmt::format("{}: \"{}\" is not hexadecimal", key, hex));
      }
      poke.bytes.push_back(static_cast<std::byte>(byte));
    }
    out.push_back(std::move(poke));
  }
  return ok_status();
}

// retval=: strtoull with base 0 (0x.. hex, 0.. octal), a leading '-' negates (as strtoull).
bool parse_retval(std::string_view v, std::uint64_t& out) {
  bool negative = v.starts_with('-');
  if (negative || v.starts_with('+')) v.remove_prefix(1);
  int base = 10;
  if (v.size() > 2 && v[0] == '0' && (v[1] == 'x' || v[1] == 'X')) {
    base = 16;
    v.remove_prefix(2);
  } else if (v.size() > 1 && v[0] == '0') {
    base = 8;
    v.remove_prefix(1);
  }
  if (!parse_number(v, out, base)) return false;
  if (negative) out = ~out + 1;
  return true;
}

void check_retval(std::uint64_t v, std::vector<std::string>& warnings) {
  auto s64 = static_cast<std::int64_t>(v);
  auto s32 = static_cast<std::int32_t>(v);
  if (s64 < 0 && s64 >= -kMaxErrno) {
    warnings.push_back(fmt::format("retval={} is in -4095..-1: the program sees error {}", s64,
                                   sys::errno_name(static_cast<int>(-s64))));
  } else if (s32 < 0 && s32 >= -kMaxErrno) {
    warnings.push_back(fmt::format("retval={} reads as error {} in a 32-bit (i386) program", v,
                                   sys::errno_name(-s32)));
  } else if (static_cast<std::uint32_t>(v) != v && s64 >= 0) {
    warnings.push_back(fmt::format("retval={} is cut to {} in a 32-bit (i386) program", v,
                                   static_cast<std::uint32_t>(v)));
  }
}

Status parse_substitute(std::string_view v, InjectSpec& spec, const SpecError& bad) {
  if (spec.substitute) return bad("syscall= given twice");
  for (Arch arch : kAllArches) {
    const SyscallSpec* s = find_syscall(arch, v);
    if (s == nullptr) {
      auto near = sys::nearest_syscall_names(v);
      return bad(
          fmt::format("syscall={}: \"{}\" is not a syscall of {}", v, v, to_string(arch)),
          near.empty() ? std::string() : fmt::format("did you mean {}?", fmt::join(near, ", ")));
    }
    // As strace: only calls without side effects may stand in (-e trace=%pure).
    if ((s->classes & kClassPure) == 0) {
      return bad(
          fmt::format("syscall={}: only a pure syscall (trace=%pure: getpid, getuid, "
                      "...) may be run instead",
                      v));
    }
    spec.substitute_nr[static_cast<std::size_t>(arch)] = s->nr;
  }
  spec.substitute = std::string(v);
  return ok_status();
}

Status parse_token(std::string_view token, InjectSpec& spec, const SpecError& bad) {
  std::size_t eq = token.find('=');
  std::string_view key = token.substr(0, eq);
  std::string_view v = eq == std::string_view::npos ? std::string_view{} : token.substr(eq + 1);
  bool known = key == "when" || key == "syscall" || key == "error" || key == "retval" ||
               key == "signal" || key == "poke_enter" || key == "poke_exit" ||
               key == "delay_enter" || key == "delay_exit";
  if (!known || eq == std::string_view::npos) {
    return bad(fmt::format("unknown option \"{}\"", token),
               "known: error=, retval=, signal=, syscall=, delay_enter=, delay_exit=, "
               "poke_enter=, poke_exit=, when=");
  }
  if (spec.fault && key != "when" && key != "syscall" && key != "error") {
    return bad(fmt::format("\"{}\" is not allowed in fault=", token),
               "fault= takes error=, syscall= and when=; use -e inject= for the others");
  }
  if (key == "when") return parse_when(v, spec.when, bad);
  if (key == "syscall") return parse_substitute(v, spec, bad);
  if (key == "error" || key == "retval") {
    if (spec.replaces_result()) return bad("only one error= or retval= may be given");
    if (key == "retval") {
      std::uint64_t value = 0;
      if (!parse_retval(v, value)) return bad(fmt::format("retval=\"{}\" is not a number", v));
      spec.retval = value;
      check_retval(value, spec.warnings);
      return ok_status();
    }
    int err = parse_errno(v);
    if (err == 0) {
      std::string near = nearest_errno(v);
      return bad(fmt::format("unknown errno \"{}\"", v),
                 near.empty() ? std::string() : fmt::format("did you mean {}?", near));
    }
    spec.error = err;
    return ok_status();
  }
  if (key == "signal") {
    if (spec.signal != 0) return bad("signal= given twice");
    int sig = 0;
    if (!parse_number(v, sig)) {
      std::string want = upper(v);
      if (!want.starts_with("SIG")) want = "SIG" + want;
      for (int s = 1; s <= kMaxSignal && sig == 0; ++s) {
        if (signal_name(s) == want) sig = s;
      }
    }
    if (sig < 1 || sig > kMaxSignal) {
      return bad(fmt::format("unknown signal \"{}\"", v), "a name (SIGUSR1, USR1) or 1..64");
    }
    spec.signal = sig;
    return ok_status();
  }
  if (key == "poke_enter") return parse_pokes(key, v, spec.poke_enter, bad);
  if (key == "poke_exit") return parse_pokes(key, v, spec.poke_exit, bad);
  // delay_enter / delay_exit
  auto& slot = key == "delay_enter" ? spec.delay_enter : spec.delay_exit;
  if (slot) return bad(fmt::format("{}= given twice", key));
  slot = parse_inject_delay(v);
  if (!slot) {
    return bad(fmt::format("{}=\"{}\" is not a delay", key, v),
               "a number with an optional unit s, ms, us or ns (us when none)");
  }
  return ok_status();
}

}  // namespace

bool InjectWhen::selects(std::uint64_t n) const {
  if (n < first || (last != kInfinite && n > last)) return false;
  if (n == first) return true;
  return step != 0 && (n - first) % step == 0;
}

std::int64_t InjectSpec::result_value() const {
  if (error) return -static_cast<std::int64_t>(*error);
  return static_cast<std::int64_t>(retval.value_or(0));
}

int parse_errno(std::string_view text) {
  int n = 0;
  if (parse_number(text, n)) return n >= 1 && n <= kMaxErrno ? n : 0;
  std::string want = upper(text);
  // Aliases libc spells but errno_name() does not return.
  if (want == "EWOULDBLOCK") want = "EAGAIN";
  if (want == "EDEADLOCK") want = "EDEADLK";
  if (want == "ENOTSUP") want = "EOPNOTSUPP";
  if (!want.starts_with('E')) return 0;
  for (int e = 1; e <= kMaxErrno; ++e) {
    if (sys::errno_name(e) == want) return e;
  }
  return 0;
}

void keep_last_rule_per_syscall(std::vector<InjectSpec>& specs) {
  for (Arch arch : kAllArches) {
    std::vector<bool> claimed(sys::SyscallFilter::kMaxNr, false);
    for (auto spec = specs.rbegin(); spec != specs.rend(); ++spec) {
      for (std::size_t nr = 0; nr < claimed.size(); ++nr) {
        auto n = static_cast<std::int64_t>(nr);
        if (!spec->syscalls.selects(arch, n)) continue;
        if (claimed[nr]) {
          spec->syscalls.set(arch, n, false);
        } else {
          claimed[nr] = true;
        }
      }
    }
  }
}

std::optional<std::chrono::nanoseconds> parse_inject_delay(std::string_view text) {
  double scale = 1e3;  // microseconds by default
  std::string_view number = text;
  for (auto [suffix, s] : {std::pair{"ns", 1.0}, {"us", 1e3}, {"ms", 1e6}, {"s", 1e9}}) {
    if (number.ends_with(suffix)) {
      number.remove_suffix(std::string_view(suffix).size());
      scale = s;
      break;
    }
  }
  double value = 0;
  if (number.empty() || !std::isdigit(static_cast<unsigned char>(number.front()))) {
    return std::nullopt;
  }
  auto [p, ec] = std::from_chars(number.data(), number.data() + number.size(), value);
  if (ec != std::errc() || p != number.data() + number.size() || !std::isfinite(value)) {
    return std::nullopt;
  }
  double ns = value * scale;
  constexpr double kMaxNs = 24.0 * 3600 * 1e9;  // a day: anything longer is a typo
  if (ns > kMaxNs) return std::nullopt;
  return std::chrono::nanoseconds(static_cast<std::int64_t>(std::llround(ns)));
}

Result<InjectSpec> parse_inject_spec(std::string_view text, bool fault) {
  SpecError bad(text, fault);
  InjectSpec spec;
  spec.text = std::string(text);
  spec.fault = fault;
  std::size_t colon = text.find(':');
  std::string_view set = text.substr(0, colon);
  if (set.empty()) return bad("no syscall set before the first ':'", "e.g. openat:error=ENOENT");
  auto filter = sys::SyscallFilter::parse(set);
  if (!filter.ok()) {
    const Error& e = filter.error();
    return bad(fmt::format("syscall set \"{}\"", set), e.hint().empty() ? e.message() : e.hint());
  }
  spec.syscalls = std::move(*filter);
  std::string_view rest = colon == std::string_view::npos ? std::string_view{} : text.substr(colon);
  while (!rest.empty()) {
    rest.remove_prefix(1);  // the ':'
    std::size_t next = rest.find(':');
    std::string_view token = rest.substr(0, next);
    rest = next == std::string_view::npos ? std::string_view{} : rest.substr(next);
    if (token.empty()) continue;  // strace's strtok skips empty fields ("a::error=EIO")
    PTK_TRY(parse_token(token, spec, bad));
  }
  bool acts = spec.replaces_result() || spec.signal != 0 || spec.delay_enter || spec.delay_exit ||
              !spec.poke_enter.empty() || !spec.poke_exit.empty();
  if (spec.substitute && !spec.replaces_result() && !fault) {
    if (!acts) {
      return bad(fmt::format("syscall={} needs error= or retval=", *spec.substitute),
                 "the substitute's own result is replaced by that value");
    }
    // strace 6.1 accepts syscall= beside signal=/delay_*=/poke_*= and runs the original call:
    // the substitute only exists to produce the injected result.
    spec.warnings.push_back(
        fmt::format("syscall={} is ignored without error= or retval=: the original call runs",
                    *spec.substitute));
    spec.substitute.reset();
    spec.substitute_nr = per_arch<std::int64_t>(-1);
  }
  if (!acts) {
    if (!fault) {
      return bad("nothing to inject",
                 "give error=, retval=, signal=, delay_enter=, delay_exit=, poke_enter= or "
                 "poke_exit=");
    }
    spec.error = ENOSYS;  // fault='s default
  }
  return spec;
}

}  // namespace ptk::tamper
