#!/usr/bin/env python3
"""Article part I, example 5: run a program until its write(2) returns, then single-step it
to its end, printing each instruction before it runs, and count them.

    ex5_step_after_write.py PROGRAM [ARGS...]
"""
import sys

import ptk

if len(sys.argv) < 2:
    sys.exit(print(f"usage: {sys.argv[0]} PROGRAM [ARGS...]", file=sys.stderr) or 2)
try:
    child = ptk.spawn(sys.argv[1:])
    tid = child.run_to_syscall_exit("write")
except ptk.Error as e:
    sys.exit(print(f"ex5: {e}", file=sys.stderr) or 1)


def show(regs):  # before each instruction
    hexbytes, text, _ = child.disassemble(regs.ip, tid)
    print(f"{regs.ip:#x} <{child.symbol(regs.ip)}>  {hexbytes:<20}  {text}")


end = child.step(tid, show)  # to the end, the exit syscall included
print(f"{end['steps']} instructions")
if end["end"] == "Killed":
    print(f"the child was killed by {ptk.signal_name(end['signal'])}", file=sys.stderr)
sys.exit(child.exit_code)
