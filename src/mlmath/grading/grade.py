"""Grading one notebook: the pipeline every front end (CLI, nbgrader, batch) shares.

1. read the notebook's runnable cells (by nbgrader metadata);
2. scan them for "from scratch" shortcuts — an exercise that uses one scores 0;
3. start the sandbox with those cells and run the remaining exercises' hidden
   graders against it;
4. assemble a :class:`GradeReport` covering every exercise of the assignment.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from types import SimpleNamespace

from mlmath.course import Assignment, Course
from mlmath.grading.proxy import FunctionLost
from mlmath.grading.results import CheckResult, ExerciseResult, GradeReport
from mlmath.grading.runner import run_graders
from mlmath.grading.shortcuts import find_shortcuts
from mlmath.grading.spec import use_tolerances
from mlmath.notebook import CodeCell, definitions, read_notebook, runnable_cells
from mlmath.sandbox.launcher import isolation_warning
from mlmath.sandbox.session import SandboxSession


@lru_cache(maxsize=None)
def _reference_namespace(path: Path, mtime: float) -> SimpleNamespace:
    namespace: dict = {"__name__": "reference"}
    for cell in runnable_cells(read_notebook(path)):
        exec(compile(cell.source, f"{path}:reference", "exec"), namespace)
    return SimpleNamespace(**{k: v for k, v in namespace.items() if not k.startswith("__")})


def reference_solutions(course: Course, assignment: Assignment) -> SimpleNamespace:
    """The instructor's solutions, run from the source notebook in this trusted process."""
    path = course.source_dir / assignment.id / assignment.notebook
    return _reference_namespace(path, path.stat().st_mtime)


def _shortcut_results(cells: list[CodeCell], assignment: Assignment) -> dict[str, ExerciseResult]:
    sources = [cell.source for cell in cells]
    gated = {}
    for exercise in assignment.exercises:
        shortcuts = find_shortcuts(sources, exercise.functions, exercise.forbidden)
        if shortcuts:
            used = ", ".join(sorted({s.display for s in shortcuts}))
            message = (f"{' and '.join(exercise.functions)} must be written from scratch, "
                       f"but uses {used}; this exercise scores 0 until it does not")
            gated[exercise.id] = ExerciseResult(exercise.id, exercise.points,
                                                [CheckResult("from_scratch", False, 1.0, message)])
    return gated


_LOST_CELL = {
    "timeout": "cell {name} did not finish in time and was skipped",
    "submission-timeout": "the notebook used up its whole time budget at cell {name}",
    "crashed": "cell {name} ended the sandboxed process (os._exit, a crash or too much memory) "
               "and was skipped",
}


def grade_cells(cells: list[CodeCell], course: Course, assignment: Assignment,
                notebook_name: str, exercises: set[str] | None = None) -> GradeReport:
    use_tolerances(course.tolerances)
    wanted = [e for e in assignment.exercises if exercises is None or e.id in exercises]
    results = {eid: r for eid, r in _shortcut_results(cells, assignment).items()
               if any(e.id == eid for e in wanted)}
    to_run = {e.id: e.call_seconds or course.limits.call_seconds for e in wanted if e.id not in results}
    lost_functions: dict[str, FunctionLost] = {}
    with SandboxSession([cell.source for cell in cells], course.limits) as session:
        checks = run_graders(course.graders_dir / assignment.id, session, definitions(cells),
                             to_run, reference_solutions(course, assignment), lost_functions)
        faults = [_LOST_CELL[reason].format(name=cells[index].grade_id or f"#{index + 1}")
                  for index, reason in sorted(session.lost_cells.items())]
        faults += [str(lost) for lost in lost_functions.values()]
    for exercise in wanted:
        if exercise.id in to_run:
            results[exercise.id] = ExerciseResult(exercise.id, exercise.points,
                                                  checks.get(exercise.id, []))
    notes = [warning] if (warning := isolation_warning()) else []
    ordered = {e.id: results[e.id] for e in wanted}
    return GradeReport(assignment.id, notebook_name, ordered, notes, faults)


def grade_notebook(path: Path, course: Course, assignment: Assignment | None = None,
                   exercises: set[str] | None = None) -> GradeReport:
    """Grade the notebook at ``path`` (its assignment found from its name if not given)."""
    path = Path(path)
    notebook = read_notebook(path)
    assignment = assignment or course.assignment_for_notebook(path)
    for exercise_id in exercises or ():
        assignment.exercise(exercise_id)  # an unknown id is a CourseError, not an empty report
    return grade_cells(runnable_cells(notebook), course, assignment, path.name, exercises)
