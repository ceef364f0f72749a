#!/usr/bin/env python3
"""Benchmark: the cost of a Python callback per syscall stop, next to a C++ hook and to
python-ptrace, on one workload in one run.

A measuring harness, not a test: it prints medians and ratios and never fails on a figure.
Every case runs `getpid_loop N` (N raw getpid syscalls, bench/workloads) and counts the
getpid entries and exits (2N stops) in a callback:

  native          the workload alone
  cpp_hook        ptk_hook_bench: a C++ tamper::Hook on the engine (Engine + TraceJob)
  py_tamper       ptk.Run(...).tamper(callback, ["getpid"]): a Python callback per stop
  py_on_syscall   ptk.Run(...).on_syscall(callback, "getpid", entries=True): a decoded
                  ptk.Syscall (args, strace text) built and handed to Python per stop
  py_iterate      for sc in ptk.spawn(...).syscalls(entries=True): the pull iterator
  python_ptrace   Debian's python3-ptrace: PTRACE_SYSCALL loop, orig_rax read per stop

The commands alternate round by round (so load hits each alike); the wall time and the CPU
time (user + system, the command's and its children's: tracer and tracee) of the whole
command, medians over --reps rounds. "us/stop" is (median - native median) / stops, and for
the Python cases minus the interpreter's start too (start_ptk, start_ptrace: python3 importing
ptk or ptrace.debugger, nothing traced); "/cpp" is a case's per-stop cost over the C++ hook's.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib  # noqa: E402

PY = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable


def child(mode, argv):
    """One traced run of argv, counting getpid stops; prints the count on stderr."""
    count = 0
    if mode == "start_ptk":  # what the ptk cases pay before their first stop
        __import__("ptk")
        count = 2 * int(argv[1])
    elif mode == "start_ptrace":  # the same for python-ptrace
        __import__("ptrace.debugger")
        count = 2 * int(argv[1])
    elif mode == "python_ptrace":
        from ptrace.debugger import PtraceDebugger, ProcessExit
        from ptrace.debugger.child import createChild
        nr = 39  # getpid on x86_64
        dbg = PtraceDebugger()
        proc = dbg.addProcess(createChild(argv, no_stdout=False), is_attached=True)
        proc.syscall()
        while True:
            try:
                dbg.waitSyscall(proc)
            except ProcessExit:
                break
            if proc.getreg("orig_rax") == nr:
                count += 1
            proc.syscall()
        dbg.quit()
    else:
        import ptk

        def tick(_):
            nonlocal count
            count += 1
        if mode == "py_iterate":
            p = ptk.spawn(argv)
            for sc in p.syscalls(entries=True):
                if sc.name == "getpid":
                    count += 1
        else:
            run = ptk.Run(argv)
            if mode == "py_tamper":
                run.tamper(tick, syscalls=["getpid"])
            else:
                run.on_syscall(tick, filter="getpid", entries=True)
            run.run()
    print(f"{count} stops", file=sys.stderr)


def run_once(cmd, env):
    """Runs cmd to its end; returns (wall seconds, CPU seconds of it and its children)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        sys.exit(f"python_overhead: `{' '.join(cmd)}` failed (exit {proc.returncode})")
    return wall, usage.ru_utime + usage.ru_stime


def main(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--build", default=os.path.join(benchlib.REPO_DIR, "build/ci"),
                   help="the build tree with python/ (default build/ci)")
    p.add_argument("--reps", type=int, default=5, help="alternating rounds (default 5)")
    p.add_argument("--calls", type=int, default=20000, help="getpid calls (default 20000)")
    p.add_argument("--child", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    a = p.parse_args(argv)
    if a.child:
        child(a.child[0], a.child[1:])
        return 0
    env = dict(os.environ, PYTHONPATH=os.path.join(os.path.abspath(a.build), "python"))
    hook = os.path.join(a.build, "python", "ptk_hook_bench")
    with tempfile.TemporaryDirectory(prefix="ptk-pybench.") as tmp:
        (work,) = benchlib.build_workloads(tmp, ["getpid_loop"])
        w = [work, str(a.calls)]
        me = [PY, os.path.abspath(__file__), "--child"]
        cases = {
            "native": w,
            "start_ptk": me + ["start_ptk"] + w,
            "start_ptrace": me + ["start_ptrace"] + w,
            "cpp_hook": [hook, "getpid", "--"] + w,
            "py_tamper": me + ["py_tamper"] + w,
            "py_on_syscall": me + ["py_on_syscall"] + w,
            "py_iterate": me + ["py_iterate"] + w,
            "python_ptrace": me + ["python_ptrace"] + w,
        }
        times = {name: [] for name in cases}
        cpus = {name: [] for name in cases}
        stops = 2 * a.calls
        for name, cmd in cases.items():  # warm-up, and a check that each counts every stop
            r = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600)
            if name != "native" and f"{stops} stops" not in r.stderr:
                sys.exit(f"{name}: expected {stops} stops: {r.stderr[-400:]}")
        for rep in range(a.reps):
            for name, cmd in cases.items():
                wall, cpu = run_once(cmd, env)
                times[name].append(wall)
                cpus[name].append(cpu)
            print(f"round {rep + 1}/{a.reps}", file=sys.stderr)
    load = os.getloadavg()
    print(f"getpid_loop {a.calls}: {stops} stops; {a.reps} rounds; load average "
          f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; {os.cpu_count()} CPUs")
    print(f"{'case':<15} {'wall s':>7} {'us/stop':>8} {'/cpp':>5}   {'CPU s':>6} {'us/stop':>8} "
          f"{'/cpp':>5}")
    rows = {}
    for col, data in (("wall", times), ("cpu", cpus)):
        native = statistics.median(data["native"])
        for name in cases:
            med = statistics.median(data[name])
            base = native
            if name.startswith("py_"):
                base += statistics.median(data["start_ptk"])
            elif name == "python_ptrace":
                base += statistics.median(data["start_ptrace"])
            rows.setdefault(name, []).append((med, (med - base) / stops))
    for name in cases:
        cells = []
        for i in range(2):
            med, per = rows[name][i]
            cpp = rows["cpp_hook"][i][1]
            ratio = f"{per / cpp:5.2f}" if name not in ("native", "start_ptk", "start_ptrace") \
                else "    -"
            cells.append(f"{med:7.3f} {per * 1e6:8.2f} {ratio}")
        print(f"{name:<15} {cells[0]}   {cells[1][1:]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
