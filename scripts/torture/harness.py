"""The pieces every trial uses: a target process on pipes, a ptk running beside it, snapshots
of a process's mappings and executable bytes, and bounded waits (no trial may hang)."""
import os
import re
import select
import signal
import subprocess
import time


class TrialError(Exception):
    """A trial's finding: one line saying what was wrong."""


def deadline_wait(predicate, seconds, what):
    """Polls `predicate` until it holds; TrialError naming `what` after `seconds`."""
    end = time.monotonic() + seconds
    while not predicate():
        if time.monotonic() > end:
            raise TrialError(f"gave up after {seconds}s waiting for {what}")
        time.sleep(0.002)


class Lines:
    """The lines a pipe brings, read without blocking past a deadline."""

    def __init__(self, fd):
        self.fd = fd
        self.buf = b""
        self.lines = []
        self.eof = False

    def pump(self, timeout):
        if self.eof:
            return
        ready, _, _ = select.select([self.fd], [], [], timeout)
        if not ready:
            return
        chunk = os.read(self.fd, 65536)
        if not chunk:
            self.eof = True
            return
        self.buf += chunk
        *done, self.buf = self.buf.split(b"\n")
        self.lines += [d.decode("utf-8", "replace") for d in done]

    def wait_for(self, pattern, seconds, what, give_up=None):
        """The first line matching `pattern`; TrialError at EOF, after `seconds`, or when
        `give_up()` says the line cannot come any more."""
        regex = re.compile(pattern)
        end = time.monotonic() + seconds
        seen = 0
        while True:
            for line in self.lines[seen:]:
                if regex.search(line):
                    return line
            seen = len(self.lines)
            if self.eof:
                raise TrialError(f"{what}: ended without a line matching {pattern!r}; "
                                 f"last lines: {self.lines[-3:]}")
            left = end - time.monotonic()
            if left <= 0:
                raise TrialError(f"{what}: no line matching {pattern!r} in {seconds}s")
            if give_up and give_up():
                raise TrialError(f"{what}: it cannot come: the process was left stopped")
            self.pump(min(left, 0.2))

    def drain(self, seconds):
        end = time.monotonic() + seconds
        while not self.eof and time.monotonic() < end:
            self.pump(0.05)
        return self.lines


class Process:
    """A command on pipes (stdin, stdout, stderr); killed and reaped when the trial ends."""

    def __init__(self, argv, **kwargs):
        self.argv = argv
        self.proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, close_fds=True, **kwargs)
        self.out = Lines(self.proc.stdout.fileno())
        self.err = Lines(self.proc.stderr.fileno())

    @property
    def pid(self):
        return self.proc.pid

    def send(self, data=b"x"):
        self.proc.stdin.write(data)
        self.proc.stdin.flush()

    def close_stdin(self):
        if not self.proc.stdin.closed:
            self.proc.stdin.close()

    def wait(self, seconds, what="the process"):
        try:
            return self.proc.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            raise TrialError(f"{what} ({self.argv[0]}) did not end in {seconds}s") from None

    def kill(self, sig=signal.SIGKILL):
        if self.proc.poll() is None:
            os.kill(self.proc.pid, sig)

    def finish(self):
        self.kill()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass
        for f in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
            if f and not f.closed:
                f.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.finish()


def proc_status(pid):
    fields = {}
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                key, _, value = line.partition(":")
                fields[key] = value.strip()
    except OSError:
        return None
    return fields


def tracer_of(pid):
    st = proc_status(pid)
    return int(st["TracerPid"]) if st else None


def wait_untraced(pid, seconds=30):
    deadline_wait(lambda: tracer_of(pid) in (0, None), seconds, f"pid {pid} to be let go")


def snapshot(pid):
    """The mappings of a process and the bytes of each executable one, for comparing."""
    with open(f"/proc/{pid}/maps") as f:
        maps = f.read()
    code = {}
    with open(f"/proc/{pid}/mem", "rb", buffering=0) as mem:
        for line in maps.splitlines():
            fields = line.split()
            if "x" not in fields[1] or fields[-1] in ("[vsyscall]",):
                continue
            start, end = (int(x, 16) for x in fields[0].split("-"))
            try:
                mem.seek(start)
                code[fields[0]] = mem.read(end - start)
            except OSError:
                code[fields[0]] = None  # [vvar]-like pages that cannot be read
    return maps, code


def compare_snapshots(before, after, what):
    maps_b, code_b = before
    maps_a, code_a = after
    if maps_a != maps_b:
        added = sorted(set(maps_a.splitlines()) - set(maps_b.splitlines()))
        gone = sorted(set(maps_b.splitlines()) - set(maps_a.splitlines()))
        raise TrialError(f"{what}: mappings changed; added {added[:3]}, gone {gone[:3]}")
    for rng, data in code_b.items():
        if code_a.get(rng) != data:
            at = next((i for i, (x, y) in enumerate(zip(data or b"", code_a.get(rng) or b""))
                       if x != y), None)
            where = f" at +{at:#x}" if at is not None else ""
            raise TrialError(f"{what}: executable bytes of {rng} changed{where}")
