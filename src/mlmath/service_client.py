"""Asking a course's warm grader (:mod:`mlmath.grading.service`) to grade, starting it if needed.

Kept light on purpose — no NumPy, no graders — so that a warm ``mlmath check`` costs
little more than the grading itself.  The socket lives in a folder only this user
can enter (``$XDG_RUNTIME_DIR/mlmath`` or ``/tmp/mlmath-<uid>``), named after the
course's folder, the interpreter and the engine's own files: change the engine and
the next check starts a fresh grader (the old one exits when idle).
``MLMATH_WARM_GRADER=0`` turns the warm grader off: every check grades in a
process of its own, as before.
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

#: how long a grader that was just started may take to answer its socket
START_SECONDS = 60.0
#: the longest socket path the kernel takes (sun_path is 108 bytes, with its terminating zero)
SOCKET_PATH_LIMIT = 107
ENGINE = Path(__file__).resolve().parent


class WarmGraderUnavailable(RuntimeError):
    """No warm grader could be reached or started: grade in this process instead."""


def enabled() -> bool:
    return os.environ.get("MLMATH_WARM_GRADER", "1") != "0"


def _runtime_dir() -> Path:
    base = os.environ.get("XDG_RUNTIME_DIR")
    folder = Path(base) / "mlmath" if base else Path(f"/tmp/mlmath-{os.getuid()}")
    folder.mkdir(mode=0o700, exist_ok=True)
    info = folder.stat()
    if info.st_uid != os.getuid() or info.st_mode & 0o077:
        raise WarmGraderUnavailable(f"{folder} is not this user's own private folder")
    return folder


def _engine_stamp() -> str:
    """Changes whenever a file of the engine does."""
    stamps = sorted((str(p), p.stat().st_mtime_ns) for p in ENGINE.rglob("*.py"))
    return hashlib.sha256(repr(stamps).encode()).hexdigest()


def socket_path(course_root: Path) -> Path:
    key = f"{Path(course_root).resolve()}\0{sys.executable}\0{_engine_stamp()}"
    path = _runtime_dir() / f"grader-{hashlib.sha256(key.encode()).hexdigest()[:20]}.sock"
    if len(os.fsencode(path)) > SOCKET_PATH_LIMIT:
        raise WarmGraderUnavailable(f"the socket path {path} is too long for a Unix socket")
    return path


def _exchange(path: Path, request: dict, timeout: float) -> dict:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
        connection.settimeout(timeout)
        connection.connect(str(path))
        connection.sendall((json.dumps(request) + "\n").encode())
        data = b""
        while not data.endswith(b"\n"):
            chunk = connection.recv(1 << 16)
            if not chunk:
                raise ConnectionError("the warm grader hung up")
            data += chunk
    return json.loads(data)


def _start(course_root: Path, path: Path) -> None:
    subprocess.Popen([sys.executable, "-m", "mlmath.grading.service", str(path)], cwd=course_root,
                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                     start_new_session=True, close_fds=True)


def ask(course_root: Path, request: dict, timeout: float) -> dict:
    """The warm grader's answer to ``request``; starts the grader if none is running.

    Raises :class:`WarmGraderUnavailable` when none can be reached or it does not answer
    within ``timeout`` seconds (the caller then grades in a process of its own)."""
    if not enabled():
        raise WarmGraderUnavailable("MLMATH_WARM_GRADER=0")
    try:
        path = socket_path(course_root)
        try:
            return _exchange(path, request, timeout)
        except (FileNotFoundError, ConnectionRefusedError):
            _start(course_root, path)
        deadline = time.monotonic() + START_SECONDS
        while True:
            try:
                return _exchange(path, request, timeout)
            except (FileNotFoundError, ConnectionRefusedError):
                if time.monotonic() > deadline:
                    raise WarmGraderUnavailable("the warm grader did not start") from None
                time.sleep(0.05)
    except (OSError, ValueError) as error:   # timeouts, a grader that died mid-request, bad JSON
        raise WarmGraderUnavailable(f"the warm grader failed ({type(error).__name__}: {error})") from None


def stop(course_root: Path) -> bool:
    """Stop the course's warm grader if one is running; whether there was one."""
    try:
        _exchange(socket_path(course_root), {"op": "stop"}, timeout=10)
    except (OSError, ValueError):
        return False
    return True
