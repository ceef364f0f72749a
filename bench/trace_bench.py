#!/usr/bin/env python3
"""Benchmark `ptk trace` against strace (and the untraced program) on bench/workloads.

This is a measuring harness, not a test: a missed bar does not change its exit
status; only a command that fails (nonzero exit) does, and is reported.  It checks the "Speed" bars of issue 3 ("ptk trace"):

  full      Full tracing to a file, default decoding:
            `strace -f -o F W` vs `ptk trace -f -o F -- W`.
            Bar: ptk/strace <= 0.5 (<= 0.9 for `threads`).
  filtered  Filtered tracing of a spawned tracee, only openat traced:
            `strace -f --seccomp-bpf -e trace=openat -o F W` (strace's best case)
            vs `ptk trace -f -e trace=openat -o F -- W` (ptk's automatic seccomp
            filter), both compared to W run alone ("native").
            Bar: ptk/native <= 1.2 (getpid_loop, write_loop), <= 1.5 (threads).
  memory    Peak resident memory (max RSS) of full tracing of mixed_fs.
            Bar: ptk/strace <= 1.5.

How it measures: every command runs once as a warm-up, then the commands of a
case run in turn, alternating (strace, ptk, native, strace, ptk, native, ...),
--reps times (3 x --reps for the filtered cases, whose runs last well under a
second), so that machine noise hits them all alike.  A run's wall time is
time.perf_counter() around the child's whole life (stdout and stderr to
/dev/null); its CPU time comes from os.wait4().  The memory case runs each
command under GNU time (`/usr/bin/time -f %M`): its max RSS is the largest
among the tracer and the tracees it waited for, i.e. max(tracer, tracee); the
"native" column shows the tracee's own, so a larger figure is the tracer's.

How to read the table: the time columns are medians in seconds (MB for memory);
"/strace" and "/native" are ptk's median over theirs; "cpu" is the median
user+sys time of the ptk run (tracer and tracee together), which shows what a
spinning wait costs, and "cpu/" its ratio to the bar's reference (strace or
native): under load it is steadier than wall time, but blind to the time spent
waiting for a CPU to wake up; "noise" is the larger spread (max-min)/median
of the two columns in the bar's ratio.  Each bar is printed with PASS or MISS.

Only compare ratios taken in the same run: absolute times swing with the
machine's load (on an idle 2-CPU machine a ptrace stop mostly costs the wake-up
of an idle CPU; on a busy one that cost partly disappears, and short runs
mostly measure waiting for a CPU).  The header line gives the load average.

Extra ptk columns: --variant "ARGS" (repeatable) adds a ptk run with extra
arguments to every timed case, in the same alternation, e.g. to compare
`--spin-us` settings; --spin-sweep 0,20,50 is a shortcut for one variant
`--spin-us N` per value.
"""

import argparse
import json
import os
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field

import benchlib

BENCH_DIR = os.path.dirname(os.path.abspath(__file__))
WORKLOAD_DIR = os.path.join(BENCH_DIR, "workloads")
TIME_BIN = "/usr/bin/time"  # GNU time, for max RSS


@dataclass
class Case:
    """One measured situation: a group (full/filtered/memory), a workload and a bar."""
    group: str
    workload: list          # [name, args...]; name is a binary in the build dir
    bar: float | None       # the largest acceptable ratio (None: for reference only)
    bar_of: str             # which ratio the bar applies to: "ptk/strace" or "ptk/native"
    metric: str = "time"    # "time" (wall seconds) or "rss" (max RSS, KiB)
    reps_factor: int = 1    # short cases run reps_factor * --reps rounds, for steadier medians
    with_strace: bool = True  # False: no strace column (it would take minutes)
    tag: str = ""           # the case's name when the workload's name is not unique

    @property
    def name(self):
        return f"{self.group}.{self.tag or self.workload[0]}"

    @property
    def label(self):
        return " ".join(self.workload)


