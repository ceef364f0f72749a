// The plain values the bindings hand to Python: a decoded syscall, an event, registers. Each is
// a copy, valid after the stop it came from.
#pragma once

#include <pybind11/pybind11.h>
#include <sys/types.h>

#include <array>
#include <cstdint>
#include <optional>
#include <string>

#include "ptk/arch/registers.h"
#include "ptk/core/event.h"
#include "ptk/sys/decoded.h"

namespace ptk::py {

// One syscall as ptk's decoders understood it (the model `ptk trace` renders).
struct Syscall {
  std::string name;
  std::int64_t nr = -1;
  pid_t pid = 0;
  pid_t tid = 0;
  std::string abi;
  bool entry = false;  // seen at its entry (no result yet)
  std::array<std::uint64_t, 6> raw_args{};
  std::string args_json;            // the arguments by name, as ptk trace --json writes them
  std::optional<std::int64_t> ret;  // the value the program sees (-1 with errno on error)
  std::string errno_name;           // "ENOENT" on error, else empty
  std::string tamper;               // the tamper marks, e.g. "(INJECTED)"
  std::string text;                 // the strace line
  pybind11::object args_cache;      // json.loads(args_json), made on first use

  static Syscall from(const sys::DecodedSyscall& sc, bool entry);
};

// A stop or end of a thread, as Session::wait reports it.
struct PyEvent {
  std::string kind;  // "syscall-entry", "trap", "exited", ... (to_string(EventKind))
  pid_t tid = 0;
  pid_t pid = 0;
  int signal = 0;
  int exit_code = 0;
  std::int64_t syscall_nr = -1;  // SyscallEntry/SyscallExit
  std::int64_t syscall_ret = 0;  // SyscallExit
  pid_t new_tid = 0;
  bool stopped = false;
  Event raw;

  static PyEvent from(const Event& ev);
};

void register_values(pybind11::module_& m);

}  // namespace ptk::py
