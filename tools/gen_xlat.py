#!/usr/bin/env python3
"""Generates ptk's flag and value tables (ptk::sys::Xlat) from data/xlat/*.txt.

Each file is one table, named after the file. Lines:
    #kind bits|values     how the table is read (default: values)
    #unknown TEXT         what a value without a name is called in the comment after its
                          number, strace's placeholder (RLIMIT_???); by default the names'
                          common prefix up to an underscore followed by ???; '-': no comment
    #other dec|hex        how a value without a name prints: hex with the placeholder
                          comment (default), or dec: a signed decimal without comment
    #include <header.h>   headers that define the names used without a value
    NAME                  value = the macro NAME from the included headers
    NAME VALUE            value given here (C integer literal or expression), for names the
                          userspace headers lack or define differently from the kernel
    NAME ?                the macro NAME where the included headers define it, else no entry:
                          one architecture's flag (MAP_32BIT is x86's; the table's values are
                          the build target's, the only architecture its tracees have)
    # text                a comment
Every table becomes its own source file, plus one registry sorted by name. A table that
includes headers compiles alone (they may conflict with each other's, e.g. <fcntl.h> and
<linux/fcntl.h>); src/sys/CMakeLists.txt compiles the others in shared buckets.
Outputs are rewritten only when their content changes.
"""
import os
import re
import sys

NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def fail(path, lineno, msg):
    sys.exit(f"{path}:{lineno}: error: {msg}")


def default_unknown(entries):
    """The names' longest common prefix up to its last underscore, or the first name's first
    word: RLIMIT_CPU, RLIMIT_FSIZE... -> RLIMIT_???."""
    names = [name for name, _ in entries]
    prefix = os.path.commonprefix(names)
    cut = prefix.rfind("_")
    if cut > 0:
        return prefix[:cut + 1] + "???"
    first = names[0].find("_")
    return names[0][:first + 1] + "???" if first > 0 else "???"


def parse(path):
    kind, includes, entries = "values", [], []
    unknown, other = None, "hex"
    seen = set()
    with open(path) as f:
        for lineno, line in enumerate(f, 1):
            line = line.rstrip("\n")
            stripped = line.strip()
            if not stripped:
                continue
            if stripped.startswith("#kind"):
                kind = stripped.split()[1] if len(stripped.split()) == 2 else ""
                if kind not in ("bits", "values"):
                    fail(path, lineno, "#kind takes 'bits' or 'values'")
                continue
            if stripped.startswith("#unknown"):
                parts = stripped.split(None, 1)
                if len(parts) != 2:
                    fail(path, lineno, "#unknown takes the placeholder text")
                unknown = "" if parts[1] == "-" else parts[1]
                continue
            if stripped.startswith("#other"):
                other = stripped.split()[1] if len(stripped.split()) == 2 else ""
                if other not in ("dec", "hex"):
                    fail(path, lineno, "#other takes 'dec' or 'hex'")
                continue
            if stripped.startswith("#include"):
                includes.append(stripped)
                continue
            if stripped.startswith("#"):
                continue
            parts = stripped.split(None, 1)
            name = parts[0]
            if not NAME_RE.match(name):
                fail(path, lineno, f"'{name}' is not a valid name")
            if name in seen:
                fail(path, lineno, f"'{name}' appears twice")
            seen.add(name)
            value = parts[1].split("#", 1)[0].strip() if len(parts) > 1 else None
            entries.append((name, value))
    if not entries:
        fail(path, 1, "the table is empty")
    if unknown is None:
        unknown = default_unknown(entries)
    return kind, includes, entries, unknown, other


def write_if_changed(path, text):
    if os.path.exists(path) and open(path).read() == text:
        return
    with open(path, "w") as f:
        f.write(text)


def main():
    if len(sys.argv) < 2:
        sys.exit("usage: gen_xlat.py OUTDIR TABLE.txt...")
    outdir, files = sys.argv[1], sorted(sys.argv[2:])
    os.makedirs(outdir, exist_ok=True)
    names = []
    for path in files:
        table = os.path.splitext(os.path.basename(path))[0]
        if not NAME_RE.match(table):
            fail(path, 1, "the file name must be a C identifier")
        kind, includes, entries, unknown, other = parse(path)
        names.append(table)
        rows = []
        for name, value in entries:
            optional = value == "?"
            expr = name if value is None or optional else value
            row = f'    {{static_cast<std::uint64_t>({expr}), "{name}"}},'
            rows.extend([f"#ifdef {name}", row, "#endif"] if optional else [row])
        text = "\n".join([
            f"// Generated by tools/gen_xlat.py from {os.path.relpath(path)}; do not edit.",
            *includes,
            '#include "ptk/sys/xlat.h"',
            "",
            "namespace ptk::sys {",
            f"static const XlatEntry kEntries_{table}[] = {{",
            *rows,
            "};",
            f'extern const Xlat kXlat_{table} = {{"{table}", '
            f'XlatKind::{"Bits" if kind == "bits" else "Values"}, kEntries_{table}, '
            f'"{unknown}", {"true" if other == "dec" else "false"}}};',
            "}  // namespace ptk::sys",
            "",
        ])
        write_if_changed(os.path.join(outdir, f"xlat_{table}.cpp"), text)
    names.sort()
    reg = [
        "// Generated by tools/gen_xlat.py; do not edit.",
        '#include "ptk/sys/xlat.h"',
        "",
        "namespace ptk::sys {",
        *[f"extern const Xlat kXlat_{n};" for n in names],
        "extern const Xlat* const kXlatRegistry[] = {",
        *[f"    &kXlat_{n}," for n in names],
        "    nullptr,  // keeps the array non-empty; not counted in the size",
        "};",
        f"extern const std::size_t kXlatRegistrySize = {len(names)};",
        "}  // namespace ptk::sys",
        "",
    ]
    write_if_changed(os.path.join(outdir, "xlat_registry.cpp"), "\n".join(reg))
    write_if_changed(os.path.join(outdir, "xlat_files.cmake"),
                     "set(PTK_XLAT_GENERATED\n" +
                     "".join(f"  {outdir}/xlat_{n}.cpp\n" for n in names) +
                     f"  {outdir}/xlat_registry.cpp)\n")


if __name__ == "__main__":
    main()
