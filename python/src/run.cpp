#include "run.h"

#include <signal.h>
#include <sys/wait.h>

#include <pybind11/stl.h>

#include <set>
#include <utility>

#include "interrupt.h"
#include "ptk/engine/trace_job.h"
#include "ptk/tamper/tamperer.h"
#include "values.h"
#include "views.h"

namespace ptk::py {

namespace pyb = pybind11;

// A Python tamper callback as a tamper::Hook: called at the entry and the exit of the syscalls
// it names (all when none).
class Run::PyHook : public tamper::Hook {
 public:
  PyHook(Run& run, pyb::object callback, std::vector<std::string> names)
      : run_(run), callback_(std::move(callback)), names_(names.begin(), names.end()) {}

  bool wants(Arch /*arch*/, const SyscallSpec* spec) const override {
    return spec != nullptr && (names_.empty() || names_.count(std::string(spec->name)) != 0);
  }
  void on_entry(tamper::SyscallContext& ctx) override { call(ctx); }
  void on_exit(tamper::SyscallContext& ctx) override { call(ctx); }

 private:
  void call(tamper::SyscallContext& ctx) {
    pyb::gil_scoped_acquire locked;
    if (run_.failed()) return;  // the run is ending: no new changes
    bool entry = ctx.phase() == tamper::Phase::Entry;
    std::int64_t ret_before = entry ? 0 : ctx.ret();
    auto view = std::make_shared<TamperView>();
    view->ctx = &ctx;
    run_.call(callback_, view);
    view->ctx = nullptr;  // a view kept by the callback is stale from here on
    if (!run_.failed()) return;
    // The callback raised: what it changed before is dropped, so that the call runs (or
    // returns) as the program made it. Memory it wrote itself stays written.
    const sys::DecodedSyscall& sc = ctx.syscall();
    if (entry) {
      if (sc.nr >= 0) (void)ctx.set_syscall(sc.nr);
      for (int i = 0; i < 6; ++i) (void)ctx.set_arg(i, sc.raw_args[static_cast<std::size_t>(i)]);
    } else if (ctx.ret() != ret_before) {
      (void)ctx.set_return(ret_before);
    }
  }

