"""The autograde step that replaces nbgrader's Execute: trusted grading, scores as cell outputs.

nbgrader reads a test cell's score from its outputs (``nbgrader.utils.
determine_grade``): an error → 0, the first ``execute_result`` → that number,
*no output at all → full points*.  So this step writes an output for every
test cell, always: the exercise's messages as a display, then its score —
clamped to [0, points] — as the ``execute_result``.  Learner code never runs
in this process or in a kernel; a notebook that cannot be graded gets 0 on
every exercise, with the reason, and nbgrader goes on with the next one.  A
sandbox that cannot start is no notebook's fault: it fails the run instead of
giving anyone a score.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbgrader.preprocessors import NbGraderPreprocessor

from mlmath.course import load_course
from mlmath.grading.grade import grade_cells
from mlmath.grading.results import CheckResult, ExerciseResult
from mlmath.notebook import runnable_cells, test_cells
from mlmath.render import exercise_html, exercise_text
from mlmath.sandbox.protocol import first_line
from mlmath.sandbox.session import SandboxUnavailable, keep_zygotes_warm


def _outputs(result: ExerciseResult, cell_points: float) -> list:
    """What ``nbformat.v4.new_output`` makes, without validating each output against the schema
    again (a tenth of a worker's time per submission)."""
    score = min(max(result.score, 0.0), float(result.max), cell_points)
    return [
        nbformat.from_dict({"output_type": "display_data", "metadata": {},
                            "data": {"text/plain": exercise_text(result), "text/html": exercise_html(result)}}),
        nbformat.from_dict({"output_type": "execute_result", "metadata": {}, "execution_count": 1,
                            "data": {"text/plain": repr(score)}}),
    ]


def write_scores(nb, results: dict[str, ExerciseResult], reason: str = "") -> None:
    """Give every test cell of ``nb`` its exercise's messages and score; a cell
    with no result scores 0 with ``reason``."""
    for grade_id, cell in test_cells(nb).items():
        exercise_id = grade_id.removeprefix("test_")
        cell_points = float(cell.metadata["nbgrader"].get("points", 0))
        result = results.get(exercise_id) or ExerciseResult(
            exercise_id, cell_points,
            [CheckResult("graded", False, 1.0, reason or "no hidden graders for this cell")])
        cell.outputs = _outputs(result, cell_points)
        cell.execution_count = 1


class GradeInSandbox(NbGraderPreprocessor):
    """Grade the notebook with the hidden graders and write each test cell's partial score.

    ``resources["mlmath"]`` may name the course root (default: the working
    directory, where nbgrader runs) and an ``ungradeable`` reason, for a
    notebook replaced by its release version.  The
    :class:`~mlmath.grading.results.GradeReport` is left in
    ``resources["mlmath"]["report"]`` (None if the notebook could not be
    graded, with the reason in ``resources["mlmath"]["reason"]``) for callers
    that record more than nbgrader does.
    """

    def preprocess(self, nb, resources):
        if "mlmath" not in resources:   # run by nbgrader itself: a class, one notebook after another
            keep_zygotes_warm()
        assignment_id = resources["nbgrader"]["assignment"]
        notebook_name = resources["nbgrader"]["notebook"] + ".ipynb"
        course = load_course(Path(resources.get("mlmath", {}).get("course_root") or Path.cwd()))
        assignment = course.assignment(assignment_id)
        # a caller that already knows the notebook cannot be graded says why
        report, reason = None, resources.get("mlmath", {}).get("ungradeable", "")
        if not reason:
            try:
                report = grade_cells(runnable_cells(nb), course, assignment, notebook_name,
                                     secret=resources.get("mlmath", {}).get("secret"))
                for note in report.notes:
                    self.log.warning(note)
            except SandboxUnavailable:   # the grader is broken, not the notebook: fail the run
                raise
            except Exception as exc:  # one broken notebook must not stop the class
                self.log.error("could not grade %s: %s", notebook_name, exc)
                reason = f"this notebook could not be graded ({first_line(f'{type(exc).__name__}: {exc}')})"
        write_scores(nb, report.exercises if report else {}, reason)
        resources.setdefault("mlmath", {}).update(report=report, reason=reason)
        return nb, resources
