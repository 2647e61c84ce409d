"""The end-of-batch summary: what was graded, what failed and why, how the class did, and
whose grade changed when graded again — as text for people and as JSON for scripts."""

from __future__ import annotations

from mlmath.batch.recorder import record_of
from mlmath.batch.regrade import Regrade
from mlmath.batch.run import BatchResult
from mlmath.course import Assignment
from mlmath.render import points

SLOWEST = 5


def summary_text(result: BatchResult, assignment: Assignment) -> str:
    records = [record_of(outcome, "") for _, outcome in result.graded]
    failed = [r for r in records if r.status == "failed"]
    lines = [f"{assignment.id}: {len(records)} graded ({len(failed)} with a notebook that could not be "
             f"graded), {len(result.skipped)} already graded, {len(result.errors)} not graded, "
             f"in {result.seconds:.1f} s"]
    if failed:
        lines.append("Could not be graded (scored 0, the reason is in their feedback):")
        lines += [f"  {r.student}: {r.reason}" for r in failed]
    faulty = [r for r in records if r.notes]
    if faulty:
        lines.append("Graded, with learner code that hung or crashed:")
        lines += [f"  {r.student}: {'; '.join(r.notes)}" for r in faulty]
    if result.errors:
        lines.append("NOT graded (run again to retry them):")
        lines += [f"  {s.student}: {reason}" for s, reason in result.errors]
    if records:
        lines.append(f"{'exercise':<20} {'mean':>12} {'full marks':>11}")
        for exercise in assignment.exercises:
            scores = [r.exercises.get(exercise.id, {}).get("score", 0.0) for r in records]
            full = sum(score >= exercise.points - 1e-9 for score in scores)
            mean = sum(scores) / len(scores)
            lines.append(f"{exercise.id:<20} {points(mean):>6} / {points(exercise.points):<3} "
                         f"{100 * full / len(scores):>10.0f}%")
        slowest = sorted(records, key=lambda r: r.seconds, reverse=True)[:SLOWEST]
        lines.append("Slowest: " + ", ".join(f"{r.student} {r.seconds:.2f} s" for r in slowest))
    if result.regrades:
        lines += regrades_text(result.regrades)
    return "\n".join(lines)


def regrades_text(regrades: list[Regrade]) -> list[str]:
    """Per submission graded again whose result changed: old → new grade and the checks that flipped."""
    changed = sorted((r for r in regrades if r.changed), key=lambda r: r.student)
    kept = sum(bool(r.kept) for r in regrades)
    if not changed:
        return [f"Graded again: {len(regrades)}; no grade and no check result changed"]
    head = (f"Graded again: {len(regrades)}; {len(changed)} changed" +
            (f", {kept} kept a higher old grade" if kept else "") + " (old → new):")
    return [head] + [f"  {r.text()}" for r in changed]


def summary_json(result: BatchResult) -> dict:
    """The batch as one JSON object; ``changed`` lists the submissions graded again whose grade
    or check results changed (see :meth:`mlmath.batch.regrade.Regrade.to_json`)."""
    records = [record_of(outcome, "") for _, outcome in result.graded]
    return {"assignment": result.assignment, "graded": len(records), "already_graded": len(result.skipped),
            "could_not_be_graded": [{"student": r.student, "reason": r.reason}
                                    for r in records if r.status == "failed"],
            "not_graded": [{"student": s.student, "reason": reason} for s, reason in result.errors],
            "regraded": len(result.regrades),
            "changed": [r.to_json() for r in sorted(result.regrades, key=lambda r: r.student) if r.changed]}
