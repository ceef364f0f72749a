"""The article's examples in Python (examples/python/), checked as their C++ twins are
(tests/integration/: examples/examples_test.cpp, examples/examples_attach_test.cpp,
tamper/tamper_example_test.cpp, debug/step_count_test.cpp, inject/inject_cli_test.cpp), on 64-bit
and 32-bit tracees."""
import os
import re
import subprocess
import sys
import tempfile

import pytest

from conftest import (AARCH64, ARCH64, BITS, BUILD, EXAMPLES, LOOP_START, READ, PipedChild,
                      plain_output, run_example, tracee, wait_blocked_in)

# execve(2)'s number, which example 1 prints: x86_64's, aarch64's (the generic table), i386's.
EXECVE = {64: 221 if AARCH64 else 59, 32: 11}
# Where nostd_count_loop's exit instruction is, as example 5 prints it.
EXIT_AT = "<exit_now+8>" if AARCH64 else "<exit_now+7>"


def syscall_insn(bits):
    if bits == 64:
        return "svc #0" if AARCH64 else "syscall"
    return "int $0x80"

WRITE_LINES = re.compile(
    r"Write called with 1, 0x[0-9a-f]+, 14\n"
    r"Write returned with 14\n"
    r"Write called with 1, 0x[0-9a-f]+, 13\n"
    r"Write returned with 13\n")


def test_every_example_is_at_most_30_lines():
    names = sorted(n for n in os.listdir(EXAMPLES) if n.endswith(".py"))
    assert len(names) == 8, names
    for name in names:
        with open(os.path.join(EXAMPLES, name)) as f:
            assert len(f.read().splitlines()) <= 30, name


@pytest.mark.parametrize("bits", BITS)
def test_ex1_prints_the_first_syscall_of_the_child(bits):
    code, out, err = run_example("ex1_first_syscall", tracee("nostd_article_child", bits))
    assert code == 0, err
    expected = f"The child made a system call {EXECVE[bits]}\n"
    assert out.startswith(expected), out
    assert "The child made a system call" not in out[len(expected):]
    assert "\nproc\n" in out  # ls / ran


@pytest.mark.parametrize("bits", BITS)
@pytest.mark.parametrize("example", ["ex2_write_args", "ex3_all_registers"])
def test_ex2_ex3_print_write_arguments_and_results(example, bits):
    code, out, err = run_example(example, tracee("hello_writes", bits))
    assert code == 0, err
    assert out == "hello, ptrace\nsecond line!\n"
    assert WRITE_LINES.fullmatch(err), err


@pytest.mark.parametrize("example", ["ex1_first_syscall", "ex2_write_args", "ex3_all_registers",
                                     "ex4_reverse_write", "ex5_step_after_write"])
def test_usage_and_a_missing_program(example):
    code, _, err = run_example(example)
    assert code == 2 and "usage:" in err
    code, out, err = run_example(example, "/nonexistent/program")
    assert code == 1, err
    assert "/nonexistent/program" in err and out == ""


def test_ex4_reverses_the_writes_of_ls():
    with tempfile.TemporaryDirectory(prefix="ptk-py-ex4.") as d:
        for name in ("alpha", "beta.txt", "gamma-3"):
            open(os.path.join(d, name), "w").close()
        assert subprocess.run(["/bin/ls", d], capture_output=True, text=True).stdout == \
            "alpha\nbeta.txt\ngamma-3\n"
        code, out, err = run_example("ex4_reverse_write", "/bin/ls", d)
    assert code == 0, err
    assert out == "\n3-ammag\ntxt.ateb\nahpla"  # one write(2), reversed whole
    assert err == ""


@pytest.mark.parametrize("bits", BITS)
def test_ex4_reverses_each_write(bits):
    code, out, err = run_example("ex4_reverse_write", tracee("hello_writes", bits))
    assert code == 0, err
    assert out == "\necartp ,olleh\n!enil dnoces"


def test_ex4_passes_on_the_exit_status():
    code, _, err = run_example("ex4_reverse_write", "/bin/ls", "/nonexistent")
    assert code == 2
    assert "yrotcerid ro elif hcus oN" in err


