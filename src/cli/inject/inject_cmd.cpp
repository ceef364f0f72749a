// `ptk inject`: options -> attach -> RemoteSyscalls / shellcode runner -> restore -> detach.
// Everything that can be checked without the process (syntax, files, hex) is checked before
// attaching, so bad input never touches it.
#include "inject/inject_cmd.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <CLI/CLI.hpp>
#include <cstring>
#include <fstream>
#include <iterator>
#include <memory>
#include <optional>

#include "common/cli_util.h"
#include "common/color.h"
#include "common/tracee_end.h"
#include "inject/inject_lib.h"
#include "inject/inject_render.h"
#include "ptk/core/proc.h"
#include "ptk/core/session.h"
#include "ptk/engine/held_process.h"
#include "ptk/engine/tracee_end.h"
#include "ptk/inject/remote_bytes.h"
#include "ptk/inject/remote_syscalls.h"
#include "ptk/inject/shellcode.h"
#include "ptk/inject/syscall_expr.h"
#include "ptk/inject/syscall_run.h"

namespace ptk::cli {
namespace {

constexpr std::size_t kMaxShellcode = 1 << 20;

struct InjectOptions {
  pid_t pid = 0;
  pid_t tid = 0;
  std::string syscall;
  std::string shellcode_file;
  std::string hex;
  bool at_ip = false;
  std::string lib;
  bool unload = false;
  bool json = false;
};

Result<std::vector<std::byte>> read_code_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error::from_errno(errno, fmt::format("open {}", path));
  std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (bytes.empty())
    return Error(ErrorKind::InvalidArgument, fmt::format("read {}", path), 0, "the file is empty");
  if (bytes.size() > kMaxShellcode) {
    return Error(ErrorKind::InvalidArgument, fmt::format("read {}", path), 0,
                 fmt::format("more than {} bytes", kMaxShellcode));
  }
  std::vector<std::byte> out(bytes.size());
  std::memcpy(out.data(), bytes.data(), bytes.size());
  return out;
}

Error unknown_syscall(std::string_view name, Arch arch) {
  std::vector<std::string_view> names;
  for (const SyscallSpec& s : syscall_table(arch)) names.push_back(s.name);
  std::vector<std::string> near = inject::close_names(name, names);
  std::string hint = fmt::format("{} has no syscall of that name", to_string(arch));
  if (!near.empty()) hint += fmt::format("; did you mean {}?", fmt::join(near, ", "));
  return Error(ErrorKind::NotFound, fmt::format("unknown syscall '{}'", name), 0, hint);
}

// The syscall of the expression in the target's ABI, with the right number of arguments.
Result<const SyscallSpec*> resolve_syscall(const inject::SyscallExpr& expr, Arch arch) {
  const SyscallSpec* spec = find_syscall(arch, expr.name);
  if (spec == nullptr) return unknown_syscall(expr.name, arch);
  if (expr.args.size() != spec->nargs) {
    std::vector<std::string_view> names;
    for (std::size_t i = 0; i < spec->nargs; ++i) names.push_back(spec->args[i].name);
    return Error(ErrorKind::InvalidArgument,
                 fmt::format("{}: {} arguments given", expr.name, expr.args.size()), 0,
                 fmt::format("{} takes {} ({}) on {}", expr.name, spec->nargs,
                             fmt::join(names, ", "), to_string(arch)));
  }
  return spec;
}

// Runs the syscall in the open scope (its strings placed and removed by the library).
Result<SyscallOutcome> run_syscall(inject::RemoteSyscalls& remote, const inject::SyscallExpr& expr,
                                   const SyscallSpec* spec) {
  PTK_ASSIGN_OR_RETURN(std::int64_t ret, inject::run_syscall_expr(remote, expr, *spec));
  return SyscallOutcome{.arch = remote.arch(),
                        .spec = spec,
                        .expr = &expr,
                        .ret = ret,
                        .ret_address = remote.as_address(ret)};
}

int run_inject(const InjectOptions& o) {
  int modes = !o.syscall.empty() + !o.shellcode_file.empty() + !o.hex.empty() + !o.lib.empty();
  if (modes != 1) {
    return fail("inject",
                "give one of --syscall, --shellcode, --hex or --lib (see ptk inject --help)",
                kExitUsage);
  }
  if (o.unload && o.lib.empty()) return fail("inject", "--unload goes with --lib", kExitUsage);
  if (!o.lib.empty()) {
    if (o.at_ip) return fail("inject", "--at-ip is for --shellcode and --hex", kExitUsage);
    return run_inject_lib(
        {.pid = o.pid, .tid = o.tid, .path = o.lib, .unload = o.unload, .json = o.json});
  }
  if (o.at_ip && !o.syscall.empty()) {
    return fail("inject", "--at-ip is for --shellcode and --hex", kExitUsage);
  }
  // Everything about the input first: the process is not touched by bad input.
  std::optional<inject::SyscallExpr> expr;
  inject::ShellcodeOptions code;
  if (!o.syscall.empty()) {
    auto parsed = inject::parse_syscall_expr(o.syscall);
    if (!parsed.ok()) return fail("inject", parsed.error(), kExitUsage);
    expr = std::move(parsed).value();
  } else {
    auto bytes = o.hex.empty() ? read_code_file(o.shellcode_file) : inject::parse_hex_bytes(o.hex);
    if (!bytes.ok()) return fail("inject", bytes.error(), kExitUsage);
    code.code = std::move(bytes).value();
    code.place = o.at_ip ? inject::CodePlace::AtIp : inject::CodePlace::FreshMapping;
  }

  auto held = engine::HeldProcess::attach(o.pid);
  if (!held.ok()) return fail("inject", held.error());
  Session& session = (*held)->session();
  pid_t pid = (*held)->pid();  // -p may name any thread
  pid_t tid = o.tid != 0 ? o.tid : o.pid;
  if (!(*held)->holds(tid)) {
    (void)(*held)->release();
    return fail("inject", fmt::format("thread {} is not a thread of process {}", tid, o.pid),
                kExitUsage);
  }
  std::string name = engine::process_name(pid);
  // One line for any failure; a process killed meanwhile is reported as such.
  auto failed = [&](const Error& e) {
    return fail_or_ended("inject", session, pid, name, "during the injection", e);
  };
  auto remote = inject::RemoteSyscalls::open(session, tid);
  if (!remote.ok()) return failed(remote.error());

  std::string output;
  std::string fault;
  Status result;
  if (expr) {
    // The name and the argument count are checked in the target's ABI before anything runs.
    auto spec = resolve_syscall(*expr, remote->arch());
    if (!spec.ok()) {
      (void)remote->restore();
      (void)(*held)->release();
      return fail("inject", spec.error(), kExitUsage);
    }
    auto outcome = run_syscall(*remote, *expr, *spec);
    if (outcome.ok()) {
      outcome->pid = pid;
      outcome->tid = tid;
      output = o.json ? render_syscall_json(*outcome)
                      : render_syscall_text(*outcome, Palette::for_stream(stdout));
    } else {
      result = std::move(outcome).error();
    }
  } else {
    auto report = inject::run_shellcode(*remote, code);
    if (report.ok()) {
      ShellcodeOutcome out{
          .pid = pid, .tid = tid, .arch = remote->arch(), .place = code.place, .report = &*report};
      output = o.json ? render_shellcode_json(out)
                      : render_shellcode_text(out, Palette::for_stream(stdout));
      if (report->stop.kind == inject::CodeStop::Kind::Fault) fault = describe_fault(out);
    } else {
      result = std::move(report).error();
    }
  }
  Status restored = remote->restore();
  Status detached = (*held)->release();
  if (!result.ok()) return failed(result.error());
  if (!restored.ok()) return failed(restored.error());
  if (!detached.ok()) return failed(detached.error());
  if (!fault.empty()) {
    if (o.json) fmt::print("{}\n", output);
    return fail("inject", fault + "; the process was restored and runs on");
  }
  fmt::print("{}\n", output);
  return 0;
}

}  // namespace

