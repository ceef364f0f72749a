#!/usr/bin/env python3
"""Article part II, example 8: make a running process print "Hello World": code run over its
instruction stream, then in the first executable region of the program; all put back.

    ex8_inject_hello.py PID
"""
import sys

import ptk

MSG = b"Hello World\n"
HELLO = {  # write(1, msg, 12); int3 (brk #0); msg -- position independent (adr on aarch64)
    "x86_64": bytes.fromhex("488d3512000000 b801000000 bf01000000 ba0c000000 0f05 cc") + MSG,
    "i386": bytes.fromhex("e800000000 59 83c116 b804000000 bb01000000 ba0c000000 cd80 cc") + MSG,
    "aarch64": bytes.fromhex("c1000010 200080d2 820180d2 080880d2 010000d4 000020d4") + MSG,
}
if len(sys.argv) != 2:
    sys.exit(print("usage: ex8_inject_hello.py PID", file=sys.stderr) or 2)
try:
    proc = ptk.attach(int(sys.argv[1]))
    code = HELLO[proc.regs().arch]
    r = proc.run_shellcode(code, at="ip")
    print(f"ran {r['size']} bytes at the ip {r['address']:#x}")
    m = next(m for m in proc.maps() if m["perms"][2] == "x" and m["path"][:1] not in "[")
    r = proc.run_shellcode(code, at=m["start"])
    print(f"ran {r['size']} bytes at {m['start']:#x} in {m['path']}")
    proc.detach()
except ptk.Error as e:
    sys.exit(print(f"ex8_inject_hello: {e}", file=sys.stderr) or 1)
