// `ptk calls` and C++ names: a function exported as _ZN6plugin5twiceEi is shown as
// plugin::twice, matched by -e globs in either form, and its DWARF prototype (keyed by the
// linkage name) gives its arguments.
#include <fmt/format.h>

#include "calls_util.h"

namespace ptk_test {
namespace {

class CallsCxxTest : public ptk_test::BitsTest {
 protected:
  CommandResult trace(std::vector<std::string> extra) const {
    std::vector<std::string> argv = {PTK_CLI, "calls", "-l",
                                     fmt::format("calls_plugin_{}", GetParam())};
    argv.insert(argv.end(), extra.begin(), extra.end());
    argv.insert(argv.end(), {"--", tracee_path("calls_cxx_names", GetParam()),
                             fmt::format("{}/calls_plugin_{}.so", PTK_TRACEE_DIR, GetParam())});
    return run_command(argv);
  }
};

TEST_P(CallsCxxTest, DemangledNameWithDwarfArguments) {
  CommandResult r = trace({});
  ASSERT_EQ(describe_status(r.status), "exited with 0") << r.err;
  EXPECT_EQ(r.out, "twice=42\n");
  EXPECT_EQ(r.err, "plugin::twice(21) = 42\n+++ exited (status 0) +++\n");
}

TEST_P(CallsCxxTest, GlobsMatchTheDemangledOrTheElfName) {
  for (const char* glob : {"plugin::*", "_ZN6plugin*"}) {
    CommandResult r = trace({"-e", glob});
    EXPECT_EQ(r.err, "plugin::twice(21) = 42\n+++ exited (status 0) +++\n") << glob;
  }
  CommandResult none = trace({"-e", "!plugin::twice"});
  EXPECT_EQ(none.err, "+++ exited (status 0) +++\n");
}

INSTANTIATE_TEST_SUITE_P(Calls, CallsCxxTest, ::testing::Values(64, 32),
                         [](const auto& info) { return fmt::format("bits{}", info.param); });

}  // namespace
}  // namespace ptk_test
