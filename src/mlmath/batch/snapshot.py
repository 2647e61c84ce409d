"""What grading workers need to know of the gradebook, read once by the coordinator.

nbgrader's sanitizing steps (``OverwriteKernelspec``, ``OverwriteCells``) look
up the instructor's version of every cell in the gradebook.  Grading workers
never open the gradebook (only the coordinator writes it, and a worker may run
on another machine), so the coordinator copies those rows into an
:class:`AssignmentSnapshot` — plain data, cheap to send — and workers answer
the same questions from it, through :class:`SnapshotGradebook`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from nbgrader.api import Gradebook, MissingEntry


@dataclass(frozen=True)
class SourceCellInfo:
    name: str
    cell_type: str
    locked: bool
    source: str
    checksum: str | None


@dataclass(frozen=True)
class NotebookSnapshot:
    name: str
    kernelspec: str | None
    source_cells: tuple[SourceCellInfo, ...]      # in the gradebook's order
    grade_cells: dict[str, float]                 # name -> max score
    task_cells: dict[str, float]
    solution_cells: tuple[str, ...]


@dataclass(frozen=True)
class AssignmentSnapshot:
    assignment: str
    notebooks: dict[str, NotebookSnapshot] = field(default_factory=dict)


def read_snapshot(gradebook: Gradebook, assignment_id: str) -> AssignmentSnapshot:
    """Copy the instructor's cells of ``assignment_id`` out of the gradebook.

    Raises ``MissingEntry`` when the assignment is not in the gradebook.
    """
    assignment = gradebook.find_assignment(assignment_id)
    notebooks = {}
    for notebook in assignment.notebooks:
        notebooks[notebook.name] = NotebookSnapshot(
            name=notebook.name,
            kernelspec=notebook.kernelspec,
            source_cells=tuple(SourceCellInfo(c.name, c.cell_type, bool(c.locked), c.source or "", c.checksum)
                               for c in notebook.source_cells),
            grade_cells={c.name: float(c.max_score) for c in notebook.grade_cells},
            task_cells={c.name: float(c.max_score) for c in notebook.task_cells},
            solution_cells=tuple(c.name for c in notebook.solution_cells))
    return AssignmentSnapshot(assignment_id, notebooks)


@dataclass(frozen=True)
class _Graded:
    name: str
    max_score: float


class _NotebookView:
    """The slice of ``nbgrader.api.Notebook`` that the sanitizing steps read."""

    def __init__(self, snapshot: NotebookSnapshot):
        self.kernelspec = snapshot.kernelspec
        self.source_cells = list(snapshot.source_cells)
        self.grade_cells = [_Graded(n, p) for n, p in snapshot.grade_cells.items()]
        self.task_cells = [_Graded(n, p) for n, p in snapshot.task_cells.items()]
        self.solution_cells = [_Graded(n, 0.0) for n in snapshot.solution_cells]


class SnapshotGradebook:
    """Answers nbgrader's read-only gradebook queries from a snapshot."""

    def __init__(self, snapshot: AssignmentSnapshot):
        self.snapshot = snapshot

    def _notebook(self, notebook: str, assignment: str) -> NotebookSnapshot:
        if assignment != self.snapshot.assignment or notebook not in self.snapshot.notebooks:
            raise MissingEntry(f"no notebook {notebook!r} in assignment {assignment!r}")
        return self.snapshot.notebooks[notebook]

    def find_notebook(self, notebook: str, assignment: str) -> _NotebookView:
        return _NotebookView(self._notebook(notebook, assignment))

    def find_source_cell(self, name: str, notebook: str, assignment: str) -> SourceCellInfo:
        for cell in self._notebook(notebook, assignment).source_cells:
            if cell.name == name:
                return cell
        raise MissingEntry(f"no cell {name!r}")

    def find_graded_cell(self, name: str, notebook: str, assignment: str) -> _Graded:
        snapshot = self._notebook(notebook, assignment)
        points = snapshot.grade_cells.get(name, snapshot.task_cells.get(name))
        if points is None:
            raise MissingEntry(f"no graded cell {name!r}")
        return _Graded(name, points)
