#include "process.h"

#include <fmt/format.h>
#include <signal.h>

#include <cstring>
#include <utility>

#include "errors.h"
#include "interrupt.h"
#include "ptk/core/proc.h"
#include "ptk/core/wait_status.h"
#include "ptk/engine/tracee_end.h"

namespace ptk::py {

namespace pyb = pybind11;

Process::Process(pid_t pid, bool spawned, std::unique_ptr<Session> session)
    : session_(std::move(session)), pid_(pid), spawned_(spawned) {
  WaitPolicy policy = session_->options().wait_policy;
  policy.interrupt = &interrupt_;
  session_->set_wait_policy(policy);
}

std::unique_ptr<Process> Process::spawn(const std::vector<std::string>& argv,
                                        std::optional<std::vector<std::string>> env) {
  if (argv.empty()) raise(Error(ErrorKind::InvalidArgument, "spawn: an empty command"));
  auto session = std::make_unique<Session>();
  SpawnOptions options{.argv = argv, .env = std::move(env)};
  pid_t pid = unwrap(session->spawn(options));
  return std::unique_ptr<Process>(new Process(pid, true, std::move(session)));
}

std::unique_ptr<Process> Process::attach(pid_t pid) {
  auto session = std::make_unique<Session>(SessionOptions{.syscall_stops = SyscallStops::None});
  check(session->attach(pid));
  return std::unique_ptr<Process>(new Process(pid, false, std::move(session)));
}

Process::~Process() {
  if (!alive()) return;
  if (!spawned_) {
    if (stepper_) (void)stepper_->release(pid_);
    (void)session_->detach_all();
    return;
  }
  // A command of ours nobody ran to its end: it goes with the Process.
  ::kill(pid_, SIGKILL);
  while (!session_->empty()) {
    auto ev = session_->wait();
    if (!ev.ok()) break;
    if (ev->stopped()) (void)session_->resume(*ev);
  }
}

std::vector<pid_t> Process::threads() const {
  const ptk::Process* p = session_->process(pid_);
  return p != nullptr ? p->tids : std::vector<pid_t>{};
}

void Process::require_alive() const {
  if (ended_) raise(session_->untraced(pid_, fmt::format("process {}", pid_)));
  if (detached_) {
    raise(Error(ErrorKind::InvalidArgument, fmt::format("process {}", pid_), 0, "it was detached"));
  }
}

pid_t Process::thread_or_default(std::optional<pid_t> tid) const {
  require_alive();
  if (tid) return *tid;
  return held_ ? held_->tid : pid_;
}

Registers Process::regs(std::optional<pid_t> tid) {
  return unwrap(session_->get_regs(thread_or_default(tid)));
}

void Process::set_regs(const Registers& regs, std::optional<pid_t> tid) {
  check(session_->set_regs(thread_or_default(tid), regs));
}

pyb::bytes Process::read(std::uint64_t addr, std::size_t size, std::optional<pid_t> tid) {
  std::string out(size, '\0');
  auto span = std::as_writable_bytes(std::span(out.data(), out.size()));
  check(session_->memory(thread_or_default(tid)).read_exact(RemoteAddr(addr), span));
  return pyb::bytes(out);
}

void Process::write(std::uint64_t addr, const std::string& data, std::optional<pid_t> tid) {
  auto span = std::as_bytes(std::span(data.data(), data.size()));
  check(session_->memory(thread_or_default(tid)).write(RemoteAddr(addr), span));
}

pyb::bytes Process::read_string(std::uint64_t addr, std::size_t max_len, std::optional<pid_t> tid) {
  auto s = unwrap(session_->memory(thread_or_default(tid)).read_string(RemoteAddr(addr), max_len));
  return pyb::bytes(s.bytes);
}

Result<Event> Process::wait_event() {
  interrupt_ = 0;
  SigintGuard sigint(&interrupt_);
  Result<Event> ev = [this] {
    pyb::gil_scoped_release unlocked;
    return session_->wait();
  }();
  if (sigint.fired()) {
    // Ctrl-C: the process stays as it is, traced; the script decides (detach, kill...).
    if (!ev.ok()) raise_keyboard_interrupt();
    PyErr_SetInterrupt();  // raised once this event is handed over
  }
  if (ev.ok() && ev->tid == pid_ && !ev->stopped()) {
    ended_ = true;
    if (auto end = session_->end_of(pid_)) exit_code_ = engine::end_code(*end);
  }
  if (!ev.ok() && ev.error().kind() == ErrorKind::NoSuchProcess) ended_ = true;
  return ev;
}

void Process::resume_held() {
  if (!held_) return;
  Event ev = *std::exchange(held_, std::nullopt);
  check(session_->resume(ev));
}

void Process::syscall_entry(sys::DecodedSyscall& sc) {
  if (entries_) queue_.push_back(Syscall::from(sc, true));
}

void Process::syscall_exit(sys::DecodedSyscall& sc) { queue_.push_back(Syscall::from(sc, false)); }

std::optional<Syscall> Process::next_syscall(bool entries, const std::string& filter) {
  entries_ = entries;
  if (tracer_ && filter != filter_) {
    raise(Error(ErrorKind::InvalidArgument, fmt::format("syscalls(filter=\"{}\")", filter), 0,
                fmt::format("this process's syscalls are filtered by \"{}\" already", filter_)));
  }
  if (queue_.empty() && !alive()) return std::nullopt;
  settle();
  if (!tracer_) {
    sys::TracerOptions options;
    if (!filter.empty()) options.filter = unwrap(sys::SyscallFilter::parse(filter));
    filter_ = filter;
    tracer_ = std::make_unique<sys::Tracer>(*session_, std::move(options),
                                            static_cast<sys::TraceSink&>(*this));
    session_->set_syscall_stops(SyscallStops::All);
    // The threads attach() or spawn() stopped run on with syscall stops.
    if (!held_) check(session_->resume_all());
  }
  for (;;) {
    if (!queue_.empty()) {
      Syscall s = std::move(queue_.front());
      queue_.pop_front();
      return s;
    }
    resume_held();
    if (ended_) return std::nullopt;
    auto ev = wait_event();
    if (!ev.ok()) {
      if (ev.error().kind() == ErrorKind::NoSuchProcess) return std::nullopt;
      raise(std::move(ev).error());
    }
    if (tracer_->dispatch(*ev)) held_ = *ev;
  }
}

PyEvent Process::wait() {
  require_alive();
  settle();
  resume_held();
  Event ev = unwrap(wait_event());
  if (tracer_) (void)tracer_->dispatch(ev);
  queue_.clear();
  return PyEvent::from(ev);
}

void Process::resume(std::optional<pid_t> tid, int signal) {
  require_alive();
  settle();
  held_.reset();
  if (!tid) {
    check(session_->resume_all());
    return;
  }
  check(session_->resume(*tid, Resume::Default, signal));
}

void Process::set_pending_signal(int signal, std::optional<pid_t> tid) {
  check(session_->set_pending_signal(thread_or_default(tid), signal));
}

int Process::wait_exit() {
  if (ended_) return exit_code_.value_or(0);
  require_alive();
  settle();
  session_->set_syscall_stops(SyscallStops::None);
  resume_held();
  check(session_->resume_all());
  while (!ended_) {
    auto ev = wait_event();
    if (!ev.ok()) {
      if (ev.error().kind() == ErrorKind::NoSuchProcess) break;
      raise(std::move(ev).error());
    }
    if (ev->stopped()) check(session_->resume(*ev));
  }
  return exit_code_.value_or(0);
}

void Process::settle() {
  if (!stepper_) return;
  std::unique_ptr<debug::Stepper> stepper = std::move(stepper_);
  pyb::gil_scoped_release unlocked;
  check(stepper->release(pid_));
}

debug::Stepper& Process::stepper() {
  if (!stepper_) stepper_ = std::make_unique<debug::Stepper>(*session_);
  return *stepper_;
}

pid_t Process::run_to_syscall_exit(const std::string& name) {
  require_alive();
  held_.reset();
  using Start = debug::StepStart;
  pyb::gil_scoped_release unlocked;
  return unwrap(stepper().run_to_start(
      pid_, Start{.kind = Start::Kind::AfterSyscall, .address = 0, .syscall = name}));
}

pid_t Process::run_to(std::uint64_t address) {
  require_alive();
  held_.reset();
  using Start = debug::StepStart;
  pyb::gil_scoped_release unlocked;
  return unwrap(stepper().run_to_start(
      pid_, Start{.kind = Start::Kind::AtAddress, .address = address, .syscall = {}}));
}

pyb::dict Process::step(std::optional<pid_t> tid, const pyb::object& callback,
                        std::uint64_t max_steps) {
  pid_t t = thread_or_default(tid);
  held_.reset();
  CallbackError error;
  debug::Stepper::Observer observer;
  if (!callback.is_none()) {
    observer = [&callback, &error](const Registers& regs) {
      pyb::gil_scoped_acquire locked;
      try {
        pyb::object go = callback(regs);
        return go.is_none() || go.cast<bool>();
      } catch (...) {
        error.capture();
        return false;
      }
    };
  }
  Result<debug::StepOutcome> outcome = [&] {
    pyb::gil_scoped_release unlocked;
    return stepper().step(t, debug::StepLimits{.max_steps = max_steps, .stop = nullptr}, observer);
  }();
  if (error.pending()) {
    // The thread may be in the middle of a step: leave it stopped cleanly before raising.
    if (session_->thread(t) != nullptr) (void)stepper().release(pid_);
    error.rethrow();
  }
  debug::StepOutcome o = unwrap(std::move(outcome));
  static constexpr const char* kEnds[] = {"Exited", "Killed", "Limit", "Stopped"};
  pyb::dict d;
  d["steps"] = o.steps;
  d["end"] = kEnds[static_cast<int>(o.end)];
  d["tid"] = o.tid;
  d["exit_code"] = o.end == debug::StepEnd::Exited ? pyb::object(pyb::int_(o.last.exit_code))
                                                   : pyb::object(pyb::none());
  d["signal"] = o.end == debug::StepEnd::Killed ? o.last.signal : 0;
  if (o.end == debug::StepEnd::Exited || o.end == debug::StepEnd::Killed) {
    if (o.tid == pid_ || session_->process(pid_) == nullptr) {
      ended_ = true;
      exit_code_ = o.end == debug::StepEnd::Exited ? o.last.exit_code : 128 + o.last.signal;
    }
  }
  return d;
}

pyb::tuple Process::disassemble(std::uint64_t addr, std::optional<pid_t> tid) {
  pid_t t = thread_or_default(tid);
  Registers r = unwrap(session_->get_regs(t));
  debug::Instruction insn = unwrap(disasm_.decode_at(session_->memory(t), r.arch(), addr));
  return pyb::make_tuple(insn.hex_bytes(), insn.text(), insn.size);
}

const debug::SymbolTable& Process::symbols() {
  require_alive();
  if (!symbols_) symbols_ = unwrap(debug::SymbolTable::load(pid_, &session_->memory(pid_)));
  return *symbols_;
}

std::string Process::symbol(std::uint64_t addr) { return symbols().describe(addr).to_string(); }

std::uint64_t Process::resolve(const std::string& location) {
  return unwrap(symbols().resolve(location)).address;
}

pyb::list Process::maps() const {
  require_alive();
  pyb::list out;
  for (const MapEntry& m : unwrap(read_maps(pid_))) {
    pyb::dict d;
    d["start"] = m.start;
    d["end"] = m.end;
    d["perms"] = fmt::format("{}{}{}{}", m.read ? 'r' : '-', m.write ? 'w' : '-',
                             m.exec ? 'x' : '-', m.shared ? 's' : 'p');
    d["offset"] = m.offset;
    d["path"] = m.path;
    out.append(d);
  }
  return out;
}

void Process::detach() {
  require_alive();
  held_.reset();
  settle();
  check(session_->detach(pid_));
  detached_ = true;
}

void Process::kill() {
  require_alive();
  held_.reset();
  check(session_->kill(pid_, SIGKILL));
  while (!ended_) {
    auto ev = wait_event();
    if (!ev.ok()) break;
    if (ev->stopped()) (void)session_->resume(*ev);
  }
}

}  // namespace ptk::py
