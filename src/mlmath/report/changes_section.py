"""The report's "Changes since the last grading": after graders were fixed and the class
graded again, whose grade moved, which hidden checks flipped, and which old grades were kept."""

from __future__ import annotations

from html import escape
from typing import Sequence

from mlmath.batch.regrade import Regrade, exercise_of
from mlmath.render import points as score_text
from mlmath.report.html import Html, _identifier, _p, _section, _table


def changes_section(regrades: Sequence[Regrade]) -> Html:
    changed = sorted((r for r in regrades if r.changed), key=lambda r: r.student)
    intro = _p(f"{len(regrades)} submissions were graded again; the grading each replaced is kept in "
               f"the gradebook's mlmath_grading_history table. {len(changed)} changed: their grade "
               "or the result of a hidden check.")
    if not changed:
        return _section("changes", "Changes since the last grading", intro,
                        _p("No grade and no hidden check's result changed.", muted=True))
    rows = [(r.student, score_text(r.old), score_text(r.new), score_text(r.grade), _checks(r), _kept(r))
            for r in changed]
    table = _table(["student", "before", "regraded", "grade now", "checks whose result changed",
                    "old score kept"], rows, numeric={1, 2, 3}, table_id="changes-table")
    return _section("changes", "Changes since the last grading", intro, table,
                    _p("An old score kept (mlmath autograde --keep-higher) is written as the grader's "
                       "manual score, which nbgrader's export, feedback and formgrader show.", muted=True))


def _checks(regrade: Regrade) -> Html:
    if not regrade.checks:   # no record of the grading before (by `nbgrader autograde`), or only weights moved
        return Html(f"<span class='muted'>{'none' if regrade.since else 'not recorded'}</span>")
    return Html("<br>".join(f"<span class='exercise'>{escape(c.exercise)}</span>{_identifier(c.name)} "
                            f"{escape(c.old)} → {escape(c.new)}" for c in regrade.checks))


def _kept(regrade: Regrade) -> str:
    return ", ".join(sorted(exercise_of(cell) for cell in regrade.kept))
