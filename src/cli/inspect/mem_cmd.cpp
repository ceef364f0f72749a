// `ptk mem PID read ADDR LEN [--raw]`, `ptk mem PID write ADDR HEX`,
// `ptk mem PID find STRING | --hex HEX [--max N]`: attach, read / patch / search, detach.
// Every argument is checked before the process is touched, and a write that cannot be done
// whole leaves the memory as it was.
#include "inspect/mem_cmd.h"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <memory>

#include "common/cli_util.h"
#include "common/color.h"
#include "inspect/inspect_common.h"
#include "inspect/mem_target.h"
#include "ptk/core/mem_format.h"
#include "ptk/core/mem_search.h"
#include "ptk/core/proc.h"
#include "ptk/engine/held_process.h"
#include "ptk/sys/escape.h"

namespace ptk::cli {
namespace {

// Bounds on what one command moves: enough for any mapping a user dumps on purpose, small
// enough that a typo in LEN cannot exhaust ptk's memory.
constexpr std::uint64_t kMaxRead = 64ull << 20;
constexpr std::size_t kMaxMatches = 100000;
constexpr std::size_t kReadChunk = 1 << 16;

struct MemOptions {
  std::vector<std::string> args;  // PID ACTION ARGS...
  bool raw = false;
  std::string hex;
  std::size_t max_matches = 100;
};

std::string perms(const MapEntry& m) {
  return {m.read ? 'r' : '-', m.write ? 'w' : '-', m.exec ? 'x' : '-', m.shared ? 's' : 'p'};
}

// Why [addr, ...) could not be read or written, from the mappings: "(not mapped)", or the
// mapping that refused.
std::string why_unreachable(pid_t pid, std::uint64_t addr) {
  auto maps = read_maps(pid);
  if (!maps.ok()) return "";
  for (const MapEntry& m : *maps) {
    if (m.contains(addr)) {
      return fmt::format("(in {:#x}-{:#x} {} {}: the kernel refuses access there)", m.start, m.end,
                         perms(m), m.path.empty() ? "[anon]" : m.path);
    }
  }
  return "(not mapped)";
}

int usage(std::string_view message) { return fail("mem", message, kExitUsage); }

// The address column of hexdump lines ("00401000: 4865 ...") in the address style.
std::string paint_addresses(const std::string& dump, const Palette& palette) {
  if (!palette.on()) return dump;
  std::string out;
  for (std::size_t at = 0; at < dump.size();) {
    std::size_t end = dump.find('\n', at);
    end = end == std::string::npos ? dump.size() : end + 1;
    std::string_view line(dump.data() + at, end - at);
    std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) {
      out += line;
    } else {
      out += palette.paint(Style::Address, line.substr(0, colon));
      out += line.substr(colon);
    }
    at = end;
  }
  return out;
}

int run_read(engine::HeldProcess& in, const MemTarget& target, std::uint64_t len, bool raw) {
  std::vector<std::byte> data(len);
  std::size_t done = 0;
  while (done < len) {
    std::size_t want = std::min<std::size_t>(kReadChunk, len - done);
    auto n = in.memory().read(RemoteAddr(target.address + done), std::span(&data[done], want));
    if (!n.ok()) break;
    done += *n;
    if (*n < want) break;
  }
  std::string why = done < len ? why_unreachable(in.pid(), target.address + done) : "";
  Status detached = in.release();
  data.resize(done);
  if (raw) {
    std::fwrite(data.data(), 1, data.size(), stdout);
  } else {
    Palette palette = Palette::for_stream(stdout);
    int width = hexdump_address_width(target.address + std::max<std::uint64_t>(len, 1) - 1);
    for (std::size_t at = 0; at < data.size(); at += kReadChunk) {
      std::string out;
      append_hexdump(out, target.address + at,
                     std::span(data).subspan(at, std::min(kReadChunk, data.size() - at)), width);
      out = paint_addresses(out, palette);
      std::fwrite(out.data(), 1, out.size(), stdout);
    }
  }
  std::fflush(stdout);
  if (!detached.ok()) return fail("mem", detached.error());
  if (done < len) {
    return fail("mem",
                fmt::format("cannot read {:#x}{} {}", target.address + done,
                            done > 0 ? fmt::format(" (read {} of {} bytes)", done, len) : "", why));
  }
  return 0;
}

int run_write(engine::HeldProcess& in, const MemTarget& target,
              const std::vector<std::byte>& bytes) {
  // Reading the range first proves every byte of it is there, so a write that fails halfway
  // never happens; the old bytes also undo a write the kernel takes only in part.
  std::vector<std::byte> old(bytes.size());
  if (Status s = in.memory().read_exact(RemoteAddr(target.address), old); !s.ok()) {
    std::uint64_t at = target.address;
    auto n = in.memory().read(RemoteAddr(target.address), old);
    if (n.ok()) at += *n;
    std::string why = why_unreachable(in.pid(), at);
    if (at == target.address) return fail("mem", fmt::format("cannot write {:#x} {}", at, why));
    return fail("mem", fmt::format("cannot write {} bytes at {:#x}: {:#x} {}; nothing was written",
                                   bytes.size(), target.address, at, why));
  }
  if (Status s = in.memory().write(RemoteAddr(target.address), bytes); !s.ok()) {
    (void)in.memory().write(RemoteAddr(target.address), old);
    return fail("mem", s.error());
  }
  Status detached = in.release();
  fmt::print(
      "wrote {} byte{} at {}{}\n", bytes.size(), bytes.size() == 1 ? "" : "s",
      Palette::for_stream(stdout).paint(Style::Address, fmt::format("{:#x}", target.address)),
      target.description.empty() ? "" : " (" + sys::printable(target.description) + ")");
  std::fflush(stdout);
  if (!detached.ok()) return fail("mem", detached.error());
  return 0;
}

int run_find(engine::HeldProcess& in, const std::vector<std::byte>& needle, std::string_view shown,
             std::size_t max_matches) {
  auto maps = read_maps(in.pid());
  if (!maps.ok()) return fail("mem", maps.error());
  int word_size = in.word_size();
  MemSearchOptions options{.max_matches = max_matches};
  auto found = search_memory(in.memory(), *maps, needle, options);
  Status detached = in.release();
  if (!found.ok()) return fail("mem", found.error());
  std::string out;
  Palette palette = Palette::for_stream(stdout);
  for (const MemMatch& m : found->matches) {
    const MapEntry& map = (*maps)[m.mapping];
    // A file mapping's match is shown with its offset in the file (where to patch it there).
    std::string where =
        map.inode == 0 ? (map.path.empty() ? "[anon]" : map.path)
                       : fmt::format("{}+{:#x}", map.path, map.offset + (m.address - map.start));
    out += fmt::format(
        "{}  {}  {}\n",
        palette.paint(Style::Address, fmt::format("{:#0{}x}", m.address, word_size * 2 + 2)),
        perms(map), palette.paint(Style::Location, sys::printable(where)));
  }
  if (found->truncated) {
    out += fmt::format("(more matches not shown: --max {})\n", max_matches);
  }
  fmt::print("{}", out);
  std::fflush(stdout);
  if (!detached.ok()) return fail("mem", detached.error());
  if (found->matches.empty()) {
    return fail("mem", fmt::format("{} not found in {} of readable memory", shown,
                                   human_size(found->bytes_searched)));
  }
  return 0;
}

int run_mem(const MemOptions& o) {
  const std::vector<std::string>& a = o.args;
  if (a.size() < 2) return usage("expected PID and an action: read, write or find");
  auto pid = parse_pid(a[0]);
  if (!pid.ok()) return fail("mem", pid.error(), kExitUsage);
  const std::string& action = a[1];
  std::size_t want_args = action == "read" ? 4 : action == "write" ? 4 : 3;
  if (action != "read" && action != "write" && action != "find") {
    return usage(fmt::format("unknown action '{}': read, write or find", action));
  }
  if (action == "find" && !o.hex.empty()) want_args = 2;
  if (a.size() != want_args) {
    return usage(action == "read"    ? "usage: ptk mem PID read ADDR LEN [--raw]"
                 : action == "write" ? "usage: ptk mem PID write ADDR HEX"
                                     : "usage: ptk mem PID find STRING | --hex HEX");
  }
  if (o.raw && action != "read") return usage("--raw goes with read");
  if (!o.hex.empty() && action != "find") return usage("--hex goes with find");

  // Everything that can be checked without the process is checked before attaching.
  std::uint64_t len = 0;
  std::vector<std::byte> bytes;
  if (action == "read") {
    auto n = parse_size(a[3]);
    if (!n.ok()) return fail("mem", n.error(), kExitUsage);
    if (*n == 0 || *n > kMaxRead) {
      return usage(fmt::format("LEN {} is out of range: 1 to {} bytes", a[3], kMaxRead));
    }
    len = *n;
  } else {
    std::string_view text = action == "write" ? a[3] : o.hex.empty() ? a[2] : o.hex;
    if (action == "write" || !o.hex.empty()) {
      auto parsed = parse_hex_bytes(text);
      if (!parsed.ok()) return fail("mem", parsed.error(), kExitUsage);
      bytes = std::move(*parsed);
    } else {
      if (text.empty()) return usage("an empty STRING matches everywhere");
      auto p = reinterpret_cast<const std::byte*>(text.data());
      bytes.assign(p, p + text.size());
    }
  }
  if (action == "find" && (o.max_matches == 0 || o.max_matches > kMaxMatches)) {
    return usage(fmt::format("--max {} is out of range: 1 to {}", o.max_matches, kMaxMatches));
  }
  if (Status s = check_inspectable(*pid); !s.ok()) return fail("mem", s.error());

  MemTarget target;
  if (action != "find") {
    auto t = parse_target(*pid, a[2]);
    if (!t.ok()) return fail("mem", t.error(), kExitUsage);
    target = std::move(*t);
    std::uint64_t span = action == "read" ? len : bytes.size();
    if (target.address > ~std::uint64_t{0} - span) {
      return usage(fmt::format("{:#x} + {} bytes is past the end of the address space",
                               target.address, span));
    }
  }

  auto in = engine::HeldProcess::attach(*pid);
  if (!in.ok()) return fail("mem", in.error());
  if (action == "read") return run_read(**in, target, len, o.raw);
  if (action == "write") return run_write(**in, target, bytes);
  std::string shown = o.hex.empty() ? fmt::format("\"{}\"", a[2]) : o.hex;
  return run_find(**in, bytes, shown, o.max_matches);
}

}  // namespace

