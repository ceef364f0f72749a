#!/usr/bin/env python3
"""Article part II, example 7: an int3 at the ip of a running process, by hand: byte saved,
0xcc written, trap awaited, byte and ip put back, detached unharmed. ex7_int3.py PID"""
import sys

import ptk

if len(sys.argv) != 2:
    sys.exit(print("usage: ex7_int3.py PID", file=sys.stderr) or 2)
pid = int(sys.argv[1])
try:
    proc = ptk.attach(pid)
    ip = proc.regs().ip
    saved = proc.read(ip, 1)
    proc.write(ip, b"\xcc")
    print(f"attached to {pid}; int3 at {ip:#x}", flush=True)
    proc.resume()  # every thread
    while (ev := proc.wait()).kind != "trap" or proc.regs(ev.tid).ip != ip + 1:
        if not ev.stopped and ev.tid == pid:
            sys.exit(print(f"ex7_int3: process {pid} ended first", file=sys.stderr) or 1)
        if ev.stopped:
            proc.resume(ev.tid)  # its signal, if any, passed on
    regs = proc.regs(ev.tid)
    regs.ip = ip  # the trap reports the byte after the int3
    proc.write(ip, saved), proc.set_regs(regs, ev.tid), proc.set_pending_signal(0, ev.tid)
    print(f"thread {ev.tid} trapped; byte and ip {ip:#x} restored")
    proc.detach()
    print("detached")
except ptk.Error as e:
    sys.exit(print(f"ex7_int3: {e}", file=sys.stderr) or 1)
