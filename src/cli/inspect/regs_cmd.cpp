// `ptk regs PID [--tid TID | --all] [--json]`: attach, read each thread's general registers,
// detach. Text like gdb's `info registers`; JSON Lines, one object per thread.
#include "inspect/regs_cmd.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <iterator>
#include <memory>

#include "common/cli_util.h"
#include "common/color.h"
#include "inspect/inspect_common.h"
#include "ptk/arch/reg_decode.h"
#include "ptk/arch/syscalls.h"
#include "ptk/debug/unwind.h"
#include "ptk/engine/held_process.h"
#include "ptk/sys/escape.h"

namespace ptk::cli {
namespace {

struct RegsOptions {
  std::string pid;
  std::string tid;
  bool all = false;
  bool json = false;
};

// A value as the register's width reads it when signed: rax 0xfffffffffffffe00 is -512.
std::int64_t as_signed(const RegisterValue& r) {
  if (r.width == 4) return static_cast<std::int32_t>(static_cast<std::uint32_t>(r.value));
  return static_cast<std::int64_t>(r.value);
}

// The flags register's set bits as "[ A B ]", then its multi-bit field when not 0: EFLAGS'
// IOPL on x86, PSTATE's exception level on aarch64 (whose bits are not EFLAGS': N, Z, C, V
// live at 31-28 there, see reg_decode.cpp).
std::string flags_text(const Registers& regs, std::uint64_t value) {
  if (regs.arch() != Arch::Aarch64) {
    std::string out = eflags_names(value);
    if (int iopl = eflags_iopl(value); iopl != 0) out += fmt::format(" IOPL={}", iopl);
    return out;
  }
  std::string out = "[";
  for (std::string_view f : pstate_flag_names(value)) out += fmt::format(" {}", f);
  out += " ]";
  if (int el = pstate_el(value); el != 0) out += fmt::format(" EL={}", el);
  return out;
}

// What follows a register's hex value in the text output.
std::string annotation(const RegisterValue& r, const Registers& regs, const std::string& ip_at) {
  switch (r.group) {
    case RegGroup::General:
      return fmt::format("{}", as_signed(r));
    case RegGroup::Pointer:
      return r.name.ends_with("ip") || r.name == "pc" ? ip_at : "";  // rip, eip; aarch64's pc
    case RegGroup::Flags:
      return flags_text(regs, r.value);
    case RegGroup::Segment: {
      std::string_view role = selector_role(r.value);
      return role.empty() ? fmt::format("{}", r.value) : fmt::format("{} {}", r.value, role);
    }
    case RegGroup::Base:
      return "";
    case RegGroup::Syscall: {
      // orig_rax: the syscall the thread is in (or restarts), -1 outside any syscall.
      std::int64_t nr = as_signed(r);
      const SyscallSpec* spec = nr >= 0 ? find_syscall(regs.arch(), nr) : nullptr;
      return spec ? fmt::format("{} ({})", nr, spec->name) : fmt::format("{}", nr);
    }
  }
  return "";
}

void append_text(std::string& out, pid_t tid, const Registers& regs, const std::string& ip_at,
                 const Palette& palette) {
  if (!out.empty()) out += '\n';
  out += palette.paint(Style::Header,
                       fmt::format("Thread {} ({}) {}:", tid, sys::printable(thread_name(tid)),
                                   to_string(regs.arch())));
  out += '\n';
  int hex_width = regs.abi_info().word_size * 2 + 2;
  for (const RegisterValue& r : register_listing(regs)) {
    std::string hex = fmt::format("{:#x}", r.value);
    std::string note = annotation(r, regs, ip_at);
    std::string line = fmt::format("{:<{}}  {}", hex, hex_width, note);
    while (!line.empty() && line.back() == ' ') line.pop_back();
    // The instruction pointer's <symbol+offset>, styled as step and bt style a location.
    if (!ip_at.empty() && note == ip_at) {
      line.replace(line.size() - ip_at.size(), ip_at.size(), palette.paint(Style::Symbol, ip_at));
    }
    out += palette.paint_left(Style::Register, r.name, 10) + ' ' + line + '\n';
  }
}

void append_json(std::string& out, pid_t tid, const Registers& regs, const debug::Frame* ip_frame) {
  out += fmt::format("{{\"tid\":{},\"name\":", tid);
  sys::append_json_string(out, thread_name(tid));
  out += fmt::format(",\"arch\":\"{}\",\"regs\":{{", to_string(regs.arch()));
  bool first = true;
  for (const RegisterValue& r : register_listing(regs)) {
    out += fmt::format("{}\"{}\":{}", first ? "" : ",", r.name, json_hex(r.value));
    first = false;
  }
  // The flags register decoded under its own names: eflags_flags and iopl on x86,
  // pstate_flags and el on aarch64.
  bool a64 = regs.arch() == Arch::Aarch64;
  out += fmt::format("}},\"{}\":[", a64 ? "pstate_flags" : "eflags_flags");
  first = true;
  for (std::string_view f :
       a64 ? pstate_flag_names(regs.flags()) : eflags_flag_names(regs.flags())) {
    out += fmt::format("{}\"{}\"", first ? "" : ",", f);
    first = false;
  }
  out += a64 ? fmt::format("],\"el\":{}", pstate_el(regs.flags()))
             : fmt::format("],\"iopl\":{}", eflags_iopl(regs.flags()));
  if (ip_frame != nullptr && !ip_frame->module.empty()) {
    out += ",\"ip_module\":";
    sys::append_json_string(out, ip_frame->module);
    if (!ip_frame->symbol.empty()) {
      out += ",\"ip_symbol\":";
      sys::append_json_string(out, ip_frame->demangled_symbol());
      out += fmt::format(",\"ip_offset\":{}", ip_frame->symbol_offset);
    }
  }
  out += "}\n";
}

int run_regs(const RegsOptions& o) {
  auto pid = parse_pid(o.pid);
  if (!pid.ok()) return fail("regs", pid.error(), kExitUsage);
  pid_t tid = 0;
  if (!o.tid.empty()) {
    auto t = parse_pid(o.tid);
    if (!t.ok()) return fail("regs", t.error(), kExitUsage);
    tid = *t;
  }
  if (tid != 0 && o.all) return fail("regs", "--tid and --all exclude each other", kExitUsage);

  auto in = engine::HeldProcess::attach(*pid);
  if (!in.ok()) return fail("regs", in.error());
  std::vector<pid_t> all = (*in)->threads();
  // A thread id given as the PID selects that thread (its whole process is attached).
  if (tid == 0 && !o.all) tid = *pid;
  std::vector<pid_t> tids = o.all ? all : std::vector<pid_t>{tid};
  if (std::find(all.begin(), all.end(), tid) == all.end() && !o.all) {
    return fail("regs",
                fmt::format("thread {} is not a thread of process {} (its threads: {})", tid,
                            (*in)->pid(), fmt::join(all, " ")),
                kExitUsage);
  }

  debug::Unwinder unwinder((*in)->session());
  Palette palette = Palette::for_stream(stdout);
  int code = 0;
  std::string out;
  for (pid_t t : tids) {
    auto regs = (*in)->session().get_regs(t);
    if (!regs.ok()) {
      code = fail("regs", regs.error());
      continue;
    }
    auto frame = unwinder.symbolize((*in)->pid(), regs->ip());
    if (o.json) {
      append_json(out, t, *regs, frame.ok() ? &*frame : nullptr);
    } else {
      std::string ip_at = frame.ok() && !frame->module.empty()
                              ? fmt::format("<{}>", describe_location(*frame))
                              : "";
      append_text(out, t, *regs, ip_at, palette);
    }
  }
  // Let the process go before printing: a slow reader of our output must not keep it stopped.
  Status detached = (*in)->release();
  fmt::print("{}", out);
  std::fflush(stdout);
  if (!detached.ok()) return fail("regs", detached.error());
  return code;
}

}  // namespace

void register_regs(CLI::App& app, int& exit_code) {
  auto opts = std::make_shared<RegsOptions>();
  CLI::App* sub = app.add_subcommand(
      "regs", "Show the registers of a process's threads (attaches briefly, then detaches)");
  sub->add_option("pid", opts->pid, "Process (or thread) id")->required();
  sub->add_option("--tid", opts->tid, "Show this thread (default: the main thread)");
  sub->add_flag("--all", opts->all, "Show every thread");
  sub->add_flag("--json", opts->json, "JSON Lines: one object per thread, values as hex strings");
  add_color_option(*sub);
  sub->callback([opts, &exit_code] { exit_code = run_regs(*opts); });
}

}  // namespace ptk::cli
