// `ptk inject --lib`: attach -> find dlopen/dlclose/dlerror in the target -> load or unload ->
// restore -> detach -> print.
#include "inject/inject_lib.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdlib>
#include <memory>

#include "common/cli_util.h"
#include "common/color.h"
#include "common/tracee_end.h"
#include "inject/inject_attach.h"
#include "inject/inject_render.h"
#include "ptk/engine/tracee_end.h"
#include "ptk/inject/remote_lib.h"
#include "ptk/sys/escape.h"

namespace ptk::cli {

int run_inject_lib(const LibOptions& o) {
  // The target resolves a relative path against its own working directory: make it ours.
  std::string path = o.path;
  if (!path.empty() && path.front() != '/') {
    std::unique_ptr<char, decltype(&std::free)> real(::realpath(path.c_str(), nullptr), &std::free);
    if (real == nullptr) return fail("inject", Error::from_errno(errno, "open " + path));
    path = real.get();
  }
  bool usage = false;
  auto target = attach_target(o.pid, o.tid, usage);
  if (!target.ok()) return fail("inject", target.error(), usage ? kExitUsage : kExitFailure);
  auto dl = inject::find_dl_functions(*target->symbols);
  if (!dl.ok()) {
    (void)target->detach();
    return fail("inject", dl.error());
  }
  std::string name = engine::process_name(target->pid);
  // One line for any failure; a process killed meanwhile is reported as such.
  auto failed = [&](const Error& e) {
    return fail_or_ended("inject", target->session(), target->pid, name,
                         o.unload ? "during the unload" : "during the load", e);
  };
  auto remote = inject::RemoteSyscalls::open(target->session(), target->tid);
  if (!remote.ok()) return failed(remote.error());
  auto result = o.unload ? inject::unload_library(*remote, *dl, path)
                         : inject::load_library(*remote, *dl, path);
  Status restored = remote->restore();
  Status detached = target->detach();
  if (!result.ok()) return failed(result.error());
  if (!restored.ok()) return failed(restored.error());
  if (!detached.ok()) return failed(detached.error());
  const char* verb = o.unload ? "unload" : "load";
  if (!result->ok) {
    if (o.json) {
      fmt::print(R"({{"pid":{},"tid":{},"{}":{},"ok":false,"error":{}}})"
                 "\n",
                 target->pid, target->tid, verb, sys::json_string(path),
                 sys::json_string(result->error));
    }
    return fail("inject", fmt::format("cannot {} {}: {}", verb, path, result->error));
  }
  if (o.json) {
    fmt::print(R"({{"pid":{},"tid":{},"{}":{},"ok":true,"handle":"{:#x}","via":{}}})"
               "\n",
               target->pid, target->tid, verb, sys::json_string(path), result->handle,
               sys::json_string(dl->dlopen_name));
  } else {
    Palette palette = Palette::for_stream(stdout);
    fmt::print("{} {} in process {}: handle {} ({})\n", o.unload ? "unloaded" : "loaded",
               palette.paint(Style::Location, path), target->pid,
               palette.paint(Style::Address, fmt::format("{:#x}", result->handle)),
               palette.paint(Style::Symbol, dl->dlopen_name));
  }
  return 0;
}

}  // namespace ptk::cli
