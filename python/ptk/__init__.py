"""ptk from Python: trace, tamper with, break in, step and inject into processes.

    import ptk
    p = ptk.spawn(["ls", "/"])
    for sc in p.syscalls():
        print(sc.name, sc.args, sc.ret, sc.errno)

ptk.spawn / ptk.attach give a ptk.Process driven stop by stop; ptk.Run runs a command or a
process to its end with callbacks (on_syscall, tamper, break_at), following forks and execs.
Every failure raises ptk.Error with ptk's own message. See docs/python.md.
"""

from ._ptk import (  # noqa: F401
    Error,
    Event,
    Hit,
    Process,
    Registers,
    Run,
    Syscall,
    SyscallStop,
    attach,
    signal_name,
    spawn,
)

__all__ = [
    "Error", "Event", "Hit", "Process", "Registers", "Run", "Syscall", "SyscallStop",
    "attach", "signal_name", "spawn",
]
