// libFuzzer target: the --rewrite rule parser (one rule, and a --rules file's text), and the
// rules Hook on what a parsed rule covers among a few syscalls of a fake context.
//
// Oracles beyond the sanitizers: a rule that parses must print (canonical()) as a rule that
// parses again to the same canonical text; and running it must leave the fake program's own
// buffers alone except for a read's, within its size.
#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "ptk/tamper/rules.h"
#include "tamper/rewrite_fake_context.h"

namespace {

using ptk::Arch;
using ptk::tamper::testing::addr_of;
using ptk::tamper::testing::FakeContext;

void check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "fuzz_rewrite_rule: %s\n", what);
    std::abort();
  }
}

// Runs the rule on a write, a read and an openat of the fake context, entry then exit.
void run(const ptk::tamper::Rule& rule) {
  std::vector<ptk::tamper::Rule> rules{rule};
  auto hook = ptk::tamper::make_rules_hook(rules, {.warn = [](const std::string&) {}});
  static const char kWrite[] = "hello, world\n";
  char write_buf[sizeof kWrite];
  std::memcpy(write_buf, kWrite, sizeof kWrite);
  char read_buf[64] = {};
  char path[] = "/etc/hostname";
  struct Call {
    const char* name;
    std::array<std::uint64_t, 6> args;
    std::int64_t ret;
  } calls[] = {
      {"write", {1, addr_of(write_buf), sizeof kWrite - 1, 0, 0, 0}, sizeof kWrite - 1},
      {"read", {0, addr_of(read_buf), 32, 0, 0, 0}, 20},
      {"openat", {static_cast<std::uint64_t>(-100), addr_of(path), 0, 0, 0, 0}, 3},
  };
  for (const Call& c : calls) {
    FakeContext ctx(Arch::X86_64, c.name, c.args);
    if (!hook->wants(Arch::X86_64, ctx.syscall().spec)) continue;
    hook->on_entry(ctx);
    std::memcpy(read_buf, "0123456789abcdefghij", 20);  // what the "kernel" read
    ctx.exit_with(c.ret);
    hook->on_exit(ctx);
    check(ctx.ret() <= 32 || std::string_view(c.name) != "read", "read returned over its count");
  }
  check(std::memcmp(write_buf, kWrite, sizeof kWrite) == 0, "the program's write buffer changed");
  check(std::strcmp(path, "/etc/hostname") == 0, "the program's path changed");
  check(std::all_of(read_buf + 32, read_buf + 64, [](char c) { return c == 0; }),
        "a read rewrite wrote past the buffer");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto rule = ptk::tamper::parse_rule(text);
  if (rule.ok()) {
    std::string canonical = rule->canonical();
    auto again = ptk::tamper::parse_rule(canonical);
    check(again.ok(), "the canonical form of a rule does not parse");
    check(again->canonical() == canonical, "the canonical form is not stable");
    run(*rule);
  } else {
    check(!rule.error().message().empty(), "an error without a message");
  }
  // A --rules file's text: only worth the time when there is more than one line.
  if (text.find('\n') != std::string_view::npos) {
    (void)ptk::tamper::parse_rules_text(text, "fuzz");
  }
  return 0;
}
