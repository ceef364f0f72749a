"""A fuzz of every subcommand's command line: random options (taken from each subcommand's
--help), values and commands. Whatever the line, ptk ends within its time, by itself (no crash:
no death by a signal), with status 0, 1 or 2, and a refused line (2) says so in one line. Pids
are only ever a sacrificial process of the trial's own or ones that cannot exist: ptk is root."""
import re
import signal
import subprocess
import tempfile

from .harness import Process, TrialError, tracer_of

SUBCOMMANDS = ["trace", "step", "inject", "call", "regs", "mem", "maps", "bt", "break", "calls",
               "host"]
# Any word may land where ptk takes a file to write (-o) or a pid (-p, regs/mem/maps/bt PID),
# and ptk runs as root here. So no absolute path but "/" (a directory: nothing opens for
# writing there; a run once truncated /bin/true and created /nonexistent), relative paths land
# in the trial's scratch directory, and every number read as a pid is no process (0, -1, too
# large) or kthreadd (2, 0x2), which refuses to be traced: never init or a bystander.
WORDS = ["", "-", "--", "0", "2", "-1", "4194303", "99999999999999999999", "0x2", "0xffffffff",
         "abc", "\x1b[2J", "é", "%", "/", "missing/file", "true", "write", "openat",
         "libc:puts", "main", "trace=write", "inject=write:error=EIO", 'write -> deny=EIO',
         "rsi:8", "counter:4:w", "x", "1s", "a" * 300, "getpid()", 'puts("hi")', "read"]


def options_of(env, sub):
    r = subprocess.run([env.ptk, sub, "--help"], capture_output=True, text=True, timeout=30)
    return sorted(set(re.findall(r"(?<![\w-])(--?[A-Za-z][\w-]*)", r.stdout)))


def one_line(env, rng, sub, options, victim):
    argv = [env.ptk, sub]
    for _ in range(rng.randint(0, 6)):
        pick = rng.random()
        if pick < 0.45 and options:
            argv.append(rng.choice(options))
        elif pick < 0.55:
            argv += ["-p", str(rng.choice([victim, 4194303, 0, -5]))]
        else:
            argv.append(rng.choice(WORDS))
    if rng.random() < 0.4:
        argv += ["--", rng.choice(["/bin/true", "/nonexistent", "/etc/passwd", "true"])]
    return argv


def run_line(argv, shown, cwd):
    """Runs one command line; one that traces the sacrificial process until told to stop is
    told so (SIGINT) after a while, as a user would, and must then end by itself."""
    proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, cwd=cwd)
    try:
        _, err = proc.communicate(timeout=5)
        interrupted = False
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGINT)
        try:
            _, err = proc.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()
            raise TrialError(f"ptk {shown}: still running 20s after SIGINT") from None
        interrupted = True
    # After SIGINT: 130, or death by it (a command ptk started got it too, and ptk dies of
    # the signal as strace does: stop_signals.h).
    allowed = (0, 1, 2) + ((128 + signal.SIGINT, -signal.SIGINT) if interrupted else ())
    if proc.returncode not in allowed:
        raise TrialError(f"ptk {shown}: status {proc.returncode}")
    return proc.returncode, [l for l in err.decode(errors="replace").splitlines() if l.strip()]


def trial(env, cfg, lines):
    # A scratch directory to run in: `-o WORD` writes a file named WORD.
    with Process(["sleep", "1000"]) as victim, tempfile.TemporaryDirectory() as cwd:
        options = {sub: options_of(env, sub) for sub in SUBCOMMANDS}
        for _ in range(lines):
            sub = cfg.rng.choice(SUBCOMMANDS)
            argv = one_line(env, cfg.rng, sub, options[sub], victim.pid)
            shown = " ".join(repr(a) if " " in a or not a.isprintable() else a for a in argv[1:])
            code, err = run_line(argv, shown, cwd)
            if code == 2 and len(err) != 1:
                raise TrialError(f"ptk {shown}: a refused command line, but {len(err)} lines")
            if victim.proc.poll() is not None or tracer_of(victim.pid) != 0:
                raise TrialError(f"ptk {shown}: the sacrificial process was left traced or died")


def trials(env, cfg):
    yield f"{cfg.fuzz_lines} fuzzed command lines", 1, lambda: trial(env, cfg, cfg.fuzz_lines)
