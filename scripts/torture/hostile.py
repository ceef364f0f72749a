"""Hostile bytes: a traced program controls file names, strings and memory that ptk prints.
None of its control bytes (ESC, BEL, ...) may reach ptk's own output, in any subcommand or
format: they are escaped."""
import os
import re
import subprocess
import tempfile

from .harness import TrialError

# Bytes a terminal acts on; ptk's own output may hold tabs and newlines only.
CONTROL = re.compile(rb"[\x00-\x08\x0b-\x1f\x7f]")
HOSTILE = "\033[2J\007"


def check_clean(what, data):
    m = CONTROL.search(data)
    if m:
        around = data[max(0, m.start() - 30):m.end() + 10]
        raise TrialError(f"{what}: a raw control byte {m.group()!r} in ptk's output: {around!r}")


def run(argv, what, output_file=None):
    try:
        r = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True, timeout=60)
    except subprocess.TimeoutExpired:
        raise TrialError(f"{what}: hung") from None
    data = r.stderr
    if output_file:
        with open(output_file, "rb") as f:
            data += f.read()
    return r, data


def cases(env, workdir):
    hostile_file = os.path.join(workdir, HOSTILE + "x")
    shell = f'exec 3>"{hostile_file}"; echo hi >&3; printf "{HOSTILE}" >/dev/null'
    out = os.path.join(workdir, "out")
    return {
        "trace -y": ([env.ptk, "trace", "-y", "-o", out, "--", "sh", "-c", shell], out),
        "trace -yy --json": ([env.ptk, "trace", "-yy", "--json", "-o", out, "--", "sh", "-c",
                              shell], out),
        "trace -yy -f (text to stderr)": ([env.ptk, "trace", "-yy", "-f", "--", "sh", "-c",
                                           shell], None),
        "calls": ([env.ptk, "calls", "-o", out, "--", "sh", "-c", shell], out),
        "break --mem": ([env.ptk, "break", "libc:write", "--mem", "rsi:8", "--", "sh", "-c",
                         shell], None),
        "a program named with control bytes": ([env.ptk, "trace", "-o", out, "--",
                                                hostile_file], out),
    }


def trial(env, name):
    with tempfile.TemporaryDirectory(prefix="ptk-hostile-") as workdir:
        argv, out = cases(env, workdir)[name]
        if name.startswith("a program named"):
            with open(os.path.join(workdir, HOSTILE + "x"), "w") as f:
                f.write("#!/bin/sh\nexit 0\n")
            os.chmod(os.path.join(workdir, HOSTILE + "x"), 0o755)
        r, data = run(argv, f"ptk {name}", out)
        # break prints to stdout, where the program's own output does not go (it writes to
        # /dev/null and fd 3).
        check_clean(f"ptk {name}", data + r.stdout.replace(b"hi\n", b""))


def trials(env, cfg):
    for name in ("trace -y", "trace -yy --json", "trace -yy -f (text to stderr)", "calls",
                 "break --mem", "a program named with control bytes"):
        yield f"hostile bytes: ptk {name}", 1, lambda n=name: trial(env, n)
