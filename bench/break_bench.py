#!/usr/bin/env python3
"""Benchmark breakpoint hits: `ptk break ptk_bench_target --count` against gdb.

A measuring harness, not a test: a missed bar does not change its exit status; only a
command that fails does.  It checks the issue's bar: breakpoint hits per second on the
`call_loop N` workload (N calls of ptk_bench_target) at least 10x gdb's, where gdb runs

  gdb -nx -batch -x bp.gdb --args call_loop N
  bp.gdb:  break ptk_bench_target / commands / silent / continue / end / run

and ptk runs `ptk break --count ptk_bench_target -- call_loop N` (one stop per hit: the
displaced instruction runs out of line, see include/ptk/debug/breakpoints.h).  With
--one-cpu, ptk also runs under `taskset -c 0` (tracer and tracee on one CPU, chosen
explicitly: ptk never changes a tracee's affinity).

Commands alternate (gdb, ptk, ...) for --reps rounds; a column's rate is N divided by its
median wall time (start-up included: keep N large enough that it does not matter).  Only
compare ratios taken in one run.
"""

import argparse
import os
import shutil
import statistics
import sys
import tempfile

import benchlib

GDB_BAR = 10.0
GDB_SCRIPT = "break ptk_bench_target\ncommands\nsilent\ncontinue\nend\nrun\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--ptk", help="the ptk binary (default: build/release, else build/ci)")
    ap.add_argument("--reps", type=int, default=3, help="alternating rounds (default 3)")
    ap.add_argument("--calls", type=int, default=20000, help="call_loop's N (default 20000)")
    ap.add_argument("--one-cpu", action="store_true", help="add ptk under taskset -c 0")
    args = ap.parse_args()
    ptk = benchlib.find_ptk(args.ptk, "break_bench")
    tmp = tempfile.mkdtemp(prefix="ptk-break-bench-")
    try:
        [loop_bin] = benchlib.build_workloads(tmp, ["call_loop"])
        loop = [loop_bin, str(args.calls)]
        script = os.path.join(tmp, "bp.gdb")
        with open(script, "w") as f:
            f.write(GDB_SCRIPT)
        columns = {
            "native": loop,
            "gdb": ["gdb", "-nx", "-batch", "-x", script, "--args"] + loop,
            "ptk": [ptk, "break", "--count", "ptk_bench_target", "--"] + loop,
        }
        if args.one_cpu:
            columns["ptk 1cpu"] = ["taskset", "-c", "0"] + columns["ptk"]
        walls = {k: [] for k in columns}
        load_before = os.getloadavg()
        for rep in range(args.reps):
            for key, argv in columns.items():
                wall, out, _, _ = benchlib.run_once(argv, "break_bench")
                if key.startswith("ptk") and f"ptk_bench_target {args.calls}" not in out:
                    sys.exit(f"break_bench: ptk counted wrongly:\n{out}")
                walls[key].append(wall)
            print(f"  round {rep + 1}/{args.reps}: " +
                  "  ".join(f"{k}={v[-1]:.3f}s" for k, v in walls.items()), file=sys.stderr)
        load_after = os.getloadavg()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    rate = {k: args.calls / statistics.median(v) for k, v in walls.items() if k != "native"}
    print(f"call_loop {args.calls}, {args.reps} rounds; load {load_before[0]:.2f} -> "
          f"{load_after[0]:.2f}")
    print(f"{'column':<10} {'median s':>9} {'hits/s':>10} {'x gdb':>7}")
    for key, v in walls.items():
        med = statistics.median(v)
        hits = f"{rate[key]:>10.0f}" if key in rate else f"{'-':>10}"
        ratio = f"{rate[key] / rate['gdb']:>7.1f}" if key in rate else f"{'-':>7}"
        print(f"{key:<10} {med:>9.3f} {hits} {ratio}")
    ok = rate["ptk"] / rate["gdb"] >= GDB_BAR
    print(f"bar: ptk >= {GDB_BAR:.0f}x gdb: {'met' if ok else 'NOT met'}")


if __name__ == "__main__":
    main()
