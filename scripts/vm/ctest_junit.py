#!/usr/bin/env python3
"""What scripts/test.sh's VM stage reads from ctest's JUnit reports (ctest --output-junit).

  counts JUNIT                  "PASSED FAILED SKIPPED" of one report
  skipped JUNIT OUT             the tests skipped for a host capability ("needs host capability:
                                NAME", tests/integration/test_util.h), one name a line, to OUT;
                                prints how many per capability
  select BUILD_DIR NAMES OUT    ctest's -I file that selects exactly those tests (by number)
  verify JUNIT NAMES            each named test ran and passed; prints the ones that did not
                                and exits 1 if any
"""
import inspect
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

CAPABILITY = re.compile(r"needs host capability: ([a-z0-9-]+)")


def cases(junit):
    return ET.parse(junit).getroot().iter("testcase")


def outcome(case):
    if case.find("failure") is not None or case.find("error") is not None:
        return "failed"
    if case.find("skipped") is not None or case.get("status") in ("notrun", "disabled"):
        return "skipped"
    return "passed" if case.get("status", "run") == "run" else "failed"


def counts(junit):
    tally = {"passed": 0, "failed": 0, "skipped": 0}
    for case in cases(junit):
        tally[outcome(case)] += 1
    print(tally["passed"], tally["failed"], tally["skipped"])


def skipped(junit, out):
    names, per_capability = [], {}
    for case in cases(junit):
        if outcome(case) != "skipped":
            continue
        found = CAPABILITY.search(case.findtext("system-out") or "")
        if found:
            names.append(case.get("name"))
            per_capability[found.group(1)] = per_capability.get(found.group(1), 0) + 1
    with open(out, "w") as f:
        f.writelines(name + "\n" for name in names)
    for capability, n in sorted(per_capability.items()):
        print(f"{n} tests need {capability}")


def read_names(path):
    with open(path) as f:
        return [line.rstrip("\n") for line in f if line.strip()]


def select(build_dir, names_file, out):
    # `ctest -N` numbers the tests of a tree; -I takes "Start,End,Stride,number,number...".
    listing = subprocess.run(["ctest", "--test-dir", build_dir, "-N"], check=True,
                             capture_output=True, text=True).stdout
    number = {}
    for line in listing.splitlines():
        m = re.match(r"\s*Test\s+#(\d+): (.*)$", line)
        if m:
            number[m.group(2)] = m.group(1)
    names = read_names(names_file)
    unknown = [n for n in names if n not in number]
    if unknown:
        sys.exit(f"ctest_junit.py: {len(unknown)} tests not in {build_dir}, e.g. {unknown[0]}")
    with open(out, "w") as f:
        f.write(",".join(["0", "0", "0"] + [number[n] for n in names]) + "\n")


def verify(junit, names_file):
    got = {case.get("name"): outcome(case) for case in cases(junit)}
    bad = [(n, got.get(n, "did not run")) for n in read_names(names_file)
           if got.get(n) != "passed"]
    for name, how in bad:
        print(f"  {name}: {how}")
    sys.exit(1 if bad else 0)


COMMANDS = {"counts": counts, "skipped": skipped, "select": select, "verify": verify}

if __name__ == "__main__":
    command = COMMANDS.get(sys.argv[1]) if len(sys.argv) > 1 else None
    if command is None or len(inspect.signature(command).parameters) != len(sys.argv) - 2:
        sys.exit(__doc__)
    command(*sys.argv[2:])
