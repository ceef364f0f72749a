#!/usr/bin/env python3
"""What the eBPF backend costs a traced program: bench/workloads natively and under
ptk_bpf_drain (the backend with the real capture plans, every record read and thrown away).

A measuring harness, not a test. Runs alternate (native, bpf, native, bpf, ...) --reps times
after a warm-up. Both times are the drain's own "from fork to the reaped end" figure (-n runs
the command untraced); the bpf program's load, a fixed start-up cost, is shown apart ("start":
the whole run minus that figure). The ratio is medians, traced over native. Lost records are the sum over the runs (the bars want 0). The load average
is printed at the start and the end: on a shared machine it says how far to trust the numbers.

usage: bench/bpf_drain_bench.py [--build build/ci] [--reps 5] [-e EXPR] [CASE...]
  a CASE is "WORKLOAD ARGS..." (default: "getpid_loop 2000000" "mixed_fs /usr/include 1")
"""

import argparse
import os
import re
import statistics
import sys
import tempfile

import benchlib

DEFAULT_CASES = ["getpid_loop 2000000", "mixed_fs /usr/include 1"]
DRAIN_LINE = re.compile(r"bpf_drain: ([0-9.]+) s, (\d+) records, (\d+) bytes, (\d+) lost")


def load():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build", default=os.path.join(benchlib.REPO_DIR, "build/ci"))
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("-e", dest="expr", default=None, help="the drain's -e trace= expression")
    ap.add_argument("cases", nargs="*", default=DEFAULT_CASES)
    a = ap.parse_args()
    drain = os.path.join(a.build, "tests/ptk_bpf_drain")
    if not os.access(drain, os.X_OK):
        sys.exit(f"bpf_drain_bench: no {drain} (build the ptk_bpf_drain target)")
    out = tempfile.mkdtemp(prefix="ptk-bpf-bench.")
    names = sorted({c.split()[0] for c in a.cases})
    benchlib.build_workloads(out, names)
    print(f"load average at start: {load()}  ({os.cpu_count()} CPUs)")
    print(f"{'case':32} {'native':>8} {'bpf':>8} {'ratio':>6} {'start':>6} {'records':>9} "
          f"{'lost':>6}")
    for case in a.cases:
        words = case.split()
        argv = [os.path.join(out, words[0])] + words[1:]
        traced = [drain] + (["-e", a.expr] if a.expr else []) + argv
        benchlib.run_once(argv, "bpf_drain_bench")  # warm-up: caches, page tables
        native, bpf, start, lost, records = [], [], [], 0, 0
        for _ in range(a.reps):
            m = DRAIN_LINE.search(benchlib.run_once([drain, "-n"] + argv, "bpf_drain_bench")[2])
            native.append(float(m.group(1)))
            wall, _, err, _ = benchlib.run_once(traced, "bpf_drain_bench")
            m = DRAIN_LINE.search(err)
            if not m:
                sys.exit(f"bpf_drain_bench: no summary from the drain:\n{err[-300:]}")
            bpf.append(float(m.group(1)))
            start.append(wall - float(m.group(1)))
            records = int(m.group(2))
            lost += int(m.group(4))
        n, b = statistics.median(native), statistics.median(bpf)
        print(f"{case:32} {n:8.3f} {b:8.3f} {b / n:6.2f} {statistics.median(start):6.2f} "
              f"{records:9d} {lost:6d}")
    print(f"load average at end:   {load()}")


if __name__ == "__main__":
    main()