  Run& run_;
  pyb::object callback_;
  std::set<std::string> names_;
};

Run::Run(std::vector<std::string> argv, pid_t pid, bool follow_forks, pyb::object on_note)
    : argv_(std::move(argv)),
      attach_pid_(pid),
      follow_forks_(follow_forks),
      on_note_(std::move(on_note)) {
  if (argv_.empty() == (pid == 0)) {
    raise(Error(ErrorKind::InvalidArgument, "ptk.Run", 0, "give a command or a pid= (one)"));
  }
}

Run::~Run() = default;

void Run::on_syscall(pyb::object callback, const std::string& filter, bool entries) {
  syscall_callback_ = std::move(callback);
  filter_ = filter;
  entries_ = entries;
}

void Run::tamper(pyb::object callback, std::vector<std::string> syscalls) {
  hooks_.push_back(std::make_unique<PyHook>(*this, std::move(callback), std::move(syscalls)));
}

void Run::break_at(const std::string& location, pyb::object callback) {
  if (break_callbacks_.count(location) == 0) locations_.push_back(location);
  break_callbacks_[location] = std::move(callback);
}

void Run::syscall_entry(sys::DecodedSyscall& sc) {
  if (entries_ && syscall_callback_) call(syscall_callback_, Syscall::from(sc, true));
}

void Run::syscall_exit(sys::DecodedSyscall& sc) {
  if (syscall_callback_) call(syscall_callback_, Syscall::from(sc, false));
}

void Run::hit(const engine::BreakLocation& location, const debug::BreakpointHit& hit,
              const debug::SymbolTable* /*symbols*/) {
  auto it = break_callbacks_.find(location.spec);
  if (it == break_callbacks_.end()) return;
  pyb::gil_scoped_acquire locked;
  auto view = std::make_shared<HitView>();
  view->run = this;
  view->hit = hit;
  view->location = location.spec;
  view->hits = location.hits;
  call(it->second, view);
  view->run = nullptr;
}

int Run::run() {
  if (ran_) raise(Error(ErrorKind::InvalidArgument, "Run.run", 0, "a Run runs once"));
  ran_ = true;
  engine::EngineOptions eo;
  eo.command = argv_;
  if (attach_pid_ != 0) eo.pids.push_back(attach_pid_);
  eo.follow_forks = follow_forks_;
  // Stopped before its execve: the trace starts with it, as strace's does (breakpoints are set
  // at the new program's entry point).
  eo.start = engine::SpawnStart::BeforeExec;
  eo.stop = &stop_;
  eo.report = [this](const Error& e) { problems_.push_back(e.message()); };
  if (!on_note_.is_none()) {
    eo.note = [this](std::string_view text) { call(on_note_, std::string(text)); };
  }
  engine_ = std::make_unique<engine::Engine>(std::move(eo));

  tamper::Tamperer tamperer;
  for (auto& h : hooks_) tamperer.add_ref(*h);
  tamperer.set_error_handler([this](const Error& e) { problems_.push_back(e.message()); });
  sys::TracerOptions to;
  if (!filter_.empty()) to.filter = unwrap(sys::SyscallFilter::parse(filter_));
  if (!syscall_callback_) to.filter.none();
  if (!tamperer.empty()) to.hooks.push_back(&tamperer);
  std::unique_ptr<engine::TraceJob> trace;
  if (syscall_callback_ || !tamperer.empty()) {
    trace = std::make_unique<engine::TraceJob>(*engine_, std::move(to),
                                               static_cast<sys::TraceSink&>(*this));
    engine_->add(*trace);
  }
  std::unique_ptr<engine::BreakJob> brk;
  if (!locations_.empty()) {
    engine::BreakJobOptions bo;
    bo.locations = locations_;
    bo.pending = true;  // lib:symbol of a library the program loads later
    brk = std::make_unique<engine::BreakJob>(*engine_, std::move(bo),
                                             static_cast<engine::BreakSink&>(*this));
    engine_->add(*brk);
  }

  SigintGuard sigint(&stop_);  // Ctrl-C: every process let go, then KeyboardInterrupt
  Result<engine::RunEnd> end = [this] {
    pyb::gil_scoped_release unlocked;
    return engine_->run();
  }();
  bool interrupted = sigint.fired();
  pid_t pid = pid_ = engine_->pid();
  bool spawned = engine_->spawned();
  engine_.reset();  // the session goes: nothing is traced any more
  if (end.ok() && end->interrupted && spawned && pid > 0) {
    // Let go (unpatched, running) by the engine; a command ptk started ends with the run.
    pyb::gil_scoped_release unlocked;
    ::kill(pid, SIGKILL);
    int status = 0;
    (void)::waitpid(pid, &status, 0);
  }
  error_.rethrow();
  if (interrupted) raise_keyboard_interrupt();
  return unwrap(std::move(end)).exit_code;
}

void register_run(pyb::module_& m) {
  using pyb::arg;
  pyb::class_<Run>(m, "Run",
                   "One run of a command (argv) or a running process (pid=) with callbacks: "
                   "on_syscall, tamper, break_at; then run(). A callback that raises ends the "
                   "run (its own changes to the syscall dropped, breakpoints out, tampered "
                   "calls finished, every process let go and a command the run started "
                   "killed) and run() raises its exception; Ctrl-C (SIGINT) ends it the same way, "
                   "with KeyboardInterrupt.")
      .def(pyb::init([](std::vector<std::string> argv, pid_t pid, bool follow_forks,
                        pyb::object on_note) {
             return std::make_unique<Run>(std::move(argv), pid, follow_forks, std::move(on_note));
           }),
           arg("argv") = std::vector<std::string>{}, pyb::kw_only(), arg("pid") = 0,
           arg("follow_forks") = false, arg("on_note") = pyb::none(),
           "follow_forks: trace the children too. on_note(text): what a person watching "
           "wants to know, e.g. \"Process 12 attached\" once every breakpoint is set.")
      .def("on_syscall", &Run::on_syscall, arg("callback"), arg("filter") = "",
           arg("entries") = false,
           "callback(ptk.Syscall) for each syscall at its exit (at its entry too with "
           "entries=True); `filter` as ptk trace -e trace= (\"write,openat\", \"%file\").")
      .def("tamper", &Run::tamper, arg("callback"), arg("syscalls") = std::vector<std::string>{},
           "callback(ptk.SyscallStop) at the entry and the exit of each syscall named (all "
           "when none), to change it.")
      .def("break_at", &Run::break_at, arg("location"), arg("callback"),
           "callback(ptk.Hit) each time a thread reaches `location` (a symbol, lib:symbol, "
           "file:line or 0xADDR), set in every process the run follows.")
      .def("run", &Run::run,
           "Runs to the end; returns the exit code of the first process (128+N when killed by "
           "signal N; 0 when the run was stopped).")
      .def("stop", &Run::stop, "From a callback: let every process go now, and end the run.")
      .def_property_readonly("pid", &Run::pid)
      .def_property_readonly("problems", &Run::problems,
                             "Messages of what failed during the run without ending it.");
}

}  // namespace ptk::py
