"""What changed when a submission was graded again: its grade before and after, the hidden
checks whose result flipped, and the higher old scores kept under ``--keep-higher``.

Grades here are the gradebook's (what ``nbgrader export`` reports: a manual score,
when a grader gave one, wins over the auto score); check results come from the
grading records.  A check "changed" when it failed on one side and not on the
other: a check added that passes, or removed after passing, changes nobody's result.
"""

from __future__ import annotations

from dataclasses import dataclass

from mlmath.batch.records import GradingRecord
from mlmath.render import points

#: two scores closer than this are the same grade (nbgrader rounds scores to 1e-6)
SAME_SCORE = 1e-6
PASSED, FAILED, ABSENT = "passed", "failed", "absent"


@dataclass(frozen=True)
class CheckChange:
    exercise: str
    name: str
    old: str                  # PASSED, FAILED or ABSENT
    new: str

    def text(self) -> str:
        return f"{self.exercise}/{self.name} {self.old} → {self.new}"


@dataclass(frozen=True)
class Regrade:
    """One submission graded again."""

    student: str
    old: float                          # the grade the gradebook gave before
    new: float                          # the grade the new grading gives
    grade: float                        # the grade the gradebook gives now: ``new`` unless old scores were kept
    checks: tuple[CheckChange, ...]     # checks whose result changed
    kept: dict[str, float]              # grade cell -> manual score written to keep its higher old score
    since: str = ""                     # when the grading it replaced was made (ISO 8601), if recorded

    @property
    def changed(self) -> bool:
        return bool(self.checks) or abs(self.new - self.old) > SAME_SCORE

    def to_json(self) -> dict:
        return {"student": self.student, "old": round(self.old, 6), "new": round(self.new, 6),
                "grade": round(self.grade, 6),
                "checks": [{"exercise": c.exercise, "name": c.name, "old": c.old, "new": c.new}
                           for c in self.checks],
                "kept": dict(self.kept), "since": self.since}

    @classmethod
    def from_json(cls, data: dict) -> "Regrade":
        checks = tuple(CheckChange(c["exercise"], c["name"], c["old"], c["new"]) for c in data["checks"])
        return cls(data["student"], data["old"], data["new"], data["grade"], checks, data["kept"], data["since"])

    def text(self) -> str:
        """One line for a terminal, e.g. ``alice: 14 → 12.5, kept 14 (softmax): softmax/dtype_rule passed → failed``."""
        line = f"{self.student}: {points(self.old)} → {points(self.new)}"
        if self.kept:
            line += f", kept {points(self.grade)} ({', '.join(sorted(map(exercise_of, self.kept)))})"
        return line + (": " + "; ".join(c.text() for c in self.checks) if self.checks else "")


def exercise_of(grade_cell: str) -> str:
    """The exercise a grade cell scores (``test_softmax`` -> ``softmax``)."""
    return grade_cell.removeprefix("test_")


def changed_checks(old: GradingRecord, new: GradingRecord) -> tuple[CheckChange, ...]:
    """The checks that failed in one grading and not in the other, in the new grading's order."""
    before, after = _results(old), _results(new)
    keys = list(after) + [key for key in before if key not in after]
    return tuple(CheckChange(*key, before.get(key, ABSENT), after.get(key, ABSENT)) for key in keys
                 if (before.get(key) == FAILED) != (after.get(key) == FAILED))


def _results(record: GradingRecord) -> dict[tuple[str, str], str]:
    return {(exercise, check["name"]): PASSED if check["passed"] else FAILED
            for exercise, result in record.exercises.items() for check in result.get("checks", [])}


def regrade_of(record: GradingRecord) -> Regrade | None:
    """The change a grading record stored, if it replaced an earlier grading."""
    return None if record.regrade is None else Regrade.from_json(record.regrade)
