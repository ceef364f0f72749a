// `ptk call -p PID 'puts("hi")'`: parse -> attach -> resolve the function -> remote_call ->
// restore -> detach -> print. The syntax is checked before attaching: bad input never touches
// the process.
#include "inject/call_cmd.h"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <memory>

#include "common/cli_util.h"
#include "common/color.h"
#include "common/tracee_end.h"
#include "inject/inject_attach.h"
#include "inject/inject_render.h"
#include "ptk/core/wait_status.h"
#include "ptk/engine/tracee_end.h"
#include "ptk/inject/remote_call.h"
#include "ptk/inject/remote_lib.h"
#include "ptk/inject/syscall_expr.h"
#include "ptk/sys/escape.h"

namespace ptk::cli {
namespace {

constexpr std::size_t kMaxShownString = 256;

struct CallOptions {
  pid_t pid = 0;
  pid_t tid = 0;
  std::string expr;
  bool json = false;
};

bool is_pointer_cast(std::string_view cast) { return cast.find('*') != std::string_view::npos; }
bool is_string_cast(std::string_view cast) {
  return is_pointer_cast(cast) && cast.find("char") != std::string_view::npos;
}

// The value as the cast reads it: 32-bit for int and its kin, the word otherwise.
std::int64_t cast_value(const inject::CallResult& r, std::string_view cast) {
  if (cast == "int" || cast == "short" || cast == "char") {
    return static_cast<std::int32_t>(static_cast<std::uint32_t>(r.value));
  }
  if (cast.starts_with("unsigned") && cast.find("long") == std::string_view::npos) {
    return static_cast<std::uint32_t>(r.value);
  }
  return r.signed_value;
}

std::string args_text(const inject::SyscallExpr& e) {
  std::string out;
  for (const inject::SyscallArgExpr& a : e.args) {
    if (!out.empty()) out += ", ";
    out += a.text;
  }
  return out;
}

std::vector<inject::CallArg> call_args(const inject::SyscallExpr& e) {
  std::vector<inject::CallArg> out;
  for (const inject::SyscallArgExpr& a : e.args) {
    out.push_back(a.kind == inject::SyscallArgExpr::Kind::String
                      ? inject::CallArg::string(a.bytes)
                      : inject::CallArg::integer(a.value));
  }
  return out;
}

std::string render(const AttachedTarget& t, Arch arch, const inject::SyscallExpr& e,
                   std::uint64_t fn, const inject::CallResult& r,
                   const std::optional<std::string>& text, bool json) {
  std::int64_t v = cast_value(r, e.cast);
  std::uint64_t hex =
      is_pointer_cast(e.cast) || e.cast.empty() ? r.value : static_cast<std::uint64_t>(v);
  if (!json) {
    Palette palette = Palette::for_stream(stdout);
    std::string value =
        is_pointer_cast(e.cast) ? fmt::format("{:#x}", r.value) : fmt::format("{} ({:#x})", v, hex);
    std::string out = fmt::format("{}({}) = {}", palette.paint(Style::Symbol, e.name), args_text(e),
                                  palette.paint(Style::Success, value));
    if (text) out += " " + sys::json_string(*text);
    return out;
  }
  std::string args;
  for (const inject::SyscallArgExpr& a : e.args) {
    if (!args.empty()) args += ",";
    args += a.kind == inject::SyscallArgExpr::Kind::String ? sys::json_string(a.bytes)
            : a.kind == inject::SyscallArgExpr::Kind::Null
                ? std::string("null")
                : std::to_string(static_cast<std::int64_t>(a.value));
  }
  std::string out =
      fmt::format(R"({{"pid":{},"tid":{},"arch":"{}","function":{},"address":"{:#x}","args":[{}],)"
                  R"("retval":{},"hex":"{:#x}")",
                  t.pid, t.tid, to_string(arch), sys::json_string(e.name), fn, args, v, hex);
  if (text) out += R"(,"string":)" + sys::json_string(*text);
  return out + "}";
}

int run_call(const CallOptions& o) {
  auto parsed = inject::parse_call_expr(o.expr);
  if (!parsed.ok()) return fail("call", parsed.error(), kExitUsage);
  const inject::SyscallExpr& e = *parsed;
  if (e.args.size() > inject::kMaxCallArgs) {
    return fail("call", fmt::format("{}: at most {} arguments", e.name, inject::kMaxCallArgs),
                kExitUsage);
  }
  bool usage = false;
  auto target = attach_target(o.pid, o.tid, usage);
  if (!target.ok()) return fail("call", target.error(), usage ? kExitUsage : kExitFailure);
  std::string name = engine::process_name(target->pid);
  // One line for any failure; a process killed meanwhile is reported as such.
  auto failed = [&](const Error& err) {
    return fail_or_ended("call", target->session(), target->pid, name, "during the call", err);
  };
  auto remote = inject::RemoteSyscalls::open(target->session(), target->tid);
  if (!remote.ok()) return failed(remote.error());
  auto fn = inject::find_function(*remote, *target->symbols, e.name);
  if (!fn.ok()) {
    (void)remote->restore();
    (void)target->detach();
    return failed(fn.error());
  }
  std::vector<inject::CallArg> args = call_args(e);
  auto result = inject::remote_call(*remote, *fn, args);
  std::optional<std::string> text;
  if (result.ok() && result->returned && is_string_cast(e.cast) && result->value != 0) {
    auto s = target->session()
                 .memory(target->tid)
                 .read_string(RemoteAddr(result->value), kMaxShownString);
    if (s.ok()) text = s->bytes;
  }
  Status restored = remote->restore();
  Status detached = target->detach();
  if (!result.ok()) return failed(result.error());
  if (!restored.ok()) return failed(restored.error());
  if (!detached.ok()) return failed(detached.error());
  if (!result->returned) {
    const inject::CodeStop& s = result->stop;
    return fail("call",
                fmt::format("{} did not return: {} at {:#x} (ip {:#x}); the process was restored "
                            "and runs on",
                            e.name, signal_name(s.signal), s.address, s.regs.ip()));
  }
  fmt::print("{}\n", render(*target, remote->arch(), e, *fn, *result, text, o.json));
  return 0;
}

}  // namespace

void register_call(CLI::App& app, int& exit_code) {
  auto opts = std::make_shared<CallOptions>();
  CLI::App* sub = app.add_subcommand(
      "call", "Call a function inside a running process and print its result, then restore it");
  sub->add_option("-p,--pid", opts->pid, "The process to call into")->required();
  sub->add_option("--tid", opts->tid, "The thread that makes the call (default: -p)");
  sub->add_option("expr", opts->expr,
                  "The call in C syntax: 'puts(\"hi\")', '(int)getpid()', 'libc:strlen(\"abc\")'")
      ->required();
  sub->add_flag("--json", opts->json, "Print the result as one JSON object");
  add_color_option(*sub);
  sub->callback([opts, &exit_code] { exit_code = run_call(*opts); });
}

}  // namespace ptk::cli
