#!/usr/bin/env python3
"""Report of bench/strace-suite.sh: strace's test suite run with strace and with `ptk trace`.

Reads the automake harness's files that the script moved to WORK/results/{strace,ptk}/
(NAME.trs holds the result, NAME.log the test's output: ptk's error or the diff), writes
WORK/report.tsv (one line a test) and prints the totals and ptk's failures grouped by cause.

A cause is read from the ptk run's log of a test (and ptk's lines in the kept files of the
test's folder), first match wins:
  skipped: REASON           the test skipped itself under ptk
  error message differs     a syntax test: ptk's complaint about a bad option is not strace's
  option refused: -X        ptk said "unknown option '-X...'" (the option, without its value),
                            or refused an -e qualifier (-e read=) or a repeated option
  option value refused: -X  ptk knows the option but not the value given (--quiet=personality)
  unknown syscall name      ptk refused a name in -e trace= ("... is not a syscall ...")
  timeout/hang              the suite's time limit (TIMEOUT_DURATION) killed the test
  test program failed: P    the test's own program P failed, before or after the trace
  tracee killed by SIG      the traced program died of a signal below (ptk exits as it did)
  crash                     ptk died of SIGSEGV, SIGABRT, SIGBUS, SIGILL or SIGFPE, or a
                            sanitizer or std::terminate said so
  output differs: FAMILY    the output is not what the test expects (a diff, a failed pattern);
                            FAMILY groups the tests by name (ioctl, prctl, netlink/nlattr, ...)
  ptk error: MESSAGE        another complaint of ptk's, numbers and quoted words blanked
  ptk exit N                ptk exited with N and said nothing the above knows
  other: MESSAGE            the test failed for a reason of its own (its failure message)
"""

import argparse
import collections
import os
import re
import sys

# Test-name families for "output differs", in the order the issue lists them; first match wins.
FAMILIES = [
    ("ioctl", r"^ioctl"),
    ("prctl", r"^prctl"),
    ("netlink/nlattr", r"^(nf)?netlink|^nlattr"),
    ("sockopt", r"sockopt|^so_"),
    ("clone", r"^clone"),
    ("sched", r"^sched_"),
    ("futex", r"^futex"),
    ("quotactl", r"^quotactl"),
    ("status", r"^status-"),
    ("xattr", r"xattr"),
    ("io_uring", r"^io_uring"),
    ("openat2", r"^openat2"),
    ("bpf", r"^bpf"),
]

# ptk's death by one of these signals is a crash; 128+N is how the shell reports it.
CRASH_SIGNALS = {4: "SIGILL", 6: "SIGABRT", 7: "SIGBUS", 8: "SIGFPE", 11: "SIGSEGV"}

PASSING = ("PASS", "XFAIL")


def result_of(path):
    """The harness's verdict in a .trs file (PASS, FAIL, SKIP, ERROR, XFAIL, XPASS), or NOTRUN."""
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            for line in f:
                if line.startswith(":test-result:"):
                    return line.split(":", 2)[2].strip()
    except FileNotFoundError:
        pass
    return "NOTRUN"


def read_log(path):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return f.read()
    except FileNotFoundError:
        return ""


def folder_complaints(path):
    """ptk's own lines ("ptk trace: ...") in the kept files of a test's folder: some tests send
    the tracer's stderr there, so the .log does not say why they failed."""
    lines = []
    if os.path.isdir(path):
        for name in sorted(os.listdir(path)):
            text = read_log(os.path.join(path, name))
            lines += re.findall(r"^ptk(?: trace)?: .*$", text, re.M)
    return "\n".join(lines)


def family(test):
    for name, pattern in FAMILIES:
        if re.search(pattern, test):
            return name
    return "other"


def option_name(word):
    """'-a22' -> '-a'; '--decode-pids=pidns' -> '--decode-pids'; the value is not the cause."""
    if word.startswith("--"):
        return word.split("=", 1)[0]
    if word.startswith("-") and len(word) > 2:
        return word[:2]
    return word


def blank(message, limit=90):
    """A message with its specifics blanked, so that like complaints group together."""
    message = re.sub(r"'[^']*'", "'…'", message)
    message = re.sub(r'"[^"]*"', '"…"', message)
    message = re.sub(r"(\.{0,2}/[\w.+-]+)+", "PATH", message)
    message = re.sub(r"\b0x[0-9a-fA-F]+\b|\b\d+\b", "N", message)
    message = " ".join(message.split())
    return message[:limit]


