// Shared objects loaded into and unloaded from a tracee through its own dynamic loader: remote
// calls of dlopen/dlclose/dlerror found by symbol in the tracee.
//
// glibc >= 2.34 has dlopen, dlclose and dlerror in libc.so.6; older glibc has them in libdl
// (only in processes that link it) and exports __libc_dlopen_mode / __libc_dlclose from libc,
// which are tried next (with __RTLD_DLOPEN, as libdl itself calls them). musl's dlopen is in
// its libc.so, found by the same lookup.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "ptk/base/result.h"
#include "ptk/debug/symbols.h"
#include "ptk/inject/remote_call.h"

namespace ptk::inject {

// The loader functions of one process, resolved once (their addresses do not change while the
// libraries that hold them stay mapped).
struct DlFunctions {
  std::uint64_t dlopen = 0;
  std::uint64_t dlclose = 0;
  std::uint64_t dlerror = 0;  // 0: not available (old glibc without libdl): no message
  bool libc_private = false;  // __libc_dlopen_mode / __libc_dlclose (flags get __RTLD_DLOPEN)
  std::string dlopen_name;    // "dlopen in libc.so.6", for reports
};

// Finds the loader functions in `symbols` (a table of the target). NotFound names what was
// looked for.
Result<DlFunctions> find_dl_functions(const debug::SymbolTable& symbols);

// A code symbol of the target by a user's spelling ("puts", "libc:puts", "0x401000"), with
// close matches in the error of an unknown name. A plain name is then looked up again with the
// target's own dlsym(RTLD_DEFAULT, name) when it has one: that resolves GNU indirect functions
// (strlen, memcpy... are STT_GNU_IFUNC in glibc: the symbol's address is a resolver that
// returns the implementation, not the function) and follows the program's interposition.
// Any other indirect function ("libc:strlen", or a name dlsym does not know) has its resolver
// run in the target (resolve_ifunc).
Result<std::uint64_t> find_function(RemoteSyscalls& remote, const debug::SymbolTable& symbols,
                                    std::string_view spec);

struct LibResult {
  bool ok = false;
  std::uint64_t handle = 0;  // the dlopen handle when ok
  std::string error;         // dlerror()'s text, or how the loader call faulted
};

// dlopen(path, RTLD_NOW) in the thread of `remote`: constructors run in it.
Result<LibResult> load_library(RemoteSyscalls& remote, const DlFunctions& dl,
                               std::string_view path);
// Unloads an already-loaded library: dlopen(path, RTLD_NOLOAD | RTLD_NOW) finds its handle
// (and takes a reference), then dlclose twice drops that reference and the load's.
Result<LibResult> unload_library(RemoteSyscalls& remote, const DlFunctions& dl,
                                 std::string_view path);

}  // namespace ptk::inject