void register_mem(CLI::App& app, const std::vector<std::string>& command, int& exit_code) {
  auto opts = std::make_shared<MemOptions>();
  CLI::App* sub = app.add_subcommand(
      "mem", "Read, write or search a process's memory (attaches briefly, then detaches)");
  sub->footer(
      "  ptk mem PID read ADDR LEN [--raw]   hexdump (or the raw bytes) of LEN bytes\n"
      "  ptk mem PID write ADDR HEX          write bytes (into read-only code too)\n"
      "  ptk mem PID find STRING|--hex HEX   every match in readable memory\n"
      "ADDR: 0x7ffd1000, or a symbol: g_count, libc:environ, main+4, prog.c:12");
  sub->add_option("args", opts->args, "PID ACTION ARGS...");
  sub->add_flag("--raw", opts->raw, "read: write the bytes themselves to stdout");
  sub->add_option("--hex", opts->hex, "find: the bytes to look for, in hex");
  sub->add_option("--max", opts->max_matches, "find: matches shown at most (100)");
  add_color_option(*sub);
  sub->callback([opts, &command, &exit_code] {
    // Arguments after "--" (a STRING starting with '-') are arguments of mem too.
    opts->args.insert(opts->args.end(), command.begin(), command.end());
    exit_code = run_mem(*opts);
  });
}

}  // namespace ptk::cli
