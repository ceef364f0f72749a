// `ptk host`: one line per host capability (ptk/core/host.h), "yes" with what it allows or "no"
// with why. Given names, it shows only those and exits 1 when one is missing, so a script can
// ask (scripts/quickstart.sh runs its 32-bit demo in a VM where `ptk host i386` says no).
#include "inspect/host_cmd.h"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <memory>
#include <string>
#include <vector>

#include "common/cli_util.h"
#include "common/color.h"
#include "ptk/core/host.h"

namespace ptk::cli {
namespace {

int run_host(const std::vector<std::string>& names) {
  std::vector<HostCapability> asked;
  for (const std::string& name : names) {
    std::optional<HostCapability> c = parse_host_capability(name);
    if (!c) {
      std::string known;
      for (HostCapability k : kHostCapabilities) known += fmt::format(" {}", to_string(k));
      return fail("host", fmt::format("unknown capability '{}' (known:{})", name, known),
                  kExitUsage);
    }
    asked.push_back(*c);
  }
  if (asked.empty()) asked.assign(kHostCapabilities.begin(), kHostCapabilities.end());
  int status = 0;
  Palette palette = Palette::for_stream(stdout);
  for (HostCapability c : asked) {
    bool has = host_has(c);
    fmt::print("{:<22}{}{}\n", to_string(c),
               has ? palette.paint_left(Style::Success, "yes", 5)
                   : palette.paint_left(Style::Failure, "no", 5),
               has ? describe(c) : missing_reason(c));
    if (!has && !names.empty()) status = kExitFailure;
  }
  return status;
}

}  // namespace

void register_host(CLI::App& app, int& exit_code) {
  auto names = std::make_shared<std::vector<std::string>>();
  CLI::App* sub = app.add_subcommand(
      "host", "What this machine can do for ptk (32-bit programs, watchpoints), probed for real");
  sub->footer(
      "With CAPABILITY names, shows only those and exits 1 if one is missing (for scripts).");
  sub->add_option("capability", *names, "i386, debug-register-traps, kprobes")
      ->type_name("CAPABILITY");
  add_color_option(*sub);
  sub->callback([names, &exit_code] { exit_code = run_host(*names); });
}

}  // namespace ptk::cli
