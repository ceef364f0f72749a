"""ptk.Process: a process driven stop by stop -- decoded syscalls, registers and memory at a
stop, stepping, remote calls, syscalls and shellcode -- and ptk.Error for what fails."""
import os
import signal
import subprocess
import threading

import pytest

import ptk
from conftest import (AARCH64, BITS, BREAK_INSN, LOOP_START, READ, PipedChild, plain_output,
                      tracee, wait_blocked_in)

# Two nops, which ptk's run_shellcode follows with its breakpoint instruction.
NOPS = bytes.fromhex("1f2003d5 1f2003d5") if AARCH64 else bytes.fromhex("90 90")
WAIT4 = 260 if AARCH64 else 61  # the generic table's, x86_64's
LOOP_BYTES = bytes.fromhex(LOOP_START[0])


@pytest.mark.parametrize("bits", BITS)
def test_registers_changed_at_a_syscall_entry(bits):
    child = ptk.spawn([tracee("hello_writes", bits)])
    seen = []
    for sc in child.syscalls(entries=True):
        if sc.name == "write" and sc.entry:
            regs = child.regs()
            assert regs.arg(2) == sc.args["count"]
            regs.set_arg(2, 5)  # the first five bytes only
            child.set_regs(regs)
        elif sc.name == "write":
            seen.append(sc.ret)
    assert seen == [5, 5]
    assert child.exit_code == 0 and not child.alive


def test_memory_read_and_written_at_a_stop():
    child = ptk.spawn([tracee("hello_writes")], env=[])
    for sc in child.syscalls(entries=True):
        if sc.name == "write" and sc.entry:
            buf = sc.raw_args[1]
            assert child.read(buf, 5) == b"hello"
            assert child.read_string(buf, 64) .startswith(b"hello, ptrace\n")
            child.write(buf, b"HELLO")
            break
    assert child.wait_exit() == 0


def test_memory_errors_are_ptk_errors():
    with ptk.spawn([tracee("hello_writes")]) as child:
        with pytest.raises(ptk.Error) as e:
            child.read(0, 8)
        assert e.value.kind == "bad address"
        assert "0x0" in str(e.value) or "address" in str(e.value)
    assert not child.alive  # the context killed it
    with pytest.raises(ptk.Error):
        child.regs()


def test_attach_errors():
    gone = subprocess.Popen(["/bin/true"])
    gone.wait()
    with pytest.raises(ptk.Error) as e:
        ptk.attach(gone.pid)
    assert e.value.kind == "no such process"
    assert str(gone.pid) in str(e.value)


@pytest.mark.parametrize("bits", BITS)
def test_step_with_a_limit_and_a_callback_that_raises(bits):
    child = ptk.spawn([tracee("nostd_count_loop", bits)])
    tid = child.run_to_syscall_exit("write")
    ips = []
    end = child.step(tid, lambda regs: ips.append(regs.ip), max_steps=10)
    assert end["end"] == "Limit" and end["steps"] == 10 and len(ips) == 10
    assert child.symbol(ips[0]) == "count_loop+0"
    assert child.disassemble(ips[0])[:2] == LOOP_START

    def boom(regs):
        raise KeyError("stepping stopped")
    with pytest.raises(KeyError, match="stepping stopped"):
        child.step(tid, boom)
    # The thread was left stopped cleanly: it runs on to its normal end.
    assert child.wait_exit() == 0


@pytest.mark.parametrize("bits", BITS)
def test_call_syscall_and_shellcode_in_an_attached_process(bits):
    path = tracee("inject_target", bits)
    child = PipedChild([path])
    try:
        child.send("ab")
        out = child.line() + child.line()
        wait_blocked_in(child.pid, READ[bits])
        proc = ptk.attach(child.pid)
        assert proc.call("strlen", "hello") == 5
        assert proc.call("abs", -7) == 7
        assert proc.syscall("getpid") == child.pid
        assert proc.syscall('write(1, "hi\\n", 3)') == 3
        assert proc.syscall("write", 1, "ho\n", 3) == 3
        assert proc.syscall("close", 9999) == -9  # -EBADF
        ret = proc.run_shellcode(NOPS)
        assert not ret["fault"] and ret["size"] == len(NOPS) + len(BREAK_INSN)
        with pytest.raises(ptk.Error, match="no_such_function"):
            proc.call("no_such_function")
        with pytest.raises(ptk.Error):
            proc.syscall("no_such_syscall")
        proc.detach()
        assert child.line() == "hi\n" and child.line() == "ho\n"
        status, rest = child.finish("c")
        assert status == 0
        assert out + rest == plain_output([path], "abc")
    finally:
        child.kill()


def test_events_by_hand():
    child = ptk.spawn([tracee("getpid_exit")])
    kinds = set()
    child.resume()
    while True:
        ev = child.wait()
        kinds.add(ev.kind)
        if not ev.stopped:
            break
        child.resume(ev.tid)
    assert "syscall-entry" in kinds and "syscall-exit" in kinds and "exited" in kinds
    assert ev.exit_code == child.pid & 0x7f == child.exit_code


@pytest.mark.parametrize("bits", BITS)
def test_run_to_a_symbol(bits):
    child = ptk.spawn([tracee("nostd_count_loop", bits)])
    addr = child.resolve("count_loop")
    tid = child.run_to(addr)
    assert child.regs(tid).ip == addr
    assert child.symbol(addr) == "count_loop+0"
    # The loop's first instruction is back: the one-shot breakpoint is gone.
    assert child.read(addr, len(LOOP_BYTES)) == LOOP_BYTES
    assert child.wait_exit() == 0


def _blocked_in_wait(tid):
    with open(f"/proc/self/task/{tid}/syscall") as f:
        # "running" while the thread runs: no number to compare yet.
        return f.read().split()[0] == str(WAIT4)


@pytest.mark.parametrize("bits", [64])
def test_ctrl_c_while_waiting_for_a_syscall(bits, counter):
    child, out = counter
    proc = ptk.attach(child.pid)
    main = threading.get_ident()
    main_tid = threading.get_native_id()

    def ctrl_c():  # once the main thread waits for the process, as a Ctrl-C would come
        while not _blocked_in_wait(main_tid):
            os.sched_yield()
        signal.pthread_kill(main, signal.SIGINT)
    t = threading.Thread(target=ctrl_c)
    t.start()
    with pytest.raises(KeyboardInterrupt):
        next(proc.syscalls())  # the program waits for input: no syscall ends
    t.join()
    proc.detach()
    status, rest = child.finish("yz")
    assert status == 0
    assert out + rest == plain_output([tracee("attach_counter", bits)], "yz")


def test_syscalls_filtered():
    child = ptk.spawn(["/bin/cat", "/nonexistent/file"])
    seen = [(sc.name, sc.args["filename"]["str"], sc.ret, sc.errno)
            for sc in child.syscalls(filter="openat")]
    assert {name for name, *_ in seen} == {"openat"}
    assert ("openat", "/nonexistent/file", -1, "ENOENT") in seen
    assert child.exit_code == 1
    with pytest.raises(ptk.Error, match="no_such_syscall"):
        next(ptk.spawn(["/bin/true"]).syscalls(filter="no_such_syscall"))
