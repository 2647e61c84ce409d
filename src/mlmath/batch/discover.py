"""Finding the submissions of an assignment in nbgrader's ``submitted/`` folder."""

from __future__ import annotations

import datetime
import os
from dataclasses import dataclass
from pathlib import Path

from nbgrader.utils import is_ignored, parse_utc

#: nbgrader's default ``CourseDirectory.ignore``: never copied, never graded
IGNORED = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback"]


@dataclass(frozen=True)
class Submission:
    """``submitted/<student>/<assignment>/`` as found on disk."""

    student: str
    assignment: str
    folder: Path

    @property
    def timestamp(self) -> datetime.datetime | None:
        """The submission time nbgrader's ``collect`` recorded, if any (None if absent or unreadable)."""
        try:
            text = (self.folder / "timestamp.txt").read_text(encoding="utf-8").strip()
            return parse_utc(text) if text else None
        except (OSError, ValueError, UnicodeDecodeError, OverflowError):
            return None

    def files(self) -> list[Path]:
        return regular_files(self.folder)


def regular_files(folder: Path) -> list[Path]:
    """The regular files under ``folder``, relative to it, minus nbgrader's ignored ones.

    Symbolic links are neither followed nor listed: a submission may not
    bring in files from elsewhere.
    """
    found = []
    for directory, subdirs, files in os.walk(folder):
        subdirs[:] = sorted(d for d in subdirs if not is_ignored(d, IGNORED))
        for name in sorted(files):
            path = Path(directory, name)
            if not is_ignored(name, IGNORED) and not path.is_symlink():
                found.append(path.relative_to(folder))
    return found


class NoSuchStudent(LookupError):
    """``--student`` named somebody with no submission of the assignment."""


def find_submissions(course_root: Path, assignment: str,
                     students: list[str] | None = None) -> list[Submission]:
    """Every ``submitted/<student>/<assignment>/`` folder, by student id (or only ``students``)."""
    submitted = course_root / "submitted"
    found = {}
    if submitted.is_dir():
        for student_dir in sorted(submitted.iterdir()):
            folder = student_dir / assignment
            if student_dir.name.startswith(".") or not folder.is_dir() or folder.is_symlink():
                continue
            found[student_dir.name] = Submission(student_dir.name, assignment, folder)
    if students is None:
        return list(found.values())
    missing = [s for s in students if s not in found]
    if missing:
        raise NoSuchStudent(f"no submission of {assignment} under {submitted} for: {', '.join(missing)}")
    return [found[s] for s in dict.fromkeys(students)]
