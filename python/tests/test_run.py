"""ptk.Run: syscalls, tamper callbacks and breakpoints in one engine run, and what a callback
that raises leaves behind (nothing: no stopped or patched tracee)."""
import os
import signal
import threading

import pytest

import ptk
from conftest import BITS, BREAK_INSN, plain_output, tracee


@pytest.mark.parametrize("bits", BITS)
def test_syscalls_breakpoint_and_tamper_in_one_run(bits):
    # getpid_exit exits with the low 7 bits of what getpid returned: the tamper shows there.
    lines = []
    run = ptk.Run([tracee("getpid_exit", bits)])
    run.on_syscall(lambda sc: lines.append(f"{sc.name} = {sc.ret}"), filter="getpid")

    def forty_two(stop):
        if not stop.entry:
            stop.set_return(42)
    run.tamper(forty_two, syscalls=["getpid"])

    def at_main(hit):
        lines.append(f"hit {hit.location} #{hit.hits}")
        assert hit.regs.ip == hit.address
        # ptk's breakpoint instruction is hidden from reads.
        assert hit.read(hit.address, len(BREAK_INSN)) != BREAK_INSN
    run.break_at("main", at_main)
    assert run.run() == 42
    assert lines == ["hit main #1", "getpid = 42"]
    assert run.problems == []


def test_skip_with_an_errno():
    seen = []
    run = ptk.Run(["/bin/cat", "/etc/hostname"])

    def deny(stop):
        if stop.entry and stop.syscall.args["filename"]["str"] == "/etc/hostname":
            stop.skip(errno=13)  # EACCES
            stop.mark("(DENIED)")
    run.tamper(deny, syscalls=["openat"])
    run.on_syscall(lambda sc: seen.append((sc.args["filename"]["str"], sc.ret, sc.errno,
                                           sc.tamper)), filter="openat")
    assert run.run() == 1
    assert ("/etc/hostname", -1, "EACCES", "(DENIED)") in seen


def test_entries_and_decoded_arguments():
    seen = []
    run = ptk.Run([tracee("hello_writes")])
    run.on_syscall(seen.append, filter="write", entries=True)
    assert run.run() == 0
    assert [(s.entry, s.ret) for s in seen] == [(True, None), (False, 14), (True, None),
                                                (False, 13)]
    assert seen[1].args == {"fd": 1, "buf": {"str": "hello, ptrace\n", "len": 14}, "count": 14}
    assert seen[1].text.startswith('write(1, "hello, ptrace\\n", 14)')


def test_a_raising_tamper_callback_ends_the_run_and_the_command():
    run = ptk.Run([tracee("attach_counter")])  # blocks in read(0) after its first line

    def boom(stop):
        raise ValueError("boom in " + stop.name)
    run.tamper(boom, syscalls=["read"])
    with pytest.raises(ValueError, match="boom in read"):
        run.run()
    assert run.pid > 0
    with pytest.raises(ProcessLookupError):  # killed and reaped: not left stopped
        os.kill(run.pid, 0)


@pytest.mark.parametrize("bits", BITS)
def test_a_raising_breakpoint_callback_lets_an_attached_process_go_unpatched(bits, counter):
    child, out = counter

    def go(note):  # every breakpoint is set: let the program reach one
        if "attached" in note:
            child.send("y")

    def boom(hit):
        raise RuntimeError(f"stop at {hit.location}")
    run = ptk.Run(pid=child.pid, on_note=go)
    run.break_at("fflush", boom)
    with pytest.raises(RuntimeError, match="stop at fflush"):
        run.run()
    # Detached with its int3 bytes out: it prints on and calls fflush again unharmed.
    out += child.line()
    status, rest = child.finish("z")
    assert status == 0
    assert out + rest == plain_output([tracee("attach_counter", bits)], "yz")


@pytest.mark.parametrize("bits", BITS)
def test_a_raising_tamper_callback_lets_an_attached_process_go(bits, counter):
    child, out = counter

    def boom(stop):  # the read ptk's attach interrupted, restarted
        if stop.entry:
            stop.set_arg(2, 0)  # would make it read nothing: must be undone
        raise RuntimeError("no")
    run = ptk.Run(pid=child.pid)
    run.tamper(boom, syscalls=["read"])
    with pytest.raises(RuntimeError):
        run.run()
    status, rest = child.finish("yz")
    assert status == 0
    assert out + rest == plain_output([tracee("attach_counter", bits)], "yz")


def test_a_stop_kept_past_its_callback_is_refused():
    kept = []
    run = ptk.Run([tracee("getpid_exit")])
    run.tamper(kept.append, syscalls=["getpid"])
    run.run()
    assert len(kept) == 2
    with pytest.raises(ptk.Error, match="only be used during its callback"):
        kept[0].arg(0)


def test_stop_from_a_callback_lets_the_run_end():
    run = ptk.Run([tracee("attach_counter")])
    run.tamper(lambda stop: run.stop(), syscalls=["read"])
    assert run.run() == 0


def test_errors_are_ptk_errors():
    with pytest.raises(ptk.Error) as e:
        ptk.Run(["/nonexistent/program"]).run()
    assert "/nonexistent/program" in str(e.value)
    with pytest.raises(ptk.Error):
        ptk.Run(["/bin/true"], pid=1)
    run = ptk.Run([tracee("getpid_exit")])
    run.break_at("no_such_function_anywhere", lambda hit: None)
    run.on_syscall(lambda sc: None, filter="no_such_syscall")
    with pytest.raises(ptk.Error, match="no_such_syscall"):
        run.run()


@pytest.mark.parametrize("bits", [64])
def test_other_python_threads_run_while_the_run_waits(bits, counter):
    # The feeder thread can only send the byte the traced program waits for if run() let go
    # of the GIL while it waits; else this would hang (and ctest's timeout fail it).
    child, out = counter
    armed = threading.Event()
    feeder = threading.Thread(target=lambda: armed.wait(60) and child.send("y"))
    feeder.start()
    hits = []

    def at_fflush(hit):
        hits.append(hit.location)
        run.stop()
    run = ptk.Run(pid=child.pid, on_note=lambda note: "attached" in note and armed.set())
    run.break_at("fflush", at_fflush)
    assert run.run() == 0
    feeder.join()
    assert hits == ["fflush"]
    out += child.line()
    status, rest = child.finish("z")
    assert status == 0
    assert out + rest == plain_output([tracee("attach_counter", bits)], "yz")


@pytest.mark.parametrize("bits", [64])
def test_ctrl_c_lets_every_process_go_and_raises_keyboard_interrupt(bits, counter):
    child, out = counter

    def interrupt(note):
        if "attached" in note:
            os.kill(os.getpid(), signal.SIGINT)
    run = ptk.Run(pid=child.pid, on_note=interrupt)
    run.break_at("fflush", lambda hit: None)
    with pytest.raises(KeyboardInterrupt):
        run.run()
    status, rest = child.finish("yz")  # let go with its breakpoint out
    assert status == 0
    assert out + rest == plain_output([tracee("attach_counter", bits)], "yz")


@pytest.mark.parametrize("follow", [False, True])
def test_follow_forks(follow):
    pids = set()
    run = ptk.Run([tracee("forker"), "fork"], follow_forks=follow)
    run.on_syscall(lambda sc: pids.add(sc.pid))
    assert run.run() == 0  # the child exited 5, as forker expects
    assert len(pids) == (2 if follow else 1)
