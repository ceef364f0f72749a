// Library-call tracing (`ptk calls`) by breakpoints, not by PLT patching, so that it works on
// programs linked with -z now (whose PLT slots are resolved before the program runs) and on
// functions reached through dlsym.
//
// A breakpoint sits at the first instruction of each traced function, in the object that
// defines it (for a GNU indirect function, in the implementation its resolver picks). At a hit
// the return address is read ([sp]); when the call is to be reported, a breakpoint goes there
// too (reference counted: many open calls may share it) and the call is pushed on the thread's
// stack as {function, return address, sp at entry}. A hit of that return breakpoint by the same
// thread with sp == entry sp + one word is the return. Frames left by longjmp or an exception
// (the stack pointer is back above them) are dropped without a report.
//
// Which calls are reported:
//   - by default, the functions the program imports (the undefined functions of its .dynsym),
//     when called from the program itself (return address in it): calls a library makes to
//     itself or to another library are not the program's calls. A callback of the program
//     called by a library (qsort's comparator) calling a traced function is reported, nested
//     under the library call;
//   - with libraries named (-l), every function those export, when called from another object.
//   Either set is filtered by fnmatch globs (-e; "!GLOB" excludes).
//
// The CallTracer does not own the event loop: the caller waits, matches breakpoint hits with
// its BreakpointSet, passes each to on_hit() and steps over; and tells it about forks and exits.
// Libraries loaded later are followed through a LibraryWatch per process.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "ptk/base/result.h"
#include "ptk/core/session.h"
#include "ptk/debug/breakpoints.h"
#include "ptk/debug/call_args.h"
#include "ptk/debug/call_symbols.h"
#include "ptk/debug/library_watch.h"
#include "ptk/debug/symbols.h"

namespace ptk::debug {

struct CallTracerOptions {
  std::vector<std::string> libs;   // -l: names as SymbolTable::find_module takes them
  std::vector<std::string> globs;  // -e: fnmatch globs, "!GLOB" excludes
  CallFormat format;
};

struct CallEntry {
  pid_t tid = 0, pid = 0;
  int depth = 0;  // reported calls of the thread still open around this one
  std::string name;
  std::vector<CallValue> args;
  bool noreturn = false;  // no return will be reported
};

struct CallExit {
  pid_t tid = 0, pid = 0;
  int depth = 0;
  std::string name;
  std::vector<CallValue> args;  // as decoded at the entry
  CallValue ret;
  // From the entry breakpoint's hit to the return's, ptk's own stops included (as ltrace -T).
  std::int64_t duration_ns = 0;
};

class CallSink {
 public:
  virtual ~CallSink() = default;
  virtual void on_call(const CallEntry& call) = 0;
  virtual void on_return(const CallExit& ret) = 0;
};

class CallTracer {
 public:
  // Runs the resolver of a GNU indirect function (at `resolver`) in the stopped thread `tid`
  // and returns the implementation's address, as the dynamic loader does. Calling code in the
  // tracee needs ptk_inject, above this library: the caller provides it. Without one, indirect
  // functions are not traced.
  using IfuncResolver = std::function<Result<std::uint64_t>(pid_t tid, std::uint64_t resolver)>;

  CallTracer(Session& session, BreakpointSet& bps, CallTracerOptions options, CallSink& sink);
  ~CallTracer();
  CallTracer(const CallTracer&) = delete;
  CallTracer& operator=(const CallTracer&) = delete;

  void set_ifunc_resolver(IfuncResolver resolver) { resolver_ = std::move(resolver); }

  // Hooks the process of stopped thread `tid`, whose libraries are mapped (at its entry point,
  // or attached). A -l library that is not loaded is an error (NotFound, listing the loaded
  // ones) unless `pending_libs`: then it is hooked if the program loads it later.
  Status add_process(pid_t tid, bool pending_libs);
  // After BreakpointSet::on_fork(parent, child, /*follow=*/true): the child inherits the
  // breakpoints and the forking thread's open calls.
  Status on_fork(pid_t parent_tid, pid_t child);
  // The process is gone, or has a new address space (exec): forget it.
  void forget_process(pid_t pid);
  void on_thread_exit(pid_t tid) { stacks_.erase(tid); }
  bool traces(pid_t pid) const { return procs_.count(pid) != 0; }

