// Live output of `ptk trace`: a call that blocks is on the output, with the arguments known at
// its entry, while it blocks (strace prints "read(0, " at once). Each test unblocks the call
// only after it read that head from ptk's output, so a ptk that held the head back would never
// let the test go on: it fails at a generous deadline instead of hanging.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "inject/inject_util.h"
#include "test_util.h"

namespace ptk_test {
namespace {

using ptk::UniqueFd;

constexpr int kDeadlineMs = 30000;  // only a broken ptk waits this long

// Reads `fd` into `seen` until `seen` holds `part`; false at the deadline or at EOF.
bool read_until(int fd, std::string& seen, std::string_view part) {
  while (seen.find(part) == std::string::npos) {
    pollfd p{.fd = fd, .events = POLLIN, .revents = 0};
    if (::poll(&p, 1, kDeadlineMs) != 1) return false;
    char buf[4096];
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    seen.append(buf, static_cast<std::size_t>(n));
  }
  return true;
}

std::string slurp(const std::string& path) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  return fd.get() < 0 ? std::string() : read_all(fd.get());
}

// Waits (on inotify, not on time) until the file holds `part`.
bool file_gets(const std::string& path, std::string_view part) {
  UniqueFd in(::inotify_init1(IN_CLOEXEC));
  if (in.get() < 0 || ::inotify_add_watch(in.get(), path.c_str(), IN_MODIFY) < 0) return false;
  for (;;) {
    if (slurp(path).find(part) != std::string::npos) return true;
    pollfd p{.fd = in.get(), .events = POLLIN, .revents = 0};
    if (::poll(&p, 1, kDeadlineMs) != 1) return false;
    char events[4096];
    (void)!::read(in.get(), events, sizeof events);
  }
}

// ptk with the test holding its stdin (a pipe: what the traced command reads) and its stderr
// (a pipe, or a terminal).
class LivePtk {
 public:
  LivePtk(std::vector<std::string> args, int stderr_fd) {
    Pipe in = make_pipe();
    UniqueFd null(::open("/dev/null", O_WRONLY | O_CLOEXEC));
    args.insert(args.begin(), PTK_CLI);
    child_ = std::make_unique<Child>(args, in.read_end.get(), null.get(), stderr_fd);
    stdin_ = std::move(in.write_end);
  }
  // What the traced command reads; then its end of input.
  bool feed(std::string_view text) {
    return ::write(stdin_.get(), text.data(), text.size()) == static_cast<ssize_t>(text.size());
  }
  void end_input() { stdin_.reset(); }
  void kill(int sig) { child_->kill(sig); }
  int wait() { return child_->wait(); }

