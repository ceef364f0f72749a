#!/usr/bin/env python3
"""Article part I, example 1: the first system call of a child.

    ex1_first_syscall.py PROGRAM [ARGS...]

The child starts stopped at its first instruction; its first syscall entry is printed (a child
that execs first thing shows execve: 59 on x86_64, 11 on i386), then it runs on untraced.
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
        print(f"ex1: {e}", file=sys.stderr)
        return 1
    first = next(child.syscalls(entries=True))
    print(f"The child made a system call {first.nr}", flush=True)
    return child.wait_exit()  # as PTRACE_CONT: no more syscall stops


sys.exit(main(sys.argv))
