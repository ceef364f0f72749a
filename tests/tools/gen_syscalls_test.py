#!/usr/bin/env python3
"""tools/gen_syscalls.py's header checks, fed data/syscalls.txt and broken copies of it.

The build runs the generator on the real file, so these cases are about failing: a wrong, a
missing or an unknown aarch64 number, and an arm64 header whose __ARCH_WANT_* macros differ from
the generator's, must each stop it with a message naming the place.

usage: gen_syscalls_test.py ROOT --cpp CXX --unistd64 PATH --unistd32 PATH
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile
import unittest

ARGS = argparse.Namespace()


def run(data_text: str, extra: list[str] | None = None) -> subprocess.CompletedProcess:
    with tempfile.TemporaryDirectory() as tmp:
        data = os.path.join(tmp, "syscalls.txt")
        with open(data, "w", encoding="utf-8") as f:
            f.write(data_text)
        cmd = [sys.executable, os.path.join(ARGS.root, "tools/gen_syscalls.py"), "--data", data,
               "--unistd64", ARGS.unistd64, "--unistd32", ARGS.unistd32, "--cpp", ARGS.cpp,
               "--out-dir", os.path.join(tmp, "out")] + (extra or [])
        return subprocess.run(cmd, capture_output=True, text=True, check=False)


def real_data() -> str:
    with open(os.path.join(ARGS.root, "data/syscalls.txt"), encoding="utf-8") as f:
        return f.read()


def with_aarch64(text: str, name: str, value: str) -> str:
    """The data with `name`'s aarch64 column (the fourth field) set to `value`."""
    pattern = re.compile(rf"^({re.escape(name)}\s+\S+\s+\S+\s+)\S+", re.M)
    changed, count = pattern.subn(lambda m: m[1] + value, text, count=1)
    assert count == 1, name
    return changed


class GenSyscallsTest(unittest.TestCase):
    def test_the_real_data_passes(self) -> None:
        r = run(real_data())
        self.assertEqual(r.returncode, 0, r.stderr)

    def test_a_wrong_aarch64_number_fails(self) -> None:
        r = run(with_aarch64(real_data(), "getpid", "999"))
        self.assertEqual(r.returncode, 1)
        self.assertIn("getpid: aarch64 number is 999", r.stderr)
        self.assertIn("says 172", r.stderr)

    def test_a_missing_aarch64_syscall_fails(self) -> None:
        r = run(with_aarch64(real_data(), "openat", "-"))
        self.assertEqual(r.returncode, 1)
        self.assertIn("__NR_openat (56) has no aarch64 entry", r.stderr)

    def test_a_number_the_generic_table_lacks_fails(self) -> None:
        r = run(with_aarch64(real_data(), "open", "1000"))  # aarch64 has no open
        self.assertEqual(r.returncode, 1)
        self.assertIn("has no __NR_open ", r.stderr)

    def test_the_arm64_header_must_want_what_the_generator_assumes(self) -> None:
        with tempfile.NamedTemporaryFile("w", suffix=".h", encoding="utf-8") as header:
            header.write("#define __ARCH_WANT_RENAMEAT\n#include <asm-generic/unistd.h>\n")
            header.flush()
            r = run(real_data(), ["--unistd-aarch64", header.name])
        self.assertEqual(r.returncode, 1)
        self.assertIn("AARCH64_WANTS says", r.stderr)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("root")
    parser.add_argument("--cpp", required=True)
    parser.add_argument("--unistd64", required=True)
    parser.add_argument("--unistd32", required=True)
    ARGS, rest = parser.parse_known_args()
    unittest.main(argv=[sys.argv[0]] + rest, verbosity=2)
