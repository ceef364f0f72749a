#!/usr/bin/env python3
"""Article part I, example 2: the arguments of every write() at its entry, its return value
at its exit. The child's own output goes to its stdout, ours to stderr.

    ex2_write_args.py PROGRAM [ARGS...]
"""
import sys

import ptk


def main(argv):
    if len(argv) < 2:
        print(f"usage: {argv[0]} PROGRAM [ARGS...]", file=sys.stderr)
        return 2
    try:
        child = ptk.spawn(argv[1:])
    except ptk.Error as e:
        print(f"ex2: {e}", file=sys.stderr)
        return 1
    for sc in child.syscalls(entries=True):  # sc.args has them decoded by name too
        if sc.name == "write" and sc.entry:
            fd, buf, count = sc.raw_args[:3]
            print(f"Write called with {fd}, {buf:#x}, {count}", file=sys.stderr)
        elif sc.name == "write":
            print(f"Write returned with {sc.ret}", file=sys.stderr)
    return child.exit_code


sys.exit(main(sys.argv))
