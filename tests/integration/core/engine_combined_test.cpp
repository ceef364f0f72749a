// One engine run combining three jobs on one process: syscall tracing (TraceJob), a breakpoint
// (BreakJob) and a tamper rule (an InjectHook under the tracer). getpid_exit exits with the low
// 7 bits of what getpid returned, so the rule's retval is seen in the exit status, in the
// traced result and nowhere else; the breakpoint on main hits once, before that syscall.
#include <string>
#include <vector>

#include "ptk/engine/break_job.h"
#include "ptk/engine/engine.h"
#include "ptk/engine/trace_job.h"
#include "ptk/tamper/inject_hook.h"
#include "ptk/tamper/tamperer.h"
#include "test_util.h"

namespace ptk_test {
namespace {

using ptk::engine::BreakLocation;

// Everything the jobs report, in one timeline.
class Timeline : public ptk::sys::TraceSink, public ptk::engine::BreakSink {
 public:
  std::vector<std::string> lines;

  void syscall_entry(ptk::sys::DecodedSyscall& /*sc*/) override {}
  void syscall_exit(ptk::sys::DecodedSyscall& sc) override {
    lines.push_back(fmt::format("{} = {}", sc.name(), sc.ret));
  }
  void signal(const ptk::Event& ev) override {
    lines.push_back(fmt::format("signal {}", ev.signal));
  }
  void thread_gone(const ptk::Event& ev, ptk::sys::DecodedSyscall* pending) override {
    lines.push_back(fmt::format("gone{}{}", pending != nullptr ? " in " : "",
                                pending != nullptr ? pending->name() : ""));
    (void)ev;
  }
  void hit(const BreakLocation& location, const ptk::debug::BreakpointHit& /*hit*/,
           const ptk::debug::SymbolTable* /*symbols*/) override {
    lines.push_back(fmt::format("hit {} #{}", location.spec, location.hits));
  }
  void watch(const ptk::debug::WatchHit& /*hit*/) override { lines.push_back("watch"); }
};

std::size_t index_of(const std::vector<std::string>& lines, const std::string& line) {
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (lines[i] == line) return i;
  }
  return lines.size();
}

class EngineCombinedTest : public BitsTest {};

TEST_P(EngineCombinedTest, TracesBreaksAndTampersInOneRun) {
  ptk::engine::EngineOptions eo;
  eo.command = {tracee_path("getpid_exit", GetParam())};
  std::vector<ptk::Error> errors;
  eo.report = [&errors](const ptk::Error& e) { errors.push_back(e); };
  ptk::engine::Engine engine(std::move(eo));

  Timeline timeline;
  auto spec = ptk::tamper::parse_inject_spec("getpid:retval=42", false);
  ASSERT_TRUE(spec.ok()) << spec.error().message();
  ptk::tamper::InjectHook inject({*spec});
  ptk::tamper::Tamperer tamperer;
  tamperer.add_ref(inject);
  ptk::sys::TracerOptions to;
  auto filter = ptk::sys::SyscallFilter::parse("getpid,exit_group");
  ASSERT_TRUE(filter.ok()) << filter.error().message();
  to.filter = *filter;
  to.hooks.push_back(&tamperer);
  ptk::engine::TraceJob trace(engine, to, timeline);
  ptk::engine::BreakJobOptions bo;
  bo.locations = {"main"};
  ptk::engine::BreakJob brk(engine, bo, timeline);
  engine.add(trace);
  engine.add(brk);

  auto end = engine.run();
  ASSERT_TRUE(end.ok()) << end.error().message();
  EXPECT_FALSE(end->interrupted);
  EXPECT_EQ(end->exit_code, 42) << "the injected getpid result is what the program exits with";
  for (const ptk::Error& e : errors) ADD_FAILURE() << e.message();

  std::size_t hit = index_of(timeline.lines, "hit main #1");
  std::size_t getpid = index_of(timeline.lines, "getpid = 42");
  ASSERT_LT(hit, timeline.lines.size()) << fmt::format("{}", fmt::join(timeline.lines, "\n"));
  ASSERT_LT(getpid, timeline.lines.size()) << fmt::format("{}", fmt::join(timeline.lines, "\n"));
  EXPECT_LT(hit, getpid) << "main runs before its getpid";
  EXPECT_EQ(brk.locations().at(0).hits, 1u);
  EXPECT_EQ(index_of(timeline.lines, "hit main #2"), timeline.lines.size());
  // Only the filtered syscalls are reported, and nothing the breakpoint did shows as a signal.
  for (const std::string& line : timeline.lines) {
    EXPECT_FALSE(line.starts_with("signal")) << line;
    if (line.find(" = ") != std::string::npos) {
      EXPECT_TRUE(line.starts_with("getpid") || line.starts_with("exit_group")) << line;
    }
  }
  EXPECT_EQ(timeline.lines.back(), "gone in exit_group");
}

INSTANTIATE_TEST_SUITE_P(Abi, EngineCombinedTest, ::testing::Values(64, 32),
                         [](const auto& info) { return fmt::format("bits{}", info.param); });

}  // namespace
}  // namespace ptk_test
