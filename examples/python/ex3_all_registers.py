#!/usr/bin/env python3
"""Article part I, example 3: example 2 from the registers of the thread at each syscall
stop (PTRACE_GETREGS) instead of the decoded syscall: ex3_all_registers.py PROGRAM [ARGS...]"""
import sys

import ptk

WRITE = {"x86_64": 1, "i386": 4, "aarch64": 64}  # the syscall number in each ABI

if len(sys.argv) < 2:
    sys.exit(print(f"usage: {sys.argv[0]} PROGRAM [ARGS...]", file=sys.stderr) or 2)
try:
    child = ptk.spawn(sys.argv[1:])
except ptk.Error as e:
    sys.exit(print(f"ex3: {e}", file=sys.stderr) or 1)
for sc in child.syscalls(entries=True):
    regs = child.regs(sc.tid)  # the thread is stopped at this syscall
    if regs.orig_syscall_no != WRITE[regs.arch]:
        continue
    if sc.entry:
        print(f"Write called with {regs.arg(0)}, {regs.arg(1):#x}, {regs.arg(2)}",
              file=sys.stderr)
    else:
        print(f"Write returned with {regs.retval}", file=sys.stderr)
sys.exit(child.exit_code)
