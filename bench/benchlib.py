"""What the bench scripts share: finding ptk, building the workloads, timing one command.

Each script measures one job against its peer (strace, gdb, ltrace) in one run and reports
ratios; this module holds only the plumbing, so that every script times commands the same way.
"""

import os
import subprocess
import sys
import time

BENCH_DIR = os.path.dirname(os.path.abspath(__file__))
REPO_DIR = os.path.dirname(BENCH_DIR)
WORKLOADS_DIR = os.path.join(BENCH_DIR, "workloads")
DEFAULT_PTK = [os.path.join(REPO_DIR, "build/release/src/cli/ptk"),
               os.path.join(REPO_DIR, "build/ci/src/cli/ptk")]


def find_ptk(path, tool):
    """`path` if given, else the release build's ptk, else the ci build's; exits if none."""
    for candidate in [path] if path else DEFAULT_PTK:
        if candidate and os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return os.path.abspath(candidate)
    sys.exit(f"{tool}: no ptk binary found (build with `cmake --preset release && "
             "cmake --build --preset release`, or pass --ptk)")


def build_workloads(out_dir, names):
    """Builds workloads/NAME into out_dir for each name; returns their paths."""
    paths = [os.path.join(out_dir, n) for n in names]
    subprocess.run(["make", "-s", "-C", WORKLOADS_DIR, f"OUT={out_dir}"] + paths, check=True,
                   stdout=subprocess.DEVNULL)
    return paths


def run_once(argv, tool, check=True):
    """Runs argv to its end (stdin /dev/null, output captured).

    Returns (wall seconds, stdout, stderr, exit status); with `check`, a nonzero exit
    ends the script with the command's last error lines.
    """
    start = time.perf_counter()
    proc = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True)
    wall = time.perf_counter() - start
    out = proc.stdout.decode(errors="replace")
    err = proc.stderr.decode(errors="replace")
    if check and proc.returncode != 0:
        sys.exit(f"{tool}: `{' '.join(argv)}` failed (exit {proc.returncode}):\n{err[-500:]}")
    return wall, out, err, proc.returncode
