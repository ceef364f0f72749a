// Loading and unloading shared objects with the target's dlopen/dlclose.
#include "ptk/inject/remote_lib.h"

#include <dlfcn.h>
#include <fmt/format.h>

#include <array>

#include "ptk/core/wait_status.h"

namespace ptk::inject {
namespace {

// glibc's private flag of dlopen calls made on behalf of libdl (include/dlfcn.h of glibc):
// __libc_dlopen_mode without it treats the object as the loader's own dependency.
constexpr std::uint64_t kRtldDlopen = 0x80000000u;
constexpr std::size_t kMaxErrorText = 1024;

// A code symbol named `name`, in libc when it has one (a program may define its own dlopen).
std::uint64_t lookup(const debug::SymbolTable& symbols, std::string_view name) {
  const debug::Module* libc = symbols.find_module("libc");
  // libc first (when there is one), then every module.
  for (const debug::Module* m : {libc, static_cast<const debug::Module*>(nullptr)}) {
    for (const debug::Symbol* s : symbols.find(name, m)) {
      if (s->kind == debug::SymbolKind::Function || s->kind == debug::SymbolKind::Code) {
        return s->address;
      }
    }
  }
  return 0;
}

std::string describe_stop(const CallResult& r, std::string_view what) {
  return fmt::format("{} did not return: {} at {:#x} (ip {:#x})", what, signal_name(r.stop.signal),
                     r.stop.address, r.stop.regs.ip());
}

// dlerror()'s text after a failed call, or a generic one.
Result<std::string> last_error(RemoteSyscalls& remote, const DlFunctions& dl,
                               std::string_view what) {
  if (dl.dlerror == 0) return fmt::format("{} failed (no dlerror in the target)", what);
  PTK_ASSIGN_OR_RETURN(CallResult r, remote_call(remote, dl.dlerror, {}));
  if (!r.returned) return describe_stop(r, "dlerror");
  if (r.value == 0) return fmt::format("{} failed (dlerror gives no reason)", what);
  PTK_ASSIGN_OR_RETURN(
      RemoteString text,
      remote.session().memory(remote.tid()).read_string(RemoteAddr(r.value), kMaxErrorText));
  return text.bytes;
}

Result<CallResult> call_dlopen(RemoteSyscalls& remote, const DlFunctions& dl, std::string_view path,
                               std::uint64_t flags) {
  if (dl.libc_private) flags |= kRtldDlopen;
  std::array<CallArg, 2> args = {CallArg::string(std::string(path)), CallArg::integer(flags)};
  return remote_call(remote, dl.dlopen, args);
}

Result<LibResult> failed(RemoteSyscalls& remote, const DlFunctions& dl, const CallResult& r,
                         std::string_view what) {
  LibResult out;
  if (!r.returned) {
    out.error = describe_stop(r, what);
  } else {
    PTK_ASSIGN_OR_RETURN(out.error, last_error(remote, dl, what));
  }
  return out;
}

}  // namespace

Result<DlFunctions> find_dl_functions(const debug::SymbolTable& symbols) {
  DlFunctions dl;
  dl.dlopen = lookup(symbols, "dlopen");
  dl.dlclose = lookup(symbols, "dlclose");
  dl.dlerror = lookup(symbols, "dlerror");
  dl.dlopen_name = "dlopen";
  if (dl.dlopen == 0 || dl.dlclose == 0) {
    // glibc < 2.34 without libdl in the process: libc's own entry points.
    dl.dlopen = lookup(symbols, "__libc_dlopen_mode");
    dl.dlclose = lookup(symbols, "__libc_dlclose");
    dl.libc_private = true;
    dl.dlopen_name = "__libc_dlopen_mode";
  }
  if (dl.dlopen == 0 || dl.dlclose == 0) {
    return Error(ErrorKind::NotFound,
                 fmt::format("no dynamic loader functions in process {}", symbols.pid()), 0,
                 "looked for dlopen/dlclose and __libc_dlopen_mode/__libc_dlclose; a static "
                 "program cannot load shared objects");
  }
  if (const debug::Module* m = symbols.module_at(dl.dlopen)) dl.dlopen_name += " in " + m->name;
  return dl;
}

Result<std::uint64_t> find_function(RemoteSyscalls& remote, const debug::SymbolTable& symbols,
                                    std::string_view spec) {
  PTK_ASSIGN_OR_RETURN(debug::ResolvedLocation where, symbols.resolve(spec));
  bool plain = !spec.empty() && spec.find_first_of(":+") == std::string_view::npos &&
               !(spec.front() >= '0' && spec.front() <= '9');
  std::uint64_t dlsym = plain ? lookup(symbols, "dlsym") : 0;
  if (dlsym != 0) {
    // RTLD_DEFAULT is the null handle on both ABIs.
    std::array<CallArg, 2> args = {CallArg::integer(0), CallArg::string(std::string(spec))};
    PTK_ASSIGN_OR_RETURN(CallResult r, remote_call(remote, dlsym, args));
    if (r.returned && r.value != 0) return r.value;
    // Not exported (a static function of the program): the table's symbol is the function.
  }
  // "libc:strlen" names one object's symbol, which dlsym(RTLD_DEFAULT) may not find there: its
  // resolver is run here instead, as dlsym and the loader run it.
  if (where.ifunc) return resolve_ifunc(remote, where.address);
  return where.address;
}

Result<LibResult> load_library(RemoteSyscalls& remote, const DlFunctions& dl,
                               std::string_view path) {
  PTK_ASSIGN_OR_RETURN(CallResult r, call_dlopen(remote, dl, path, RTLD_NOW));
  if (!r.returned || r.value == 0) return failed(remote, dl, r, "dlopen");
  return LibResult{.ok = true, .handle = r.value, .error = {}};
}

Result<LibResult> unload_library(RemoteSyscalls& remote, const DlFunctions& dl,
                                 std::string_view path) {
  PTK_ASSIGN_OR_RETURN(CallResult r, call_dlopen(remote, dl, path, RTLD_NOW | RTLD_NOLOAD));
  if (!r.returned) return failed(remote, dl, r, "dlopen");
  if (r.value == 0) {
    // dlopen with RTLD_NOLOAD of a library that is not loaded fails without a dlerror text
    // on some glibc versions: say it plainly, then add the loader's words if any.
    PTK_ASSIGN_OR_RETURN(LibResult out, failed(remote, dl, r, "dlopen"));
    out.error = fmt::format("{} is not loaded in the process ({})", path, out.error);
    return out;
  }
  std::uint64_t handle = r.value;
  // Twice: once for the reference RTLD_NOLOAD took, once for the load.
  for (int i = 0; i < 2; ++i) {
    std::array<CallArg, 1> args = {CallArg::integer(handle)};
    PTK_ASSIGN_OR_RETURN(CallResult c, remote_call(remote, dl.dlclose, args));
    if (!c.returned || c.signed_value != 0) return failed(remote, dl, c, "dlclose");
  }
  return LibResult{.ok = true, .handle = handle, .error = {}};
}

}  // namespace ptk::inject
