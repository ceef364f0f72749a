// `ptk mem` on the inspect_target tracee: the marker string found at the address the tracee
// reports, read as a hexdump and raw, patched (data, and read-only code) with the change seen
// by the tracee; short reads and refused writes at the edge of a mapping change nothing.
#include "inspect_util.h"

namespace ptk_test {
namespace {

class InspectMem : public ptk_test::BitsTest {};

std::string hex(std::uint64_t v) { return fmt::format("{:#x}", v); }

TEST_P(InspectMem, FindsTheMarkerWhereTheTraceeSaysItIs) {
  InspectTarget t(GetParam());
  CommandResult r = ptk({"mem", str(t.pid()), "find", t.marker()});
  ASSERT_TRUE(succeeded(r));
  // Exactly one copy exists (the tracee builds it at run time), in the program's .data.
  std::vector<std::string> lines = split_lines(r.out);
  ASSERT_EQ(lines.size(), 1u) << r.out;
  EXPECT_TRUE(lines[0].starts_with(t.padded(t.value("marker")) + "  rw-p  "));
  EXPECT_TRUE(contains(lines[0], fmt::format("/inspect_target_{}+0x", GetParam())));

  // The same bytes as hex; a prefix of the marker is also found at the same place.
  std::string as_hex;
  for (char c : t.marker()) as_hex += fmt::format("{:02x}", static_cast<unsigned char>(c));
  CommandResult h = ptk({"mem", str(t.pid()), "find", "--hex", as_hex});
  ASSERT_TRUE(succeeded(h));
  EXPECT_EQ(h.out, r.out);

  // Something that is nowhere: one line, exit 1.
  CommandResult none = ptk({"mem", str(t.pid()), "find", "--hex", "00ff00ff00ff13375eed"});
  EXPECT_TRUE(failed_with_one_line(none, "mem"));
  EXPECT_TRUE(contains(none.err, "not found"));
  EXPECT_EQ(t.ask('p'), "marker " + t.marker());
}

TEST_P(InspectMem, BoundsTheMatchesShown) {
  InspectTarget t(GetParam());
  // The edge page is 4096 'E's: thousands of matches, two shown.
  CommandResult r = ptk({"mem", str(t.pid()), "find", "EEEEEEEE", "--max", "2"});
  ASSERT_TRUE(succeeded(r));
  std::vector<std::string> lines = split_lines(r.out);
  ASSERT_EQ(lines.size(), 3u) << r.out;
  EXPECT_EQ(lines[2], "(more matches not shown: --max 2)");
}

TEST_P(InspectMem, ReadsAsHexdumpAndRaw) {
  InspectTarget t(GetParam());
  std::uint64_t marker = t.value("marker");
  CommandResult r = ptk({"mem", str(t.pid()), "read", hex(marker), "20"});
  ASSERT_TRUE(succeeded(r));
  // "ptk-inspect-marker-" and the first digit of the pid.
  std::string digit = t.marker().substr(19, 1);
  // The address column is as wide as the dump's last address needs (at least 8 digits); a
  // short last line is padded so that its ASCII column lines up.
  std::string expected = fmt::format(
      "{:08x}: 7074 6b2d 696e 7370 6563 742d 6d61 726b  ptk-inspect-mark\n"
      "{:08x}: 6572 2d{:02x}{}er-{}\n",
      marker, marker + 16, static_cast<unsigned char>(digit[0]), std::string(6 * 5 + 2, ' '),
      digit);
  EXPECT_EQ(r.out, expected);

  CommandResult raw = ptk({"mem", str(t.pid()), "read", hex(marker), "64", "--raw"});
  ASSERT_TRUE(succeeded(raw));
  ASSERT_EQ(raw.out.size(), 64u);
  EXPECT_EQ(raw.out.substr(0, t.marker().size() + 1), t.marker() + std::string(1, '\0'));
}

TEST_P(InspectMem, ShortReadAtTheEdgeOfAMapping) {
  InspectTarget t(GetParam());
  std::uint64_t edge = t.value("edge");
  CommandResult r = ptk({"mem", str(t.pid()), "read", hex(edge - 16), "32"});
  EXPECT_TRUE(failed_with_one_line(r, "mem"));
  EXPECT_EQ(r.err,
            fmt::format("ptk mem: cannot read {:#x} (read 16 of 32 bytes) (not mapped)\n", edge));
  EXPECT_TRUE(r.out.ends_with(": 4545 4545 4545 4545 4545 4545 4545 4545  EEEEEEEEEEEEEEEE\n"))
      << r.out;
  EXPECT_EQ(split_lines(r.out).size(), 1u);
}

TEST_P(InspectMem, WritesDataTheTraceeThenSees) {
  InspectTarget t(GetParam());
  std::uint64_t marker = t.value("marker");
  CommandResult r = ptk({"mem", str(t.pid()), "write", hex(marker), "50544b"});
  ASSERT_TRUE(succeeded(r));
  EXPECT_EQ(r.out, fmt::format("wrote 3 bytes at {:#x}\n", marker));
  EXPECT_EQ(t.ask('p'), "marker PTK" + t.marker().substr(3));
}

TEST_P(InspectMem, PatchesReadOnlyCode) {
  InspectTarget t(GetParam());
  EXPECT_EQ(t.ask('a'), "answer 42");
#if defined(__aarch64__)
  // mov w0, #7; ret
  const std::string code = "e0 00 80 52 c0 03 5f d6";
  const int code_len = 8;
#else
  // mov $7, %eax; ret — the same bytes in both ABIs.
  const std::string code = "b8 07 00 00 00 c3";
  const int code_len = 6;
#endif
  CommandResult r = ptk({"mem", str(t.pid()), "write", hex(t.value("answer")), code});
  ASSERT_TRUE(succeeded(r));
  EXPECT_EQ(r.out, fmt::format("wrote {} bytes at {:#x}\n", code_len, t.value("answer")));
  EXPECT_EQ(t.ask('a'), "answer 7");
}

TEST_P(InspectMem, RefusedWritesChangeNothing) {
  InspectTarget t(GetParam());
  std::uint64_t edge = t.value("edge");
  // Two bytes would fit, four do not: nothing is written.
  CommandResult r = ptk({"mem", str(t.pid()), "write", hex(edge - 2), "41424344"});
  EXPECT_TRUE(failed_with_one_line(r, "mem"));
  EXPECT_TRUE(contains(
      r.err, fmt::format("cannot write 4 bytes at {:#x}: {:#x} (not mapped); nothing was written",
                         edge - 2, edge)));
  CommandResult after = ptk({"mem", str(t.pid()), "read", hex(edge - 2), "2", "--raw"});
  ASSERT_TRUE(succeeded(after));
  EXPECT_EQ(after.out, "EE");
  CommandResult unmapped = ptk({"mem", str(t.pid()), "write", "0x10", "00"});
  EXPECT_TRUE(failed_with_one_line(unmapped, "mem"));
  EXPECT_EQ(unmapped.err, "ptk mem: cannot write 0x10 (not mapped)\n");
  EXPECT_EQ(t.ask('p'), "marker " + t.marker());
}

TEST_P(InspectMem, SymbolsAsAddresses) {
  InspectTarget t(GetParam());
  std::string prog = fmt::format("inspect_target_{}", GetParam());
  CommandResult by_hex = ptk({"mem", str(t.pid()), "read", hex(t.value("marker")), "24"});
  ASSERT_TRUE(succeeded(by_hex));
  // A data symbol, and the same in one object ("lib:symbol").
  for (std::string spec : {std::string("g_marker"), prog + ":g_marker"}) {
    CommandResult r = ptk({"mem", str(t.pid()), "read", spec, "24"});
    ASSERT_TRUE(succeeded(r)) << spec;
    EXPECT_EQ(r.out, by_hex.out) << spec;
  }
  CommandResult w = ptk({"mem", str(t.pid()), "write", "g_marker+1", "54"});
  ASSERT_TRUE(succeeded(w));
  EXPECT_EQ(w.out,
            fmt::format("wrote 1 byte at {:#x} (g_marker+1 in {})\n", t.value("marker") + 1, prog));
  EXPECT_EQ(t.ask('p'), "marker pTk" + t.marker().substr(3));
  // A function: its code, as the tracee's own pointer to it says.
  CommandResult code = ptk({"mem", str(t.pid()), "read", "answer", "1"});
  ASSERT_TRUE(succeeded(code));
  EXPECT_TRUE(code.out.starts_with(fmt::format("{:08x}: ", t.value("answer")))) << code.out;
  CommandResult unknown = ptk({"mem", str(t.pid()), "read", "g_markr", "4"});
  EXPECT_TRUE(failed_with_one_line(unknown, "mem"));
  EXPECT_TRUE(contains(unknown.err, "no symbol 'g_markr'"));
}

INSTANTIATE_TEST_SUITE_P(Abi, InspectMem, ::testing::Values(64, 32),
                         [](const auto& info) { return fmt::format("bits{}", info.param); });

}  // namespace
}  // namespace ptk_test
