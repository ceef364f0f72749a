// Bad input: attaching to what cannot be attached, spawning what cannot be run, and misuse of a
// session. Each gives the right ErrorKind and a message that names the process and the cure.
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>

#include "test_util.h"

namespace ptk_test {
namespace {

using ptk::ErrorKind;

// A pid that was just used and is free now (pids are not reused until the pid space wraps).
pid_t free_pid() {
  pid_t pid = ::fork();
  if (pid == 0) ::_exit(0);
  wait_child(pid);
  return pid;
}

TEST(AttachErrorsTest, NonexistentPidIsNoSuchProcess) {
  pid_t pid = free_pid();
  ptk::Session session;
  ptk::Status s = session.attach(pid);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().kind(), ErrorKind::NoSuchProcess);
  EXPECT_TRUE(contains(s.error().message(), std::to_string(pid)));
  EXPECT_TRUE(session.empty());
}

TEST(AttachErrorsTest, OwnPidIsInvalidArgument) {
  ptk::Session session;
  ptk::Status s = session.attach(::getpid());
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().kind(), ErrorKind::InvalidArgument);
  EXPECT_TRUE(contains(s.error().message(), std::to_string(::getpid())));
  EXPECT_TRUE(contains(s.error().message(), "itself"));
}

TEST(AttachErrorsTest, NonPositivePidIsInvalidArgument) {
  ptk::Session session;
  for (pid_t pid : {0, -1}) {
    ptk::Status s = session.attach(pid);
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.error().kind(), ErrorKind::InvalidArgument) << pid;
  }
}

TEST(AttachErrorsTest, AttachingTwiceIsAlreadyTraced) {
  Pipe in = make_pipe();
  Child child({tracee_path("counter_threads", 64), "1"}, in.read_end.get());
  in.read_end.reset();
  ptk::Session session;
  ASSERT_TRUE(session.attach(child.pid()).ok());
  ptk::Status again = session.attach(child.pid());
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().kind(), ErrorKind::AlreadyTraced);
  ASSERT_TRUE(session.detach(child.pid()).ok());
}

// A helper process of the test that traces its own child: the child is taken by another tracer.
TEST(AttachErrorsTest, ProcessTracedByAnotherTracerIsAlreadyTraced) {
  Pipe report = make_pipe(), hold = make_pipe();
  pid_t helper = ::fork();
  if (helper == 0) {
    hold.write_end.reset();
    report.read_end.reset();
    pid_t target = ::fork();
    if (target == 0) {
      for (;;) ::pause();
    }
    int ok = ::ptrace(PTRACE_SEIZE, target, 0, 0) == 0;
    pid_t message[2] = {target, ok};
    if (::write(report.write_end.get(), message, sizeof message) != sizeof message) ::_exit(1);
    char c;
    while (::read(hold.read_end.get(), &c, 1) > 0) {
    }
    ::kill(target, SIGKILL);
    ::waitpid(target, nullptr, __WALL);
    ::_exit(0);
  }
  report.write_end.reset();
  hold.read_end.reset();
  pid_t message[2] = {0, 0};
  ASSERT_EQ(::read(report.read_end.get(), message, sizeof message),
            static_cast<ssize_t>(sizeof message));
  pid_t target = message[0];
  ASSERT_TRUE(message[1]) << "the helper could not trace its child";

  ptk::Session session;
  ptk::Status s = session.attach(target);
  hold.write_end.reset();  // lets the helper kill its child and exit
  EXPECT_EQ(describe_status(wait_child(helper)), "exited with 0");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().kind(), ErrorKind::AlreadyTraced) << s.error().message();
  EXPECT_TRUE(contains(s.error().message(), std::to_string(target)));
  EXPECT_TRUE(contains(s.error().message(), std::to_string(helper)));  // who traces it
  EXPECT_TRUE(contains(s.error().message(), "already traced"));
  EXPECT_TRUE(session.empty());
}

// The attach runs in a child of the test that became `nobody`; it reports the error's kind and
// message through a pipe.
TEST(AttachErrorsTest, OtherUsersProcessAsNonRootIsPermissionDenied) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root to become nobody";
  passwd* nobody = ::getpwnam("nobody");
  ASSERT_NE(nobody, nullptr);
  uid_t nobody_uid = nobody->pw_uid;
  gid_t nobody_gid = nobody->pw_gid;

  Pipe in = make_pipe();
  Child target({tracee_path("counter_threads", 64), "1"}, in.read_end.get());  // owned by root
  in.read_end.reset();

  Pipe report = make_pipe();
  pid_t attacker = ::fork();
  if (attacker == 0) {
    report.read_end.reset();
    if (::setgroups(0, nullptr) != 0 || ::setgid(nobody_gid) != 0 || ::setuid(nobody_uid) != 0) {
      ::_exit(2);
    }
    std::string result;
    {
      ptk::Session session;
      ptk::Status s = session.attach(target.pid());
      result = s.ok()
                   ? "ok"
                   : fmt::format("{}\n{}", static_cast<int>(s.error().kind()), s.error().message());
    }
    if (::write(report.write_end.get(), result.data(), result.size()) < 0) ::_exit(3);
    ::_exit(0);
  }
  report.write_end.reset();
  std::string result = read_all(report.read_end.get());
  ASSERT_EQ(describe_status(wait_child(attacker)), "exited with 0");
  std::size_t nl = result.find('\n');
  ASSERT_NE(nl, std::string::npos) << result;
  EXPECT_EQ(std::atoi(result.substr(0, nl).c_str()), static_cast<int>(ErrorKind::PermissionDenied))
      << result;
  std::string message = result.substr(nl + 1);
  EXPECT_TRUE(contains(message, std::to_string(target.pid())));
  EXPECT_TRUE(contains(message, "root"));    // the owner
  EXPECT_TRUE(contains(message, "nobody"));  // who we are
}

