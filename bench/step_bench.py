#!/usr/bin/env python3
"""Benchmark single-stepping: `ptk step --count` against gdb's `stepi` and a raw loop.

A measuring harness, not a test: a missed bar does not change its exit status; only a
command that fails does.  It checks the "Speed" bars of the debugging issue:

  ptk step --count -- spin N     must step at least 5x as fast as gdb's `stepi`,
                                 and at least 0.8x as fast as a raw PTRACE_SINGLESTEP loop.

The three step the same program from its first instruction to its exit (the workload
`spin N`, dynamic: ld.so start-up plus 3 instructions per iteration, see
workloads/spin.c):

  gdb   gdb -nx -batch -ex 'set startup-with-shell off' -ex starti -ex 'stepi 1000000000'
            --args spin N      (stepi stops when the program exits)
  raw   step_raw spin N        (bench/step_raw.c: PTRACE_TRACEME, then PTRACE_SINGLESTEP and
                                a blocking waitpid until the exit; nothing else)
  ptk   ptk step --count -- spin N   (by default ptk and the stepped thread share one CPU
                                      between the thread's syscalls, see debug/cpu_pin.h)
  ptk --no-same-cpu                  (without that: a short spin before blocking in the wait;
                                      plus each --variant)

The step count of a run is what ptk and step_raw print (they agree to within the exit
instruction, which ptk counts and the raw loop cannot see); gdb's is taken to be ptk's.

How it measures: every command runs once as a warm-up on `spin 1`, then the commands run in
turn, alternating (gdb, raw, ptk, variants, gdb, ...), --reps times, so that load from the
rest of the machine hits each alike.  A run's time is the wall time of the whole process
(stdout and stderr to a pipe), its CPU time user+sys from wait4.  The table gives median
seconds, steps per second (steps / median seconds), and the ratios of ptk's rate to gdb's
and to the raw loop's.  --one-cpu adds the raw loop and ptk pinned with `taskset -c 0`
(tracer and tracee on one CPU, chosen explicitly: ptk never changes a tracee's affinity).

Only compare ratios taken in the same run: on an idle 2-CPU machine most of a stop's cost
is waking an idle CPU; on a loaded one that cost partly disappears.
"""

import argparse
import json
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile

import benchlib

BENCH_DIR = os.path.dirname(os.path.abspath(__file__))
GDB_BAR = 5.0   # ptk's rate / gdb's, at least
RAW_BAR = 0.8   # ptk's rate / the raw loop's, at least


def last_number(text):
    for line in reversed(text.strip().splitlines()):
        if line.strip().isdigit():
            return int(line)
    return None


