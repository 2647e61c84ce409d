"""The ``autograded/`` folder, written so that a killed batch leaves nothing half-done.

A submission's autograded folder is assembled under a hidden staging name
next to its final place and renamed into place (an atomic step) only after
its scores are committed to the gradebook.  So ``autograded/<student>/
<assignment>/`` exists exactly when that submission is completely graded —
the same test ``nbgrader autograde`` uses to skip finished work — and a batch
killed at any moment leaves at most some staging folders, which the next run
removes before it starts.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from mlmath.batch.discover import Submission, regular_files
from mlmath.batch.pipeline import SubmissionOutcome

_STAGING = ".{assignment}.mlmath-staging"
_RETIRED = ".{assignment}.mlmath-retired"


class AutogradedStore:
    def __init__(self, course_root: Path, assignment: str):
        self.root = course_root / "autograded"
        self.source = course_root / "source" / assignment
        self.assignment = assignment

    def final(self, student: str) -> Path:
        return self.root / student / self.assignment

    def _staging(self, student: str) -> Path:
        return self.root / student / _STAGING.format(assignment=self.assignment)

    def _retired(self, student: str) -> Path:
        return self.root / student / _RETIRED.format(assignment=self.assignment)

    def is_done(self, submission: Submission) -> bool:
        """Graded already, and not resubmitted since (nbgrader's rule, by timestamp)."""
        final = self.final(submission.student)
        if not final.is_dir():
            return False
        new = submission.timestamp
        old = Submission(submission.student, self.assignment, final).timestamp
        return not (new and old and new > old)

    def remove_leftovers(self) -> list[Path]:
        """Delete what a killed run left behind; return it."""
        leftovers = []
        for pattern in (_STAGING, _RETIRED):
            leftovers += self.root.glob(f"*/{pattern.format(assignment=self.assignment)}")
        for path in leftovers:
            shutil.rmtree(path)
        return leftovers

    def stage(self, submission: Submission, outcome: SubmissionOutcome) -> Path:
        """Write the autograded folder under its staging name, as nbgrader lays it out:
        the submission's other files, then the source folder's non-notebook files,
        then the autograded notebooks."""
        staging = self._staging(submission.student)
        if staging.exists():
            shutil.rmtree(staging)
        staging.mkdir(parents=True)
        for folder in (submission.folder, self.source):
            for relative in regular_files(folder) if folder.is_dir() else []:
                if relative.suffix != ".ipynb":
                    _copy(folder / relative, staging / relative)
        for notebook in outcome.notebooks:
            if notebook.text is not None:
                (staging / f"{notebook.name}.ipynb").write_text(notebook.text, encoding="utf-8")
        return staging

    def publish(self, student: str) -> None:
        """Move the staged folder into place, replacing an older one (after the gradebook commit)."""
        final, retired = self.final(student), self._retired(student)
        if final.exists():
            os.replace(final, retired)
        os.replace(self._staging(student), final)
        if retired.exists():
            shutil.rmtree(retired)


def _copy(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