@pytest.mark.parametrize("bits", BITS)
def test_ex5_steps_from_the_write_to_the_exit(bits):
    steps = 1 + 3 * 1000 + 3  # see tests/integration/debug/step_count_test.cpp
    code, out, err = run_example("ex5_step_after_write", tracee("nostd_count_loop", bits))
    assert code == 0, err
    lines = out.splitlines()
    assert len(lines) == steps + 2, out[:400]
    assert lines[0] == "counting 3004 steps..."
    assert lines[-1] == f"{steps} instructions"
    assert f"<count_loop+0>  {LOOP_START[0]}" in lines[1] and LOOP_START[1] in lines[1], lines[1]
    assert EXIT_AT in lines[-2] and syscall_insn(bits) in lines[-2], lines[-2]


@pytest.mark.parametrize("bits", BITS)
def test_ex6_prints_the_ip_and_instruction_and_detaches(bits):
    child = PipedChild([tracee("attach_counter", bits)])
    try:
        out = child.line()
        child.send("ab")
        out += child.line() + child.line()
        wait_blocked_in(child.pid, READ[bits])
        code, ex_out, err = run_example("ex6_attach_ip", child.pid)
        assert code == 0, err
        assert re.fullmatch(r"attached to [0-9]+\n(x86_64|i386|aarch64) ip 0x[0-9a-f]+ <[^>]*>  "
                            r"([0-9a-f]{2} ?)+  [a-z].*\ndetached\n", ex_out), ex_out
        assert (f"{ARCH64} ip" if bits == 64 else "i386 ip") in ex_out
        status, rest = child.finish("cd")
        assert status == 0
        assert out + rest == plain_output([tracee("attach_counter", bits)], "abcd")
    finally:
        child.kill()


@pytest.mark.parametrize("bits", BITS)
def test_ex7_traps_at_the_ip_restores_and_detaches(bits, counter):
    child, out = counter
    env = dict(os.environ, PYTHONPATH=os.path.join(BUILD, "python"))
    ex7 = subprocess.Popen([sys.executable, os.path.join(EXAMPLES, "ex7_int3.py"),
                            str(child.pid)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           text=True, env=env)
    try:
        first = ex7.stdout.readline()
        m = re.fullmatch(r"attached to [0-9]+; int3 at (0x[0-9a-f]+)\n", first)
        assert m, first + ex7.stderr.read()
        child.send("y")  # the read returns and the program reaches the int3
        rest, err = ex7.communicate(timeout=60)
        assert ex7.returncode == 0, err
        assert re.fullmatch(rf"thread [0-9]+ trapped; byte and ip {m[1]} restored\ndetached\n",
                            rest), rest
        out += child.line()
        status, tail = child.finish("z")
        assert status == 0
        assert out + tail == plain_output([tracee("attach_counter", bits)], "yz")
    finally:
        if ex7.poll() is None:
            ex7.kill()
            ex7.wait()


@pytest.mark.parametrize("bits", BITS)
def test_ex8_prints_hello_world_twice_in_a_running_process(bits):
    path = tracee("inject_target", bits)
    child = PipedChild([path])
    try:
        child.send("hel")
        out = child.line() + child.line() + child.line()
        wait_blocked_in(child.pid, READ[bits])
        code, ex_out, err = run_example("ex8_inject_hello", child.pid)
        assert code == 0, err
        assert "bytes at the ip" in ex_out, ex_out
        assert child.line() == "Hello World\n"
        assert child.line() == "Hello World\n"
        status, rest = child.finish("lo")
        assert status == 0
        assert out + rest == plain_output([path], "hello")
    finally:
        child.kill()


@pytest.mark.parametrize("example", ["ex6_attach_ip", "ex7_int3", "ex8_inject_hello"])
def test_attach_examples_usage_and_a_gone_pid(example):
    code, _, err = run_example(example)
    assert code == 2 and "usage:" in err
    gone = subprocess.Popen(["/bin/true"])
    gone.wait()
    code, _, err = run_example(example, gone.pid)
    assert code == 1
    assert err.count("\n") == 1, err
