"""The result model: checks, exercises and a graded notebook, apart from any file format."""

from __future__ import annotations

import math
from dataclasses import dataclass, field


@dataclass(frozen=True)
class CheckResult:
    name: str
    passed: bool
    weight: float
    message: str
    fix: str = ""      # how to fix it: set only for a failed check whose grader says how

    def to_json(self) -> dict:
        fields = {"name": self.name, "passed": self.passed, "weight": self.weight,
                  "message": self.message}
        return {**fields, "fix": self.fix} if self.fix else fields


@dataclass
class ExerciseResult:
    id: str
    max: float
    checks: list[CheckResult] = field(default_factory=list)

    @property
    def score(self) -> float:
        """The weighted share of checks passed, times the exercise's points, in [0, max]."""
        total = sum(check.weight for check in self.checks)
        if total <= 0:
            return 0.0
        passed = sum(check.weight for check in self.checks if check.passed)
        share = min(max(passed / total, 0.0), 1.0)
        score = round(self.max * share, 6)
        return score if math.isfinite(score) else 0.0

    def to_json(self) -> dict:
        return {"score": self.score, "max": float(self.max),
                "checks": [check.to_json() for check in self.checks]}


@dataclass
class GradeReport:
    assignment: str
    notebook: str
    exercises: dict[str, ExerciseResult]
    notes: list[str] = field(default_factory=list)  # e.g. an isolation warning
    faults: list[str] = field(default_factory=list)  # cells that hung or crashed the sandbox

    @property
    def score(self) -> float:
        return round(sum(e.score for e in self.exercises.values()), 6)

    @property
    def max(self) -> float:
        return round(sum(e.max for e in self.exercises.values()), 6)

    def to_json(self) -> dict:
        return {"assignment": self.assignment, "notebook": self.notebook,
                "score": self.score, "max": float(self.max),
                "exercises": {eid: e.to_json() for eid, e in self.exercises.items()}}
