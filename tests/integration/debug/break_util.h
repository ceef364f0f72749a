// Helpers for the `ptk break` tests: a tracee started untraced with pipes on its stdin and
// stdout, and ptk running in the background with pipes on its stdout and stderr.
#pragma once

#include <signal.h>

#include <map>
#include <memory>
#include <sstream>

#include "test_util.h"

namespace ptk_test {

// An untraced tracee that writes "ready ..." and waits for a byte on stdin.
class PipedTracee {
 public:
  explicit PipedTracee(const std::vector<std::string>& argv) : in_(make_pipe()), out_(make_pipe()) {
    child_ = std::make_unique<Child>(argv, in_.read_end.get(), out_.write_end.get());
    in_.read_end.reset();
    out_.write_end.reset();
    ready_ = read_line(out_.read_end.get()).value_or("EOF");
  }
  const std::string& ready_line() const { return ready_; }
  pid_t pid() const { return child_->pid(); }
  bool go() { return write_byte(in_.write_end.get()); }
  std::string rest_of_output() { return read_all(out_.read_end.get()); }
  int wait() { return child_->wait(); }

 private:
  Pipe in_, out_;
  std::unique_ptr<Child> child_;
  std::string ready_;
};

// ptk in the background: its stdout and stderr read through pipes.
class BackgroundPtk {
 public:
  explicit BackgroundPtk(std::vector<std::string> args) : out_(make_pipe()), err_(make_pipe()) {
    args.insert(args.begin(), PTK_CLI);
    std::vector<char*> argv;
    for (std::string& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    pid_ = ::fork();
    if (pid_ == 0) {
      ::dup2(out_.write_end.get(), 1);
      ::dup2(err_.write_end.get(), 2);
      int null = ::open("/dev/null", O_RDONLY);
      ::dup2(null, 0);
      close_inherited_fds();
      ::execv(argv[0], argv.data());
      ::_exit(127);
    }
    out_.write_end.reset();
    err_.write_end.reset();
  }
  BackgroundPtk(const BackgroundPtk&) = delete;
  BackgroundPtk& operator=(const BackgroundPtk&) = delete;
  ~BackgroundPtk() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      wait_child(pid_);
    }
  }
  // The next line of ptk's stderr that contains `part` (nullopt at EOF).
  std::optional<std::string> wait_err(std::string_view part) { return wait_in(err_, part); }
  std::optional<std::string> wait_out(std::string_view part) { return wait_in(out_, part); }
  std::string rest_of_out() { return read_all(out_.read_end.get()); }
  std::string rest_of_err() { return read_all(err_.read_end.get()); }
  void kill(int sig) { ::kill(pid_, sig); }
  pid_t pid() const { return pid_; }
  int wait() {
    int status = wait_child(pid_);
    pid_ = -1;
    return status;
  }

 private:
  static std::optional<std::string> wait_in(Pipe& p, std::string_view part) {
    for (;;) {
      auto line = read_line(p.read_end.get());
      if (!line || line->find(part) != std::string::npos) return line;
    }
  }
  Pipe out_, err_;
  pid_t pid_ = -1;
};

// The count of `location` in `ptk break --count` output ("LOCATION COUNT" lines); -1: absent.
inline long break_count(const std::string& out, const std::string& location) {
  std::istringstream in(out);
  for (std::string line; std::getline(in, line);) {
    if (line.starts_with(location + " ")) return std::stol(line.substr(location.size() + 1));
  }
  return -1;
}

}  // namespace ptk_test
