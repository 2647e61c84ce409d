"""Comparing a whole class: every submission read once, every exercise's answers ranked in pairs.

Submissions are found as ``mlmath autograde`` finds them
(``submitted/<student>/<assignment>/<notebook>``); the release notebook of the
assignment is the provided code whose fingerprints never count.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Callable

import numpy as np

from mlmath.batch.discover import find_submissions
from mlmath.course import Assignment, Course
from mlmath.notebook import NotebookError, read_notebook
from mlmath.similarity.answers import Answer, exercise_answers, provided_code
from mlmath.similarity.fingerprint import Fingerprints, fingerprint, kgram_hashes
from mlmath.similarity.ranking import MIN_ANSWERS, THRESHOLD, Pair, rank_exercise


@dataclass(frozen=True)
class Unread:
    student: str
    reason: str


@dataclass(frozen=True)
class ClassSimilarity:
    assignment: str
    threshold: float
    pairs: tuple[Pair, ...]                       # every pair sharing any fingerprint, highest score first
    answers: dict[str, dict[str, Answer]]          # student -> exercise id -> its code
    fingerprints: dict[str, dict[str, Fingerprints]]   # exercise id -> student -> its answer's
    written: dict[str, int]                        # exercise id -> answers with code of their own
    unread: tuple[Unread, ...]                     # submissions that could not be read
    seconds: float

    @property
    def reported(self) -> list[Pair]:
        """The pairs at or above the threshold, most unusual first."""
        return [pair for pair in self.pairs if pair.reported(self.threshold)]

    @property
    def too_few(self) -> list[str]:
        """Exercises with too few written answers to measure a pair against the class."""
        return [exercise for exercise, count in self.written.items() if count < MIN_ANSWERS]


def compare_class(course: Course, assignment: Assignment, threshold: float = THRESHOLD,
                  on_start: Callable[[int], None] | None = None,
                  on_read: Callable[[str, str], None] | None = None) -> ClassSimilarity:
    """Read every submission of ``assignment`` and rank each exercise's pairs of answers.

    ``on_start(count)`` is called once the submissions are found, ``on_read(student, outcome)``
    after each is read (for a progress display)."""
    started = time.monotonic()
    release = read_notebook(course.release_dir / assignment.id / assignment.notebook)
    provided = np.unique(kgram_hashes(provided_code(release).tokens()))
    submissions = find_submissions(course.root, assignment.id)
    if on_start:
        on_start(len(submissions))
    answers: dict[str, dict[str, Answer]] = {}
    fingerprints: dict[str, dict[str, Fingerprints]] = {e.id: {} for e in assignment.exercises}
    unread = []
    for submission in submissions:
        try:
            notebook = read_notebook(submission.folder / assignment.notebook)
        except NotebookError as error:
            unread.append(Unread(submission.student, str(error)))
            outcome = f"not read: {error}"
        else:
            answers[submission.student] = exercise_answers(notebook, assignment, course.limits.answer_cell_kb)
            for exercise_id, answer in answers[submission.student].items():
                fingerprints[exercise_id][submission.student] = fingerprint(answer.tokens(), provided)
            outcome = f"{sum(1 for f in fingerprints.values() if len(f.get(submission.student, ())))} answers"
        if on_read:
            on_read(submission.student, outcome)
    pairs = [pair for exercise_id, found in fingerprints.items() for pair in rank_exercise(exercise_id, found)]
    return ClassSimilarity(
        assignment=assignment.id, threshold=threshold,
        pairs=tuple(sorted(pairs, key=lambda p: (-p.score, -p.similarity, p.exercise, p.a, p.b))),
        answers=answers, fingerprints=fingerprints,
        written={exercise_id: sum(1 for f in found.values() if len(f)) for exercise_id, found in fingerprints.items()},
        unread=tuple(unread), seconds=time.monotonic() - started)
