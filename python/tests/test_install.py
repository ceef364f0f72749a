"""`import ptk` after `cmake --install` (the module's component only), in a fresh interpreter
that finds it by the installed path alone."""
import os
import subprocess
import sys
import tempfile

from conftest import BUILD, tracee


def test_import_after_install():
    rel = os.environ.get("PTK_PYTHON_INSTALL_DIR", "lib/python3/dist-packages")
    with tempfile.TemporaryDirectory(prefix="ptk-py-install.") as prefix:
        subprocess.run(["cmake", "--install", BUILD, "--prefix", prefix, "--component", "python"],
                       check=True, capture_output=True, timeout=120)
        site = os.path.join(prefix, rel)
        assert sorted(os.listdir(os.path.join(site, "ptk")))[0] == "__init__.py"
        code = ("import ptk, sys; p = ptk.spawn([sys.argv[1]]); "
                "print(ptk.__file__); print([s.name for s in p.syscalls()][-1], p.exit_code)")
        r = subprocess.run([sys.executable, "-c", code, tracee("getpid_exit")],
                           env={"PYTHONPATH": site, "PATH": os.environ["PATH"]},
                           capture_output=True, text=True, timeout=60, cwd="/")
        assert r.returncode == 0, r.stderr
        where, last = r.stdout.splitlines()
        assert where.startswith(site), where
        assert last.startswith("getpid ")
