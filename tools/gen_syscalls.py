#!/usr/bin/env python3
"""Generates ptk's syscall tables from data/syscalls.txt.

Reads the data file (its header describes the format), validates it against itself and against
the kernel's <asm/unistd_64.h> / <asm/unistd_32.h>, and writes into the build tree:

  syscall_table_x86_64.inc, syscall_table_i386.inc
      constexpr tables for src/arch/syscalls.cpp: the specs sorted by number, a dense
      number -> index array and a name-sorted index array.
  syscall_check_x86_64.cpp, syscall_check_i386.cpp
      translation units that static_assert every number against the header the compiler sees
      (one per ABI: both headers define the same macro names).

A number marked '+' in the data file (a syscall that may be newer than the installed headers, its
number taken from the kernel's arch/x86/entry/syscalls/syscall_{64,32}.tbl) is checked against the
headers whenever they define it, like any other. When they do not, the generator keeps the data
file's number and prints one note naming every such syscall, and the check TU carries the
static_assert under #ifdef __NR_name (with a comment in the #else), so newer headers check it at
compile time. An unmarked number the headers lack is still an error.

Errors are reported as FILE:LINE: error: ... and make the script exit with status 1, so a bad
data file fails the build. Outputs are rewritten only when their content changes, so running the
generator again does not recompile anything.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import re
import sys

MAX_REGS = 6

# The ABIs in data-file column order: (column name, prefix of the generated C++ identifiers).
ABIS = (("x86_64", "X86_64"), ("i386", "I386"))

CLASSES = {
    "file": "kClassFile",
    "desc": "kClassDesc",
    "network": "kClassNetwork",
    "process": "kClassProcess",
    "memory": "kClassMemory",
    "signal": "kClassSignal",
    "ipc": "kClassIpc",
    "creds": "kClassCreds",
    "clock": "kClassClock",
    "stat": "kClassStat",
    "lstat": "kClassLstat",
    "fstat": "kClassFstat",
    "stat_like": "kClassStatLike",
    "statfs": "kClassStatfs",
    "fstatfs": "kClassFstatfs",
    "statfs_like": "kClassStatfsLike",
    "pure": "kClassPure",
}

RET_TYPES = {
    "int": "Int",
    "hex": "Hex",
    "fd": "Fd",
    "pid": "Pid",
    "uint": "Uint",
    "mode": "Mode",
    "none": "None",
}

# Every ArgType of include/ptk/arch/syscalls.h, with what its param must be.
PARAM_NONE, PARAM_TABLE, PARAM_LENGTH, PARAM_ID16 = range(4)
ARG_TYPES = {
    "Int": PARAM_NONE,
    "Uint": PARAM_NONE,
    "Long": PARAM_NONE,
    "Ulong": PARAM_NONE,
    "Hex": PARAM_NONE,
    "Ptr": PARAM_NONE,
    "Fd": PARAM_NONE,
    "DirFd": PARAM_NONE,
    "Path": PARAM_NONE,
    "Str": PARAM_NONE,
    "InBuf": PARAM_LENGTH,
    "OutBuf": PARAM_LENGTH,
    "Flags": PARAM_TABLE,
    "Enum": PARAM_TABLE,
    "Mode": PARAM_NONE,
    "Pid": PARAM_NONE,
    "Uid": PARAM_ID16,
    "Gid": PARAM_ID16,
    "Signal": PARAM_NONE,
    "Off": PARAM_NONE,
    "StructIn": PARAM_TABLE,
    "StructOut": PARAM_TABLE,
    "StructInOut": PARAM_TABLE,
    "StrArray": PARAM_NONE,
    "EnvArray": PARAM_NONE,
}

SUFFIXES = ("wide", "pair", "long")

IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
ARG = re.compile(r"(?P<name>[^:]+):(?P<type>[A-Za-z]+)"
                 r"(?:\((?P<param>[^()]*)\))?(?:@(?P<suffix>\w+))?\Z")
HEADER_DEFINE = re.compile(r"^\s*#\s*define\s+__NR_(\w+)\s+(\d+)\s*$")


class DataError(Exception):
    pass


@dataclasses.dataclass
class Arg:
    name: str
    type: str
    param: str
    suffix: str  # "", "wide", "pair" or "long"

    def registers(self, abi: str) -> int:
        if self.suffix == "pair":
            return 2
        if self.type == "Off" or self.suffix == "wide":
            return 2 if abi == "i386" else 1
        return 1


@dataclasses.dataclass
class Row:
    line: int
    name: str
    numbers: dict[str, int]  # ABI -> number, only the ABIs that have it
    from_table: set[str]  # the ABIs whose number is marked '+': it may postdate the headers
    classes: list[str]
    ret: str
    args: list[Arg]

    def registers(self, abi: str) -> list[Arg]:
        """One entry per register the ABI passes, a split value appearing twice."""
        regs: list[Arg] = []
        for arg in self.args:
            regs.extend([arg] * arg.registers(abi))
        return regs


class Reporter:
    def __init__(self, path: str) -> None:
        self.path = path
        self.errors: list[str] = []

    def error(self, line: int, message: str) -> None:
        self.error_at(self.path, line, message)

    def error_at(self, path: str, line: int, message: str) -> None:
        self.errors.append(f"{path}:{line}: error: {message}")


def parse_number(field: str, abi: str, line: int, rep: Reporter) -> tuple[int | None, bool]:
    """The number of one ABI column and whether it is marked '+' (from the kernel's table)."""
    if field == "-":
        return None, False
    marked = field.endswith("+")
    digits = field[:-1] if marked else field
    if not digits.isdigit():
        rep.error(line, f"{abi} number must be a non-negative integer, the same followed by '+', "
                  f"or '-', not '{field}'")
        return None, False
    return int(digits), marked


def parse_arg(text: str, line: int, rep: Reporter) -> Arg | None:
    m = ARG.match(text)
    if not m:
        rep.error(line, f"argument '{text}' is not name:Type, name:Type(param) or name:Type@suffix")
        return None
    name, type_, param, suffix = m["name"], m["type"], m["param"], m["suffix"] or ""
    if not IDENT.match(name):
        rep.error(line, f"argument name '{name}' is not an identifier")
        return None
    if type_ not in ARG_TYPES:
        rep.error(line, f"argument '{name}': unknown type '{type_}' "
                  f"(known: {', '.join(ARG_TYPES)})")
        return None
    if suffix and suffix not in SUFFIXES:
        rep.error(line, f"argument '{name}': unknown suffix '@{suffix}' (known: @wide, @pair, @long)")
        return None
    if suffix == "long" and type_ not in ("Flags", "Enum"):
        rep.error(line, f"argument '{name}': '@long' is for Flags and Enum only")
        return None
    if suffix == "wide" and type_ == "Off":
        rep.error(line, f"argument '{name}': Off is always 64-bit, '@wide' is redundant")
        return None
    rule = ARG_TYPES[type_]
    if rule in (PARAM_TABLE, PARAM_LENGTH) and not param:
        what = "the length argument's name" if rule == PARAM_LENGTH else "a table or struct name"
        rep.error(line, f"argument '{name}': {type_} needs {what} in parentheses")
        return None
    if param and rule == PARAM_NONE:
        rep.error(line, f"argument '{name}': {type_} takes no parameter, got '({param})'")
        return None
    if param and rule == PARAM_ID16 and param != "16":
        rep.error(line, f"argument '{name}': {type_} takes only '(16)', got '({param})'")
        return None
    if param and rule in (PARAM_TABLE, PARAM_LENGTH) and not IDENT.match(param):
        rep.error(line, f"argument '{name}': parameter '{param}' is not an identifier")
        return None
    return Arg(name, type_, param or "", suffix)


def parse_row(fields: list[str], line: int, rep: Reporter) -> Row | None:
    if len(fields) < 5:
        rep.error(line, "expected: name x86_64 i386 classes ret [arg...]")
        return None
    name, nr64, nr32, classes_field, ret = fields[:5]
    errors_before = len(rep.errors)
    if not IDENT.match(name):
        rep.error(line, f"syscall name '{name}' is not an identifier")
    numbers = {}
    from_table = set()
    for (abi, _), field in zip(ABIS, (nr64, nr32)):
        nr, marked = parse_number(field, abi, line, rep)
        if nr is not None:
            numbers[abi] = nr
            if marked:
                from_table.add(abi)
    if nr64 == "-" and nr32 == "-":
        rep.error(line, f"{name}: has no number on any ABI")
    classes = [] if classes_field == "-" else classes_field.split(",")
    for cls in classes:
        if cls not in CLASSES:
            rep.error(line, f"{name}: unknown class '{cls}' (known: {', '.join(CLASSES)})")
    if len(set(classes)) != len(classes):
        rep.error(line, f"{name}: a class is listed twice")
    if ret not in RET_TYPES:
        rep.error(line, f"{name}: unknown return type '{ret}' (known: {', '.join(RET_TYPES)})")
    args = [parse_arg(text, line, rep) for text in fields[5:]]
    if len(rep.errors) != errors_before:
        return None
    row = Row(line, name, numbers, from_table, classes, ret, args)
    check_args(row, rep)
    return row


def check_args(row: Row, rep: Reporter) -> None:
    names = [a.name for a in row.args]
    for dup in sorted({n for n in names if names.count(n) > 1}):
        rep.error(row.line, f"{row.name}: argument '{dup}' appears twice")
    for arg in row.args:
        if ARG_TYPES[arg.type] != PARAM_LENGTH:
            continue
        if arg.param == arg.name:
            rep.error(row.line, f"{row.name}: {arg.type} '{arg.name}' is its own length")
        elif arg.param not in names:
            rep.error(row.line, f"{row.name}: {arg.type} '{arg.name}' names length argument "
                      f"'{arg.param}', which {row.name} does not have")
    for abi in row.numbers:
        regs = len(row.registers(abi))
        if regs > MAX_REGS:
            rep.error(row.line, f"{row.name}: takes {regs} registers on {abi}, "
                      f"more than the {MAX_REGS} a syscall has")


def parse_data(path: str, rep: Reporter) -> list[Row]:
    rows = []
    with open(path, encoding="utf-8") as f:
        for line_no, text in enumerate(f, start=1):
            fields = text.split("#", 1)[0].split()
            if fields:
                row = parse_row(fields, line_no, rep)
                if row:
                    rows.append(row)
    check_unique(rows, rep)
    return rows


def check_unique(rows: list[Row], rep: Reporter) -> None:
    for abi, _ in ABIS:
        by_name: dict[str, Row] = {}
        by_nr: dict[int, Row] = {}
        for row in rows:
            if abi not in row.numbers:
                continue
            nr = row.numbers[abi]
            if row.name in by_name:
                rep.error(row.line, f"{row.name}: second {abi} entry (first at line "
                          f"{by_name[row.name].line})")
            if nr in by_nr:
                rep.error(row.line, f"{row.name}: {abi} number {nr} is already "
                          f"{by_nr[nr].name} (line {by_nr[nr].line})")
            by_name.setdefault(row.name, row)
            by_nr.setdefault(nr, row)


def parse_header(path: str) -> dict[str, tuple[int, int]]:
    """Maps each __NR_ name of the header to (number, line)."""
    numbers = {}
    with open(path, encoding="utf-8") as f:
        for line_no, text in enumerate(f, start=1):
            m = HEADER_DEFINE.match(text)
            if m:
                numbers[m[1]] = (int(m[2]), line_no)
    return numbers


def check_against_header(rows: list[Row], abi: str, header: str, rep: Reporter) -> list[Row]:
    """Checks every number against the header; returns the '+' rows the header does not know."""
    kernel = parse_header(header)
    if not kernel:
        rep.error_at(header, 1, "defines no __NR_* numbers")
        return []
    ours = {row.name: row for row in rows if abi in row.numbers}
    for name, (nr, line) in sorted(kernel.items(), key=lambda item: item[1]):
        if name not in ours:
            rep.error_at(header, line, f"__NR_{name} ({nr}) has no {abi} entry in {rep.path}")
        elif ours[name].numbers[abi] != nr:
            rep.error(ours[name].line, f"{name}: {abi} number is {ours[name].numbers[abi]}, "
                      f"{header} says {nr}")
    beyond = []
    for name, row in ours.items():
        if name in kernel:
            continue
        if abi in row.from_table:
            beyond.append(row)
        else:
            rep.error(row.line, f"{name}: {header} has no __NR_{name} (a syscall newer than the "
                      f"headers takes its number from the kernel's syscall table, marked '+')")
    return beyond


def cpp_string(text: str) -> str:
    """A C++ string literal; "" stays empty so callers can default it."""
    return f'"{text}"' if text else ""


def cpp_spec(row: Row, abi: str) -> str:
    regs = row.registers(abi)
    classes = " | ".join(CLASSES[c] for c in row.classes) or "0"
    args = [f"{{{cpp_string(a.name)}, ArgType::{a.type}, {cpp_string(a.param) or '{}'}"
            f"{', true' if a.suffix == 'long' else ''}}}"
            for a in regs]
    args += ["{}"] * (MAX_REGS - len(regs))
    return (f"    {{{cpp_string(row.name)}, {row.numbers[abi]}, {len(regs)}, {classes}, "
            f"RetType::{RET_TYPES[row.ret]},\n     {{{{{', '.join(args)}}}}}}},\n")


def cpp_list(values: list[int], per_line: int = 16) -> str:
    lines = []
    for i in range(0, len(values), per_line):
        lines.append("    " + ", ".join(str(v) for v in values[i:i + per_line]) + ",")
    return "\n".join(lines)


def generate_table(rows: list[Row], abi: str, prefix: str, data_name: str) -> str:
    table = sorted((r for r in rows if abi in r.numbers), key=lambda r: r.numbers[abi])
    by_nr = [-1] * (table[-1].numbers[abi] + 1)
    for index, row in enumerate(table):
        by_nr[row.numbers[abi]] = index
    by_name = sorted(range(len(table)), key=lambda i: table[i].name.encode())
    out = [f"// Generated by tools/gen_syscalls.py from {data_name}: do not edit.\n",
           f"// The {abi} syscalls ({len(table)}), sorted by number.\n",
           f"constexpr SyscallSpec k{prefix}Specs[] = {{\n"]
    out += [cpp_spec(row, abi) for row in table]
    out.append("};\n\n")
    out.append(f"// Index into k{prefix}Specs for each number, -1 where the number is unused.\n")
    out.append(f"constexpr std::int16_t k{prefix}ByNr[] = {{\n{cpp_list(by_nr)}\n}};\n\n")
    out.append(f"// Indexes into k{prefix}Specs in name order, for binary search.\n")
    out.append(f"constexpr std::uint16_t k{prefix}ByName[] = {{\n{cpp_list(by_name)}\n}};\n")
    return "".join(out)


def generate_check(rows: list[Row], abi: str, header_include: str, data_name: str) -> str:
    out = [f"// Generated by tools/gen_syscalls.py from {data_name}: do not edit.\n",
           f"// Fails to compile when {data_name} and the kernel header the compiler sees\n",
           f"// disagree on an {abi} syscall number.\n",
           f"#include <{header_include}>\n\n"]
    for row in sorted((r for r in rows if abi in r.numbers), key=lambda r: r.numbers[abi]):
        nr = row.numbers[abi]
        check = (f"static_assert(__NR_{row.name} == {nr}, "
                 f"\"{data_name}:{row.line}: {abi} {row.name} is not {nr}\");\n")
        if abi in row.from_table:
            # Checked wherever the header knows it; older headers leave the data file's word.
            out.append(f"#ifdef __NR_{row.name}\n{check}#else\n"
                       f"// {row.name} ({nr}): not in these headers; number from the kernel's "
                       f"syscall table\n#endif\n")
        else:
            out.append(check)
    return "".join(out)


def write_if_changed(path: str, content: str) -> None:
    try:
        with open(path, encoding="utf-8") as f:
            if f.read() == content:
                return
    except FileNotFoundError:
        pass
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(content)
    os.replace(tmp, path)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True, help="data/syscalls.txt")
    parser.add_argument("--unistd64", required=True, help="path of asm/unistd_64.h")
    parser.add_argument("--unistd32", required=True, help="path of asm/unistd_32.h")
    parser.add_argument("--out-dir", required=True, help="directory for the generated files")
    args = parser.parse_args()

    rep = Reporter(args.data)
    rows = parse_data(args.data, rep)
    headers = {"x86_64": args.unistd64, "i386": args.unistd32}
    beyond: dict[str, list[Row]] = {}
    if not rep.errors:
        for abi, _ in ABIS:
            beyond[abi] = check_against_header(rows, abi, headers[abi], rep)
    if rep.errors:
        for message in rep.errors:
            print(message, file=sys.stderr)
        print(f"gen_syscalls.py: {len(rep.errors)} error(s) in {args.data}", file=sys.stderr)
        return 1

    for abi, _ in ABIS:
        if beyond[abi]:
            names = ", ".join(f"{r.name} ({r.numbers[abi]})" for r in beyond[abi])
            print(f"gen_syscalls.py: note: {len(beyond[abi])} {abi} syscalls are not in "
                  f"{headers[abi]}; their numbers are the data file's, from the kernel's syscall "
                  f"table: {names}")

    os.makedirs(args.out_dir, exist_ok=True)
    data_name = "data/syscalls.txt"
    includes = {"x86_64": "asm/unistd_64.h", "i386": "asm/unistd_32.h"}
    for abi, prefix in ABIS:
        write_if_changed(os.path.join(args.out_dir, f"syscall_table_{abi}.inc"),
                         generate_table(rows, abi, prefix, data_name))
        write_if_changed(os.path.join(args.out_dir, f"syscall_check_{abi}.cpp"),
                         generate_check(rows, abi, includes[abi], data_name))
    return 0


if __name__ == "__main__":
    sys.exit(main())
