#!/usr/bin/env python3
"""ptk's fault-trial suite: what a tracer must survive without harming what it traces.

  kill -9 of ptk under break/calls/step/trace-with-a-rewrite -p (the target finishes right,
  its code byte-identical); detach by SIGINT/SIGTERM/SIGHUP from targets in states R, S and T
  (mappings as before); inject/call; the traced program SIGKILLed under each subcommand;
  real-time signals; execs from non-leader threads; a vforking program stopped mid-run; attach
  refusals (traced, zombie, kernel thread, gone, another user); hostile bytes in every output;
  a fuzz of every subcommand's command line.

usage: scripts/torture.py [--build DIR] [--trials N] [--large] [--peer-gdb] [--seed S] [--only RE]
  --trials N  runs of each repeated trial (default 2: scripts/test.sh's small counts)
  --large     the counts of issue 13's bars: 100 trials each, 10,000 real-time signals, 100
              execs, 13,000 fuzzed lines
  --peer-gdb  also kill -9 gdb in the same trial, for comparison (its failures are figures,
              printed as "peer:", not failures of the suite)
Prints one line per trial kind (passed/runs) and each failure; exits 1 if any failed.
"""
import argparse
import os
import random
import re
import sys
import time
from types import SimpleNamespace

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from torture import cli_fuzz, detach, faults, hostile, kill9, refusals  # noqa: E402
from torture.harness import TrialError  # noqa: E402

MODULES = [kill9, detach, faults, refusals, hostile, cli_fuzz]


def main():
    ap = argparse.ArgumentParser(usage=__doc__)
    ap.add_argument("--build", default="build/ci")
    ap.add_argument("--trials", type=int, default=2)
    ap.add_argument("--large", action="store_true")
    ap.add_argument("--peer-gdb", action="store_true")
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--only", default="")
    a = ap.parse_args()
    seed = a.seed if a.seed is not None else random.randrange(1 << 30)
    build = os.path.abspath(a.build)
    env = SimpleNamespace(ptk=os.path.join(build, "src/cli/ptk"),
                          tracee=lambda name: os.path.join(build, "tests/tracees", name + "_64"))
    if not os.access(env.ptk, os.X_OK):
        sys.exit(f"torture.py: no ptk at {env.ptk}; build the tree first")
    count = 100 if a.large else a.trials
    cfg = SimpleNamespace(count=count, rng=random.Random(seed), peer_gdb=a.peer_gdb,
                          rt_signals=10000 if a.large else 1000,
                          exec_chain=100 if a.large else 20,
                          fuzz_lines=13000 if a.large else 300)
    print(f"torture.py: seed {seed}, {count} runs of each repeated trial")
    only = re.compile(a.only)
    failed = runs = 0
    start = time.monotonic()
    for module in MODULES:
        for name, times, run in module.trials(env, cfg):
            if not only.search(name):
                continue
            # A peer's trial (gdb's) is a figure to compare with, not a failure of ptk's.
            peer = "(the peer)" in name
            passed = 0
            for _ in range(times):
                try:
                    run()
                    passed += 1
                except TrialError as e:
                    print(f"  {'peer' if peer else 'FAILED'}: {e}", flush=True)
            if not peer:
                runs += times
                failed += times - passed
            print(f"{passed}/{times} {name}", flush=True)
    print(f"torture.py: {runs - failed} of {runs} trial runs of ptk passed in "
          f"{time.monotonic() - start:.0f}s (seed {seed})")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
