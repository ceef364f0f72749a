#!/usr/bin/env python3
"""Article part II, example 7: an int3 (aarch64: brk #0) at the ip of a running process, by hand:
saved, written, hit awaited (the ip is then past the int3, on the brk), put back. ex7_int3.py PID"""
import sys
import ptk
TRAP = {"x86_64": (b"\xcc", 1), "i386": (b"\xcc", 1), "aarch64": (bytes.fromhex("000020d4"), 0)}
if len(sys.argv) != 2:
    sys.exit(print("usage: ex7_int3.py PID", file=sys.stderr) or 2)
pid = int(sys.argv[1])
try:
    proc = ptk.attach(pid)
    regs = proc.regs()
    (insn, past), ip = TRAP[regs.arch], regs.ip
    saved = proc.read(ip, len(insn))
    proc.write(ip, insn)
    print(f"attached to {pid}; int3 at {ip:#x}", flush=True)
    proc.resume()  # every thread
    while (ev := proc.wait()).kind != "trap" or proc.regs(ev.tid).ip != ip + past:
        if not ev.stopped and ev.tid == pid:
            sys.exit(print(f"ex7_int3: process {pid} ended first", file=sys.stderr) or 1)
        if ev.stopped:
            proc.resume(ev.tid)  # its signal, if any, passed on
    regs = proc.regs(ev.tid)
    regs.ip = ip  # back onto the instruction the trap instruction replaced
    proc.write(ip, saved), proc.set_regs(regs, ev.tid), proc.set_pending_signal(0, ev.tid)
    print(f"thread {ev.tid} trapped; byte and ip {ip:#x} restored")
    proc.detach()
    print("detached")
except ptk.Error as e:
    sys.exit(print(f"ex7_int3: {e}", file=sys.stderr) or 1)
