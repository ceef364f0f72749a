"""Helpers of the Python tests: the build tree's tracees and examples, children on pipes, and
waiting (without sleeping) until a child blocks in a syscall."""
import os
import platform
import subprocess
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.environ.get("PTK_SOURCE_DIR", os.path.dirname(os.path.dirname(HERE)))
BUILD = os.environ.get("PTK_BUILD_DIR", os.path.join(SOURCE, "build", "ci"))
TRACEES = os.path.join(BUILD, "tests", "tracees")
EXAMPLES = os.path.join(SOURCE, "examples", "python")
AARCH64 = platform.machine() == "aarch64"
# The 64-bit tracees' ABI: aarch64's on an arm64 machine, x86_64's elsewhere; the 32-bit ones
# are always i386 (the machine that runs them is x86).
ARCH64 = "aarch64" if AARCH64 else "x86_64"
# read(2)'s number in each ABI: x86_64's and i386's, or aarch64's (the generic table) there.
READ = {64: 63 if AARCH64 else 0, 32: 3}
# ptk's breakpoint instruction: brk #0 on aarch64, int3 on x86 (both x86 ABIs).
BREAK_INSN = bytes.fromhex("000020d4") if AARCH64 else b"\xcc"
# nostd_count_loop's first loop instruction (mov $1000 into a counter register), as its bytes
# and as capstone shows it; the same in both x86 ABIs.
if AARCH64:
    LOOP_START = ("01 7d 80 52", "movz w1, #0x3e8")
else:
    LOOP_START = ("b9 e8 03 00 00", "movl $0x3e8, %ecx")
# The module as built (ctest sets PYTHONPATH to the same folder).
sys.path.insert(0, os.path.join(BUILD, "python"))


def tracee(name, bits=64):
    return os.path.join(TRACEES, f"{name}_{bits}")


def missing_i386():
    """Why the 32-bit cases cannot run here, or None. The words "needs host capability: i386" are
    what scripts/test.sh's VM stage looks for in a skipped test's output (as in
    tests/integration/host_skip.h, which PTK_TEST_ASSUME_MISSING also makes skip)."""
    if not os.path.exists(tracee("hello_writes", 32)):
        return "no i386 build of the test programs here (gcc-multilib builds them)"
    if "i386" in os.environ.get("PTK_TEST_ASSUME_MISSING", "").split(","):
        return "needs host capability: i386 (PTK_TEST_ASSUME_MISSING names it)"
    r = subprocess.run([os.path.join(BUILD, "src", "cli", "ptk"), "host", "i386"],
                       capture_output=True, text=True)
    if r.returncode != 0:
        why = r.stdout.strip().split(None, 2)[-1]
        return f"needs host capability: i386 ({why}); scripts/vm-test.sh runs it in a VM"
    return None


# PTK_TEST_BITS=64 or 32 runs only the cases of that tracee width (ctest's python.NAME and
# python.NAME_i386 entries); unset, both, the 32-bit ones skipped where they cannot run.
ONLY_BITS = os.environ.get("PTK_TEST_BITS")
MISSING_I386 = missing_i386() if ONLY_BITS != "64" else None
BITS = [64, pytest.param(32, marks=pytest.mark.skipif(MISSING_I386 is not None,
                                                      reason=MISSING_I386 or ""))]


def pytest_collection_modifyitems(config, items):
    if ONLY_BITS is None:
        return
    keep = [i for i in items
            if str(getattr(getattr(i, "callspec", None), "params", {}).get("bits", 64)) == ONLY_BITS]
    config.hook.pytest_deselected(items=[i for i in items if i not in keep])
    items[:] = keep


def pytest_sessionstart(session):
    # The i386 entry as a whole is skipped (ctest's SKIP_RETURN_CODE), so that the VM lane runs
    # it where the host cannot.
    if ONLY_BITS == "32" and MISSING_I386 is not None:
        print(MISSING_I386)
        pytest.exit(MISSING_I386, returncode=77)


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
