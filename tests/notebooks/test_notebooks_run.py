"""Do the chapter notebooks run top to bottom in a fresh kernel, as learners and instructors open them?"""

import pytest

from tests.notebooks.support import errors, execute, grade_id
from tests.support import course, release_path, source_path

ASSIGNMENTS = [a.id for a in course().assignments if source_path(a.id).exists()]


@pytest.mark.parametrize("assignment_id", ASSIGNMENTS)
def test_source_notebook_runs_with_every_figure_rendered(assignment_id):
    from mlmath.notebook import read_notebook
    path = source_path(assignment_id)
    notebook = execute(read_notebook(path), path.parent)   # raises on an error or a cell over 30 s
    figure_cells = [c for c in notebook.cells if c.cell_type == "code" and "plt.show()" in c.source]
    assert figure_cells, "a chapter without a single picture"
    for cell in figure_cells:
        assert any("image/png" in o.get("data", {}) for o in cell.outputs), cell.source[:80]


@pytest.mark.parametrize("assignment_id", ASSIGNMENTS)
def test_release_notebook_fails_only_at_the_unimplemented_stubs(assignment_id):
    from mlmath.notebook import read_notebook
    path = release_path(assignment_id)
    notebook = execute(read_notebook(path), path.parent, allow_errors=True)
    for cell in notebook.cells:
        for error in errors(cell):
            assert grade_id(cell).startswith("test_"), f"unexpected error in {cell.source[:60]!r}"
            assert error["ename"] == "CheckFailed" and "not implemented yet" in error["evalue"]
            assert len(error["traceback"]) == 1, "a learner should see one line, not a traceback"