class Column:
    def __init__(self, key, argv, counts_from):
        self.key = key
        self.argv = argv
        self.counts_from = counts_from  # "stdout", "stderr" or None (gdb: ptk's count)
        self.walls = []
        self.cpus = []
        self.steps = []

    def run(self):
        before = os.times()
        wall, out, err, code = benchlib.run_once(self.argv, "step_bench", check=False)
        after = os.times()
        cpu = (after.children_user - before.children_user) + \
              (after.children_system - before.children_system)
        if code != 0 or (self.key == "gdb" and "exited normally" not in out + err):
            raise RuntimeError(f"failed (exit {code}): {shlex.join(self.argv)}\n{err[-500:]}")
        steps = None
        if self.counts_from == "stdout":
            steps = last_number(out)
        elif self.counts_from == "stderr":
            steps = last_number(err)
        return wall, cpu, steps

    def median(self):
        return statistics.median(self.walls)

    def spread(self):
        mid = self.median()
        return (max(self.walls) - min(self.walls)) / mid if mid else 0.0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--ptk", help="the ptk binary (default: build/release, else build/ci)")
    ap.add_argument("--reps", type=int, default=3, help="alternating rounds (default 3)")
    ap.add_argument("--iterations", type=int, default=10000,
                    help="spin's argument (default 10000: about 140,000 steps)")
    ap.add_argument("--variant", action="append", default=[],
                    help='one more ptk column with these extra arguments, e.g. '
                         '--variant="--spin-us 0" (note the =: the value starts with a dash)')
    ap.add_argument("--one-cpu", action="store_true",
                    help="add the raw loop and ptk pinned to CPU 0 (taskset -c 0)")
    ap.add_argument("--no-gdb", action="store_true", help="leave gdb out (it is the slow one)")
    ap.add_argument("--json", action="store_true", help="results as JSON on stdout")
    ap.add_argument("--quiet", action="store_true", help="no per-round progress on stderr")
    args = ap.parse_args()
    ptk = benchlib.find_ptk(args.ptk, "step_bench")
    progress = (lambda msg: None) if args.quiet else (lambda msg: print(msg, file=sys.stderr))

    tmp = tempfile.mkdtemp(prefix="ptk-step-bench-")
    try:
        [spin] = benchlib.build_workloads(tmp, ["spin"])
        raw = os.path.join(tmp, "step_raw")
        subprocess.run(["cc", "-O2", "-o", raw, os.path.join(BENCH_DIR, "step_raw.c")],
                       check=True)

        def columns_for(n):
            workload = [spin, str(n)]
            cols = []
            if not args.no_gdb:
                cols.append(Column("gdb", ["gdb", "-nx", "-batch", "-ex",
                                           "set startup-with-shell off", "-ex", "starti", "-ex",
                                           "stepi 1000000000", "--args"] + workload, None))
            cols.append(Column("raw", [raw] + workload, "stderr"))
            cols.append(Column("ptk", [ptk, "step", "--count", "--"] + workload, "stdout"))
            for v in ["--no-same-cpu"] + args.variant:
                cols.append(Column(f"ptk {v}", [ptk, "step", "--count"] + shlex.split(v) +
                                   ["--"] + workload, "stdout"))
            if args.one_cpu:
                cols.append(Column("raw 1cpu", ["taskset", "-c", "0", raw] + workload, "stderr"))
                cols.append(Column("ptk 1cpu", ["taskset", "-c", "0", ptk, "step", "--count",
                                                "--"] + workload, "stdout"))
            return cols

        for c in columns_for(1):
            c.run()  # warm-up: page cache, gdb's own start-up files
        columns = columns_for(args.iterations)
        load_before = os.getloadavg()
        for rep in range(args.reps):
            for c in columns:
                wall, cpu, steps = c.run()
                c.walls.append(wall)
                c.cpus.append(cpu)
                if steps is not None:
                    c.steps.append(steps)
            progress(f"  round {rep + 1}/{args.reps}: " +
                     "  ".join(f"{c.key}={c.walls[-1]:.2f}s" for c in columns))
        load_after = os.getloadavg()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    by_key = {c.key: c for c in columns}
    ptk_steps = statistics.median(by_key["ptk"].steps)
    results = []
    for c in columns:
        steps = statistics.median(c.steps) if c.steps else ptk_steps
        results.append({
            "column": c.key, "argv": c.argv, "walls": c.walls, "cpus": c.cpus,
            "median_s": c.median(), "spread": c.spread(), "steps": steps,
            "steps_per_s": steps / c.median(),
        })
    rate = {r["column"]: r["steps_per_s"] for r in results}
    ratios = {}
    for r in results:
        if not r["column"].startswith("ptk") or r["column"].endswith("1cpu"):
            continue
        if "gdb" in rate:
            ratios[f"{r['column']}/gdb"] = r["steps_per_s"] / rate["gdb"]
        ratios[f"{r['column']}/raw"] = r["steps_per_s"] / rate["raw"]
    if "ptk 1cpu" in rate:
        ratios["ptk 1cpu/raw 1cpu"] = rate["ptk 1cpu"] / rate["raw 1cpu"]

    if args.json:
        json.dump({"iterations": args.iterations, "reps": args.reps,
                   "load": [load_before, load_after], "results": results, "ratios": ratios},
                  sys.stdout, indent=2)
        print()
        return
    print(f"spin {args.iterations}, {args.reps} rounds, load average "
          f"{load_before[0]:.2f} -> {load_after[0]:.2f}, {os.cpu_count()} CPUs")
    print(f"{'column':<22}{'median s':>10}{'cpu s':>8}{'steps':>10}{'steps/s':>10}{'noise':>8}")
    for r in results:
        print(f"{r['column']:<22}{r['median_s']:>10.3f}{statistics.median(r['cpus']):>8.2f}"
              f"{r['steps']:>10.0f}{r['steps_per_s']:>10.0f}{r['spread']:>7.0%}")
    for name, value in ratios.items():
        bar = GDB_BAR if name.endswith("/gdb") else RAW_BAR if name.endswith("/raw") else None
        verdict = "" if bar is None else (f"  bar >= {bar}: " +
                                          ("PASS" if value >= bar else "MISS"))
        print(f"{name:<22}{value:>10.2f}x{verdict}")


if __name__ == "__main__":
    main()
