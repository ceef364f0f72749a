// `ptk bt PID [--tid TID] [--max-frames N]`: attach, unwind every thread through the libdw
// unwinder, detach.
//   Thread 4242 (prog):
//   #0  0x00007f3a5c8e1992 in read+0x12 (libc.so.6)
//   #1  0x000055d0c2a0b1c9 in wait_command+0x19 (prog) at prog.c:42
#include "inspect/bt_cmd.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <memory>

#include "common/cli_util.h"
#include "common/color.h"
#include "inspect/inspect_common.h"
#include "ptk/debug/unwind.h"
#include "ptk/engine/held_process.h"
#include "ptk/sys/escape.h"

namespace ptk::cli {
namespace {

struct BtOptions {
  std::string pid;
  std::string tid;
  std::size_t max_frames = 64;
};

// Deeper stacks are cut: a runaway recursion must not print a million lines.
constexpr std::size_t kFrameLimit = 4096;

std::string frame_line(std::size_t n, const debug::Frame& f, int word_size,
                       const Palette& palette) {
  std::string line =
      fmt::format("#{:<3} {} in {}", n,
                  palette.paint(Style::Address, fmt::format("{:#0{}x}", f.pc, word_size * 2 + 2)),
                  palette.paint(Style::Symbol, describe_location(f)));
  if (!f.source_file.empty()) {
    std::string_view file = f.source_file;
    line += " at " +
            palette.paint(Style::Location,
                          fmt::format("{}:{}", sys::printable(file.substr(file.rfind('/') + 1)),
                                      f.source_line));
  }
  return line + '\n';
}

int run_bt(const BtOptions& o) {
  auto pid = parse_pid(o.pid);
  if (!pid.ok()) return fail("bt", pid.error(), kExitUsage);
  pid_t only = 0;
  if (!o.tid.empty()) {
    auto t = parse_pid(o.tid);
    if (!t.ok()) return fail("bt", t.error(), kExitUsage);
    only = *t;
  }
  if (o.max_frames == 0 || o.max_frames > kFrameLimit) {
    return fail("bt",
                fmt::format("--max-frames {} is out of range (1-{})", o.max_frames, kFrameLimit),
                kExitUsage);
  }
  auto in = engine::HeldProcess::attach(*pid);
  if (!in.ok()) return fail("bt", in.error());
  std::vector<pid_t> tids = (*in)->threads();
  if (only != 0) {
    if (std::find(tids.begin(), tids.end(), only) == tids.end()) {
      return fail("bt",
                  fmt::format("thread {} is not a thread of process {} (its threads: {})", only,
                              (*in)->pid(), fmt::join(tids, " ")),
                  kExitUsage);
    }
    tids = {only};
  }
  int word_size = (*in)->word_size();
  debug::Unwinder unwinder((*in)->session());
  debug::BacktraceOptions options{.max_frames = o.max_frames, .source_lines = true};
  int code = 0;
  Palette palette = Palette::for_stream(stdout);
  std::string out;
  for (pid_t tid : tids) {
    if (!out.empty()) out += '\n';
    out += palette.paint(Style::Header,
                         fmt::format("Thread {} ({}):", tid, sys::printable(thread_name(tid))));
    out += '\n';
    auto frames = unwinder.backtrace(tid, options);
    if (!frames.ok()) {
      out += fmt::format("  cannot unwind: {}\n", sys::printable(frames.error().message()));
      code = kExitFailure;
      continue;
    }
    for (std::size_t i = 0; i < frames->size(); ++i)
      out += frame_line(i, (*frames)[i], word_size, palette);
    if (frames->size() == o.max_frames) {
      out += fmt::format("(more frames not shown: --max-frames {})\n", o.max_frames);
    }
  }
  // Let the process go before printing: a slow reader of our output must not keep it stopped.
  Status detached = (*in)->release();
  fmt::print("{}", out);
  std::fflush(stdout);
  if (!detached.ok()) return fail("bt", detached.error());
  return code;
}

}  // namespace

void register_bt(CLI::App& app, int& exit_code) {
  auto opts = std::make_shared<BtOptions>();
  CLI::App* sub = app.add_subcommand(
      "bt", "Show a backtrace of every thread of a process (attaches briefly, then detaches)");
  sub->add_option("pid", opts->pid, "Process (or thread) id")->required();
  sub->add_option("--tid", opts->tid, "Only this thread");
  sub->add_option("--max-frames", opts->max_frames, "Frames shown per thread (64)");
  add_color_option(*sub);
  sub->callback([opts, &exit_code] { exit_code = run_bt(*opts); });
}

}  // namespace ptk::cli
