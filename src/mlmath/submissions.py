"""Building submissions from the release notebook: answers in, everything else untouched.

Used for the bundled example class and by the test suite.  Answer cells are
found by their nbgrader grade id, ``answer_<exercise id>``.
"""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

from mlmath.course import Course
from mlmath.notebook import read_notebook

_SOLUTION_MARKER = re.compile(r"^[ \t]*### (BEGIN|END) SOLUTION[ \t]*(\n|\Z)", re.MULTILINE)


def answer_cells(notebook: dict) -> dict[str, dict]:
    """The answer cells of a notebook, by exercise id."""
    cells = {}
    for cell in notebook["cells"]:
        grade_id = str(cell.get("metadata", {}).get("nbgrader", {}).get("grade_id", ""))
        if grade_id.startswith("answer_"):
            cells[grade_id.removeprefix("answer_")] = cell
    return cells


def reference_answers(source_notebook: dict) -> dict[str, str]:
    """Each exercise's answer cell in the instructor's notebook, without the solution markers."""
    return {eid: _SOLUTION_MARKER.sub("", cell["source"])
            for eid, cell in answer_cells(source_notebook).items()}


def fill_answers(release_notebook: dict, answers: dict[str, str]) -> dict:
    """A copy of the release notebook with the given answer cells' sources replaced."""
    notebook = copy.deepcopy(release_notebook)
    cells = answer_cells(notebook)
    unknown = set(answers) - set(cells)
    if unknown:
        raise KeyError(f"the notebook has no answer cell for {sorted(unknown)}")
    for exercise_id, source in answers.items():
        cells[exercise_id]["source"] = source
    return notebook


def write_notebook(notebook: dict, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(notebook, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def example_class(course: Course, assignment_id: str) -> dict[str, dict]:
    """The bundled example submissions of an assignment, by student id.

    ``complete`` holds the reference answers, ``blank`` is the release notebook
    as handed out, and every ``examples/<assignment>/<student>.ipynb`` is a
    learner's notebook kept in the repository (e.g. ``mistakes``).
    """
    assignment = course.assignment(assignment_id)
    release = read_notebook(course.release_dir / assignment.id / assignment.notebook)
    source = read_notebook(course.source_dir / assignment.id / assignment.notebook)
    students = {"complete": fill_answers(release, reference_answers(source)), "blank": release}
    for path in sorted((course.root / "examples" / assignment.id).glob("*.ipynb")):
        students[path.stem] = read_notebook(path)
    return students