 private:
  std::unique_ptr<Child> child_;
  UniqueFd stdin_;
};

// A line as strace aligns it: the result at column 40.
std::string aligned(std::string call, std::string_view result) {
  call += ' ';
  if (call.size() < 40) call.append(40 - call.size(), ' ');
  return call + "= " + std::string(result);
}

const std::vector<std::string> kTraceCat = {"trace", "-e", "trace=read", "--", "cat"};

// The head, then the rest of the same line once the call returns, then the end.
void expect_head_then_line(LivePtk& ptk, int err_fd) {
  std::string seen;
  ASSERT_TRUE(read_until(err_fd, seen, "read(0, ")) << "no head of the blocked read: " << seen;
  // The call is blocked: nothing of its result can be there yet.
  EXPECT_EQ(seen.find("read(0, \"x"), std::string::npos) << seen;
  ASSERT_TRUE(ptk.feed("x\n"));
  ASSERT_TRUE(read_until(err_fd, seen, "read(0, \"x\\n\", 131072)")) << seen;
  ptk.end_input();
  ASSERT_TRUE(read_until(err_fd, seen, "+++ exited with 0 +++")) << seen;
  EXPECT_EQ(describe_status(ptk.wait()), "exited with 0");
  // One whole line, as strace prints it when nothing came between the two halves.
  EXPECT_TRUE(contains(seen, aligned("read(0, \"x\\n\", 131072)", "2") + "\n"));
  EXPECT_TRUE(contains(seen, aligned("read(0, \"\", 131072)", "0") + "\n"));
}

TEST(TraceLive, BlockedReadShowsOnAPipe) {
  Pipe err = make_pipe();
  LivePtk ptk(kTraceCat, err.write_end.get());
  err.write_end.reset();
  expect_head_then_line(ptk, err.read_end.get());
}

TEST(TraceLive, BlockedReadShowsOnATerminal) {
  // The terminal a user watches: ptk's stderr is a pseudo-terminal, read on its master side.
  UniqueFd master(::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC));
  ASSERT_GE(master.get(), 0);
  ASSERT_EQ(::grantpt(master.get()), 0);
  ASSERT_EQ(::unlockpt(master.get()), 0);
  UniqueFd slave(::open(::ptsname(master.get()), O_RDWR | O_NOCTTY | O_CLOEXEC));
  ASSERT_GE(slave.get(), 0);
  ASSERT_TRUE(::isatty(slave.get()));
  // Without color (a terminal gets it by default, as from strace 7): the text is what is
  // looked for here; color_test.cpp looks at the colors.
  std::vector<std::string> args = kTraceCat;
  args.insert(args.begin() + 1, "--color=never");
  LivePtk ptk(args, slave.get());
  std::string seen;
  ASSERT_TRUE(read_until(master.get(), seen, "read(0, ")) << seen;
  EXPECT_EQ(seen.find("read(0, \"x"), std::string::npos) << seen;
  ASSERT_TRUE(ptk.feed("x\n"));
  // The terminal turns "\n" into "\r\n" on output.
  ASSERT_TRUE(read_until(master.get(), seen, aligned("read(0, \"x\\n\", 131072)", "2") + "\r\n"))
      << seen;
  ptk.end_input();
  EXPECT_EQ(describe_status(ptk.wait()), "exited with 0");
}

TEST(TraceLive, BlockedReadShowsInAFile) {
  TempFile trace("live");
  { UniqueFd create(::open(trace.path().c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600)); }
  std::vector<std::string> args = {"trace", "-o", trace.path(), "-e", "trace=read", "--", "cat"};
  LivePtk ptk(args, 2);
  ASSERT_TRUE(file_gets(trace.path(), "read(0, ")) << slurp(trace.path());
  EXPECT_EQ(slurp(trace.path()).find("read(0, \"x"), std::string::npos);
  ASSERT_TRUE(ptk.feed("x\n"));
  ASSERT_TRUE(file_gets(trace.path(), aligned("read(0, \"x\\n\", 131072)", "2") + "\n"))
      << slurp(trace.path());
  ptk.end_input();
  EXPECT_EQ(describe_status(ptk.wait()), "exited with 0");
  EXPECT_TRUE(contains(slurp(trace.path()), "+++ exited with 0 +++\n"));
}

TEST(TraceLive, JsonShowsACallInProgress) {
  Pipe err = make_pipe();
  std::vector<std::string> args = {"trace", "--json", "-e", "trace=read", "--", "cat"};
  LivePtk ptk(args, err.write_end.get());
  err.write_end.reset();
  std::string seen;
  ASSERT_TRUE(read_until(err.read_end.get(), seen, "{\"type\":\"entry\"")) << seen;
  ASSERT_TRUE(read_until(err.read_end.get(), seen, "\n")) << seen;
  std::string entry = seen.substr(seen.rfind("{\"type\":\"entry\""));
  EXPECT_TRUE(contains(entry, "\"name\":\"read\"")) << entry;
  EXPECT_TRUE(contains(entry, "\"args\":{\"fd\":0}")) << entry;
  EXPECT_EQ(entry.find("\"ret\""), std::string::npos) << entry;
  ASSERT_TRUE(ptk.feed("x\n"));
  ptk.end_input();
  std::string rest = read_all(err.read_end.get());
  EXPECT_EQ(describe_status(ptk.wait()), "exited with 0");
  // The complete object follows at the exit, as for any call.
  EXPECT_TRUE(contains(rest, "\"str\":\"x\\n\"")) << rest;
}

