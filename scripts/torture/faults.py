"""Faults around a traced program: the program SIGKILLed at a random moment under each
subcommand; 10,000 real-time signals under ptk trace (none lost); a chain of execs from
non-leader threads; a vforking program whose ptk is told to stop mid-run."""
import os
import re
import signal
import tempfile
import time

from .harness import Process, TrialError

# What must never reach the user when a traced program dies under ptk: raw ptrace errors.
RAW_ERRORS = re.compile(r"ptrace\(|No such process|not a thread of|not in an executable mapping")

SPAWNING = {
    "trace": ["trace", "-f", "-o", "/dev/null"],
    "break": ["break", "checksum_step", "--count"],
    "calls": ["calls", "-e", "strtol", "-o", "/dev/null"],
    "step": ["step", "--count"],
}


def ready_pid(proc, what):
    line = proc.out.wait_for(r"^ready \d+$", 30, what)
    return int(line.split()[1])


def trial_killed_program(env, name, rng):
    what = f"ptk {name} -- PROGRAM, PROGRAM killed by SIGKILL"
    argv = [env.ptk] + SPAWNING[name] + ["--", env.tracee("torture_target"), "3000"]
    with Process(argv) as ptk:
        program = ready_pid(ptk, f"{what}: the program's ready line")
        ptk.send()
        time.sleep(rng.uniform(0, 0.03))
        os.kill(program, signal.SIGKILL)
        code = ptk.wait(60, f"{what}: ptk")
        err = ptk.err.drain(5)
        if code not in (-signal.SIGKILL, 128 + signal.SIGKILL):
            raise TrialError(f"{what}: ptk ended with {code}, not the program's status 137: "
                             f"{err[-2:]}")
        raw = [line for line in err if RAW_ERRORS.search(line)]
        if raw:
            raise TrialError(f"{what}: ptk printed a raw error: {raw[0]!r}")


def trial_rt_signals(env, count):
    what = f"{count} real-time signals under ptk trace"
    argv = [env.ptk, "trace", "-o", "/dev/null", "--", env.tracee("torture_signals"), str(count)]
    with Process(argv) as ptk:
        program = ready_pid(ptk, f"{what}: the program's ready line")
        sent = 0
        deadline = time.monotonic() + 120
        while sent < count:
            try:
                os.kill(program, signal.SIGRTMIN)
                sent += 1
            except OSError as e:
                if e.errno != 11 or time.monotonic() > deadline:  # EAGAIN: the queue is full
                    raise TrialError(f"{what}: sending signal {sent + 1}: {e}") from None
                time.sleep(0.001)
        ptk.out.wait_for(rf"^got {count}$", 120, f"{what}: the program's count")
        code = ptk.wait(30, f"{what}: ptk")
        if code != 0:
            raise TrialError(f"{what}: ptk ended with {code}")


def trial_exec_chain(env, length):
    what = f"{length} execs from non-leader threads under ptk trace -f"
    chain = [env.tracee("exec_thread")] * length + [env.tracee("hello_writes")]
    # The trace to a file: each execve line holds the whole chain (~5 KB at 100), more than a
    # pipe holds while the harness only waits.
    with tempfile.NamedTemporaryFile("r", suffix=".trace") as trace:
        argv = [env.ptk, "trace", "-f", "--whole-lines", "-e", "trace=execve", "-o", trace.name,
                "--"] + chain
        with Process(argv) as ptk:
            code = ptk.wait(120, f"{what}: ptk")
            out = ptk.out.drain(5)
            if code != 0 or out != ["hello, ptrace", "second line!"]:
                raise TrialError(f"{what}: ended with {code}, printed {out[-2:]}")
        execs = [line for line in trace.read().splitlines()
                 if re.search(r"execve\(.*\) += 0$", line)]
        if len(execs) != length + 1:
            raise TrialError(f"{what}: {len(execs)} successful execve lines, not {length + 1}")


def trial_vfork_interrupted(env, rng):
    what = "ptk trace -f on a vforking program, ptk told to stop (SIGINT) mid-run"
    argv = [env.ptk, "trace", "-f", "-o", "/dev/null", "--", env.tracee("torture_vfork"), "300"]
    with Process(argv) as ptk:
        ready_pid(ptk, f"{what}: the program's ready line")
        ptk.send()
        time.sleep(rng.uniform(0, 0.05))
        ptk.kill(signal.SIGINT)
        # The program runs on, untraced, and finishes every child.
        ptk.out.wait_for(r"^done \d+$", 60, f"{what}: the program's end")
        if ptk.out.lines[-1] != "done 300":
            raise TrialError(f"{what}: {ptk.out.lines[-1]!r}, not 'done 300'")
        ptk.wait(60, f"{what}: ptk")


def trials(env, cfg):
    for name in SPAWNING:
        yield (f"ptk {name} -- PROGRAM, PROGRAM killed at a random moment", cfg.count,
               lambda n=name: trial_killed_program(env, n, cfg.rng))
    yield (f"{cfg.rt_signals} real-time signals under ptk trace, none lost", 1,
           lambda: trial_rt_signals(env, cfg.rt_signals))
    yield (f"{cfg.exec_chain} execs from non-leader threads under ptk trace -f", 1,
           lambda: trial_exec_chain(env, cfg.exec_chain))
    yield ("a vforking program, ptk trace -f stopped mid-run", cfg.count,
           lambda: trial_vfork_interrupted(env, cfg.rng))
