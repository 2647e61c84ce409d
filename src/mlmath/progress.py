"""A self-learner's progress through the course: every chapter notebook in a folder, graded.

Each chapter's notebook is found in the folder (the release layout
``FOLDER/<assignment>/<notebook>`` or a flat folder of notebook files, recognised
as ``mlmath check`` recognises them), graded with the hidden graders — several
chapters at once, never in more processes than there are cores — and gathered
into one :class:`CourseProgress`: chapters × exercises, each score out of its
points, and what is left (the exercises not at full marks).  A chapter without a
notebook is *not started*; one that cannot be graded says why, and the others are
graded all the same.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Callable

from mlmath.course import Assignment, Course, CourseError, load_course
from mlmath.grading.results import ExerciseResult, GradeReport
from mlmath.render import points

GRADED, NOT_STARTED, CANNOT_GRADE = "graded", "not started", "cannot grade"
Outcome = tuple[GradeReport | None, str]   # the report, or why there is none


@dataclass
class ChapterProgress:
    assignment: Assignment
    notebook: Path | None = None   # None: no notebook of this chapter in the folder
    report: GradeReport | None = None
    reason: str = ""               # why it could not be graded

    @property
    def state(self) -> str:
        if self.report is not None:
            return GRADED
        return CANNOT_GRADE if self.reason else NOT_STARTED

    def exercise(self, exercise_id: str) -> ExerciseResult:
        """The exercise's result; no checks (so 0 points) when the chapter was not graded."""
        if self.report is not None and exercise_id in self.report.exercises:
            return self.report.exercises[exercise_id]
        return ExerciseResult(exercise_id, self.assignment.exercise(exercise_id).points)

    @property
    def results(self) -> list[ExerciseResult]:
        return [self.exercise(e.id) for e in self.assignment.exercises]

    @property
    def score(self) -> float:
        return round(sum(result.score for result in self.results), 6)

    @property
    def max(self) -> float:
        return float(self.assignment.points)

    @property
    def left(self) -> list[str]:
        """The exercises not at full marks yet."""
        return [result.id for result in self.results if not full_marks(result)]

    def to_json(self) -> dict:
        return {"notebook": str(self.notebook) if self.notebook else None, "state": self.state,
                "reason": self.reason, "score": self.score, "max": self.max, "left": self.left,
                "exercises": {result.id: result.to_json() for result in self.results}}


@dataclass
class CourseProgress:
    folder: Path
    chapters: list[ChapterProgress]
    notes: list[str] = field(default_factory=list)   # e.g. the sandbox's isolation warning

    @property
    def score(self) -> float:
        return round(sum(chapter.score for chapter in self.chapters), 6)

    @property
    def max(self) -> float:
        return float(sum(chapter.max for chapter in self.chapters))

    @property
    def exercises(self) -> int:
        return sum(len(chapter.assignment.exercises) for chapter in self.chapters)

    @property
    def left(self) -> int:
        return sum(len(chapter.left) for chapter in self.chapters)

    @property
    def summary(self) -> str:
        return (f"{points(self.score)} / {points(self.max)} points, "
                f"{self.left} of {self.exercises} exercises left")

    def to_json(self) -> dict:
        return {"folder": str(self.folder), "score": self.score, "max": self.max,
                "exercises_left": self.left,
                "chapters": {c.assignment.id: c.to_json() for c in self.chapters}}


def full_marks(result: ExerciseResult) -> bool:
    return result.score >= result.max - 1e-9


def find_chapters(folder: Path, course: Course) -> list[ChapterProgress]:
    """Each chapter of the course with its notebook in ``folder``, if there is one.

    A chapter's notebook is ``FOLDER/<assignment>/<notebook>``, else ``FOLDER/<notebook>``
    (the release layout wins over a flat copy); failing both, the one other notebook that
    :meth:`Course.assignment_for_notebook` gives to the chapter — a renamed notebook in the
    chapter's folder — and when there are several, the learner is asked to keep one.
    """
    preferred = {a.id: [p for p in (folder / a.id / a.notebook, folder / a.notebook) if p.is_file()]
                 for a in course.assignments}
    taken = {path for paths in preferred.values() for path in paths}
    others: dict[str, list[Path]] = {a.id: [] for a in course.assignments}
    for path in sorted({*folder.glob("*.ipynb"), *folder.glob("*/*.ipynb")} - taken):
        if path.parent != folder and path.parent.name not in others:
            continue   # neither layout: another project's notebooks, .ipynb_checkpoints, ...
        try:
            others[course.assignment_for_notebook(path).id].append(path)
        except CourseError:
            continue   # not a chapter notebook
    chapters = []
    for assignment in course.assignments:
        candidates = preferred[assignment.id][:1] or others[assignment.id]
        if len(candidates) > 1:
            names = ", ".join(str(p.relative_to(folder)) for p in candidates)
            chapters.append(ChapterProgress(assignment, reason=f"several notebooks could be this "
                                                               f"chapter ({names}): keep one"))
        else:
            chapters.append(ChapterProgress(assignment, candidates[0] if candidates else None))
    return chapters


