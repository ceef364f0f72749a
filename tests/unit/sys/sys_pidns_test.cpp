// PidTranslator's parts: the status lines, the namespace matching, and the trivial case of a
// process in the tracer's own namespace.
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <string>

#include "ptk/sys/pidns.h"
#include "ptk/sys/render.h"

namespace ptk::sys {
namespace {

using pidns_detail::match;
using pidns_detail::status_ids;

constexpr std::string_view kStatus =
    "Name:\tsh\nTgid:\t7\nNgid:\t0\nPid:\t7\nPPid:\t1\n"
    "NStgid:\t1234\t7\t2\nNSpid:\t1235\t8\t3\nNSpgid:\t1234\t7\t2\nNSsid:\t99\t1\t1\n"
    "VmPeak:\t1 kB\n";

TEST(PidnsStatus, ReadsEachKindOutermostFirst) {
  EXPECT_EQ(status_ids(kStatus, PidKind::Tid), (std::vector<std::int32_t>{1235, 8, 3}));
  EXPECT_EQ(status_ids(kStatus, PidKind::Tgid), (std::vector<std::int32_t>{1234, 7, 2}));
  EXPECT_EQ(status_ids(kStatus, PidKind::Pgid), (std::vector<std::int32_t>{1234, 7, 2}));
  EXPECT_EQ(status_ids(kStatus, PidKind::Sid), (std::vector<std::int32_t>{99, 1, 1}));
}

TEST(PidnsStatus, MissingOrMalformedLinesAreNone) {
  EXPECT_FALSE(status_ids("Name:\tsh\nPid:\t7\n", PidKind::Tid));  // before Linux 4.1
  EXPECT_FALSE(status_ids("Name:\tx\nNSpid:\t12x\n", PidKind::Tid));
  EXPECT_FALSE(status_ids("Name:\tx\nNSpid:\t\n", PidKind::Tid));
}

TEST(PidnsMatch, FindsOurIdThroughTheNamespaceChain) {
  // The task lives in namespace 30 (id 3), whose parent 20 (id 8) is ours; /proc is one
  // level further out (id 1235).
  std::vector<std::int32_t> ids{1235, 8, 3};
  std::vector<std::uint64_t> chain{30, 20};
  EXPECT_EQ(match(chain, ids, 30, 3), 8);
  EXPECT_EQ(match(chain, ids, 20, 8), 8);
  EXPECT_FALSE(match(chain, ids, 30, 4));  // another task of that namespace
  EXPECT_FALSE(match(chain, ids, 10, 3));  // a namespace the task is not in
  EXPECT_FALSE(match({}, ids, 30, 3));     // not ours to look at
  EXPECT_FALSE(match(chain, {3}, 30, 3));  // fewer ids than namespaces: inconsistent
}

TEST(PidTranslator, OwnNamespaceTranslatesToItself) {
  PidTranslator t;
  pid_t self = ::getpid();
  // /proc may belong to another namespace than ours (a container): then ids cannot be found.
  std::int32_t v = t.translate(self, self, PidKind::Tgid);
  if (v == 0) GTEST_SKIP() << "no translation possible here (/proc of another namespace?)";
  EXPECT_EQ(v, self);
  EXPECT_EQ(t.translate(self, 0, PidKind::Tgid), 0);
  EXPECT_EQ(t.translate(self, -5, PidKind::Pgid), 0);
  EXPECT_EQ((PidNsView{&t, self}.ours(self, PidKind::Tid)), 0);  // equal: no comment
}

TEST(PidTranslator, ProcDirectoryOfOurPidIsOurs) {
  PidTranslator t;
  pid_t self = ::getpid();
  // Whichever namespace /proc belongs to, the directory found holds our task: its innermost
  // pid (ours, as we are in our own namespace) is ours.
  std::ifstream in("/proc/" + std::to_string(t.proc_pid(self)) + "/status");
  std::stringstream text;
  text << "\n" << in.rdbuf();
  auto ids = status_ids(text.str(), PidKind::Tid);
  if (!ids) GTEST_SKIP() << "no NSpid line here";
  EXPECT_EQ(ids->back(), self);
}

TEST(PidNote, CommentOnlyWhenTheIdsDiffer) {
  TokenList o;
  o.int_(5);
  pid_note(o, PidNsView{}, 5, PidKind::Tgid);
  EXPECT_EQ(o.size(), 1u);
}

}  // namespace
}  // namespace ptk::sys
