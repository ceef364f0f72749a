// `ptk maps PID [--json]`: /proc/PID/maps made readable. Unlike the other inspection commands
// it does not attach: the kernel builds the file from the process's mappings whether it runs
// or not, so stopping it would buy nothing (and would interrupt its blocking syscalls).
#include "inspect/maps_cmd.h"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <memory>

#include "common/cli_util.h"
#include "common/color.h"
#include "inspect/inspect_common.h"
#include "ptk/core/mem_format.h"
#include "ptk/core/proc.h"
#include "ptk/sys/escape.h"

namespace ptk::cli {
namespace {

struct MapsOptions {
  std::string pid;
  bool json = false;
};

std::string perms(const MapEntry& m) {
  return {m.read ? 'r' : '-', m.write ? 'w' : '-', m.exec ? 'x' : '-', m.shared ? 's' : 'p'};
}

// Writable and executable mappings stand out: those are where code is injected or patched.
std::string paint_perms(const MapEntry& m, const Palette& palette) {
  std::string p = perms(m);
  if (m.write && m.exec) return palette.paint(Style::Failure, p);
  if (m.exec) return palette.paint(Style::Changed, p);
  return p;
}

void print_text(const std::vector<MapEntry>& maps, const Palette& palette) {
  std::uint64_t highest = 0, total = 0;
  for (const MapEntry& m : maps) {
    highest = std::max(highest, m.end);
    total += m.size();
  }
  int w = hexdump_address_width(highest);
  std::string out =
      palette.paint(Style::Header, fmt::format("{:<{}} {:<{}} {:>6}  {}  {:<8}  {}", "START", w,
                                               "END", w, "SIZE", "PERM", "OFFSET", "PATH")) +
      '\n';
  for (const MapEntry& m : maps) {
    std::string line =
        fmt::format("{}-{} {:>6}  {}  {:08x}",
                    palette.paint(Style::Address, fmt::format("{:0{}x}", m.start, w)),
                    palette.paint(Style::Address, fmt::format("{:0{}x}", m.end, w)),
                    human_size(m.size()), paint_perms(m, palette), m.offset);
    if (!m.path.empty()) line += "  " + palette.paint(Style::Location, sys::printable(m.path));
    out += line + '\n';
  }
  out += fmt::format("{} mappings, {} in all\n", maps.size(), human_size(total));
  fmt::print("{}", out);
}

void print_json(const std::vector<MapEntry>& maps) {
  std::string out;
  for (const MapEntry& m : maps) {
    out +=
        fmt::format("{{\"start\":{},\"end\":{},\"size\":{},\"perms\":\"{}\",\"offset\":{},\"dev\":",
                    json_hex(m.start), json_hex(m.end), m.size(), perms(m), json_hex(m.offset));
    sys::append_json_string(out, m.dev);
    out += fmt::format(",\"inode\":{},\"path\":", m.inode);
    sys::append_json_string(out, m.path);
    out += "}\n";
  }
  fmt::print("{}", out);
}

int run_maps(const MapsOptions& o) {
  auto pid = parse_pid(o.pid);
  if (!pid.ok()) return fail("maps", pid.error(), kExitUsage);
  if (Status s = check_inspectable(*pid); !s.ok()) return fail("maps", s.error());
  auto maps = read_maps(*pid);
  if (!maps.ok()) return fail("maps", maps.error());
  if (o.json) {
    print_json(*maps);
  } else {
    print_text(*maps, Palette::for_stream(stdout));
  }
  return 0;
}

}  // namespace

void register_maps(CLI::App& app, int& exit_code) {
  auto opts = std::make_shared<MapsOptions>();
  CLI::App* sub = app.add_subcommand(
      "maps", "Show a process's memory mappings with sizes and permissions (no attach)");
  sub->add_option("pid", opts->pid, "Process id")->required();
  sub->add_flag("--json", opts->json, "JSON Lines: one object per mapping");
  add_color_option(*sub);
  sub->callback([opts, &exit_code] { exit_code = run_maps(*opts); });
}

}  // namespace ptk::cli
