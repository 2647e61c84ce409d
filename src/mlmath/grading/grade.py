"""Grading one notebook: the pipeline every front end (CLI, nbgrader, batch) shares.

1. read the notebook's runnable cells (by nbgrader metadata);
2. scan them for "from scratch" shortcuts — an exercise that uses one scores 0;
3. start the sandbox with those cells and run the remaining exercises' hidden
   graders against it;
4. assemble a :class:`GradeReport` covering every exercise of the assignment.
"""

from __future__ import annotations

import time
from functools import lru_cache
from pathlib import Path
from types import SimpleNamespace

from mlmath.course import Assignment, Course
from mlmath.grading.proxy import FunctionLost
from mlmath.grading.results import CheckResult, ExerciseResult, GradeReport
from mlmath.grading.learner_text import cell_name
from mlmath.grading.runner import Submission, run_graders
from mlmath.grading.seeds import course_secret
from mlmath.grading.exercise_cells import CellReader
from mlmath.grading.shortcuts import ScanTooLong, ShortcutScan, from_scratch_failure
from mlmath.grading.spec import use_tolerances
from mlmath.notebook import CodeCell, definitions, read_notebook, runnable_cells
from mlmath.parsed_cells import ParsedCells, parse_cells
from mlmath.sandbox.launcher import isolation_warning
from mlmath.sandbox.session import Sandbox


@lru_cache(maxsize=None)
def _reference_namespace(path: Path, mtime: float) -> SimpleNamespace:
    namespace: dict = {"__name__": "reference"}
    for cell in runnable_cells(read_notebook(path)):
        exec(compile(cell.source, f"{path}:reference", "exec"), namespace)
    return SimpleNamespace(**{k: v for k, v in namespace.items() if not k.startswith("__")})


def _source_notebook(course: Course, assignment: Assignment) -> Path:
    return course.source_dir / assignment.id / assignment.notebook


def reference_solutions(course: Course, assignment: Assignment) -> SimpleNamespace:
    """The instructor's solutions, run from the source notebook in this trusted process."""
    path = _source_notebook(course, assignment)
    return _reference_namespace(path, path.stat().st_mtime)


def _fingerprint(course: Course, assignment: Assignment) -> str:
    """What decides every exercise's result besides its own cells and graders: the reference
    solutions' version, the limits, the tolerances and how the sandbox isolates (see
    :mod:`mlmath.grading.reuse`)."""
    source = _source_notebook(course, assignment)
    return "\0".join(map(str, (source, source.stat().st_mtime_ns, course.limits, course.tolerances,
                                isolation_warning())))


def _shortcut_results(parsed: ParsedCells, assignment: Assignment,
                      deadline: float) -> dict[str, ExerciseResult]:
    """The exercises that score 0 for a "from scratch" shortcut found by reading the code.  The
    scan counts against the submission's time budget (``deadline``): one that outlasts it scores
    every exercise 0."""
    scan = ShortcutScan(parsed, deadline)
    gated = {}
    try:
        for exercise in assignment.exercises:
            shortcuts = scan.find(exercise.functions, exercise.forbidden)
            if shortcuts:
                failure = from_scratch_failure(exercise.functions, {s.display for s in shortcuts})
                gated[exercise.id] = ExerciseResult(exercise.id, exercise.points, [failure])
    except ScanTooLong:
        message = "the notebook used up its whole time budget while it was scanned for shortcuts"
        return {e.id: ExerciseResult(e.id, e.points, [CheckResult("from_scratch", False, 1.0, message)])
                for e in assignment.exercises}
    return gated


def _exercise_cells(parsed: ParsedCells, cells: list[CodeCell], exercises) -> dict[str, list[str]]:
    """For each exercise, the cells its process runs: those it reaches, ``""`` for the rest
    (and for an oversized cell, which is never run)."""
    reader = CellReader(parsed, {cell.index for cell in cells if cell.setup})
    chosen = {}
    for exercise in exercises:
        wanted = reader.cells_for(exercise.functions) - parsed.oversized
        chosen[exercise.id] = [cell.source if cell.index in wanted else "" for cell in cells]
    return chosen


_LOST_CELL = {
    "timeout": "cell {name} did not finish in time and was skipped",
    "submission-timeout": "the notebook used up its whole time budget at cell {name}",
    "crashed": "cell {name} ended the sandboxed process (os._exit, a crash or too much memory) "
               "and was skipped",
    "protocol": "cell {name} made the sandboxed process send something that is not a reply "
                "(too large, too deeply nested, or forged) and was skipped",
}


def grade_cells(cells: list[CodeCell], course: Course, assignment: Assignment,
                notebook_name: str, exercises: set[str] | None = None,
                secret: str | None = None) -> GradeReport:
    """Grade the runnable ``cells`` of one notebook.  ``secret`` seeds the hidden inputs
    (default: the course's own, see :mod:`mlmath.grading.seeds`).

    Raises :class:`~mlmath.sandbox.session.SandboxUnavailable` when the sandbox cannot
    start: that is never a score."""
    started = time.monotonic()
    use_tolerances(course.tolerances)
    wanted = [e for e in assignment.exercises if exercises is None or e.id in exercises]
    deadline = started + course.limits.submission_seconds
    parsed = parse_cells(cells, course.limits.answer_cell_kb, deadline)
    results = {eid: r for eid, r in _shortcut_results(parsed, assignment, deadline).items()
               if any(e.id == eid for e in wanted)}
    to_run = {e.id: e.call_seconds or course.limits.call_seconds for e in wanted if e.id not in results}
    lost_functions: dict[str, FunctionLost] = {}
    cell_names = [cell_name(cell.grade_id, index) for index, cell in enumerate(cells)]
    to_grade = [e for e in wanted if e.id in to_run]
    with Sandbox(course.limits, started) as sandbox:
        submission = Submission(sandbox, _exercise_cells(parsed, cells, to_grade),
                                {e.id: e.forbidden for e in to_grade}, {e.id: e.functions for e in to_grade},
                                definitions(parsed), cell_names, secret or course_secret(course.root),
                                _fingerprint(course, assignment))
        checks = run_graders(course.graders_dir / assignment.id, submission, to_run,
                             reference_solutions(course, assignment), lost_functions)
        faults = [f"cell {cell_names[index]} is larger than {course.limits.answer_cell_kb} KiB and was not run"
                  for index in sorted(parsed.oversized)]
        faults += [_LOST_CELL[reason].format(name=cell_names[index])
                   for index, reason in sorted(sandbox.lost_cells.items())]
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
