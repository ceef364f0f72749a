"""kill -9 of ptk (the process the user started) while it holds an attached target: the target
must finish with the right result and its executable mappings must be as before. gdb, the
peer, gets the same trial for comparison (--peer-gdb)."""
import os
import random
import signal
import tempfile
import time

from .harness import (Process, TrialError, compare_snapshots, proc_status, snapshot, tracer_of,
                      wait_untraced)

ROUNDS = 3000

# Each subcommand: its arguments before -p, and the line on its stdout ("out") or stderr
# ("err") that shows it at work (None: it prints nothing while it runs, so only a random delay
# places the kill).
SUBCOMMANDS = {
    "break": (["break", "checksum_step"], ("out", r"^hit 3 ")),
    "calls": (["calls", "-e", "strtol"], ("err", r"strtol.*= 42")),
    "step": (["step", "--count"], None),
    "trace-rewrite": (["trace", "-o", "/dev/null", "--rewrite",
                       'openat(path="/dev/null") -> path="/dev/./null"'], None),
}


def wait_busy(ptk, busy_line, what):
    if busy_line:
        stream, pattern = busy_line
        getattr(ptk, stream).wait_for(pattern, 30, what)

GDB_SCRIPT = """set pagination off
set confirm off
break checksum_step
commands
silent
continue
end
echo ptk-torture: ready\\n
continue
"""


def start_target(env):
    target = Process([env.tracee("torture_target"), str(ROUNDS)])
    target.out.wait_for(r"^ready \d+$", 30, "the target's ready line")
    return target


def finish_target(target, before, what):
    try:
        target.out.wait_for(r"^checksum [0-9a-f]+ ", 120, f"{what}: the target's result",
                            give_up=lambda: stopped_for_good(target.pid))
    except TrialError:
        if target.proc.poll() is not None:
            raise TrialError(f"{what}: the target died ({describe(target.proc.returncode)})")
        raise
    result = target.out.lines[-1]
    if not result.endswith(" ok"):
        raise TrialError(f"{what}: the target computed a wrong result: {result!r}")
    wait_untraced(target.pid)
    compare_snapshots(before, snapshot(target.pid), what)
    target.close_stdin()
    code = target.wait(30, "the target")
    if code != 0:
        raise TrialError(f"{what}: the target ended with {code}")


def trial_ptk(env, name, rng):
    args, busy_line = SUBCOMMANDS[name]
    with start_target(env) as target:
        before = snapshot(target.pid)
        with Process([env.ptk] + args + ["-p", str(target.pid)]) as ptk:
            ptk.err.wait_for(r"Process \d+ attached", 30, f"ptk {name} attaching")
            target.send()
            wait_busy(ptk, busy_line, f"ptk {name} at work")
            time.sleep(rng.uniform(0, 0.02))
            ptk.kill(signal.SIGKILL)
            ptk.wait(10, "ptk after kill -9")
        finish_target(target, before, f"kill -9 of ptk {name}")


def trial_gdb(env, rng):
    with start_target(env) as target:
        before = snapshot(target.pid)
        with tempfile.NamedTemporaryFile("w", suffix=".gdb") as script:
            script.write(GDB_SCRIPT)
            script.flush()
            with Process(["gdb", "-q", "-nx", "-batch", "-p", str(target.pid),
                          "-x", script.name]) as gdb:
                gdb.out.wait_for(r"ptk-torture: ready", 60, "gdb attaching")
                target.send()
                time.sleep(rng.uniform(0.005, 0.025))
                gdb.kill(signal.SIGKILL)
                gdb.wait(10, "gdb after kill -9")
        finish_target(target, before, "kill -9 of gdb")


def stopped_for_good(pid):
    """A target left stopped (state T, a group stop) with no tracer never finishes. Not state
    t: a tracing stop without a tracer is only the instant of a detach (the kernel unlinks the
    tracer, which /proc shows as TracerPid 0, before it wakes the thread), seen 1 run in 100."""
    st = proc_status(pid)
    return st is not None and st["State"][0] == "T" and tracer_of(pid) == 0


def describe(returncode):
    if returncode < 0:
        return f"killed by {signal.Signals(-returncode).name}"
    return f"exited with {returncode}"


def trials(env, cfg):
    for name in SUBCOMMANDS:
        yield f"kill -9 of ptk {name} -p", cfg.count, lambda n=name: trial_ptk(env, n, cfg.rng)
    if cfg.peer_gdb:
        yield "kill -9 of gdb -p (the peer)", cfg.count, lambda: trial_gdb(env, cfg.rng)
