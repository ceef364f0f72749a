#!/usr/bin/env python3
"""Benchmark tampering: `ptk trace -e inject=...` against `strace -e inject=...`.

This is a measuring harness, not a test: a missed bar does not change its exit
status; only a command that fails (nonzero exit) does.  It checks the "Speed"
bar of the tampering issue: a matched inject spec costs ptk at most 1.2x what
it costs strace, on write_loop and open_close, the spec matching every call:

  write_loop N   -e inject=write:retval=1     (the write is skipped, returns 1)
  open_close N   -e inject=openat:retval=3:when=3+
                                              (from the 3rd openat on, the call is skipped
                                               and returns 3; the close(3) that follows
                                               fails, unchecked. The first two openat are
                                               the dynamic loader's, which must work)

Each workload runs in two modes, both writing the trace to a file:
  all    every syscall traced:      strace -f -o F -e inject=S W
                                    ptk trace -f -o F -e inject=S -- W
  only   only the tampered syscall: strace -f --seccomp-bpf -e trace=X -o F -e inject=S W
                                    ptk trace -f -e trace=X -o F -e inject=S -- W
         (ptk builds its seccomp filter by itself)

Measurement and table as bench/trace_bench.py (whose code this reuses):
alternating runs, medians of wall time, "/strace" is ptk's median over strace's.
The header gives the load average: only compare ratios taken in one run.
"""

import argparse
import os
import shlex
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import trace_bench as tb  # noqa: E402

BAR = 1.2
WORKLOADS = [
    (["write_loop", "50000"], "write", "write:retval=1"),
    (["open_close", "25000"], "openat", "openat:retval=3:when=3+"),
]


def commands(bin_dir, tmp, ptk, workload, syscall, spec, mode):
    w = [os.path.join(bin_dir, workload[0])] + workload[1:]
    out = os.path.join(tmp, "trace.out")
    inject = ["-e", "inject=" + spec]
    only = ["-e", "trace=" + syscall] if mode == "only" else []
    strace_extra = ["--seccomp-bpf"] if mode == "only" else []
    return [
        tb.Measured("strace", ["strace", "-f"] + strace_extra + only + ["-o", out] + inject + w),
        tb.Measured("ptk", [ptk, "trace", "-f"] + only + ["-o", out] + inject + ["--"] + w),
        tb.Measured("native", w),
    ]


def main(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--ptk", help="ptk binary (default: build/release/src/cli/ptk, else build/ci/...)")
    p.add_argument("--reps", type=int, default=5, help="alternating rounds per case (default 5)")
    p.add_argument("--quiet", action="store_true", help="no progress lines on stderr")
    args = p.parse_args(argv)
    ptk = tb.find_ptk(args.ptk)
    progress = (lambda s: None) if args.quiet else (lambda s: print(s, file=sys.stderr, flush=True))
    load_start = os.getloadavg()
    rows, failed = [], False
    with tempfile.TemporaryDirectory(prefix="ptk-tamper-bench-") as tmp:
        bin_dir = os.path.join(tmp, "bin")
        tb.build_workloads(bin_dir)
        for workload, syscall, spec in WORKLOADS:
            for mode in ("all", "only"):
                label = f"{' '.join(workload)} {mode}"
                progress(f"{label}: -e inject={spec}")
                cmds = commands(bin_dir, tmp, ptk, workload, syscall, spec, mode)
                try:
                    tb.measure(cmds, args.reps, progress)
                except tb.RunFailed as e:
                    progress(f"  FAILED: {e}")
                    rows.append(f"{label:<24} {spec:<18} FAILED {e}")
                    failed = True
                    continue
                med = {m.key: m.median("wall") for m in cmds}
                r = tb.ratio(med["ptk"], med["strace"])
                word = "PASS" if r <= BAR else "MISS"
                rows.append(f"{label:<24} {spec:<18} {med['strace']:8.3f}s {med['ptk']:8.3f}s "
                            f"{med['native']:8.3f}s {r:7.2f}  <= {BAR} {word}")
    load_end = os.getloadavg()
    print(f"# load {[round(x, 2) for x in load_start]} -> {[round(x, 2) for x in load_end]}, "
          f"{os.cpu_count()} CPUs, {args.reps} alternating reps, ptk: {shlex.quote(ptk)}")
    print(f"{'case':<24} {'spec':<18} {'strace':>9} {'ptk':>9} {'native':>9} {'/strace':>7}  bar")
    for row in rows:
        print(row)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