void register_inject(CLI::App& app, int& exit_code) {
  auto opts = std::make_shared<InjectOptions>();
  CLI::App* sub = app.add_subcommand(
      "inject", "Run a syscall or machine code inside a running process, then restore it");
  sub->add_option("-p,--pid", opts->pid, "The process to inject into")->required();
  sub->add_option("--tid", opts->tid, "The thread that runs the code (default: the main thread)");
  sub->add_option("--syscall", opts->syscall,
                  "A syscall in C syntax: 'write(1, \"hi\\n\", 3)', 'getpid()'; prints its result");
  sub->add_option("--shellcode", opts->shellcode_file, "Run the raw machine code in FILE");
  sub->add_option("--hex", opts->hex, "Run the machine code given in hex: 'b8 27 00 00 00 cc'");
  sub->add_flag("--at-ip", opts->at_ip,
                "Write the code over the instruction stream at the ip (default: a fresh mapping)");
  sub->add_option("--lib", opts->lib,
                  "Load the shared object PATH with the process's own dlopen (constructors run)");
  sub->add_flag("--unload", opts->unload, "With --lib: unload (dlclose) the library instead");
  sub->add_flag("--json", opts->json, "Print the result as one JSON object");
  add_color_option(*sub);
  sub->callback([opts, &exit_code] { exit_code = run_inject(*opts); });
}

}  // namespace ptk::cli
