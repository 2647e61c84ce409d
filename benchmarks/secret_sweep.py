"""Do the hidden checks give the same verdicts whatever the course's secret?

Every course draws its hidden inputs from its own secret (``mlmath.grading.seeds``),
so a check that is right for 99 % of secrets is wrong for the whole class of the
remaining 1 %.  This sweep grades, under N fresh random secrets, the reference
solutions (every check must pass), the valid alternatives of ``tests/implementations``
(every check of their exercise must pass) and the wrong implementations (their
exercise must lose points, among them the checks they name), and prints every
verdict that depended on the secret, with a secret that reproduces it.

    .venv/bin/python benchmarks/secret_sweep.py [--secrets 10] [--only reference,right,wrong]
        [--assignment ch01_linear_algebra]

Reproduce one failure: write the printed secret into ``.mlmath/secret`` of a copy of
the course, or pass it to ``mlmath.grading.grade.grade_cells(..., secret=...)``.
"""

from __future__ import annotations

import argparse
import secrets
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from mlmath.grading.grade import grade_cells  # noqa: E402
from mlmath.notebook import runnable_cells  # noqa: E402
from mlmath.sandbox.session import warm_zygotes  # noqa: E402
from tests.implementations import libraries  # noqa: E402
from tests.support import course, submission  # noqa: E402

KINDS = ("reference", "right", "wrong")


def _cases(assignment_id: str, kinds: set[str]):
    """(label, answers, exercises to grade, what is expected) of one assignment."""
    library = libraries()[assignment_id]
    if "reference" in kinds:
        yield "reference", None, None, "full"
    if "right" in kinds:
        for impl in library.RIGHT:
            yield impl.id, {impl.exercise: impl.source}, {impl.exercise}, "full"
    if "wrong" in kinds:
        for impl in library.WRONG:
            yield impl.id, {impl.exercise: impl.source}, {impl.exercise}, impl


def _surprises(report, expected) -> list[str]:
    """What in ``report`` contradicts ``expected`` ("full" or a wrong Implementation)."""
    if expected == "full":
        return [f"{e.id}.{c.name} failed: {c.message[:120]}"
                for e in report.exercises.values() for c in e.checks if not c.passed]
    target = report.exercises[expected.exercise]
    lost = {c.name for c in target.checks if not c.passed}
    found = [] if target.score < target.max else ["got full marks"]
    return found + [f"{name} passed" for name in sorted(set(expected.fails) - lost)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--secrets", type=int, default=10)
    parser.add_argument("--only", default=",".join(KINDS))
    parser.add_argument("--assignment", action="append")
    options = parser.parse_args()
    kinds = set(options.only.split(","))
    assignments = options.assignment or [a.id for a in course().assignments]
    surprises: Counter = Counter()
    witness: dict = {}
    started = time.monotonic()
    graded = 0
    with warm_zygotes():
        for _ in range(options.secrets):
            secret = secrets.token_hex(32)
            for assignment_id in assignments:
                assignment = course().assignment(assignment_id)
                for label, answers, exercises, expected in _cases(assignment_id, kinds):
                    report = grade_cells(runnable_cells(submission(assignment_id, answers)), course(),
                                         assignment, assignment.notebook, exercises, secret=secret)
                    graded += 1
                    for surprise in _surprises(report, expected):
                        key = (assignment_id, label, surprise)
                        surprises[key] += 1
                        witness.setdefault(key, secret)
    elapsed = time.monotonic() - started
    print(f"{graded} gradings under {options.secrets} secrets in {elapsed:.0f} s "
          f"({', '.join(sorted(kinds))}; {', '.join(assignments)})")
    for (assignment_id, label, surprise), count in sorted(surprises.items()):
        print(f"{count}/{options.secrets}  {assignment_id}  {label}: {surprise}\n"
              f"          secret {witness[assignment_id, label, surprise]}")
    print("every verdict was the same under every secret" if not surprises else
          f"{len(surprises)} verdicts depended on the secret")
    return 1 if surprises else 0


if __name__ == "__main__":
    raise SystemExit(main())
