"""What the grading records (``mlmath_grading``) say about a class: which hidden checks
it fails most, what could not be graded, and how long grading took."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import create_engine

from mlmath.batch.records import GradingRecord, read_records
from mlmath.course import Assignment
from mlmath.report.model import CheckStats, GradingSummary, StudentNote, Timing

#: how a check's message starts when the learner's function is missing or still the
#: stub (see ``mlmath.grading.runner.explain``): an unwritten answer, not a misconception
NOT_IMPLEMENTED = "not implemented yet"
#: ``explain`` appends per-submission detail to a check's message after this separator
DETAIL_SEPARATOR = " — "


def read_grading(url: str, assignment_id: str) -> list[GradingRecord]:
    """The assignment's grading records (none for a class graded by ``nbgrader autograde``)."""
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return read_records(connection, assignment_id)
    finally:
        engine.dispose()


@dataclass
class _Tally:
    """One (exercise, check) across the class, while counting."""

    attempted: int = 0
    messages: list[str] = field(default_factory=list)   # one per failing submission


def summarize(records: list[GradingRecord], assignment: Assignment) -> GradingSummary:
    """Count each hidden check's failures over the graded submissions, keeping a function
    "not implemented yet" apart from a wrong one, and list failures, notes and timings."""
    graded = [r for r in records if r.status == "graded"]
    order = {exercise.id: n for n, exercise in enumerate(assignment.exercises)}
    tallies: dict[tuple[str, str], _Tally] = {}
    not_implemented: Counter[str] = Counter()
    for record in graded:
        for exercise_id, result in record.exercises.items():
            unwritten = False
            for check in result.get("checks", []):
                tally = tallies.setdefault((exercise_id, check["name"]), _Tally())
                if not check["passed"] and check["message"].startswith(NOT_IMPLEMENTED):
                    unwritten = True
                    continue
                tally.attempted += 1
                if not check["passed"]:
                    tally.messages.append(check["message"])
            if unwritten:
                not_implemented[exercise_id] += 1
    misconceptions = sorted(
        (CheckStats(exercise, name, len(t.messages), t.attempted, representative_message(t.messages))
         for (exercise, name), t in tallies.items() if t.messages),
        key=lambda c: (-c.failed, -c.share, order.get(c.exercise, len(order)), c.exercise, c.name))
    return GradingSummary(
        graded=len(graded),
        failed=sum(r.status == "failed" for r in records),
        misconceptions=tuple(misconceptions),
        checks_never_failed=sum(t.attempted > 0 and not t.messages for t in tallies.values()),
        not_implemented={e.id: not_implemented[e.id] for e in assignment.exercises if not_implemented[e.id]},
        failures=tuple(StudentNote(r.student, r.reason) for r in records if r.status == "failed"),
        notes=tuple(StudentNote(r.student, note) for r in records for note in r.notes),
        timings=tuple(sorted((Timing(r.student, r.seconds) for r in records),
                             key=lambda t: (-t.seconds, t.student))),
    )


def representative_message(messages: list[str]) -> str:
    """The failure text most submissions saw for one check.

    Messages are the grader's text, possibly followed by per-submission detail
    after " — " (what the learner's function raised, say); the grader's text
    may contain " — " itself.  So every message stands for itself and for each
    of its beginnings that ends before a " — ", and the text shared by the most
    failures wins, the longest of those: the grader's text when details vary,
    the whole message when every failure had the same.
    """
    shared: Counter[str] = Counter()
    for message in messages:
        shared.update(_beginnings(message))
    return max(shared, key=lambda text: (shared[text], len(text)), default="")


def _beginnings(message: str) -> set[str]:
    cuts = (match.start() for match in re.finditer(re.escape(DETAIL_SEPARATOR), message))
    return {message, *(message[:cut] for cut in cuts)}
