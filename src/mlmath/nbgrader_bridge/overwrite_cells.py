"""nbgrader's OverwriteCells, putting back every grade cell a learner deleted.

With ``add_missing_cells`` nbgrader re-adds a deleted grade cell after the
source cell just before it, and fails the whole notebook (KeyError) when that
one was deleted too.  Here a missing cell goes after the nearest earlier cell
that is still there, so deleting cells never stops grading; the engine grades
functions, not cells, so a learner who deleted a check cell is graded as if
they had not.

A cell whose grade id the gradebook does not know (a learner renamed it), or
that lost its nbgrader metadata as a duplicate (``DeduplicateIds`` keeps the
last cell with an id), is made an ordinary cell: nbgrader would leave it
half-marked and then reject the whole notebook (a KeyError here, a
``CheckCellMetadata`` error after).  An ordinary cell is neither graded nor
run, exactly like a cell the learner added; a renamed check cell is then
restored from the gradebook like a deleted one.
"""

from __future__ import annotations

import nbformat
from nbformat.corpus.words import generate_corpus_id as random_cell_id
from nbgrader.preprocessors import OverwriteCells


def _grade_id(cell) -> str | None:
    nbgrader = cell.metadata.get("nbgrader", {})
    return nbgrader.get("grade_id") if nbgrader.get("grade") or nbgrader.get("solution") else None


class RestoreAllCells(OverwriteCells):
    """OverwriteCells that always restores missing grade and task cells."""

    def preprocess(self, nb, resources):
        self.add_missing_cells = True
        return super().preprocess(nb, resources)

    def preprocess_cell(self, cell, resources, cell_index):
        cell, resources = super().preprocess_cell(cell, resources, cell_index)
        if "nbgrader" in cell.metadata and not cell.metadata["nbgrader"].get("grade_id"):
            self.log.warning("Cell %d is not a cell of the assignment (renamed or duplicated): "
                             "treated as an ordinary cell", cell_index)
            del cell.metadata["nbgrader"]
        return cell, resources

    def missing_cell_transform(self, source_cell, max_score, is_solution=False, is_task=False):
        # nbgrader's cell is a NotebookNode whose metadata is a plain dict and which has no
        # id: make it a notebook cell like any other
        cell = nbformat.from_dict(super().missing_cell_transform(source_cell, max_score,
                                                                  is_solution, is_task))
        cell.setdefault("id", random_cell_id())
        return cell

    def add_missing_grade_cells(self, nb, resources):
        """Each missing grade cell, in the gradebook's order, goes after the last cell of the
        notebook that comes before it in that order (cells put back before it included), or
        first.  The notebook's grade ids are read once and kept in step with the insertions,
        not read again for every cell of the gradebook."""
        source = self.gradebook.find_notebook(self.notebook_id, self.assignment_id)
        order = [cell.name for cell in source.source_cells]
        points = {cell.name: cell.max_score for cell in source.grade_cells}
        solutions = {cell.name for cell in source.solution_cells}
        present = [_grade_id(cell) for cell in nb.cells]
        ids = set(present)
        for rank, name in enumerate(order):
            if name not in points or name in ids:
                continue
            self.log.warning("Missing grade cell %s encountered, adding to notebook", name)
            earlier = set(order[:rank])
            position = max((i + 1 for i, grade_id in enumerate(present) if grade_id in earlier), default=0)
            source_cell = self.gradebook.find_source_cell(name, self.notebook_id, self.assignment_id)
            nb.cells.insert(position, self.missing_cell_transform(source_cell, points[name],
                                                                  is_solution=name in solutions))
            present.insert(position, name)
            ids.add(name)
        return nb, resources
