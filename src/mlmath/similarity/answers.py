"""The code of each exercise in a notebook: the learner's answer cells, read as grading reads them.

An exercise's code is its answer cell (``answer_<exercise id>``), and any other
solution cell that is no exercise's own but that its functions reach (a helper
cell), followed as grading follows them
(:class:`~mlmath.grading.exercise_cells.CellReader`).  Another exercise's answer
cell never counts, even when reached: it is compared under its own exercise.
Cells are chosen by nbgrader metadata (:func:`mlmath.notebook.runnable_cells`),
the locked set-up cells are the course's, not the learner's, and an answer cell
over the course's ``answer_cell_kb`` is not read, as in grading.
"""

from __future__ import annotations

from dataclasses import dataclass

from mlmath.course import Assignment
from mlmath.grading.exercise_cells import CellReader
from mlmath.notebook import runnable_cells
from mlmath.parsed_cells import parse_cells
from mlmath.similarity.normalise import Token, canonical_order, normalised_statements

#: between two cells of one exercise's code
CELL_BREAK = "\n\n"


@dataclass(frozen=True)
class Answer:
    """One exercise's code in one notebook: the sources of its cells, in notebook order."""

    sources: tuple[str, ...]

    @property
    def text(self) -> str:
        return CELL_BREAK.join(self.sources)

    def tokens(self) -> list[Token]:
        """The normalised tokens of every cell (each read on its own), positions in :attr:`text`,
        the top-level statements of all cells in canonical order."""
        statements, offset = [], 0
        for source in self.sources:
            statements += normalised_statements(source, offset)
            offset += len(source) + len(CELL_BREAK)
        return canonical_order(statements)


def exercise_answers(notebook: dict, assignment: Assignment, answer_cell_kb: int) -> dict[str, Answer]:
    """Each exercise's code in ``notebook``, by exercise id."""
    cells = runnable_cells(notebook)
    parsed = parse_cells(cells, answer_cell_kb)
    reader = CellReader(parsed, {cell.index for cell in cells if cell.setup})
    answers = {}
    answer_ids = {f"answer_{exercise.id}" for exercise in assignment.exercises}
    helpers = {cell.index for cell in cells if not cell.setup and cell.grade_id not in answer_ids}
    for exercise in assignment.exercises:
        own = {cell.index for cell in cells if cell.grade_id == f"answer_{exercise.id}"}
        if all(any(name in bound for bound in reader.binds) for name in exercise.functions):
            own |= reader.cells_for(exercise.functions) & helpers
        chosen = sorted(own - parsed.oversized)
        answers[exercise.id] = Answer(tuple(cells[i].source for i in chosen))
    return answers


def provided_code(release_notebook: dict) -> Answer:
    """The code every learner is given: the release notebook's set-up and answer cells as handed out."""
    return Answer(tuple(cell.source for cell in runnable_cells(release_notebook)))
