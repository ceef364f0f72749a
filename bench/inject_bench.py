#!/usr/bin/env python3
"""Benchmark remote syscalls and calls (`ptk inject`, `ptk call`) against gdb's `call`, and .so injection.

This is a measuring harness, not a test: a missed bar does not change its exit
status; only a command that fails (nonzero exit) does.  It checks the "Speed"
bar of the injection issue: the median round trip of a remote syscall (attach,
syscall, restore, detach) at least 20x faster than gdb's:

  ptk       `ptk inject -p PID --syscall 'getpid()'`
  ptk-call  `ptk call -p PID 'getpid()'`
  gdb       `gdb -p PID -batch -ex 'call (int)getpid()'`

and the .so bar (< 50 ms): `ptk inject -p PID --lib SO` (a load: dlopen through the
target's libc, constructor run), each followed by an untimed `--unload`.

Both run against the same target, a process sleeping in a blocking read (here
`sleep`-like: `cat` reading a pipe nobody writes to), so both must interrupt a
blocking syscall and restart it.  The commands alternate (ptk, gdb, ptk, gdb,
...) --reps times after one warm-up run each, so that machine noise hits both
alike; a run's time is time.perf_counter() around the whole command (process
start-up included: that is what a user waits for).  After the runs the target
must still be alive and reading, and each command's output is checked once
(ptk prints `getpid() = PID`, gdb `$1 = PID`).

The table gives the median, min and max in milliseconds, and the ratio
gdb/ptk of the medians with PASS (>= 20) or MISS.  The header line gives the
load average: only compare ratios taken in the same run.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys

import benchlib

BAR = 20.0
LIB_BAR_MS = 50.0


def run_once(argv):
    """Runs argv; returns (seconds, stdout) or exits with its error."""
    wall, out, _, _ = benchlib.run_once(argv, "inject_bench")
    return wall, out


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--ptk", help="ptk binary (default: build/release/src/cli/ptk, else build/ci/...)")
    p.add_argument("--reps", type=int, default=15, help="timed runs of each command (15)")
    p.add_argument("--lib", help="shared object to load (default: tests/tracees/inject_marker_64.so "
                   "of ptk's build tree)")
    args = p.parse_args()
    ptk = benchlib.find_ptk(args.ptk, "inject_bench")
    lib = args.lib or os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(
        os.path.abspath(ptk)))), "tests/tracees/inject_marker_64.so")
    if not os.path.exists(lib):
        sys.exit(f"inject_bench: no shared object {lib} (pass --lib)")
    if not shutil.which("gdb"):
        sys.exit("inject_bench: gdb is not installed")

    # The target: blocked in read(0) on a pipe that stays open and empty.
    read_fd, write_fd = os.pipe()
    target = subprocess.Popen(["cat"], stdin=read_fd, stdout=subprocess.DEVNULL)
    os.close(read_fd)
    pid = str(target.pid)
    commands = {
        "ptk": [ptk, "inject", "-p", pid, "--syscall", "getpid()"],
        "ptk-call": [ptk, "call", "-p", pid, "getpid()"],
        "gdb": ["gdb", "-nx", "-q", "-p", pid, "-batch", "-ex", "call (int)getpid()"],
        "ptk-lib": [ptk, "inject", "-p", pid, "--lib", lib],
    }
    unload = [ptk, "inject", "-p", pid, "--lib", lib, "--unload"]
    expected = {"ptk": f"getpid() = {pid}", "ptk-call": f"getpid() = {pid} (",
                "gdb": f"$1 = {pid}", "ptk-lib": "loaded "}
    times = {name: [] for name in commands}
    try:
        for name, argv in commands.items():  # warm-up, and a check of what each prints
            _, out = run_once(argv)
            if expected[name] not in out:
                sys.exit(f"inject_bench: {name} printed {out!r}, not {expected[name]!r}")
            if name == "ptk-lib":
                run_once(unload)
        for _ in range(args.reps):
            for name, argv in commands.items():
                times[name].append(run_once(argv)[0])
                if name == "ptk-lib":
                    run_once(unload)
        if target.poll() is not None:
            sys.exit("inject_bench: the target died during the runs")
        # It still reads: one line in, the same line out of cat (to /dev/null), then EOF.
        os.write(write_fd, b"still reading\n")
    finally:
        os.close(write_fd)
        try:
            target.wait(timeout=10)
        except subprocess.TimeoutExpired:
            target.kill()
            target.wait()

    load = os.getloadavg()
    print(f"remote getpid round trip, {args.reps} runs each, load average "
          f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    print(f"{'command':8} {'median ms':>10} {'min ms':>8} {'max ms':>8}")
    for name, values in times.items():
        print(f"{name:8} {statistics.median(values) * 1e3:10.2f} {min(values) * 1e3:8.2f} "
              f"{max(values) * 1e3:8.2f}")
    for name in ("ptk", "ptk-call"):
        ratio = statistics.median(times["gdb"]) / statistics.median(times[name])
        verdict = "PASS" if ratio >= BAR else "MISS"
        print(f"gdb/{name} = {ratio:.1f} (bar >= {BAR:.0f}): {verdict}")
    lib_ms = statistics.median(times["ptk-lib"]) * 1e3
    print(f".so load (ptk-lib) median {lib_ms:.2f} ms (bar < {LIB_BAR_MS:.0f} ms): "
          f"{'PASS' if lib_ms < LIB_BAR_MS else 'MISS'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
