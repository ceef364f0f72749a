"""Helpers of the Python tests: the build tree's tracees and examples, children on pipes, and
waiting (without sleeping) until a child blocks in a syscall."""
import os
import subprocess
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.environ.get("PTK_SOURCE_DIR", os.path.dirname(os.path.dirname(HERE)))
BUILD = os.environ.get("PTK_BUILD_DIR", os.path.join(SOURCE, "build", "ci"))
TRACEES = os.path.join(BUILD, "tests", "tracees")
EXAMPLES = os.path.join(SOURCE, "examples", "python")
READ = {64: 0, 32: 3}  # read(2)'s number in each ABI
# The module as built (ctest sets PYTHONPATH to the same folder).
sys.path.insert(0, os.path.join(BUILD, "python"))


def tracee(name, bits=64):
    return os.path.join(TRACEES, f"{name}_{bits}")


def has_32bit():
    return os.path.exists(tracee("hello_writes", 32))


BITS = [64, pytest.param(32, marks=pytest.mark.skipif(not has_32bit(), reason="no 32-bit tracees"))]


def run_example(name, *args, timeout=60):
    """Runs examples/python/NAME.py; returns (exit code, stdout, stderr)."""
    env = dict(os.environ, PYTHONPATH=os.path.join(BUILD, "python"))
    r = subprocess.run([sys.executable, os.path.join(EXAMPLES, name + ".py"), *map(str, args)],
                       capture_output=True, text=True, timeout=timeout, env=env)
    return r.returncode, r.stdout, r.stderr


class PipedChild:
    """A child with its stdin and stdout on pipes."""

    def __init__(self, argv):
        self.proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self.pid = self.proc.pid

    def line(self):
        return self.proc.stdout.readline().decode()

    def send(self, data):
        self.proc.stdin.write(data.encode())
        self.proc.stdin.flush()

    def finish(self, data=""):
        """Sends the last bytes, closes stdin; returns (exit code, the rest of stdout)."""
        self.send(data)
        self.proc.stdin.close()
        rest = self.proc.stdout.read().decode()
        return self.proc.wait(timeout=60), rest

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


def plain_output(argv, data):
    """The output of an untraced run fed `data`."""
    return subprocess.run(argv, input=data.encode(), capture_output=True, timeout=60).stdout.decode()


def _proc_state(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0]
    except OSError:
        return "?"


def _current_syscall(pid):
    try:
        with open(f"/proc/{pid}/syscall") as f:
            return int(f.read().split()[0])
    except (OSError, ValueError, IndexError):
        return -2


def wait_blocked_in(pid, nr):
    """Returns once the thread sleeps in syscall `nr` (polls /proc, yielding the CPU)."""
    while _current_syscall(pid) != nr or _proc_state(pid) != "S":
        if _proc_state(pid) in ("Z", "X", "?"):
            raise AssertionError(f"process {pid} ended")
        os.sched_yield()


@pytest.fixture
def counter(request):
    """attach_counter (64 or 32-bit, the test's `bits`), started and blocked in its first read;
    yields (child, output so far)."""
    bits = request.getfixturevalue("bits")
    child = PipedChild([tracee("attach_counter", bits)])
    out = child.line()
    wait_blocked_in(child.pid, READ[bits])
    yield child, out
    child.kill()
