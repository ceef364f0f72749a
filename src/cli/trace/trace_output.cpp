#include "trace/trace_output.h"

#include <fmt/format.h>

#include <stdio_ext.h>

#include <cerrno>
#include <cstring>

#include "common/time_format.h"
#include "ptk/sys/decode.h"
#include "ptk/sys/escape.h"

namespace ptk::cli {

TraceOutput::~TraceOutput() { close(); }

void TraceOutput::close() {
  for (auto& [tid, f] : per_thread_files_) {
    if (f != stderr) std::fclose(f);
  }
  per_thread_files_.clear();
  if (owns_main_) {
    if (is_pipe_) {
      ::pclose(main_);
    } else {
      std::fclose(main_);
    }
    owns_main_ = false;
  }
  main_ = stderr;
  std::fflush(stderr);
}

Status TraceOutput::open(const std::string& path, bool per_thread, bool append) {
  mode_ = append ? "ae" : "we";  // e: O_CLOEXEC, the tracee must not inherit it
  if (path.empty() || per_thread) {
    // Full buffering must be set before the stream's first output (C11 7.21.5.6): whatever
    // ptk printed already is written out first.
    std::fflush(stderr);
    std::setvbuf(stderr, stderr_buffer_, _IOFBF, sizeof stderr_buffer_);
  }
  if (path.empty()) return ok_status();
  if (path.starts_with('|')) {
    main_ = ::popen(path.c_str() + 1, "we");
    if (main_ == nullptr) {
      main_ = stderr;  // as for a file that does not open: never a null stream to write to
      return Error::from_errno(errno, fmt::format("-o {}: popen", path));
    }
    owns_main_ = is_pipe_ = true;
    std::setvbuf(main_, nullptr, _IOFBF, 1 << 16);
    return ok_status();
  }
  if (per_thread) {
    per_thread_ = true;
    base_path_ = path;
    return ok_status();
  }
  main_ = std::fopen(path.c_str(), mode_);
  if (main_ == nullptr) {
    main_ = stderr;
    return Error::from_errno(errno, fmt::format("-o {}: cannot open for writing", path));
  }
  owns_main_ = true;
  // Traces are written in large blocks: a write per line would cost a syscall per syscall.
  std::setvbuf(main_, nullptr, _IOFBF, 1 << 16);
  return ok_status();
}

std::FILE* TraceOutput::file_for(pid_t tid) {
  if (!per_thread_) return main_;
  auto it = per_thread_files_.find(tid);
  if (it != per_thread_files_.end()) return it->second;
  std::string name = fmt::format("{}.{}", base_path_, tid);
  std::FILE* f = std::fopen(name.c_str(), mode_);
  if (f == nullptr) {
    fmt::print(stderr, "ptk trace: -o {}: {}\n", name, std::strerror(errno));
    f = stderr;
  } else {
    std::setvbuf(f, nullptr, _IOFBF, 1 << 16);
  }
  per_thread_files_[tid] = f;
  return f;
}

void TraceOutput::begin_line(std::string& line, pid_t tid, std::int64_t ns, bool many_tracees) {
  line.clear();
  const std::string* comm = nullptr;
  if (pid_comm_) {
    auto it = comms_.find(tid);
    if (it != comms_.end() && !it->second.empty()) comm = &it->second;
  }
  // With -Y the pid is not padded when a name follows it: "12<sh> ", "[pid    12<sh>] ".
  auto append_comm = [&] {
    line += '<';
    sys::append_fd_path(line, *comm, xlevel_);
    line += '>';
  };
  if (prefix_.pid_column && !per_thread_) {
    if (comm != nullptr) {
      fmt::format_to(std::back_inserter(line), "{}", tid);
      append_comm();
      line += ' ';
    } else {
      fmt::format_to(std::back_inserter(line), "{:<5} ", tid);
    }
  } else if (prefix_.pid_brackets && many_tracees && !per_thread_) {
    fmt::format_to(std::back_inserter(line), "[pid {:>5}", tid);
    if (comm != nullptr) append_comm();
    line += "] ";
  }
  if (prefix_.timestamps > 0) {
    append_timestamp(line, ns, prefix_.timestamps, prefix_.timestamp_digits);
  }
  if (prefix_.relative) {
    std::int64_t d = last_ns_ == 0 ? 0 : ns - last_ns_;
    append_seconds(line, d, prefix_.relative_digits, 6);
    line += ' ';
    last_ns_ = ns;
  }
}

void TraceOutput::remember_comm(pid_t tid) {
  if (!pid_comm_) return;
  std::string comm = sys::process_comm(tid);
  if (!comm.empty()) comms_[tid] = std::move(comm);
}

void TraceOutput::write_line(pid_t tid, std::string& line) {
  line += '\n';
  std::fwrite(line.data(), 1, line.size(), file_for(tid));
}

void TraceOutput::write_partial(pid_t tid, const std::string& text) {
  std::fwrite(text.data(), 1, text.size(), file_for(tid));
}

void TraceOutput::write_raw(const std::string& text) {
  std::FILE* f = per_thread_ ? stderr : main_;
  std::fwrite(text.data(), 1, text.size(), f);
  std::fflush(f);
}

bool TraceOutput::flush() {
  // __fpending (a glibc and musl extension) says whether a flush has anything to write.
  bool any = __fpending(main_) > 0 || __fpending(stderr) > 0;
  std::fflush(main_);
  if (main_ != stderr) std::fflush(stderr);
  for (auto& [tid, f] : per_thread_files_) {
    any = any || __fpending(f) > 0;
    std::fflush(f);
  }
  return any;
}

}  // namespace ptk::cli
