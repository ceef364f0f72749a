// `ptk maps` and `ptk bt` on the inspect_target tracee: the mappings as /proc lists them, made
// readable and as JSON; a backtrace of every thread through the tracee's own functions.
#include "inspect_util.h"

namespace ptk_test {
namespace {

class InspectMapsBt : public ptk_test::BitsTest {};

TEST_P(InspectMapsBt, MapsListsEveryMapping) {
  InspectTarget t(GetParam());
  CommandResult r = ptk({"maps", str(t.pid())});
  ASSERT_TRUE(succeeded(r));
  auto proc = ptk::read_maps(t.pid());
  ASSERT_TRUE(proc.ok());
  std::vector<std::string> lines = split_lines(r.out);
  // A header, one line per mapping, a total.
  ASSERT_EQ(lines.size(), proc->size() + 2) << r.out;
  EXPECT_TRUE(lines[0].starts_with("START")) << lines[0];
  EXPECT_TRUE(lines.back().starts_with(fmt::format("{} mappings, ", proc->size()))) << r.out;
  EXPECT_TRUE(lines.back().ends_with(" in all")) << r.out;
  // The mapping holding the marker: the program's own writable data, 4.0K or more.
  std::uint64_t marker = t.value("marker");
  bool found = false;
  for (std::size_t i = 0; i < proc->size(); ++i) {
    const ptk::MapEntry& m = (*proc)[i];
    if (!m.contains(marker)) continue;
    found = true;
    const std::string& line = lines[i + 1];
    // Zero-padded hex, every line as wide as the highest address needs.
    std::size_t dash = line.find('-');
    ASSERT_NE(dash, std::string::npos) << line;
    EXPECT_EQ(std::stoull(line.substr(0, dash), nullptr, 16), m.start) << line;
    EXPECT_EQ(std::stoull(line.substr(dash + 1, dash), nullptr, 16), m.end) << line;
    EXPECT_EQ(line[2 * dash + 1], ' ') << line;
    EXPECT_TRUE(contains(line, "  rw-p  ")) << line;
    EXPECT_TRUE(line.ends_with(fmt::format("/inspect_target_{}", GetParam()))) << line;
    EXPECT_TRUE(contains(line, "K  rw-p")) << line;
  }
  EXPECT_TRUE(found);
  EXPECT_TRUE(contains(r.out, "[stack]"));
  EXPECT_EQ(t.ask('p'), "marker " + t.marker());
}

TEST_P(InspectMapsBt, MapsJson) {
  InspectTarget t(GetParam());
  CommandResult r = ptk({"maps", str(t.pid()), "--json"});
  ASSERT_TRUE(succeeded(r));
  TempFile out("maps-json");
  {
    std::ofstream f(out.path());
    f << r.out;
  }
  // The program's data mapping; the stack, anonymous. Values over 53 bits are hex strings.
  std::string filter = fmt::format(
      "[.[] | select(.path | endswith(\"/inspect_target_{}\")) | select(.perms == \"rw-p\")] "
      "| length >= 1",
      GetParam());
  CommandResult jq = run_command({"/usr/bin/jq", "-s", "-e", filter, out.path()});
  EXPECT_TRUE(WIFEXITED(jq.status) && WEXITSTATUS(jq.status) == 0) << jq.err << r.out;
  std::string stack =
      "[.[] | select(.path == \"[stack]\") | select(.size > 0 and .inode == 0 and "
      "(.start | startswith(\"0x\")))] | length == 1";
  jq = run_command({"/usr/bin/jq", "-s", "-e", stack, out.path()});
  EXPECT_TRUE(WIFEXITED(jq.status) && WEXITSTATUS(jq.status) == 0) << jq.err << r.out;
}

TEST_P(InspectMapsBt, BacktraceOfEveryThread) {
  InspectTarget t(GetParam(), "threads");
  auto worker = static_cast<pid_t>(t.value("worker"));
  CommandResult r = ptk({"bt", str(t.pid())});
  ASSERT_TRUE(succeeded(r));
  std::size_t main_at = r.out.find(fmt::format("Thread {} (inspect_target_):\n", t.pid()));
  std::size_t worker_at = r.out.find(fmt::format("Thread {} (inspect-worker):\n", worker));
  ASSERT_NE(main_at, std::string::npos) << r.out;
  ASSERT_NE(worker_at, std::string::npos) << r.out;
  ASSERT_LT(main_at, worker_at) << "the main thread comes first";
  std::string main_bt = r.out.substr(main_at, worker_at - main_at);
  std::string worker_bt = r.out.substr(worker_at);
  // The main thread is blocked in raw_read_known, called from serve, called from main.
  std::string prog = fmt::format("(inspect_target_{})", GetParam());
  EXPECT_TRUE(contains(main_bt, "#0   0x")) << main_bt;
  EXPECT_TRUE(contains(main_bt, " in raw_read_known+0x")) << main_bt;
  EXPECT_TRUE(contains(main_bt, " in serve+0x")) << main_bt;
  EXPECT_TRUE(contains(main_bt, " in main+0x")) << main_bt;
  EXPECT_TRUE(contains(main_bt, prog + " at inspect_target.c:")) << main_bt;
  EXPECT_LT(main_bt.find("raw_read_known"), main_bt.find("serve+")) << main_bt;
  EXPECT_TRUE(contains(worker_bt, " in worker_main+0x")) << worker_bt;
  EXPECT_EQ(t.ask('p'), "marker " + t.marker());

  CommandResult one = ptk({"bt", str(t.pid()), "--tid", str(worker)});
  ASSERT_TRUE(succeeded(one));
  EXPECT_FALSE(contains(one.out, fmt::format("Thread {} ", t.pid())));
  EXPECT_TRUE(contains(one.out, " in worker_main+0x"));
}

INSTANTIATE_TEST_SUITE_P(Abi, InspectMapsBt, ::testing::Values(64, 32),
                         [](const auto& info) { return fmt::format("bits{}", info.param); });

}  // namespace
}  // namespace ptk_test