def first_diff_line(log):
    """The first line the test expected and did not get (else the first one it got extra)."""
    minus = plus = None
    for line in log.splitlines():
        if line.startswith("---") or line.startswith("+++"):
            continue
        if minus is None and line.startswith("-"):
            minus = line
        elif plus is None and line.startswith("+"):
            plus = line
        if minus is not None:
            break
    return (minus or plus or "")[:120]


def failure_line(log):
    """The suite's own failure message: 'NAME.test: failed test: ...' (last one)."""
    found = ""
    for line in log.splitlines():
        m = re.search(r": (?:failed test|framework failure): (.*)$", line)
        if m:
            found = m.group(1)
    return found


def classify(test, result, log):
    """(cause, detail) of a test that did not pass under ptk."""
    if result == "NOTRUN":
        return "not run", ""
    if result == "SKIP":
        m = re.search(r"(?:skipped test|framework skip): (.*)", log)
        return "skipped: " + blank(m.group(1) if m else "no reason given"), ""
    failed = failure_line(log)
    # The syntax tests give bad options on purpose and compare strace's complaint; ptk's own
    # complaint there is no refusal of the option, it is a different message.
    if "failed to print expected diagnostics" in failed:
        return "error message differs", failed[:120]
    m = re.search(r"unknown option '([^']*)'", log)
    if m:
        return "option refused: " + option_name(m.group(1)), m.group(1)
    m = re.search(r"-e (\w+)=.*; unknown qualifier", log)
    if m:
        return f"option refused: -e {m.group(1)}=", m.group(0)[:120]
    # CLI11's words for an option given more often than ptk takes it (strace keeps the last -o).
    m = re.search(r"^ptk(?: trace)?: (\S+): At Most \d+ required but received \d+", log, re.M)
    if m:
        return f"option refused: {m.group(1)} given twice", m.group(0)[:120]
    # CLI11's own words when an option's value does not parse, e.g. --quiet=personality.
    m = re.search(r"Could not convert: (\S+) = (.*?)(?: \(see|$)", log, re.M)
    if m:
        return "option value refused: " + option_name(m.group(1)), f"{m.group(1)}={m.group(2)}"
    m = re.search(r"ptk trace: (.*not a syscall.*)", log)
    if m:
        return "unknown syscall name", m.group(1)[:120]
    if re.search(r"time limit \(\d+\) exceeded", log):
        return "timeout/hang", failed[:120]
    # Whether the failed command is the tracer ($STRACE, or `unshare -Urpf $STRACE`) or the
    # test's own program (../NAME: on a newer kernel than the suite's, some fail by themselves).
    tracer = re.match(r"(unshare -Urpf )?\S*strace ", failed) is not None
    m = re.search(r"failed with code (\d+)$", failed)
    code = int(m.group(1)) if m else None
    m = re.match(r"\.\./(\S+).* failed with code", failed)
    if m:
        return "test program failed: " + m.group(1), failed[:120]
    if code is not None and code - 128 in CRASH_SIGNALS and tracer:
        sig = CRASH_SIGNALS[code - 128]
        # Like strace, ptk exits as its tracee died: then the trace ends in "killed by".
        if f"+++ killed by {sig}" in log:
            return "tracee killed by " + sig, failed[:120]
        return "crash", sig + ": " + failed[:100]
    if re.search(r"^terminate called|AddressSanitizer|UndefinedBehaviorSanitizer", log, re.M):
        return "crash", failed[:120]
    if "output mismatch" in failed or "Failed patterns of expected output" in log:
        return "output differs: " + family(test), first_diff_line(log)
    ptk_said = [line for line in re.findall(r"^ptk(?: trace)?: (.*)$", log, re.M)
                if not re.match(r"Process \d+ (attached|detached)", line)]
    if ptk_said:
        return "ptk error: " + blank(ptk_said[0]), ptk_said[0][:120]
    if code is not None and tracer:
        return "ptk exit %d" % code, failed[:120]
    return "other: " + blank(failed or "no failure message"), failed[:120]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--work", required=True, help="bench/strace-suite.sh's work folder")
    ap.add_argument("--tests", required=True, help="file with the test names, one a line")
    ap.add_argument("--top", type=int, default=25, help="causes shown in the table")
    args = ap.parse_args()

    with open(args.tests) as f:
        tests = [t.strip() for t in f if t.strip()]
    rows = []
    for test in tests:
        base = test[: -len(".test")] if test.endswith(".test") else test
        res = {}
        for run in ("strace", "ptk"):
            d = os.path.join(args.work, "results", run)
            res[run] = result_of(os.path.join(d, base + ".trs"))
        cause = detail = ""
        if res["ptk"] not in PASSING:
            d = os.path.join(args.work, "results", "ptk", base)
            log = read_log(d + ".log") + "\n" + folder_complaints(d + ".dir")
            cause, detail = classify(base, res["ptk"], log)
        strace_cause = ""
        if res["strace"] not in PASSING:
            log = read_log(os.path.join(args.work, "results", "strace", base + ".log"))
            strace_cause = classify(base, res["strace"], log)[0]
        rows.append((test, res["strace"], res["ptk"], cause, detail, strace_cause))

    tsv = os.path.join(args.work, "report.tsv")
    with open(tsv, "w") as f:
        f.write("test\tstrace\tptk\tcause\tdetail\n")
        for test, s, p, cause, detail, _ in rows:
            detail = detail.replace("\t", " ")
            f.write(f"{test}\t{s}\t{p}\t{cause}\t{detail}\n")

    def count(results):
        c = collections.Counter(results)
        return ", ".join(f"{k} {v}" for k, v in sorted(c.items(), key=lambda kv: -kv[1]))

    out = sys.stdout
    meta = {}
    for run in ("strace", "ptk"):
        path = os.path.join(args.work, "results", run + ".meta")
        if os.path.exists(path):
            with open(path) as f:
                meta[run] = dict(line.rstrip("\n").split("=", 1) for line in f if "=" in line)
    binary = read_log(os.path.join(args.work, "results", "ptk.binary")).strip()

    out.write(f"\n== strace's test suite: {len(rows)} tests ==\n")
    for run in ("strace", "ptk"):
        m = meta.get(run, {})
        when = f" ({m['seconds']}s, finished {m['finished']})" if m else ""
        out.write(f"{run:6} results: {count(r[1 if run == 'strace' else 2] for r in rows)}{when}\n")
    if binary:
        out.write(f"ptk binary: {binary}\n")

    base_pass = [r for r in rows if r[1] in PASSING]
    both = [r for r in base_pass if r[2] in PASSING]
    lost = [r for r in base_pass if r[2] not in PASSING]
    gained = [r for r in rows if r[1] not in PASSING and r[2] in PASSING]
    pct = 100.0 * len(both) / len(base_pass) if base_pass else 0.0
    out.write(f"\npass with strace:           {len(base_pass)}\n")
    out.write(f"of those, pass with ptk:    {len(both)} ({pct:.1f}%; the bar is 90%: "
              f"{'met' if pct >= 90 else 'not met'})\n")
    out.write(f"pass with ptk, not strace:  {len(gained)}"
              + (f" ({', '.join(r[0] for r in gained[:8])}{' ...' if len(gained) > 8 else ''})"
                 if gained else "") + "\n")

    causes = collections.Counter(r[3] for r in lost)
    out.write(f"\n== why ptk fails {len(lost)} tests that pass with strace ==\n")
    out.write(f"{'count':>5}  cause  (examples)\n")
    for cause, n in causes.most_common(args.top):
        examples = [r[0] for r in lost if r[3] == cause][:3]
        out.write(f"{n:5}  {cause}  ({', '.join(examples)})\n")
    rest = sum(n for _, n in causes.most_common()[args.top:])
    if rest:
        out.write(f"{rest:5}  ... {len(causes) - args.top} more causes (report.tsv)\n")

    kinds = collections.Counter(r[3].split(":")[0] for r in lost)
    out.write("\nby kind: " + ", ".join(f"{k} {v}" for k, v in kinds.most_common()) + "\n")

    # The same failures, by the option ptk refused (or whose value it refused).
    refused = collections.Counter(r[3].split(": ", 1)[1] for r in lost
                                  if r[3].startswith(("option refused:", "option value refused:")))
    if refused:
        out.write("refused options: " + ", ".join(f"{o} {n}" for o, n in refused.most_common())
                  + "\n")

    strace_fail = collections.Counter(r[5] for r in rows if r[1] not in PASSING and r[5])
    if strace_fail:
        out.write("\n== the tests that do not pass with strace, by cause ==\n")
        for cause, n in strace_fail.most_common(10):
            out.write(f"{n:5}  {cause.replace('ptk ', 'strace ')}\n")
    out.write(f"\nper test: {tsv}\n")


if __name__ == "__main__":
    main()
