// -e read=/write=: the descriptor sets and strace's hex dump format.
#include "trace/trace_dump.h"

#include <gtest/gtest.h>

#include <string>

namespace ptk::cli {
namespace {

TEST(TraceDump, DescriptorSetsReachPastAThousand) {
  auto all = FdSet::parse("all");
  ASSERT_TRUE(all.ok());
  EXPECT_TRUE(all->contains(19998));
  EXPECT_FALSE(all->contains(-1));
  auto one = FdSet::parse("19998");
  ASSERT_TRUE(one.ok());
  EXPECT_TRUE(one->contains(19998));
  EXPECT_FALSE(one->contains(19999));
  EXPECT_FALSE(one->contains(3));
  auto not_none = FdSet::parse("!none");
  ASSERT_TRUE(not_none.ok());
  EXPECT_TRUE(not_none->contains(123456));
  EXPECT_FALSE(FdSet::parse("x").ok());
}

TEST(TraceDump, OffsetsWidenPastOneMebibyte) {
  std::string out;
  append_hex_dump("AB", out);
  EXPECT_EQ(out, " | 00000  41 42                                             AB               |");
  out.clear();
  append_hex_dump("A", out, 0x100000, 0x100001);
  EXPECT_EQ(out, " | 100000  41                                                A                |");
}

}  // namespace
}  // namespace ptk::cli
