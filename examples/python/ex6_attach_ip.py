#!/usr/bin/env python3
"""Article part II, example 6: attach to a running process, print its instruction pointer and
the instruction there, and detach; the process carries on as before.

    ex6_attach_ip.py PID
"""
import sys

import ptk

if len(sys.argv) != 2:
    sys.exit(print("usage: ex6_attach_ip.py PID", file=sys.stderr) or 2)
pid = int(sys.argv[1])
try:
    proc = ptk.attach(pid)  # every thread stopped, with no signal the program could see
    print(f"attached to {pid}")
    regs = proc.regs()
    hexbytes, text, _ = proc.disassemble(regs.ip)
    print(f"{regs.arch} ip {regs.ip:#x} <{proc.symbol(regs.ip)}>  {hexbytes}  {text}")
    proc.detach()
    print("detached")
except ptk.Error as e:
    sys.exit(print(f"ex6_attach_ip: {e}", file=sys.stderr) or 1)
