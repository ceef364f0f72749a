#!/usr/bin/env python3
"""Generates ptk's syscall tables from data/syscalls.txt.

Reads the data file (its header describes the format), validates it against itself and against
the kernel's headers, and writes into the build tree:

  syscall_table_x86_64.inc, syscall_table_i386.inc, syscall_table_aarch64.inc
      constexpr tables for src/arch/syscalls.cpp: the specs sorted by number, a dense
      number -> index array and a name-sorted index array.
  syscall_check_x86_64.cpp, syscall_check_i386.cpp, syscall_check_aarch64.cpp
      translation units that static_assert every number against the header the compiler sees
      (one per ABI: the headers define the same macro names).

x86_64 and i386 numbers are read from <asm/unistd_64.h> and <asm/unistd_32.h>, which list them
as plain #defines. aarch64 has no such list: its <asm/unistd.h> sets a few __ARCH_WANT_* macros
and includes the generic <asm-generic/unistd.h>, whose numbers depend on them and on the word
size. The generator runs the C preprocessor (--cpp) over that generic header with the arm64
macros (AARCH64_WANTS) to get the numbers, on any host; the aarch64 check TU includes it the
same way. When the real arm64 header is available (--unistd-aarch64, Debian's
linux-libc-dev:arm64 or an aarch64 host), its macros must equal AARCH64_WANTS.

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
import shlex
import subprocess
import sys

MAX_REGS = 6

# The ABIs in data-file column order: (column name, prefix of the generated C++ identifiers).
ABIS = (("x86_64", "X86_64"), ("i386", "I386"), ("aarch64", "Aarch64"))

# What arch/arm64/include/uapi/asm/unistd.h defines before including the generic table.
AARCH64_WANTS = ("__ARCH_WANT_RENAMEAT", "__ARCH_WANT_NEW_STAT", "__ARCH_WANT_SET_GET_RLIMIT",
                 "__ARCH_WANT_TIME32_SYSCALLS", "__ARCH_WANT_SYS_CLONE3",
                 "__ARCH_WANT_MEMFD_SECRET")
# Names the generic header defines that are not syscalls: the table's size and the first number
# of a range an architecture may use for its own calls (arm64 uses none).
GENERIC_NOT_SYSCALLS = ("syscalls", "arch_specific_syscall")
GENERIC_HEADER = "asm-generic/unistd.h"

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
MACRO_DEFINE = re.compile(r"^#define\s+(\w+)\s+(\w+)\s*$")
WANT_DEFINE = re.compile(r"^\s*#\s*define\s+(__ARCH_WANT_\w+)\b")


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
    fixed = 1 + len(ABIS) + 2
    if len(fields) < fixed:
        rep.error(line, f"expected: name {' '.join(abi for abi, _ in ABIS)} classes ret [arg...]")
        return None
    name = fields[0]
    number_fields = fields[1:1 + len(ABIS)]
    classes_field, ret = fields[1 + len(ABIS):fixed]
    errors_before = len(rep.errors)
    if not IDENT.match(name):
        rep.error(line, f"syscall name '{name}' is not an identifier")
    numbers = {}
    from_table = set()
    for (abi, _), field in zip(ABIS, number_fields):
        nr, marked = parse_number(field, abi, line, rep)
        if nr is not None:
            numbers[abi] = nr
            if marked:
                from_table.add(abi)
    if all(field == "-" for field in number_fields):
        rep.error(line, f"{name}: has no number on any ABI")
    classes = [] if classes_field == "-" else classes_field.split(",")
    for cls in classes:
        if cls not in CLASSES:
            rep.error(line, f"{name}: unknown class '{cls}' (known: {', '.join(CLASSES)})")
    if len(set(classes)) != len(classes):
        rep.error(line, f"{name}: a class is listed twice")
    if ret not in RET_TYPES:
        rep.error(line, f"{name}: unknown return type '{ret}' (known: {', '.join(RET_TYPES)})")
    args = [parse_arg(text, line, rep) for text in fields[fixed:]]
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


def generic_prelude() -> str:
    """The lines that make <asm-generic/unistd.h> number the syscalls as arm64 does."""
    return "".join(f"#define {want}\n" for want in AARCH64_WANTS) + f"#include <{GENERIC_HEADER}>\n"


def aarch64_numbers(cpp: list[str], rep: Reporter) -> dict[str, tuple[int, int]]:
    """The aarch64 __NR_* numbers (line 0: they come from the preprocessor, not a file line)."""
    try:
        out = subprocess.run(cpp + ["-E", "-dM", "-x", "c", "-"], input=generic_prelude(),
                             capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError) as e:
        detail = getattr(e, "stderr", "") or str(e)
        rep.error_at(GENERIC_HEADER, 0, f"preprocessing for aarch64 failed: {detail.strip()}")
        return {}
    macros = dict(m.groups() for m in map(MACRO_DEFINE.match, out.splitlines()) if m)

    def resolve(value: str) -> int | None:
        for _ in range(8):  # __NR_fcntl -> __NR3264_fcntl -> 25
            if value.isdigit():
                return int(value)
            value = macros.get(value, "")
        return None

    numbers = {}
    for macro, value in macros.items():
        name = macro[len("__NR_"):]
        if not macro.startswith("__NR_") or name in GENERIC_NOT_SYSCALLS:
            continue
        nr = resolve(value)
        if nr is None:
            rep.error_at(GENERIC_HEADER, 0, f"{macro} is not a number: {value}")
        else:
            numbers[name] = (nr, 0)
    return numbers


def check_aarch64_wants(header: str, rep: Reporter) -> None:
    """The real arm64 <asm/unistd.h> must ask the generic table for what AARCH64_WANTS says."""
    with open(header, encoding="utf-8") as f:
        wants = {m[1] for m in map(WANT_DEFINE.match, f) if m}
    if wants != set(AARCH64_WANTS):
        rep.error_at(header, 1, f"defines {', '.join(sorted(wants))}; tools/gen_syscalls.py's "
                     f"AARCH64_WANTS says {', '.join(sorted(AARCH64_WANTS))}")


def check_against_header(rows: list[Row], abi: str, header: str, rep: Reporter,
                         kernel: dict[str, tuple[int, int]] | None = None) -> list[Row]:
    """Checks every number against the header; returns the '+' rows the header does not know."""
    if kernel is None:
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


def generate_check(rows: list[Row], abi: str, include: str, data_name: str) -> str:
    out = [f"// Generated by tools/gen_syscalls.py from {data_name}: do not edit.\n",
           f"// Fails to compile when {data_name} and the kernel header the compiler sees\n",
           f"// disagree on an {abi} syscall number.\n",
           include, "\n"]
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
    parser.add_argument("--cpp", required=True,
                        help="C compiler (and flags) to preprocess asm-generic/unistd.h with")
    parser.add_argument("--unistd-aarch64", default="",
                        help="path of the arm64 asm/unistd.h, to check AARCH64_WANTS against")
    parser.add_argument("--out-dir", required=True, help="directory for the generated files")
    args = parser.parse_args()

    rep = Reporter(args.data)
    rows = parse_data(args.data, rep)
    headers = {"x86_64": args.unistd64, "i386": args.unistd32,
               "aarch64": f"{GENERIC_HEADER} (as arm64 includes it)"}
    beyond: dict[str, list[Row]] = {}
    if args.unistd_aarch64:
        check_aarch64_wants(args.unistd_aarch64, rep)
    if not rep.errors:
        known = {"aarch64": aarch64_numbers(shlex.split(args.cpp), rep)}
        for abi, _ in ABIS:
            beyond[abi] = check_against_header(rows, abi, headers[abi], rep, known.get(abi))
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
    includes = {"x86_64": "#include <asm/unistd_64.h>\n", "i386": "#include <asm/unistd_32.h>\n",
                "aarch64": generic_prelude()}
    for abi, prefix in ABIS:
        write_if_changed(os.path.join(args.out_dir, f"syscall_table_{abi}.inc"),
                         generate_table(rows, abi, prefix, data_name))
        write_if_changed(os.path.join(args.out_dir, f"syscall_check_{abi}.cpp"),
                         generate_check(rows, abi, includes[abi], data_name))
    return 0


if __name__ == "__main__":
    sys.exit(main())
