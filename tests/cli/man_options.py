#!/usr/bin/env python3
"""The man pages against the parsers, so the two never drift apart.

usage: man_options.py PTK MAN_SOURCES_DIR MAN_BUILD_DIR

For ptk and each subcommand (the list of `ptk --help`): docs/man/ptk[-SUB].1.scd exists with
the sections every page has; every option `ptk [SUB] --help` shows is documented in the page's
OPTIONS; and the options the page documents are exactly those the parser has, its hidden
aliases included (`ptk completion options`, read from the same tables the parsers use). Then
each generated page in MAN_BUILD_DIR renders with `man --warnings` without a warning and with
no scdoc markup left over. Exits 1 listing every difference.
"""
import os
import re
import subprocess
import sys
from pathlib import Path

SECTIONS = ["NAME", "SYNOPSIS", "DESCRIPTION", "OPTIONS", "EXIT STATUS", "EXAMPLES", "SEE ALSO"]
OPTION = re.compile(r"(?<![\w-])(--?[A-Za-z0-9][\w-]*)")


def run(*args):
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


def help_options(ptk, sub):
    """The option names in the Options: part of `ptk [SUB] --help`, CLI11's or trace's."""
    text = run(ptk, *([sub] if sub != "ptk" else []), "--help")
    names, in_options = set(), False
    for line in text.splitlines():
        if line.rstrip().endswith(":") and not line.startswith(" "):
            in_options = line.startswith("Options")
            continue
        if not in_options or not line.lstrip().startswith("-"):
            continue
        # The names column ends where the description starts (two spaces), or at CLI11's
        # "Excludes:" note, which names another option.
        column = re.split(r"\s{2,}| Excludes:", line.strip())[0]
        names.update(OPTION.findall(column))
    return names


def subcommands(ptk):
    text = run(ptk, "--help")
    part = text.split("Subcommands:", 1)[1]
    return [line.split()[0] for line in part.splitlines() if line.startswith("  ")]


def page_options(page_text):
    """Options the page defines: the bold names on the term lines of its OPTIONS section."""
    section = re.search(r"^# OPTIONS\n(.*?)(?=^# )", page_text, re.S | re.M)
    if not section:
        return set()
    names = set()
    for line in section.group(1).splitlines():
        if line.startswith("*-"):
            names.update(re.findall(r"\*(--?[A-Za-z0-9][\w-]*)\*", line))
    return names


def main():
    ptk, sources, built = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
    parser = {}
    for line in run(ptk, "completion", "options").splitlines():
        sub, name = line.split()
        parser.setdefault(sub, set()).add(name)

    problems = []
    commands = ["ptk"] + subcommands(ptk)
    checked = 0
    for sub in commands:
        page = sources / ("ptk.1.scd" if sub == "ptk" else f"ptk-{sub}.1.scd")
        if not page.exists():
            problems.append(f"{sub}: no man page {page.name}")
            continue
        text = page.read_text()
        for s in SECTIONS:
            if not re.search(rf"^# {s}$", text, re.M):
                problems.append(f"{page.name}: no {s} section")
        documented = page_options(text)
        shown = help_options(ptk, sub)
        has = parser.get(sub, set())
        checked += len(has)
        for name in sorted(shown - documented):
            problems.append(f"{page.name}: `ptk {sub} --help` shows {name}, the page does not")
        for name in sorted(documented - has):
            problems.append(f"{page.name}: documents {name}, which the parser does not have")
        for name in sorted(has - documented):
            problems.append(f"{page.name}: the parser has {name}, the page does not document it")
        for name in sorted(shown - has):
            problems.append(f"ptk {sub}: --help shows {name}, `ptk completion options` lacks it")
    stray = {p.name for p in sources.glob("*.1.scd")} - {
        "ptk.1.scd" if c == "ptk" else f"ptk-{c}.1.scd" for c in commands}
    problems += [f"{name}: a page for no subcommand" for name in sorted(stray)]

    pages = sorted(built.glob("*.1"))
    if len(pages) != len(commands):
        problems.append(f"{built}: {len(pages)} generated pages, {len(commands)} expected")
    env = dict(os.environ, MANWIDTH="80", LC_ALL="C.UTF-8")
    for page in pages:
        r = subprocess.run(["man", "--warnings", "-l", str(page)], capture_output=True,
                           text=True, env=env)
        if r.returncode != 0 or r.stderr.strip() or not r.stdout.strip():
            problems.append(f"{page.name}: man --warnings says: {r.stderr.strip()!r}")
        # scdoc leaves markup it could not apply as is (an underline opened after '+').
        for raw in re.findall(r"(?<![\w])(?:_[A-Za-z][\w-]*_|\*[A-Za-z-][\w-]*\*)(?![\w])", r.stdout):
            problems.append(f"{page.name}: markup left in the rendered page: {raw}")

    for p in problems:
        print(p)
    print(f"man_options: {len(commands)} pages, {checked} parser options checked, "
          f"{len(pages)} generated pages rendered, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
