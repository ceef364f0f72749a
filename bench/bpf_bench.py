#!/usr/bin/env python3
"""Benchmark `ptk trace --backend=bpf` against the untraced program, strace, perf trace and
ptk's ptrace backend, side by side in one run (issue 18's speed bars).

A measuring harness, not a test: a missed bar does not change the exit status; a command
that fails does, and so does any run of the eBPF backend that lost events (its stderr says
"events were lost"), which is reported with the case.

Cases (each traced with -f and its output written to a file in a scratch directory):
  mixed_fs    `mixed_fs /usr/include 1`, full trace.           Bar: bpf/native <= 2.
  getpid      `getpid_loop 2000000`, full trace.                 Bar: bpf/native <= 10.
  threads     `threads 2 2000000`, full trace.                   Bar: bpf/native <= 10.
  filtered    `getpid_loop 2000000`, `-e trace=openat`: what the untraced getpid calls cost,
              so each command also runs as `getpid_loop 1` and the figures are the difference
              (the calls' cost, without start-up: loading the eBPF program, exec, exit).
                                                                 Bar: bpf/native <= 1.05.
  record      `mixed_fs /usr/include 1` with `--record FILE` (eBPF backend).
                                                                 Bar: bpf/native <= 1.5.

How: every command runs once as a warm-up, then the commands of a case run in turn,
alternating, --reps times; a run's wall time is time.perf_counter() around the child's whole
life. The table gives medians in seconds and ptk bpf's median over native's. Compare only
ratios of one run: the header gives the load average.
"""

import argparse
import os
import shlex
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib  # noqa: E402

TOOL = "bpf_bench"


def timed(argv):
    start = time.perf_counter()
    proc = subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE)
    wall = time.perf_counter() - start
    err = proc.stderr.decode(errors="replace")
    return wall, proc.returncode, err


def cases(ptk, work, out):
    w = {n: os.path.join(work, n) for n in ("mixed_fs", "getpid_loop", "threads")}
    mixed = [w["mixed_fs"], "/usr/include", "1"]
    getpid = [w["getpid_loop"], "2000000"]
    threads = [w["threads"], "2", "2000000"]
    o = os.path.join(out, "trace.txt")

    def peers(cmd, extra=()):
        extra = list(extra)
        return {
            "native": cmd,
            "strace": ["strace", "-f", "-o", o] + extra + cmd,
            "perf trace": ["perf", "trace", "-o", o] + (["-e", "openat"] if extra else []) +
            ["--"] + cmd,
            "ptk ptrace": [ptk, "trace", "-f", "-o", o] + extra + ["--"] + cmd,
            "ptk bpf": [ptk, "trace", "--backend=bpf", "-f", "-o", o] + extra + ["--"] + cmd,
        }
    rec = os.path.join(out, "trace.ptkrec")
    return [
        ("mixed_fs", peers(mixed), 2.0, None),
        ("getpid", peers(getpid), 10.0, None),
        ("threads", peers(threads), 10.0, None),
        ("filtered", peers(getpid, ["-e", "trace=openat"]), 1.05,
         peers([w["getpid_loop"], "1"], ["-e", "trace=openat"])),
        ("record", {"native": mixed,
                    "ptk bpf": [ptk, "trace", "--backend=bpf", "-f", "--record", rec, "--"] + mixed},
         1.5, None),
    ]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--ptk", help="the ptk binary (default: build/release, then build/ci)")
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--only", help="comma-separated case names")
    ap.add_argument("--no-peers", action="store_true", help="only native and ptk bpf")
    args = ap.parse_args()
    ptk = benchlib.find_ptk(args.ptk, TOOL)
    failed = False
    with tempfile.TemporaryDirectory(prefix="ptk-bpf-bench-") as tmp:
        work = os.path.join(tmp, "w")
        os.mkdir(work)
        benchlib.build_workloads(work, ["mixed_fs", "getpid_loop", "threads"])
        load = os.getloadavg()
        print(f"# {TOOL}: {args.reps} alternating rounds, load {load[0]:.2f} {load[1]:.2f}")
        print(f"{'case':10} {'command':12} {'median s':>9} {'min s':>8} {'/native':>8}  bar")
        for name, cmds, bar, bases in cases(ptk, work, tmp):
            if args.only and name not in args.only.split(","):
                continue
            if args.no_peers:
                cmds = {k: v for k, v in cmds.items() if k in ("native", "ptk bpf")}
            runs = [(label, argv, False) for label, argv in cmds.items()]
            if bases:
                runs += [(label, bases[label], True) for label in cmds]
            samples = {(label, base): [] for label, _, base in runs}
            lost = 0
            for rep in range(args.reps + 1):  # the first round warms up
                for label, argv, base in runs:
                    wall, rc, err = timed(argv)
                    if label == "ptk bpf" and "events were lost" in err:
                        lost += 1
                    if rc != 0 and not (label == "native" or "events were lost" in err):
                        print(f"{TOOL}: {name}: `{shlex.join(argv)}` failed ({rc}): "
                              f"{err.strip()[-300:]}", file=sys.stderr)
                        failed = True
                    if rep > 0:
                        samples[(label, base)].append(wall)

            def cost(label):
                # The medians, less the start-up run's median where the case has one.
                full = samples[(label, False)]
                med, low = statistics.median(full), min(full)
                if bases:
                    start = statistics.median(samples[(label, True)])
                    med, low = med - start, low - start
                return med, low

            native = cost("native")[0]
            for label in cmds:
                med, low = cost(label)
                ratio = med / native
                verdict = ""
                if label == "ptk bpf":
                    ok = ratio <= bar and lost == 0
                    verdict = f"{'PASS' if ok else 'MISS'} (<= {bar}x, runs losing events: {lost})"
                print(f"{name:10} {label:12} {med:9.3f} {low:8.3f} {ratio:8.2f}  {verdict}")
            if lost:
                failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
