"""Attach refusals: a process another tracer holds, a zombie, a kernel thread, a pid that does
not exist, and (as nobody) another user's process. Each subcommand answers with one line and a
nonzero status, never a crash or a hang, and a live target is unharmed."""
import signal
import subprocess

from .harness import Process, TrialError, wait_untraced
from .kill9 import finish_target, start_target
from .harness import snapshot

# Each subcommand that takes a pid, with what it needs after it.
TAKES_PID = {
    "trace": ["trace", "-o", "/dev/null", "-p"],
    "break": ["break", "checksum_step", "-p"],
    "calls": ["calls", "-p"],
    "step": ["step", "--count", "-p"],
    "inject": ["inject", "--syscall", "getpid()", "-p"],
    "call": ["call", "getpid()", "-p"],
    "regs": ["regs"],
    "bt": ["bt"],
    "maps": ["maps"],
    "mem": ["mem"],
}
MEM_TAIL = ["read", "0x1000", "16"]


def run_refused(env, name, pid, what, user=None):
    argv = [env.ptk] + TAKES_PID[name] + [str(pid)] + (MEM_TAIL if name == "mem" else [])
    if user:
        argv = ["setpriv", f"--reuid={user}", f"--regid={user}", "--clear-groups"] + argv
    try:
        r = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True, timeout=30)
    except subprocess.TimeoutExpired:
        raise TrialError(f"ptk {name} on {what}: hung") from None
    lines = [l for l in r.stderr.decode(errors="replace").splitlines() if l.strip()]
    if r.returncode <= 0 or len(lines) != 1 or not lines[0].startswith(f"ptk {name}: "):
        raise TrialError(f"ptk {name} on {what}: status {r.returncode}, stderr {lines[:3]}")
    return lines[0]


def trial_zombie(env, name):
    child = subprocess.Popen(["true"])
    try:
        # Not reaped until the end: a zombie.
        with open(f"/proc/{child.pid}/stat") as f:
            while f.read().split(") ")[1][0] != "Z":
                f.seek(0)
        line = run_refused(env, name, child.pid, "a zombie")
        if "zombie" not in line:
            raise TrialError(f"ptk {name} on a zombie does not say so: {line!r}")
    finally:
        child.wait()


def trial_gone(env, name):
    run_refused(env, name, 4194303, "a pid that does not exist")


def trial_kernel_thread(env, name):
    run_refused(env, name, 2, "a kernel thread (kthreadd)")


def trial_traced(env, name):
    with start_target(env) as target:
        before = snapshot(target.pid)
        with Process(["strace", "-o", "/dev/null", "-p", str(target.pid)]) as strace:
            strace.err.wait_for(r"attached", 30, "strace attaching")
            run_refused(env, name, target.pid, "a process strace holds")
            strace.kill(signal.SIGINT)
            strace.wait(30, "strace")
        wait_untraced(target.pid)
        target.send()
        finish_target(target, before, f"ptk {name} refused on a traced process")


def trial_other_user(env, name):
    with start_target(env) as target:
        before = snapshot(target.pid)
        run_refused(env, name, target.pid, "root's process, as nobody", user=65534)
        target.send()
        finish_target(target, before, f"ptk {name} as nobody on root's process")


def trials(env, cfg):
    for name in TAKES_PID:
        yield f"ptk {name} on a zombie", 1, lambda n=name: trial_zombie(env, n)
        yield f"ptk {name} on a pid that does not exist", 1, lambda n=name: trial_gone(env, n)
        yield f"ptk {name} on a kernel thread", 1, lambda n=name: trial_kernel_thread(env, n)
        if name != "maps":  # it reads /proc/PID/maps without attaching: a tracer is no obstacle
            yield f"ptk {name} on a process strace holds", 1, lambda n=name: trial_traced(env, n)
        yield f"ptk {name} as nobody on root's process", 1, lambda n=name: trial_other_user(
            env, n)
