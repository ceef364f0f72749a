#!/usr/bin/env python3
"""Benchmark library-call tracing: `ptk calls` against ltrace.

A measuring harness, not a test: its exit status says only whether every command ran.

The workload `write_loop N` calls libc's write() N times (plus open and close).  Both tracers
write their trace to /dev/null:

  ltrace      ltrace -o /dev/null write_loop N            (every PLT call of the program)
  ptk         ptk calls -o /dev/null -- write_loop N      (every function it imports)
  ltrace -e   ltrace -o /dev/null -e write write_loop N
  ptk -e      ptk calls -o /dev/null -e write -- write_loop N

ltrace puts its breakpoints on the program's PLT entries and steps each over by putting the
original instruction back; ptk puts them on the functions' entries in libc (so it also works
on `-z now` programs, where ltrace sees nothing) and on the return addresses, each hit one stop
(the instruction runs out of line).  A column's rate is calls per second of wall time, from
the median of --reps alternating rounds.  Only compare ratios taken in one run.
"""

import argparse
import os
import shutil
import statistics
import sys
import tempfile

import benchlib


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--ptk", help="the ptk binary (default: build/release, else build/ci)")
    ap.add_argument("--reps", type=int, default=3, help="alternating rounds (default 3)")
    ap.add_argument("--calls", type=int, default=20000, help="write_loop's N (default 20000)")
    args = ap.parse_args()
    ptk = benchlib.find_ptk(args.ptk, "calls_bench")
    if not shutil.which("ltrace"):
        sys.exit("calls_bench: ltrace is not installed (scripts/deps.sh installs it)")
    tmp = tempfile.mkdtemp(prefix="ptk-calls-bench-")
    try:
        [loop_bin] = benchlib.build_workloads(tmp, ["write_loop"])
        loop = [loop_bin, str(args.calls)]
        columns = {
            "native": loop,
            "ltrace": ["ltrace", "-o", "/dev/null"] + loop,
            "ptk": [ptk, "calls", "-o", "/dev/null", "--"] + loop,
            "ltrace -e": ["ltrace", "-o", "/dev/null", "-e", "write"] + loop,
            "ptk -e": [ptk, "calls", "-o", "/dev/null", "-e", "write", "--"] + loop,
        }
        # What each tracer sees, once, to a file: both must report every write.
        for key in ("ltrace", "ptk"):
            trace = os.path.join(tmp, key + ".out")
            argv = [a if a != "/dev/null" else trace for a in columns[key]]
            benchlib.run_once(argv, "calls_bench")
            with open(trace, errors="replace") as f:
                writes = sum(1 for line in f if line.lstrip().startswith("write("))
            if writes != args.calls:
                sys.exit(f"calls_bench: {key} reported {writes} write calls, not {args.calls}")
        walls = {k: [] for k in columns}
        load_before = os.getloadavg()
        for rep in range(args.reps):
            for key, argv in columns.items():
                walls[key].append(benchlib.run_once(argv, "calls_bench")[0])
            print(f"  round {rep + 1}/{args.reps}: " +
                  "  ".join(f"{k}={v[-1]:.3f}s" for k, v in walls.items()), file=sys.stderr)
        load_after = os.getloadavg()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"write_loop {args.calls}, {args.reps} rounds; load {load_before[0]:.2f} -> "
          f"{load_after[0]:.2f}")
    print(f"{'column':<10} {'median s':>9} {'calls/s':>10} {'x ltrace':>9}")
    for key, v in walls.items():
        med = statistics.median(v)
        if key == "native":
            print(f"{key:<10} {med:>9.3f} {'-':>10} {'-':>9}")
            continue
        peer = "ltrace -e" if key.endswith("-e") else "ltrace"
        ratio = statistics.median(walls[peer]) / med
        print(f"{key:<10} {med:>9.3f} {args.calls / med:>10.0f} {ratio:>9.2f}")


if __name__ == "__main__":
    main()