  // A hit of a breakpoint of the BreakpointSet: a traced function's entry, a return, or the
  // library watch. The caller steps over it afterwards.
  Status on_hit(const BreakpointHit& hit);

  // For warnings when tracing ends: the -e globs that never matched a function, and the -l
  // names that never matched a library.
  std::vector<std::string> unmatched_globs() const;
  std::vector<std::string> unseen_libs() const;

 private:
  struct Hook {
    std::string name;  // as shown: C++ names demangled (short_name)
    const Prototype* proto = nullptr;
    std::uint64_t module_start = 0, module_end = 0;  // the defining object
    bool from_program_only = true;  // report calls from the program (else from other objects)
    // The breakpoint is on the resolver of an indirect function in an object loaded but not yet
    // relocated: the address it returns is hooked as this function (see hook_library).
    bool resolver = false;
  };
  struct Process {
    std::unique_ptr<SymbolTable> symbols;
    std::optional<LibraryWatch> watch;
    std::map<std::uint64_t, Hook> hooks;
    std::uint64_t program_start = 0, program_end = 0;
    std::set<std::string> relocated;  // objects ("path@start") the loader has relocated
    // Return addresses whose breakpoint stays in after their call returned (one reference of
    // the BreakpointSet, up to kMaxKeptReturns): the next call from the same place then needs
    // no insert, which reads /proc/PID/maps and plans the instruction (about 3x the cost of a
    // call traced with a kept breakpoint). A hit with no open call there is passed through.
    std::set<std::uint64_t> returns;
  };
  static constexpr std::size_t kMaxKeptReturns = 4096;
  struct Frame {
    std::string name;  // as shown (Hook::name)
    const Prototype* proto = nullptr;
    std::uint64_t return_address = 0, sp = 0;
    std::vector<CallValue> args;
    std::optional<Hook> resolves;  // a resolver's call: not reported, its result hooked
    bool kept_return = false;      // its return breakpoint is one of Process::returns
    std::chrono::steady_clock::time_point entered{};
  };

  // call_hooks.cpp: which functions, where.
  bool wanted(const std::string& name);
  const DynamicFunctions* functions_of(const std::string& path);
  const Prototype* prototype_of(const std::string& name, const Module* definer);
  Result<std::uint64_t> implementation(pid_t tid, const Module& m, const DynamicFunction& f);
  void hook(pid_t tid, Process& p, std::uint64_t address, Hook h);
  void hook_imports(pid_t tid, Process& p);
  void hook_library(pid_t tid, Process& p, const Module& m, bool relocated);
  void unhook_range(pid_t pid, Process& p, std::uint64_t start, std::uint64_t end);
  Status on_library_event(Process& p, const BreakpointHit& hit);

  // call_tracer.cpp: entries and returns.
  void on_entry(const Hook& h, const BreakpointHit& hit);
  bool on_return(const BreakpointHit& hit);
  void drop_frame(pid_t pid, const Frame& f);
  Status insert_return(pid_t tid, Process& p, std::uint64_t address, bool& kept);
  static int depth_of(const std::vector<Frame>& stack);
  FloatState float_state(pid_t tid, std::vector<std::byte>& cache);

  Session& session_;
  BreakpointSet& bps_;
  CallTracerOptions options_;
  CallSink& sink_;
  IfuncResolver resolver_;
  std::map<pid_t, Process> procs_;
  std::map<pid_t, std::vector<Frame>> stacks_;
  std::map<std::string, DynamicFunctions> elf_cache_;
  std::map<std::string, Prototype> guessed_;                                    // by name
  std::map<std::string, std::map<std::string, Prototype, std::less<>>> dwarf_;  // by object
  std::vector<bool> glob_used_;
  std::set<std::string> libs_seen_;
};

}  // namespace ptk::debug
