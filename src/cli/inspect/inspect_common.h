// What the inspection subcommands (`ptk regs`, `mem`, `maps`, `bt`) share: the process id
// argument, thread names, and JSON strings. (They hold the process through
// ptk/engine/held_process.h: a brief attach that always ends in a detach.)
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "ptk/base/result.h"
#include "ptk/core/session.h"
#include "ptk/debug/unwind.h"

namespace ptk::cli {

// A process or thread id from the command line: a positive decimal number.
Result<pid_t> parse_pid(std::string_view text);

// Says why a live process cannot be inspected before anything touches it: it does not exist,
// is a zombie (its memory and registers are gone), or is a kernel thread (no user memory).
// The library's check_attachable, which every subcommand's attach goes through.
Status check_inspectable(pid_t pid);

// The thread's name (/proc/TID/comm), or "?" when it is gone. The process chose it (prctl
// PR_SET_NAME): text output shows it through sys::printable.
std::string thread_name(pid_t tid);

// Where a code address is, for text output: "main+0x1c (prog)", "?? (libc.so.6+0x29d90)", or
// "??" outside any module; the module by its file name, the symbol demangled, both escaped
// (sys::printable: the names come from the process's files).
std::string describe_location(const debug::Frame& frame);

// A hex address or register value as the JSON output writes it: "0x7ffd5c7e1a40".
std::string json_hex(std::uint64_t value);

}  // namespace ptk::cli
