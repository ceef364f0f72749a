// inject=...:poke_enter=/poke_exit= on a fake tracee (this process): what gets written, what is
// reported when memory ends early or the argument does not exist, and the marks, as strace 6.1.
#include <gtest/gtest.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstring>
#include <string>
#include <vector>

#include "ptk/tamper/inject_hook.h"
#include "ptk/tamper/inject_spec.h"
#include "rewrite_fake_context.h"

namespace ptk::tamper {
namespace {

using testing::addr_of;
using testing::FakeContext;

struct Outcome {
  std::string marks;
  std::vector<std::string> warnings;
  bool poked_at_entry = false;
};

Outcome run(std::string_view spec_text, std::array<std::uint64_t, 6> args) {
  auto spec = parse_inject_spec(spec_text, false);
  EXPECT_TRUE(spec.ok());
  InjectHook hook({*spec});
  Outcome r;
  hook.set_warn([&](const std::string& w) { r.warnings.push_back(w); });
  FakeContext ctx(kHostArches[0], "chdir", args);
  hook.on_entry(ctx);
  r.poked_at_entry = ctx.was_args_poked();
  ctx.exit_with(0);
  hook.on_exit(ctx);
  r.marks = ctx.marks();
  return r;
}

TEST(InjectPoke, WritesAndMarks) {
  char buf[8] = "xxxxxxx";
  Outcome r = run("chdir:poke_enter=@arg1=414200", {addr_of(buf)});
  EXPECT_STREQ(buf, "AB");
  EXPECT_TRUE(r.poked_at_entry);
  EXPECT_EQ(r.marks, "(INJECTED: args)");
  EXPECT_TRUE(r.warnings.empty());
}

TEST(InjectPoke, ShortAndFailedWrites) {
  long page = ::sysconf(_SC_PAGESIZE);
  void* map = ::mmap(nullptr, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  ASSERT_NE(map, MAP_FAILED);
  char* second = static_cast<char*>(map) + page;
  ASSERT_EQ(::munmap(second, page), 0);
  // One byte before the end: that byte is written, the call counts as poked.
  Outcome r = run("chdir:poke_enter=@arg1=41424300", {addr_of(second - 1)});
  EXPECT_EQ(second[-1], 'A');
  EXPECT_EQ(r.marks, "(INJECTED: args)");
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_NE(r.warnings[0].find("short write (1 < 4) @"), std::string::npos) << r.warnings[0];
  // Nothing writable: reported, no mark.
  r = run("chdir:poke_enter=@arg1=41", {addr_of(second)});
  EXPECT_EQ(r.marks, "");
  EXPECT_FALSE(r.poked_at_entry);
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_NE(r.warnings[0].find("couldn't poke"), std::string::npos) << r.warnings[0];
  ::munmap(map, page);
}

TEST(InjectPoke, ArgumentTheCallDoesNotHave) {
  char buf[4] = {};
  Outcome r = run("chdir:poke_enter=@arg2=41", {addr_of(buf), addr_of(buf)});
  EXPECT_EQ(buf[0], 0);
  EXPECT_EQ(r.marks, "");
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_NE(r.warnings[0].find("requested to tamper with argument #2, but system call 'chdir' has "
                               "only 1 arguments"),
            std::string::npos)
      << r.warnings[0];
}

}  // namespace
}  // namespace ptk::tamper
