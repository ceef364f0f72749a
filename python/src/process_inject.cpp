// Process: what runs inside the tracee -- a function call, a syscall, shellcode -- each in a
// scope that puts the thread back exactly as it was.
#include <fmt/format.h>

#include "errors.h"
#include "process.h"
#include "ptk/core/wait_status.h"
#include "ptk/inject/remote_call.h"
#include "ptk/inject/remote_lib.h"
#include "ptk/inject/remote_syscalls.h"
#include "ptk/inject/shellcode.h"
#include "ptk/inject/syscall_expr.h"
#include "ptk/inject/syscall_run.h"

namespace ptk::py {

namespace pyb = pybind11;

namespace {

std::string text_of(const pyb::handle& h) {
  if (pyb::isinstance<pyb::bytes>(h)) return h.cast<std::string>();
  return pyb::str(h).cast<std::string>();
}

// An integer as the tracee's word: negative numbers in two's complement.
std::uint64_t word_of(const pyb::handle& h) {
  pyb::int_ v = h.cast<pyb::int_>();
  if (v < pyb::int_(0)) return static_cast<std::uint64_t>(v.cast<std::int64_t>());
  return v.cast<std::uint64_t>();
}

bool is_text(const pyb::handle& h) {
  return pyb::isinstance<pyb::str>(h) || pyb::isinstance<pyb::bytes>(h);
}

std::string describe_stop(const inject::CodeStop& stop) {
  return fmt::format("stopped by {} at {:#x}", signal_name(stop.signal), stop.regs.ip());
}

}  // namespace

std::int64_t Process::call(const std::string& function, const pyb::args& args,
                           std::optional<pid_t> tid) {
  pid_t t = thread_or_default(tid);
  std::vector<inject::CallArg> call_args;
  for (const pyb::handle& a : args) {
    call_args.push_back(is_text(a) ? inject::CallArg::string(text_of(a))
                                   : inject::CallArg::integer(word_of(a)));
  }
  // A fresh table: a library the program loaded since the last look counts too.
  symbols_.reset();
  const debug::SymbolTable& table = symbols();
  pyb::gil_scoped_release unlocked;
  auto remote = unwrap(inject::RemoteSyscalls::open(*session_, t));
  std::uint64_t fn = unwrap(inject::find_function(remote, table, function));
  inject::CallResult r = unwrap(inject::remote_call(remote, fn, call_args));
  check(remote.restore());
  if (!r.returned) {
    raise(Error(ErrorKind::InvalidArgument, fmt::format("call {}", function), 0,
                describe_stop(r.stop)));
  }
  return r.signed_value;
}

std::int64_t Process::syscall(const std::string& name, const pyb::args& args,
                              std::optional<pid_t> tid) {
  pid_t t = thread_or_default(tid);
  inject::SyscallExpr expr;
  if (args.empty() && name.find('(') != std::string::npos) {
    expr = unwrap(inject::parse_syscall_expr(name));
  } else {
    expr.name = name;
    for (const pyb::handle& a : args) {
      inject::SyscallArgExpr arg;
      if (a.is_none()) {
        arg.kind = inject::SyscallArgExpr::Kind::Null;
        arg.text = "NULL";
      } else if (is_text(a)) {
        arg.kind = inject::SyscallArgExpr::Kind::String;
        arg.bytes = text_of(a);
        arg.text = '"' + arg.bytes + '"';
      } else {
        arg.value = word_of(a);
        arg.text = std::to_string(arg.value);
      }
      expr.args.push_back(std::move(arg));
    }
  }
  pyb::gil_scoped_release unlocked;
  auto remote = unwrap(inject::RemoteSyscalls::open(*session_, t));
  const SyscallSpec* spec = find_syscall(remote.arch(), expr.name);
  if (spec == nullptr) {
    raise(Error(ErrorKind::NotFound, fmt::format("syscall {}", expr.name), 0,
                fmt::format("no such syscall in the {} ABI", to_string(remote.arch()))));
  }
  std::int64_t ret = unwrap(inject::run_syscall_expr(remote, expr, *spec));
  check(remote.restore());
  return ret;
}

pyb::dict Process::run_shellcode(const std::string& code, const pyb::object& at,
                                 std::optional<pid_t> tid) {
  pid_t t = thread_or_default(tid);
  inject::ShellcodeOptions options;
  auto bytes = std::as_bytes(std::span(code.data(), code.size()));
  options.code.assign(bytes.begin(), bytes.end());
  if (at.is_none()) {
    options.place = inject::CodePlace::FreshMapping;
  } else if (pyb::isinstance<pyb::str>(at) && at.cast<std::string>() == "ip") {
    options.place = inject::CodePlace::AtIp;
  } else if (pyb::isinstance<pyb::int_>(at)) {
    options.place = inject::CodePlace::AtAddress;
    options.address = at.cast<std::uint64_t>();
  } else {
    raise(Error(ErrorKind::InvalidArgument, "run_shellcode", 0,
                "at= takes None (a fresh mapping), \"ip\" or an address"));
  }
  inject::ShellcodeReport report = [&] {
    pyb::gil_scoped_release unlocked;
    return unwrap(inject::run_shellcode(*session_, t, options));
  }();
  pyb::dict d;
  d["address"] = report.code_addr;
  d["size"] = report.size;
  d["fault"] = report.stop.kind == inject::CodeStop::Kind::Fault;
  d["signal"] = report.stop.signal;
  d["regs"] = report.stop.regs;
  return d;
}

}  // namespace ptk::py
