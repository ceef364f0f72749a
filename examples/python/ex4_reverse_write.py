#!/usr/bin/env python3
"""Article part I, example 4: every write(2) of a program comes out reversed.

    ex4_reverse_write.py ls /tmp

A tamper callback copies the reversed bytes into scratch memory of the thread and points the
write at them; the program's own buffer is never touched, and ptk gives the memory back.
"""
import sys

import ptk


def reverse(stop):
    if stop.entry:
        data = stop.read(stop.arg(1), min(stop.arg(2), 60000))
        stop.set_arg(1, stop.push(data[::-1]))
        stop.set_arg(2, len(data))


if len(sys.argv) < 2:
    sys.exit(print(f"usage: {sys.argv[0]} PROGRAM [ARGS...]", file=sys.stderr) or 2)
run = ptk.Run(sys.argv[1:])
run.tamper(reverse, syscalls=["write"])
try:
    sys.exit(run.run())  # the program's exit code
except ptk.Error as e:
    sys.exit(print(f"ex4: {e}", file=sys.stderr) or 1)