TEST(SpawnErrorsTest, MissingCommandIsNotFoundAndLeavesNoChild) {
  ASSERT_TRUE(has_no_children());
  ptk::Session session;
  auto pid = session.spawn({.argv = {"ptk-test-no-such-command"}});
  ASSERT_FALSE(pid.ok());
  EXPECT_EQ(pid.error().kind(), ErrorKind::NotFound);
  EXPECT_TRUE(contains(pid.error().message(), "ptk-test-no-such-command"));
  EXPECT_TRUE(contains(pid.error().message(), "not found"));
  EXPECT_TRUE(has_no_children());
  EXPECT_TRUE(session.empty());
}

TEST(SpawnErrorsTest, MissingPathIsNotFound) {
  ptk::Session session;
  auto pid = session.spawn({.argv = {"/nonexistent/ptk/program"}});
  ASSERT_FALSE(pid.ok());
  EXPECT_EQ(pid.error().kind(), ErrorKind::NotFound);
  EXPECT_TRUE(contains(pid.error().message(), "/nonexistent/ptk/program"));
  EXPECT_TRUE(has_no_children());
}

TEST(SpawnErrorsTest, EmptyArgvIsInvalidArgument) {
  ptk::Session session;
  auto pid = session.spawn({});
  ASSERT_FALSE(pid.ok());
  EXPECT_EQ(pid.error().kind(), ErrorKind::InvalidArgument);
}

class SpawnFileErrorsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char dir_template[] = "/tmp/ptk-test-XXXXXX";
    ASSERT_NE(::mkdtemp(dir_template), nullptr);
    dir_ = dir_template;
  }
  void TearDown() override {
    ::unlink(file_.c_str());
    ::rmdir(dir_.c_str());
  }
  void make_file(std::string_view content, mode_t mode) {
    file_ = dir_ + "/program";
    ptk::UniqueFd fd(::open(file_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode));
    ASSERT_TRUE(fd.valid());
    ASSERT_EQ(::write(fd.get(), content.data(), content.size()),
              static_cast<ssize_t>(content.size()));
  }
  std::string dir_, file_;
};

TEST_F(SpawnFileErrorsTest, NotExecutableIsPermissionDenied) {
  make_file("#!/bin/sh\nexit 0\n", 0644);
  ptk::Session session;
  auto pid = session.spawn({.argv = {file_}});
  ASSERT_FALSE(pid.ok());
  EXPECT_EQ(pid.error().kind(), ErrorKind::PermissionDenied);
  EXPECT_TRUE(contains(pid.error().message(), file_));
  EXPECT_TRUE(has_no_children());
}

TEST_F(SpawnFileErrorsTest, ExecFailureIsReportedAndTheChildReaped) {
  // Executable, but no format the kernel can run: execve fails in the forked child (ENOEXEC).
  make_file(std::string_view("\x01\x02\x03\x04garbage", 11), 0755);
  ptk::Session session;
  auto pid = session.spawn({.argv = {file_}});
  ASSERT_FALSE(pid.ok());
  EXPECT_TRUE(contains(pid.error().message(), file_));
  EXPECT_EQ(pid.error().error_number(), ENOEXEC) << pid.error().message();
  EXPECT_TRUE(has_no_children());
  EXPECT_TRUE(session.empty());
}

TEST(SessionMisuseTest, WaitWithNothingTracedIsNoSuchProcess) {
  ptk::Session session;
  auto ev = session.wait();
  ASSERT_FALSE(ev.ok());
  EXPECT_EQ(ev.error().kind(), ErrorKind::NoSuchProcess);
}

TEST(SessionMisuseTest, DetachOfAnUntracedPidIsInvalidArgument) {
  ptk::Session session;
  ptk::Status s = session.detach(::getpid());
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().kind(), ErrorKind::InvalidArgument);
  EXPECT_TRUE(contains(s.error().message(), std::to_string(::getpid())));
}

TEST(SessionMisuseTest, ResumeOfAnUnknownThreadIsTraceeGone) {
  ptk::Session session;
  pid_t pid = free_pid();
  ptk::Status s = session.resume(pid);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().kind(), ErrorKind::TraceeGone);
}

TEST(SessionMisuseTest, ResumeOfARunningThreadIsInvalidArgument) {
  ptk::Session session({.syscall_stops = ptk::SyscallStops::None});
  Pipe in = make_pipe();
  auto pid =
      spawn_with_stdio(session, {tracee_path("counter_threads", 64), "1"}, in.read_end.get());
  ASSERT_TRUE(pid.ok()) << pid.error().message();
  ASSERT_TRUE(session.resume(*pid).ok());
  ptk::Status again = session.resume(*pid);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().kind(), ErrorKind::InvalidArgument);
}

}  // namespace
}  // namespace ptk_test
