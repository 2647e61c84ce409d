"""Seeds of the hidden checks: deterministic within a course, unpredictable outside it.

Every check draws its hidden inputs from a generator seeded by the check's id
*and* a secret of the course — 32 random bytes made the first time the course
grades anything, kept in ``.mlmath/secret`` at the course root (0600, ignored by
git, never in ``release/``, ``autograded/`` or the feedback).  The check ids
appear in every learner's feedback; without the secret they do not tell the
inputs.  ``mlmath check``, ``nbgrader autograde`` and ``mlmath autograde`` of one
course read the same file, so their grades agree; a Dask worker on another host
is sent the coordinator's secret with each task.  ``MLMATH_COURSE_SECRET`` (64 hex
digits), when set, is the secret instead of the file: a test suite or a CI that must
draw the same hidden inputs on every fresh clone sets it.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import tempfile
from pathlib import Path

SECRET_FILE = Path(".mlmath") / "secret"
SECRET_VARIABLE = "MLMATH_COURSE_SECRET"


def course_secret(root: Path) -> str:
    """The course's secret (hex): ``$MLMATH_COURSE_SECRET`` if set, else the course's file,
    created the first time it is asked for."""
    if (pinned := os.environ.get(SECRET_VARIABLE)) is not None:
        return _valid(pinned, SECRET_VARIABLE)
    path = Path(root) / SECRET_FILE
    try:
        return _read(path)
    except FileNotFoundError:
        pass
    path.parent.mkdir(mode=0o700, exist_ok=True)
    # written aside, then linked into place: a concurrent reader never sees a half-written file
    fd, draft = tempfile.mkstemp(dir=path.parent, prefix=".secret-")
    try:
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32) + "\n")
        os.link(draft, path)
    except FileExistsError:   # another grading process made it first: use theirs
        pass
    finally:
        os.unlink(draft)
    return _read(path)


def _read(path: Path) -> str:
    return _valid(path.read_text(), f"{path} (delete it to make a new one)")


def _valid(value: str, origin: str) -> str:
    value = value.strip()
    try:
        if len(value) == 64 and bytes.fromhex(value):
            return value
    except ValueError:
        pass
    raise ValueError(f"{origin}: not a course secret (64 hex digits)")


def check_seed(secret: str, check_id: str) -> int:
    """The seed of one check's generator (and of its hypothesis examples)."""
    return int.from_bytes(hashlib.sha256(f"{secret}\0{check_id}".encode()).digest()[:8], "big")
