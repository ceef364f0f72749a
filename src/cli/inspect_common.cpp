#include "inspect_common.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <iterator>

#include "ptk/core/proc.h"

namespace ptk::cli {
namespace {

// PF_KTHREAD from include/linux/sched.h: the flags field (the 9th) of /proc/PID/stat has it
// for kernel threads, which have no user address space to inspect.
constexpr unsigned long kPfKthread = 0x00200000;

bool is_kernel_thread(pid_t pid) {
  auto stat = read_proc_file(pid, "stat");
  if (!stat.ok()) return false;
  // The name in parentheses may hold spaces and ')': the fields start after the last ')'.
  std::size_t paren = stat->rfind(')');
  if (paren == std::string::npos) return false;
  std::string_view rest = std::string_view(*stat).substr(paren + 1);
  // Fields after the name: state ppid pgrp session tty_nr tpgid flags.
  for (int field = 0; field < 6; ++field) {
    rest.remove_prefix(std::min(rest.size(), rest.find_first_not_of(' ')));
    rest.remove_prefix(std::min(rest.size(), rest.find(' ')));
  }
  rest.remove_prefix(std::min(rest.size(), rest.find_first_not_of(' ')));
  unsigned long flags = 0;
  std::from_chars(rest.data(), rest.data() + rest.size(), flags);
  return (flags & kPfKthread) != 0;
}

// The length of the well-formed UTF-8 sequence `s` starts with (RFC 3629: no overlong forms,
// no surrogates, nothing past U+10FFFF), or 0.
std::size_t utf8_sequence_length(std::string_view s) {
  auto b = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
  unsigned char c = b(0);
  std::size_t len = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 ? 2 : 0;
  if (len == 0 || c > 0xf4 || s.size() < len) return 0;
  for (std::size_t i = 1; i < len; ++i) {
    if ((b(i) & 0xc0) != 0x80) return 0;
  }
  if (c == 0xe0 && b(1) < 0xa0) return 0;   // overlong
  if (c == 0xed && b(1) >= 0xa0) return 0;  // surrogate
  if (c == 0xf0 && b(1) < 0x90) return 0;   // overlong
  if (c == 0xf4 && b(1) >= 0x90) return 0;  // past U+10FFFF
  return len;
}

}  // namespace

Result<pid_t> parse_pid(std::string_view text) {
  pid_t pid = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), pid);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || pid <= 0) {
    return Error(ErrorKind::InvalidArgument, fmt::format("process id \"{}\"", text), 0,
                 "a process id is a positive decimal number");
  }
  return pid;
}

Status check_inspectable(pid_t pid) {
  auto st = read_status(pid);
  if (!st.ok()) {
    return Error(ErrorKind::NoSuchProcess, fmt::format("no process with pid {}", pid));
  }
  if (st->state == 'Z' || st->state == 'X') {
    return Error(ErrorKind::NoSuchProcess, fmt::format("process {} ({})", pid, st->name), 0,
                 "it is a zombie: it has exited and waits for its parent to reap it; nothing "
                 "is left to inspect");
  }
  if (is_kernel_thread(pid)) {
    return Error(ErrorKind::Unsupported, fmt::format("process {} ({})", pid, st->name), 0,
                 "it is a kernel thread: it has no user registers or memory to inspect");
  }
  return ok_status();
}

Inspection::Inspection(pid_t pid)
    : session_(SessionOptions{.syscall_stops = SyscallStops::None}), pid_(pid) {}

Inspection::~Inspection() { (void)detach(); }

Result<std::unique_ptr<Inspection>> Inspection::attach(pid_t pid) {
  PTK_TRY(check_inspectable(pid));
  PTK_ASSIGN_OR_RETURN(ProcStatus st, read_status(pid));
  std::unique_ptr<Inspection> in(new Inspection(st.tgid > 0 ? st.tgid : pid));
  PTK_TRY(in->session_.attach(in->pid_));
  in->attached_ = true;
  return in;
}

std::vector<pid_t> Inspection::threads() const {
  std::vector<pid_t> tids;
  if (const Process* p = session_.process(pid_)) tids = p->tids;
  std::sort(tids.begin(), tids.end(), [this](pid_t a, pid_t b) {
    if ((a == pid_) != (b == pid_)) return a == pid_;
    return a < b;
  });
  return tids;
}

int Inspection::word_size() {
  auto regs = session_.get_regs(pid_);
  if (!regs.ok()) return 8;
  return regs->abi_info().word_size;
}

Status Inspection::detach() {
  if (!attached_) return ok_status();
  attached_ = false;
  return session_.detach(pid_);
}

std::string thread_name(pid_t tid) {
  auto comm = read_proc_file(tid, "comm");
  if (!comm.ok()) return "?";
  std::string name = std::move(*comm);
  while (!name.empty() && name.back() == '\n') name.pop_back();
  return name;
}

std::string describe_location(const debug::Frame& frame) {
  if (frame.module.empty()) return "??";
  std::string_view module = frame.module;
  // "[vdso: 1234]" keeps its brackets; a path is shown by its file name.
  if (!module.starts_with('[')) module = module.substr(module.rfind('/') + 1);
  if (frame.symbol.empty()) return fmt::format("?? ({}+{:#x})", module, frame.module_offset);
  return fmt::format("{}+{:#x} ({})", frame.demangled_symbol(), frame.symbol_offset, module);
}

void append_json_string(std::string& out, std::string_view s) {
  auto it = std::back_inserter(out);
  out += '"';
  for (std::size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x80) {
      // Valid UTF-8 goes through as is; any other byte (a tracee's names need not be UTF-8)
      // becomes the code point of its value, so that the output is always valid JSON.
      std::size_t len = utf8_sequence_length(s.substr(i));
      if (len > 0) {
        out.append(s.substr(i, len));
        i += len;
      } else {
        fmt::format_to(it, "\\u{:04x}", c);
        ++i;
      }
      continue;
    }
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c < 0x20 || c == 0x7f) {
      fmt::format_to(it, "\\u{:04x}", c);
    } else {
      out += static_cast<char>(c);
    }
    ++i;
  }
  out += '"';
}

std::string json_hex(std::uint64_t value) { return fmt::format("\"{:#x}\"", value); }

}  // namespace ptk::cli