def grade_chapter(root: str, assignment_id: str, notebook: str) -> Outcome:
    """Grade one chapter notebook as ``mlmath check`` does (top-level: it runs in a worker)."""
    from mlmath.grading.grade import grade_notebook
    from mlmath.grading.runner import GraderError
    from mlmath.notebook import NotebookError
    from mlmath.sandbox.session import SandboxUnavailable

    try:
        course = load_course(Path(root))
        return grade_notebook(Path(notebook), course, course.assignment(assignment_id)), ""
    except (CourseError, NotebookError, GraderError, SandboxUnavailable, OSError) as error:
        return None, str(error)


def cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:   # not on Linux
        return os.cpu_count() or 1


def grade_progress(folder: Path, course: Course) -> CourseProgress:
    """Find and grade the chapters in ``folder``: in as many processes as there are cores and
    chapters to grade, or in this process when there is one of either."""
    chapters = find_chapters(folder, course)
    to_grade = [c for c in chapters if c.notebook is not None]
    workers = min(cores(), len(to_grade))
    if workers <= 1:
        for chapter in to_grade:
            _record(chapter, partial(grade_chapter, str(course.root), chapter.assignment.id,
                                     str(chapter.notebook)))
    else:
        # spawned, as the batch's workers are: a fork would copy this process's state
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
            futures = [(pool.submit(grade_chapter, str(course.root), c.assignment.id, str(c.notebook)), c)
                       for c in to_grade]
            for future, chapter in futures:
                _record(chapter, future.result)
    notes = sorted({note for c in chapters if c.report for note in c.report.notes})
    return CourseProgress(folder, chapters, notes)


def _record(chapter: ChapterProgress, outcome: Callable[[], Outcome]) -> None:
    """Keep a chapter's outcome; a grading process that failed costs only its chapter."""
    try:
        chapter.report, chapter.reason = outcome()
    except Exception as error:  # noqa: BLE001 - this chapter's reason; the others are graded
        chapter.report, chapter.reason = None, f"grading failed ({type(error).__name__}: {error})"


def progress_text(progress: CourseProgress) -> str:
    """One table of the course: a line per chapter with its total and state, a line per
    exercise with its score and ✓ or ``left``, and the course's total."""
    rows: list[tuple[str, str, str, str]] = []   # label, score, out of, remark
    for chapter in progress.chapters:
        rows.append((chapter.assignment.id, points(chapter.score), points(chapter.max), _remark(chapter)))
        rows += [(f"  {r.id}", points(r.score), points(r.max), "✓" if full_marks(r) else "left")
                 for r in chapter.results]
    total = ("course", points(progress.score), points(progress.max),
             f"{progress.left} of {progress.exercises} exercises left")
    label, score, out_of = (max(len(row[i]) for row in [*rows, total]) for i in range(3))

    def line(row: tuple[str, str, str, str]) -> str:
        return f"{row[0]:<{label}}  {row[1]:>{score}} / {row[2]:<{out_of}}  {row[3]}".rstrip()

    return "\n".join([f"progress in {progress.folder}", "", *map(line, rows), "", line(total)])


def _remark(chapter: ChapterProgress) -> str:
    if chapter.state == NOT_STARTED:
        return f"not started (no {chapter.assignment.notebook} found)"
    if chapter.state == CANNOT_GRADE:
        return f"cannot grade: {chapter.reason}"
    left = len(chapter.left)
    return "done" if not left else f"{left} exercise{'s' if left > 1 else ''} left"