CASES = [
    Case("full", ["getpid_loop", "20000"], 0.5, "ptk/strace"),
    Case("full", ["write_loop", "20000"], 0.5, "ptk/strace"),
    Case("full", ["open_close", "10000"], 0.5, "ptk/strace"),
    Case("full", ["mixed_fs", "/usr/include", "1"], 0.5, "ptk/strace"),
    Case("full", ["fork_exec", "200"], 0.5, "ptk/strace"),
    Case("full", ["threads", "2", "20000"], 0.9, "ptk/strace"),
    # The filtered bars are about what an untraced syscall costs, so the loops are long
    # enough (~0.2 s native) that the fixed start-up of a tracer (~4 ms for ptk and strace
    # alike: fork, exec, building the BPF filter) is a few percent, not a third, of a run.
    Case("filtered", ["getpid_loop", "2000000"], 1.2, "ptk/native"),
    Case("filtered", ["write_loop", "2000000"], 1.2, "ptk/native"),
    # strace restarts new threads in full-trace mode (~1000x native here): at this size it
    # would run for minutes, so its reference figure comes from the smaller case below.
    Case("filtered", ["threads", "2", "2000000"], 1.5, "ptk/native", with_strace=False),
    # No bar: at 6 ms native, start-up dominates; this case is here for strace's ratio.
    Case("filtered", ["threads", "2", "50000"], None, "ptk/native", reps_factor=3,
         tag="threads_small"),
    Case("memory", ["mixed_fs", "/usr/include", "1"], 1.5, "ptk/strace", metric="rss"),
]


@dataclass
class Sample:
    wall: float     # seconds
    cpu: float      # user + sys seconds of the child and its waited-for descendants
    rss_kib: int    # max RSS, KiB
    status: int     # wait status


@dataclass
class Measured:
    """All samples of one command line."""
    key: str                # column name: "strace", "ptk", "native", or "ptk <variant args>"
    argv: list
    samples: list = field(default_factory=list)

    def median(self, what):
        return statistics.median(getattr(s, what) for s in self.samples)

    def spread(self, what):
        values = [getattr(s, what) for s in self.samples]
        mid = statistics.median(values)
        return (max(values) - min(values)) / mid if mid else 0.0


# ---------------------------------------------------------------- running

def run_once(argv, rss_file=None):
    """Runs argv with stdio to /dev/null; returns a Sample.

    With rss_file, argv runs under `/usr/bin/time -f %M -o rss_file` and the Sample's
    rss_kib is read from there: wait4's own ru_maxrss would be polluted by this Python
    process, whose memory the child holds until it execs (Linux keeps the pre-exec
    high-water mark).  GNU time is small, so its child starts clean.
    """
    if rss_file:
        argv = [TIME_BIN, "-f", "%M", "-o", rss_file] + argv
    with open(os.devnull, "wb") as null:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=null, stderr=null)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)  # keep Popen from waiting again
    rss = usage.ru_maxrss
    if rss_file and proc.returncode == 0:
        with open(rss_file) as f:
            rss = int(f.read().split()[-1])
    return Sample(wall, usage.ru_utime + usage.ru_stime, rss, status)


class RunFailed(Exception):
    pass


def check_ok(measured, sample):
    code = os.waitstatus_to_exitcode(sample.status)
    if code != 0:
        raise RunFailed(f"exit {code}: {shlex.join(measured.argv)}")


def measure(commands, reps, progress, rss_file=None):
    """Warms up each command once, then runs them alternating, reps rounds."""
    for m in commands:
        check_ok(m, run_once(m.argv, rss_file))
    for rep in range(reps):
        for m in commands:
            sample = run_once(m.argv, rss_file)
            check_ok(m, sample)
            m.samples.append(sample)
        progress(f"  round {rep + 1}/{reps}: " +
                 "  ".join(f"{m.key}={m.samples[-1].wall:.3f}s" for m in commands))


# ---------------------------------------------------------------- commands

def build_workloads(out_dir):
    subprocess.run(["make", "-s", "-C", WORKLOAD_DIR, f"OUT={out_dir}"], check=True,
                   stdout=subprocess.DEVNULL)


