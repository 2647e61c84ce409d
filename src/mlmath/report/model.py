"""What a class report holds: plain, frozen data, apart from where it came from and how it is shown.

Scores come from nbgrader's gradebook; everything about checks, failures and
time comes from the grading records (``mlmath_grading``), which may be absent.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from typing import TYPE_CHECKING

from mlmath.batch.regrade import Regrade

if TYPE_CHECKING:   # comparing a class needs numpy and copydetect; a report without it does not
    from mlmath.similarity.compare import ClassSimilarity


@dataclass(frozen=True)
class StudentScores:
    """One submission as the gradebook has it."""

    student: str
    total: float
    exercises: dict[str, float]          # exercise id -> score


@dataclass(frozen=True)
class ExerciseStats:
    id: str
    points: float
    mean: float                          # mean score over the submissions in the gradebook
    full_marks: float                    # share of those submissions with full marks, in [0, 1]


@dataclass(frozen=True)
class CheckStats:
    """A hidden check that some submissions failed: a candidate misconception."""

    exercise: str
    name: str
    failed: int                          # submissions that failed it (not as "not implemented yet")
    attempted: int                       # submissions graded on it with the function written
    message: str                         # the learner-facing failure text most of them saw

    @property
    def share(self) -> float:
        return self.failed / self.attempted if self.attempted else 0.0


@dataclass(frozen=True)
class StudentNote:
    """Something said about one submission: why it failed to grade, or a fault it caused."""

    student: str
    text: str


@dataclass(frozen=True)
class Timing:
    student: str
    seconds: float


@dataclass(frozen=True)
class GradingSummary:
    """What the grading records say about the class."""

    graded: int
    failed: int
    misconceptions: tuple[CheckStats, ...]       # most often failed first
    checks_never_failed: int                     # checks every attempting submission passed
    not_implemented: dict[str, int]              # exercise id -> submissions without it
    failures: tuple[StudentNote, ...]            # submissions that could not be graded
    notes: tuple[StudentNote, ...]               # faults that cost part of a grade
    timings: tuple[Timing, ...]                  # slowest first

    @property
    def total_seconds(self) -> float:
        return sum(t.seconds for t in self.timings)

    @property
    def median_seconds(self) -> float:
        return statistics.median(t.seconds for t in self.timings) if self.timings else 0.0

    @property
    def max_seconds(self) -> float:
        return self.timings[0].seconds if self.timings else 0.0


@dataclass(frozen=True)
class ClassReport:
    course: str
    assignment: str
    points: float                                # the assignment's points
    generated: str                               # when the report was made, for people
    submissions: int                             # in the gradebook or the records
    scores: tuple[StudentScores, ...]            # by student id
    exercises: tuple[ExerciseStats, ...]         # in the assignment's order
    grading: GradingSummary | None = None        # None: there are no records
    regrades: tuple[Regrade, ...] = ()           # submissions whose last grading replaced an earlier one
    similarity: ClassSimilarity | None = None    # unusually alike answers; None: not compared

    @property
    def totals(self) -> list[float]:
        return [s.total for s in self.scores]

    @property
    def mean(self) -> float:
        return statistics.fmean(self.totals) if self.scores else 0.0

    @property
    def median(self) -> float:
        return statistics.median(self.totals) if self.scores else 0.0
