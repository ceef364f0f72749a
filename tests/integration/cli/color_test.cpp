// --color on every subcommand a person reads: escape codes on a terminal (a pty from
// script(1), util-linux's bsdutils), none into a pipe or a file, none with NO_COLOR or
// --color=never, and always with --color=always, into a pipe too. The terminal runs are
// `script -qec CMD /dev/null`: script gives CMD a pty and ends when CMD ends, whatever its
// stdin (here /dev/null), so no test waits on a terminal.
#include "inspect/inspect_util.h"

namespace ptk_test {
namespace {

constexpr std::string_view kEscape = "\x1b[";

bool has_color(const std::string& text) { return text.find(kEscape) != std::string::npos; }

// A word for sh -c: every argument here is a path, a number or an option, but quoting keeps
// that from mattering.
std::string shell_quote(const std::string& word) {
  std::string out = "'";
  for (char c : word) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// Runs `ptk ARGS` with the environment `env` added (NAME=VALUE; "NAME" alone removes it) and
// TERM=xterm unless `env` sets TERM, on a terminal when `on_tty`, else with stdout and stderr
// pipes. On a terminal, both of ptk's streams come back in `out`.
CommandResult run_ptk(std::vector<std::string> args, bool on_tty,
                      const std::vector<std::string>& env = {}) {
  std::vector<std::string> argv = {"/usr/bin/env", "-u", "NO_COLOR", "TERM=xterm"};
  for (const std::string& e : env) {
    if (e.find('=') == std::string::npos) {
      argv.insert(argv.end(), {"-u", e});
    } else {
      argv.push_back(e);
    }
  }
  args.insert(args.begin(), PTK_CLI);
  if (!on_tty) {
    argv.insert(argv.end(), args.begin(), args.end());
    return run_command(argv);
  }
  std::string command;
  for (const std::string& a : args) command += (command.empty() ? "" : " ") + shell_quote(a);
  argv.insert(argv.end(), {"/usr/bin/script", "-qec", command, "/dev/null"});
  return run_command(argv);
}

std::string everything(const CommandResult& r) { return r.out + r.err; }

// The stepped program: nostd_count_loop is static with its own symbol table, so its first
// instruction is `_start` on every host. A dynamic one (/bin/true) starts in ld.so, which is
// named only where its debug symbols are installed (libc6-dbg on the x86 host, not in the
// arm64 VM's root), and that is not what these tests are about.
std::string stepped() { return tracee_path("nostd_count_loop", 64); }

TEST(Color, StepOnATerminalOnly) {
  std::vector<std::string> step = {"step", "--max", "5", "--", stepped()};
  CommandResult tty = run_ptk(step, true);
  EXPECT_EQ(describe_status(tty.status), "exited with 0") << tty.err;
  EXPECT_TRUE(contains(tty.out, "_start+0")) << tty.out;  // the lines are there
  EXPECT_TRUE(has_color(tty.out)) << tty.out;
  EXPECT_TRUE(contains(tty.out, "\x1b[34m0x")) << tty.out;  // the addresses blue

  CommandResult no_color = run_ptk(step, true, {"NO_COLOR=1"});
  EXPECT_TRUE(contains(no_color.out, "<_start")) << no_color.out;
  EXPECT_FALSE(has_color(no_color.out)) << no_color.out;
  CommandResult dumb = run_ptk(step, true, {"TERM=dumb"});
  EXPECT_FALSE(has_color(dumb.out)) << dumb.out;

  std::vector<std::string> never = step;
  never.insert(never.begin() + 1, "--color=never");
  CommandResult off = run_ptk(never, true);
  EXPECT_TRUE(contains(off.out, "<_start")) << off.out;
  EXPECT_FALSE(has_color(off.out)) << off.out;

  CommandResult piped = run_ptk(step, false);
  EXPECT_TRUE(contains(piped.out, "<_start")) << piped.out;
  EXPECT_FALSE(has_color(everything(piped))) << piped.out;

  // always: into the pipe too, and over NO_COLOR (an explicit flag is the user's latest word).
  std::vector<std::string> always = step;
  always.insert(always.begin() + 1, "--color=always");
  CommandResult forced = run_ptk(always, false, {"NO_COLOR=1"});
  EXPECT_TRUE(has_color(forced.out)) << forced.out;
  // The same text once the codes are taken out: the columns do not count them. (setarch -R:
  // the same addresses in both runs.)
  std::vector<std::string> same_place = {"/usr/bin/setarch", "-R", PTK_CLI,  "step", "--max", "9",
                                         "--intel",          "--", stepped()};
  CommandResult plain = run_command(same_place);
  same_place.insert(same_place.begin() + 4, "--color=always");
  CommandResult painted = run_command(same_place);
  ASSERT_TRUE(contains(plain.out, "<_start+0>")) << plain.out << plain.err;
  ASSERT_TRUE(has_color(painted.out)) << painted.out;
  std::string stripped;
  for (std::size_t i = 0; i < painted.out.size(); ++i) {
    if (painted.out.compare(i, kEscape.size(), kEscape) == 0) {
      i = painted.out.find('m', i);
      continue;
    }
    stripped += painted.out[i];
  }
  EXPECT_EQ(stripped, plain.out);
}

TEST(Color, StepIntoAFileHasNoneUnlessAlways) {
  TempFile file("color-step");
  CommandResult r = run_ptk({"step", "--max", "3", "-o", file.path(), "--", stepped()}, true);
  EXPECT_EQ(describe_status(r.status), "exited with 0") << r.out;
  std::string text;
  for (const std::string& line : read_lines(file.path())) text += line + '\n';
  EXPECT_TRUE(contains(text, "<_start")) << text;
  EXPECT_FALSE(has_color(text)) << text;
  r = run_ptk({"step", "--color", "always", "--max", "3", "-o", file.path(), "--", stepped()},
              false);
  text.clear();
  for (const std::string& line : read_lines(file.path())) text += line + '\n';
  EXPECT_TRUE(has_color(text)) << text;
}

// The instruction pointer as `ptk regs` names it.
#if defined(__aarch64__)
constexpr const char* kIpName = "pc ";
#else
constexpr const char* kIpName = "rip ";
#endif

TEST(Color, RegsMapsAndBt) {
  InspectTarget t(64);
  for (std::string cmd : {"regs", "maps", "bt"}) {
    SCOPED_TRACE(cmd);
    CommandResult tty = run_ptk({cmd, str(t.pid())}, true);
    EXPECT_TRUE(has_color(tty.out)) << tty.out;
    CommandResult none = run_ptk({cmd, str(t.pid())}, true, {"NO_COLOR=1"});
    EXPECT_FALSE(has_color(none.out)) << none.out;
    EXPECT_TRUE(contains(none.out, cmd == "regs"   ? kIpName
                                   : cmd == "maps" ? "PERM"
                                                   : "#0 "))
        << none.out;
    CommandResult never = run_ptk({cmd, "--color=never", str(t.pid())}, true);
    EXPECT_FALSE(has_color(never.out)) << never.out;
    CommandResult piped = run_ptk({cmd, str(t.pid())}, false);
    EXPECT_TRUE(succeeded(piped));
    EXPECT_FALSE(has_color(piped.out)) << piped.out;
    CommandResult forced = run_ptk({cmd, "--color=always", str(t.pid())}, false);
    EXPECT_TRUE(has_color(forced.out)) << forced.out;
    if (cmd == "bt") continue;
    // --json is for programs: never colored.
    CommandResult json = run_ptk({cmd, "--json", "--color=always", str(t.pid())}, false);
    EXPECT_FALSE(has_color(json.out)) << json.out;
  }
  EXPECT_EQ(t.ask('p'), "marker " + t.marker());
}

TEST(Color, BreakHitLines) {
  std::vector<std::string> args = {
      "break", "break_by_symbol", "--regs", "--", tracee_path("break_calls", 64), "2"};
  CommandResult tty = run_ptk(args, true);
  EXPECT_EQ(describe_status(tty.status), "exited with 0") << tty.out;
  EXPECT_TRUE(contains(tty.out, "hit 2 break_by_symbol")) << tty.out;
  EXPECT_TRUE(has_color(tty.out)) << tty.out;
  CommandResult none = run_ptk(args, true, {"NO_COLOR=1"});
  EXPECT_TRUE(contains(none.out, "hit 2 break_by_symbol at ")) << none.out;
  EXPECT_FALSE(has_color(none.out)) << none.out;
  CommandResult piped = run_ptk(args, false);
  EXPECT_TRUE(contains(piped.out, "hit 2 break_by_symbol at ")) << piped.out;
  EXPECT_FALSE(has_color(everything(piped))) << piped.out;
  args.insert(args.begin() + 1, "--color=always");
  CommandResult forced = run_ptk(args, false);
  EXPECT_TRUE(has_color(forced.out)) << forced.out;
  // A register that changed since the thread's last hit stands out: the argument (0, then 1).
  std::size_t at = forced.out.find("hit 2 ");
  ASSERT_NE(at, std::string::npos) << forced.out;
  std::string second = forced.out.substr(at);
  // The argument's register: rdi, or x0 on aarch64.
#if defined(__aarch64__)
  const std::string arg0 = "x0";
#else
  const std::string arg0 = "rdi";
#endif
  EXPECT_TRUE(contains(second, arg0 + "\x1b[0m=\x1b[1;33m0x1\x1b[0m")) << second;
  EXPECT_TRUE(contains(forced.out, arg0 + "\x1b[0m=0x0 ")) << forced.out;  // the first: plain
}

TEST(Color, TraceFollowsStraceColor) {
  // strace's default is auto: a terminal gets color, a pipe or a file the bytes strace writes.
  CommandResult tty = run_ptk({"trace", "/bin/true"}, true);
  EXPECT_EQ(describe_status(tty.status), "exited with 0") << tty.out;
  EXPECT_TRUE(contains(tty.out, "execve")) << tty.out;
  EXPECT_TRUE(contains(tty.out, "\x1b[33mexecve\x1b[0m(")) << tty.out;
  EXPECT_TRUE(has_color(tty.out)) << tty.out;
  CommandResult none = run_ptk({"trace", "/bin/true"}, true, {"NO_COLOR=1"});
  EXPECT_TRUE(contains(none.out, "+++ exited with 0 +++")) << none.out;
  EXPECT_FALSE(has_color(none.out)) << none.out;
  CommandResult never = run_ptk({"trace", "--color=never", "/bin/true"}, true);
  EXPECT_FALSE(has_color(never.out)) << never.out;

  CommandResult piped = run_ptk({"trace", "/bin/true"}, false);
  EXPECT_TRUE(contains(piped.err, "+++ exited with 0 +++")) << piped.err;
  EXPECT_FALSE(has_color(everything(piped))) << piped.err;
  CommandResult forced = run_ptk({"trace", "--color=always", "/bin/true"}, false);
  EXPECT_TRUE(has_color(forced.err)) << forced.err;
  CommandResult bare = run_ptk({"trace", "--color", "/bin/true"}, false);
  EXPECT_TRUE(has_color(bare.err)) << bare.err;
  // An error return in red, its name and message in the span.
  CommandResult failing =
      run_ptk({"trace", "--color=always", "-e", "trace=openat", "/bin/cat", "/nonexistent"}, false);
  EXPECT_TRUE(contains(failing.err, "\x1b[31m-1 ENOENT (No such file or directory)\x1b[0m"))
      << failing.err;

  TempFile file("color-trace");
  CommandResult to_file = run_ptk({"trace", "-o", file.path(), "/bin/true"}, true);
  EXPECT_EQ(describe_status(to_file.status), "exited with 0") << to_file.out;
  std::string text;
  for (const std::string& line : read_lines(file.path())) text += line + '\n';
  EXPECT_TRUE(contains(text, "+++ exited with 0 +++")) << text;
  EXPECT_FALSE(has_color(text)) << text;
}

TEST(Color, ErrorsAreBoldRedOnATerminal) {
  CommandResult tty = run_ptk({"regs", "999999999"}, true);
  EXPECT_TRUE(contains(tty.out, "\x1b[1;31mptk regs:\x1b[0m ")) << tty.out;
  CommandResult piped = run_ptk({"regs", "999999999"}, false);
  EXPECT_TRUE(failed_with_one_line(piped, "regs"));
  EXPECT_FALSE(has_color(piped.err)) << piped.err;
  CommandResult forced = run_ptk({"regs", "--color=always", "999999999"}, false);
  EXPECT_TRUE(contains(forced.err, "\x1b[1;31mptk regs:\x1b[0m ")) << forced.err;
  // An error in the command line itself follows --color too.
  CommandResult usage = run_ptk({"maps", "--color=always", "--no-such-option"}, false);
  EXPECT_TRUE(contains(usage.err, "\x1b[1;31mptk:\x1b[0m ")) << usage.err;
  CommandResult bad = run_ptk({"maps", "--color=sometimes", "1"}, false);
  EXPECT_EQ(WEXITSTATUS(bad.status), 2) << bad.err;
}

}  // namespace
}  // namespace ptk_test
