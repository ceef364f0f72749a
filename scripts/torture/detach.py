"""Detach in every state: ptk attached to a target that is running (R, three threads), blocked
in read (S) or stopped (T), told to stop by SIGINT, SIGTERM or SIGHUP; and inject/call, which
end by themselves. Afterwards the target's mappings and code are as before attach, a stopped
target is still stopped, and it finishes with the right result."""
import os
import signal
import time

from .harness import (Process, TrialError, compare_snapshots, deadline_wait, proc_status,
                      snapshot, wait_untraced)
from .kill9 import SUBCOMMANDS, finish_target, start_target, wait_busy

STOP_SIGNALS = [signal.SIGINT, signal.SIGTERM, signal.SIGHUP]


def state_of(pid):
    st = proc_status(pid)
    return st["State"][0] if st else "?"


def settled_state_of(pid):
    """The state once the thread is off the CPU: a detach wakes a group-stopped thread, which
    runs (R) until it takes the group-stop again (__ptrace_unlink in kernel/ptrace.c)."""
    deadline_wait(lambda: state_of(pid) != "R", 10, f"thread {pid} to settle")
    return state_of(pid)


def trial_detach(env, name, state, rng):
    args, busy_line = SUBCOMMANDS[name]
    sig = rng.choice(STOP_SIGNALS)
    what = f"ptk {name} -p, target {state}, {sig.name}"
    with start_target(env) as target:
        if state == "T":
            os.kill(target.pid, signal.SIGSTOP)
            deadline_wait(lambda: state_of(target.pid) == "T", 10, "the target to stop")
        before = snapshot(target.pid)
        with Process([env.ptk] + args + ["-p", str(target.pid)]) as ptk:
            ptk.err.wait_for(r"Process \d+ attached", 30, f"{what}: attaching")
            if state == "R":
                target.send()
                wait_busy(ptk, busy_line, f"{what}: at work")
                time.sleep(rng.uniform(0, 0.01))
            ptk.kill(sig)
            code = ptk.wait(30, f"{what}: ptk after {sig.name}")
            ptk.err.drain(5)
            if not any("detached" in line for line in ptk.err.lines):
                raise TrialError(f"{what}: ptk ({code}) did not say it detached: "
                                 f"{ptk.err.lines[-2:]}")
        wait_untraced(target.pid)
        if state == "T" and (left := settled_state_of(target.pid)) != "T":
            raise TrialError(f"{what}: the stopped target was left {left}")
        compare_snapshots(before, snapshot(target.pid), what)
        if state == "T":
            os.kill(target.pid, signal.SIGCONT)
        if state != "R":
            target.send()
        finish_target(target, before, what)


ONE_SHOTS = {
    "inject": ["inject", "--syscall", "getpid()"],
    "call": ["call", 'strtol("7", NULL, 10)'],
}


def trial_one_shot(env, name):
    what = f"ptk {name} -p on a blocked target"
    with start_target(env) as target:
        before = snapshot(target.pid)
        with Process([env.ptk] + ONE_SHOTS[name][:1] + ["-p", str(target.pid)] +
                     ONE_SHOTS[name][1:]) as ptk:
            code = ptk.wait(60, f"{what}: ptk")
            if code != 0:
                raise TrialError(f"{what}: ptk exited with {code}: {ptk.err.drain(1)[-1:]}")
        wait_untraced(target.pid)
        compare_snapshots(before, snapshot(target.pid), what)
        target.send()
        finish_target(target, before, what)


def trials(env, cfg):
    for name in SUBCOMMANDS:
        for state in ("R", "S", "T"):
            yield (f"detach of ptk {name} -p from a target in state {state}", cfg.count,
                   lambda n=name, s=state: trial_detach(env, n, s, cfg.rng))
    for name in ONE_SHOTS:
        yield (f"ptk {name} -p leaves the target as it was", cfg.count,
               lambda n=name: trial_one_shot(env, n))
