// Where `ptk trace` writes: stderr, a file, one file per traced thread (-ff), or a pipe
// (-o '|cmd'); and the line prefix (pid, timestamps) strace puts before each line.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <cstdio>
#include <string>
#include <unordered_map>

#include "common/color.h"
#include "ptk/base/result.h"

namespace ptk::cli {

class TraceOutput {
 public:
  struct Prefix {
    bool pid_column = false;    // "%-5d " (with -o and -f, as strace)
    bool pid_brackets = false;  // "[pid %5d] " on stderr when several tracees exist
    int timestamps = 0;         // -t/-tt/-ttt
    int timestamp_digits = -1;  // --absolute-timestamps=precision: (-1: as -t/-tt/-ttt)
    bool relative = false;      // -r
    int relative_digits = 6;    // -r=PRECISION
  };

  TraceOutput() = default;
  ~TraceOutput();
  TraceOutput(const TraceOutput&) = delete;
  TraceOutput& operator=(const TraceOutput&) = delete;

  Status open(const std::string& path, bool per_thread, bool append = false);
  void set_prefix(Prefix p) { prefix_ = p; }

  // Starts a line for `tid` at time `ns` (CLOCK_REALTIME): fills `line` with the prefix.
  void begin_line(std::string& line, pid_t tid, std::int64_t ns, bool many_tracees);
  // Writes a finished line (a newline is added).
  void write_line(pid_t tid, std::string& line);
  // Writes the start of a line that later output finishes (strace's line open at entry).
  void write_partial(pid_t tid, const std::string& text);
  // Writes out what the buffers hold; returns whether they held anything.
  bool flush();
  // Flushes and closes the files; waits for the command of -o '|cmd' to finish, as strace.
  void close();
  // The colors of the trace under --color=`when`. As strace, auto gives none to -ff's files
  // (nor to any file or pipe: only a terminal gets color).
  Palette palette(ColorWhen when) const {
    if (per_thread_ && when == ColorWhen::Auto) return Palette();
    return Palette(want_color(when, ::fileno(main_)));
  }
  // Writes text outside of the per-thread files (the -c summary).
  void write_raw(const std::string& text);

  // -Y: each line's pid is followed by the thread's command name, as strace prints it, read
  // when remember_comm() is called (at attach, thread start, exec and each syscall entry:
  // the name at a thread's last line may be gone from /proc by then).
  void set_pid_comm(bool on, int xlevel) {
    pid_comm_ = on;
    xlevel_ = xlevel;
  }
  void remember_comm(pid_t tid);
  void forget_comm(pid_t tid) { comms_.erase(tid); }

 private:
  std::FILE* file_for(pid_t tid);

  std::FILE* main_ = stderr;
  // stderr is unbuffered; the trace on it is written in blocks like any other (trace_live.h).
  char stderr_buffer_[1 << 16];
  bool owns_main_ = false;
  bool is_pipe_ = false;
  bool per_thread_ = false;
  const char* mode_ = "we";  // "ae" with -A
  std::string base_path_;
  std::unordered_map<pid_t, std::FILE*> per_thread_files_;
  Prefix prefix_;
  std::int64_t last_ns_ = 0;
  bool pid_comm_ = false;
  int xlevel_ = 0;
  std::unordered_map<pid_t, std::string> comms_;
};

}  // namespace ptk::cli
