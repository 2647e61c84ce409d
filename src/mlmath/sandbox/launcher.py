"""How the sandboxed worker process is started: isolation and resource limits.

With bubblewrap (``bwrap``) the worker sees a private filesystem made of
read-only binds of the Python installation, its virtual environment and the
worker's own folder — nothing of the course (no ``graders/``, ``source/`` or
gradebook) — plus a private ``/tmp``, and it has no network, no IPC and its
own PID namespace.  When the grader runs as root, the worker additionally
drops to an unprivileged uid of its own (via ``setpriv``), which is what makes
the kernel enforce the process limit.

Without bubblewrap the worker runs with resource limits only, in a fresh
temporary folder, and :func:`isolation_warning` says so.
"""

from __future__ import annotations

import ctypes
import itertools
import os
import resource
import signal
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from mlmath.course import Limits

WORKER_DIR = Path(__file__).resolve().parent
_uid_counter = itertools.count()
_uids_given: set[int] = set()
_libc = ctypes.CDLL(None, use_errno=True)
_PR_SET_PDEATHSIG = 1

_DEBUG_ENV = {"MLMATH_SANDBOX_DEBUG": "1"} if os.environ.get("MLMATH_SANDBOX_DEBUG") == "1" else {}
_BASE_ENV = {**_DEBUG_ENV,
    "OPENBLAS_NUM_THREADS": "1",
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "PYTHONDONTWRITEBYTECODE": "1",
    "PYTHONHASHSEED": "0",
    "MPLBACKEND": "Agg",
    "LANG": "C.UTF-8",
}


@dataclass(frozen=True)
class LaunchPlan:
    argv: list[str]
    env: dict[str, str]
    cwd: str | None
    preexec: Callable[[], None]
    isolated: bool
    cleanup_dir: str | None = None


def bwrap_path() -> str | None:
    return shutil.which("bwrap")


def isolated() -> bool:
    """Whether :func:`plan_launch` starts workers under bubblewrap (else under rlimits only)."""
    return bool(bwrap_path()) and os.environ.get("MLMATH_SANDBOX") != "rlimits"


def isolation_warning() -> str | None:
    """A warning to show when learner code cannot be fully isolated, else None."""
    if isolated():
        return None
    return ("learner code runs with resource limits only (bubblewrap is not installed, or "
            "MLMATH_SANDBOX=rlimits): it can read files this user can read and reach the "
            "network. Install bubblewrap with 'apt-get install bubblewrap'.")


def _rlimits(limits: Limits, cap_processes: bool) -> Callable[[], None]:
    memory = limits.memory_mb * 1024 * 1024
    cpu = int(limits.submission_seconds) + 5

    def apply() -> None:
        # the worker dies with the grading process that started it, however that one ends
        _libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 5))
        resource.setrlimit(resource.RLIMIT_FSIZE, (limits.file_size_mb << 20,) * 2)
        resource.setrlimit(resource.RLIMIT_NOFILE, (limits.open_files,) * 2)
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        if cap_processes:
            resource.setrlimit(resource.RLIMIT_NPROC, (limits.processes,) * 2)

    return apply


def _python_roots() -> list[str]:
    """Folders the interpreter and its packages live in (venv and base install)."""
    roots = {Path(sys.prefix).resolve(), Path(sys.base_prefix).resolve(),
             Path(sys.executable).resolve().parent.parent}
    return sorted(str(r) for r in roots if not str(r).startswith("/usr"))


def _parent_dirs(paths: list[str]) -> list[str]:
    """bwrap options creating each bind target's missing parents world-readable
    (left to itself, bwrap may create them 0700, unreadable after the uid drop)."""
    parents = sorted({str(p) for path in paths for p in Path(path).parents if str(p) not in ("/", "/tmp")},
                     key=lambda p: p.count("/"))
    options: list[str] = []
    for parent in parents:
        options += ["--perms", "0755", "--dir", parent]
    return options


def _new_uid() -> int:
    uid = 200000 + (os.getpid() * 64 + next(_uid_counter)) % 100000
    _uids_given.add(uid)
    return uid


def uids_given() -> frozenset[int]:
    """The uids this process's sandboxes have run as (to find their processes from outside)."""
    return frozenset(_uids_given)


def _bwrap_plan(limits: Limits, bwrap: str) -> LaunchPlan:
    as_root = os.geteuid() == 0
    setpriv = shutil.which("setpriv") if as_root else None
    argv = [bwrap, "--unshare-pid", "--unshare-net", "--unshare-ipc", "--unshare-uts",
            "--unshare-cgroup-try", "--die-with-parent",
            "--ro-bind", "/usr", "/usr"]
    for link in ("lib", "lib64", "bin", "sbin"):
        if os.path.islink(f"/{link}"):
            argv += ["--symlink", os.readlink(f"/{link}"), f"/{link}"]
    # the private /tmp first: binds made after it stay visible even when the
    # virtual environment itself lives under /tmp
    # and sized: an unsized tmpfs may grow to half the machine's memory, past every rlimit
    argv += ["--perms", "1777", "--size", str(limits.tmp_mb << 20), "--tmpfs", "/tmp",
             "--proc", "/proc", "--dev", "/dev"]
    binds = [*_python_roots(), str(WORKER_DIR)]
    argv += _parent_dirs(binds)
    for path in binds:
        argv += ["--ro-bind", path, path]
    argv += ["--chdir", "/tmp", "--clearenv"]
    env = {**_BASE_ENV, "HOME": "/tmp", "TMPDIR": "/tmp", "MLMATH_SANDBOX_PIDNS": "1",
           "MLMATH_PRIVATE_TMP_BYTES": str(limits.tmp_mb << 20)}
    for key, value in env.items():
        argv += ["--setenv", key, value]
    if setpriv:
        # A uid of its own, outside root's: the kernel then enforces RLIMIT_NPROC.
        uid = str(_new_uid())
        argv += [setpriv, "--reuid", uid, "--regid", uid, "--clear-groups",
                 "--inh-caps=-all", "--bounding-set=-all", "--no-new-privs"]
    else:
        argv[1:1] = ["--unshare-user", "--uid", "65534", "--gid", "65534", "--cap-drop", "ALL"]
    argv += [sys.executable, "-I", str(WORKER_DIR / "worker.py")]
    # RLIMIT_NPROC counts every process of the real uid: only meaningful with a uid of our own.
    return LaunchPlan(argv, env, None, _rlimits(limits, cap_processes=bool(setpriv)), True)


def _plain_plan(limits: Limits) -> LaunchPlan:
    workdir = tempfile.mkdtemp(prefix="mlmath-sandbox-")
    env = {**_BASE_ENV, "HOME": workdir, "TMPDIR": workdir, "PATH": "/usr/bin:/bin"}
    argv = [sys.executable, "-I", str(WORKER_DIR / "worker.py")]
    return LaunchPlan(argv, env, workdir, _rlimits(limits, cap_processes=False), False, workdir)


def plan_launch(limits: Limits) -> LaunchPlan:
    """How to start one worker under ``limits``: bubblewrap if present, else rlimits only."""
    if isolated():
        return _bwrap_plan(limits, bwrap_path())
    return _plain_plan(limits)