def commands_for(case, bin_dir, tmp_dir, ptk, ptk_args, variants):
    """The command lines of a case, in the order they alternate."""
    workload = [os.path.join(bin_dir, case.workload[0])] + case.workload[1:]
    out = os.path.join(tmp_dir, "trace.out")
    filt = ["-e", "trace=openat"] if case.group == "filtered" else []
    strace_extra = ["--seccomp-bpf"] if case.group == "filtered" else []
    commands = []
    if case.with_strace:
        commands.append(
            Measured("strace", ["strace", "-f"] + strace_extra + filt + ["-o", out] + workload))
    for key, extra in [("ptk", ptk_args)] + variants:
        argv = [ptk, "trace"] + extra + ["-f"] + filt + ["-o", out, "--"] + workload
        commands.append(Measured(key, argv))
    commands.append(Measured("native", workload))  # for memory: the tracee's own RSS
    return commands


# ---------------------------------------------------------------- results

def ratio(a, b):
    return a / b if b else float("inf")


def case_result(case, commands):
    """A JSON-able summary of one case: medians, ratios, the bar, pass/miss."""
    what = "wall" if case.metric == "time" else "rss_kib"
    cols = {m.key: m for m in commands}
    result = {
        "case": case.name, "workload": case.label, "metric": case.metric,
        "bar": case.bar, "bar_of": case.bar_of,
        "median": {k: m.median(what) for k, m in cols.items()},
        "min": {k: min(getattr(s, what) for s in m.samples) for k, m in cols.items()},
        "cpu_median": {k: m.median("cpu") for k, m in cols.items()},
        "spread": {k: m.spread(what) for k, m in cols.items()},
        "samples": {k: [getattr(s, what) for s in m.samples] for k, m in cols.items()},
        "ptk": {},
    }
    med = result["median"]
    for key in cols:
        if not key.startswith("ptk"):
            continue
        r = {"ptk/strace": ratio(med[key], med["strace"]) if "strace" in med else None,
             "ptk/native": ratio(med[key], med["native"])}
        r["pass"] = None if case.bar is None else r[case.bar_of] <= case.bar
        result["ptk"][key] = r
    if case.metric == "time" and "strace" in med:
        result["strace/native"] = ratio(med["strace"], med["native"])
    return result


def fmt_value(metric, v):
    if v is None:
        return f"{'-':>9}"
    return f"{v:8.3f}s" if metric == "time" else f"{v / 1024:7.1f}MB"


def verdict(r, case_bar, bar_of):
    value = r[bar_of]
    if case_bar is None:
        return f"{bar_of} {value:5.2f} (reference, no bar)"
    word = "PASS" if r["pass"] else "MISS"
    return f"{bar_of} {value:5.2f} <= {case_bar:.2f} {word}" + (
        "" if r["pass"] else f" (x{value / case_bar:.2f} over)")


def print_table(results, out):
    head = (f"{'case':<9} {'workload':<23} {'column':<14} {'strace':>9} {'native':>9} "
            f"{'ptk':>9} {'/strace':>7} {'/native':>7} {'cpu':>7} {'cpu/':>5} {'noise':>5}  bar")
    print(head, file=out)
    print("-" * len(head), file=out)
    for res in results:
        if "error" in res:
            print(f"{res['case'].split('.')[0]:<9} {res['workload']:<23} FAILED {res['error']}",
                  file=out)
            continue
        metric, med, cpu = res["metric"], res["median"], res["cpu_median"]
        denominator = res["bar_of"].split("/")[1]
        group = res["case"].split(".")[0]
        for key, r in res["ptk"].items():
            noise = max(res["spread"][key], res["spread"][denominator])
            per_strace = "-" if r["ptk/strace"] is None else f"{r['ptk/strace']:.2f}"
            print(f"{group:<9} {res['workload']:<23} {key:<14} "
                  f"{fmt_value(metric, med.get('strace'))} "
                  f"{fmt_value(metric, med['native'])} {fmt_value(metric, med[key])} "
                  f"{per_strace:>7} {r['ptk/native']:7.2f} {cpu[key]:6.3f}s "
                  f"{ratio(cpu[key], cpu[denominator]):5.2f} {noise:5.0%}  "
                  f"{verdict(r, res['bar'], res['bar_of'])}", file=out)
        if group == "filtered" and "strace/native" in res:
            print(f"{'':<9} {'':<23} {'(strace)':<14} {'':>9} {'':>9} {'':>9} {'':>7} "
                  f"{res['strace/native']:7.2f} {cpu['strace']:6.3f}s "
                  f"{ratio(cpu['strace'], cpu['native']):5.2f}", file=out)


