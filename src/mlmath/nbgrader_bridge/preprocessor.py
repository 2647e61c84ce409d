"""The autograde step that replaces nbgrader's Execute: trusted grading, scores as cell outputs.

nbgrader reads a test cell's score from its outputs (``nbgrader.utils.
determine_grade``): an error → 0, the first ``execute_result`` → that number,
*no output at all → full points*.  So this step writes an output for every
test cell, always: the exercise's messages as a display, then its score —
clamped to [0, points] — as the ``execute_result``.  Learner code never runs
in this process or in a kernel; a notebook that cannot be graded gets 0 on
every exercise, with the reason, and nbgrader goes on with the next one.
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


def _outputs(result: ExerciseResult, cell_points: float) -> list:
    score = min(max(result.score, 0.0), float(result.max), cell_points)
    return [
        nbformat.v4.new_output("display_data", data={"text/plain": exercise_text(result),
                                                     "text/html": exercise_html(result)}),
        nbformat.v4.new_output("execute_result", data={"text/plain": repr(score)}, execution_count=1),
    ]


class GradeInSandbox(NbGraderPreprocessor):
    """Grade the notebook with the hidden graders and write each test cell's partial score."""

    def preprocess(self, nb, resources):
        assignment_id = resources["nbgrader"]["assignment"]
        notebook_name = resources["nbgrader"]["notebook"] + ".ipynb"
        course = load_course(Path.cwd())
        assignment = course.assignment(assignment_id)
        try:
            report = grade_cells(runnable_cells(nb), course, assignment, notebook_name)
            results, reason = report.exercises, ""
            for note in report.notes:
                self.log.warning(note)
        except Exception as exc:  # one broken notebook must not stop the class
            self.log.error("could not grade %s: %s", notebook_name, exc)
            results, reason = {}, f"this notebook could not be graded ({type(exc).__name__}: {exc})"
        for grade_id, cell in test_cells(nb).items():
            exercise_id = grade_id.removeprefix("test_")
            cell_points = float(cell.metadata["nbgrader"].get("points", 0))
            result = results.get(exercise_id) or ExerciseResult(
                exercise_id, cell_points,
                [CheckResult("graded", False, 1.0, reason or "no hidden graders for this cell")])
            cell.outputs = _outputs(result, cell_points)
            cell.execution_count = 1
        return nb, resources