// Attached to a process that is blocked already, the call shows within a tick too, and at
// Ctrl-C the open line ends as strace ends it.
TEST(TraceLive, AttachToABlockedReadShowsIt) {
  Pipe in = make_pipe();
  UniqueFd null(::open("/dev/null", O_WRONLY | O_CLOEXEC));
  Child cat({"/bin/cat"}, in.read_end.get(), null.get());
  in.read_end.reset();
  wait_blocked_in(cat.pid(), arch_of_bits(64), {"read"});
  Pipe err = make_pipe();
  LivePtk ptk({"trace", "-p", std::to_string(cat.pid())}, err.write_end.get());
  err.write_end.reset();
  std::string seen;
  ASSERT_TRUE(read_until(err.read_end.get(), seen, "read(0, ")) << seen;
  EXPECT_EQ(seen.find("read(0, \"x"), std::string::npos) << seen;
  ASSERT_TRUE(write_byte(in.write_end.get(), '\n'));
  ASSERT_TRUE(read_until(err.read_end.get(), seen, aligned("read(0, \"\\n\", 131072)", "1") + "\n"))
      << seen;
  ASSERT_TRUE(read_until(err.read_end.get(), seen, "read(0, ")) << seen;
  ptk.kill(SIGINT);
  seen += read_all(err.read_end.get());
  EXPECT_EQ(describe_status(ptk.wait()), "killed by SIGINT");  // strace's status after -p
  EXPECT_TRUE(contains(
      seen, fmt::format("read(0,  <detached ...>\nptk trace: Process {} detached\n", cat.pid())));
  // Let go, cat reads on.
  ASSERT_TRUE(write_byte(in.write_end.get(), '\n'));
  in.write_end.reset();
  EXPECT_EQ(describe_status(cat.wait()), "exited with 0");
}

// `-p PID cmd` (strace runs both): the attached process runs on while the command runs, and the
// trace ends when both are gone. ptk used to leave the attached process stopped for good.
TEST(TraceLive, AttachAndCommandBothRun) {
  Pipe in = make_pipe();
  UniqueFd null(::open("/dev/null", O_WRONLY | O_CLOEXEC));
  Child cat({"/bin/cat"}, in.read_end.get(), null.get());
  in.read_end.reset();
  wait_blocked_in(cat.pid(), arch_of_bits(64), {"read"});
  Pipe err = make_pipe();
  LivePtk ptk(
      {"trace", "-e", "trace=read,exit_group", "-p", std::to_string(cat.pid()), "--", "/bin/true"},
      err.write_end.get());
  err.write_end.reset();
  std::string seen;
  ASSERT_TRUE(read_until(err.read_end.get(), seen, "read(0, ")) << seen;
  // The command ran to its end while cat still blocks.
  ASSERT_TRUE(read_until(err.read_end.get(), seen, "exit_group(0)")) << seen;
  // Had ptk left cat stopped, it would never read this and the trace would never end.
  ASSERT_TRUE(write_byte(in.write_end.get(), '\n'));
  in.write_end.reset();
  // Once the command is gone cat is the only tracee: its lines lose the pid column, as strace's.
  ASSERT_TRUE(read_until(err.read_end.get(), seen, "read(0, \"\", 131072)")) << seen;
  ASSERT_TRUE(read_until(err.read_end.get(), seen, "\n+++ exited with 0 +++\n")) << seen;
  EXPECT_EQ(describe_status(ptk.wait()), "exited with 0");
  EXPECT_EQ(describe_status(cat.wait()), "exited with 0");
  EXPECT_TRUE(contains(seen, "<... read resumed>\"\\n\", 131072)")) << seen;
}

}  // namespace
}  // namespace ptk_test