# ---------------------------------------------------------------- main

def find_ptk(path):
    return benchlib.find_ptk(path, "trace_bench")


def select_cases(only):
    if not only:
        return CASES
    chosen = [c for c in CASES if any(c.name == o or c.group == o or c.workload[0] == o
                                      for o in only)]
    if not chosen:
        sys.exit(f"trace_bench: --only {only} matches no case; cases: " +
                 ", ".join(c.name for c in CASES))
    return chosen


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter,
                                epilog="cases: " + ", ".join(c.name for c in CASES))
    p.add_argument("--ptk", help="ptk binary (default: build/release/src/cli/ptk, else build/ci/...)")
    p.add_argument("--reps", type=int, default=5, help="alternating rounds per case (default 5)")
    p.add_argument("--only", action="append", default=[],
                   help="run only this case, group or workload (full, filtered.threads, "
                        "getpid_loop, ...); repeatable")
    p.add_argument("--extra-ptk-args", default="", help='extra arguments for `ptk trace`, e.g. "--spin-us 50"')
    p.add_argument("--variant", action="append", default=[],
                   help='an extra ptk column with these arguments, e.g. "--spin-us 0"; repeatable')
    p.add_argument("--spin-sweep", default="",
                   help="comma-separated --spin-us values, one extra ptk column each")
    p.add_argument("--build-dir", help="where to build the workloads (default: a temp dir)")
    p.add_argument("--json", action="store_true", help="print the results as JSON instead of a table")
    p.add_argument("--json-out", metavar="FILE", help="also write the JSON results to FILE")
    p.add_argument("--quiet", action="store_true", help="no progress lines on stderr")
    args = p.parse_args(argv)
    if args.reps < 1:
        p.error("--reps must be at least 1")
    return args


def variants_of(args):
    variants = [("ptk " + v, shlex.split(v)) for v in args.variant]
    for us in filter(None, (s.strip() for s in args.spin_sweep.split(","))):
        variants.append((f"ptk spin={us}", ["--spin-us", us]))
    return variants


def machine_note():
    load = os.getloadavg()
    return {"date": time.strftime("%Y-%m-%d %H:%M"), "cpus": os.cpu_count(),
            "loadavg_at_start": [round(x, 2) for x in load]}


def main(argv):
    args = parse_args(argv)
    ptk = find_ptk(args.ptk)
    cases = select_cases(args.only)
    variants = variants_of(args)
    ptk_args = shlex.split(args.extra_ptk_args)
    progress = (lambda s: None) if args.quiet else (lambda s: print(s, file=sys.stderr, flush=True))
    note = machine_note()
    with tempfile.TemporaryDirectory(prefix="ptk-bench-") as tmp:
        bin_dir = os.path.abspath(args.build_dir or os.path.join(tmp, "bin"))
        build_workloads(bin_dir)
        results = []
        for case in cases:
            progress(f"{case.name}: {case.label}")
            commands = commands_for(case, bin_dir, tmp, ptk, ptk_args, variants)
            rss_file = os.path.join(tmp, "rss") if case.metric == "rss" else None
            try:
                measure(commands, args.reps * case.reps_factor, progress, rss_file)
                results.append(case_result(case, commands))
            except RunFailed as e:
                progress(f"  FAILED: {e}")
                results.append({"case": case.name, "workload": case.label, "error": str(e)})
    note.update(ptk=ptk, reps=args.reps, extra_ptk_args=ptk_args,
                loadavg_at_end=[round(x, 2) for x in os.getloadavg()])
    report = {"machine": note, "results": results}
    if args.json_out:
        with open(args.json_out, "w") as f:
            json.dump(report, f, indent=1)
    if args.json:
        json.dump(report, sys.stdout, indent=1)
        print()
    else:
        print(f"# {note['date']}, {note['cpus']} CPUs, load {note['loadavg_at_start']} -> "
              f"{note['loadavg_at_end']}, {args.reps} alternating reps (filtered: "
              f"{3 * args.reps}), ptk: {ptk} "
              f"{shlex.join(ptk_args)}")
        print_table(results, sys.stdout)
    return 1 if any("error" in r for r in results) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
