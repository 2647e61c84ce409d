"""nbgrader's steps as a grading worker runs them: built once, restoring deleted grade cells where
nbgrader's rule puts them, and checking cell metadata against a schema written once."""

import json
import pickle
import threading

import nbformat
import pytest
from jsonschema import ValidationError
from nbgrader.nbgraderformat import MetadataValidator

from mlmath.batch.snapshot import AssignmentSnapshot, NotebookSnapshot, SnapshotGradebook, SourceCellInfo
from mlmath.batch.steps import autograde_steps, nbgrader_config
from mlmath.nbgrader_bridge.overwrite_cells import RestoreAllCells
from mlmath.nbgrader_bridge.schema_once import check_schema_once
from tests.support import ROOT, source_path

# the instructor's cells, in the gradebook's order: set-up, then an answer and its checks per exercise
CELLS = {"setup": {"locked": True}, "answer_a": {"solution": True}, "test_a": {"grade": True, "locked": True},
         "answer_b": {"solution": True}, "test_b": {"grade": True, "locked": True},
         "test_b2": {"grade": True, "locked": True}, "answer_c": {"solution": True},
         "test_c": {"grade": True, "locked": True}}
SNAPSHOT = AssignmentSnapshot("a", {"nb": NotebookSnapshot(
    name="nb", kernelspec=None,
    source_cells=tuple(SourceCellInfo(name, "code", bool(flags.get("locked")), f"# {name}", None)
                       for name, flags in CELLS.items()),
    grade_cells={name: 1.0 for name, flags in CELLS.items() if flags.get("grade")},
    task_cells={},
    solution_cells=tuple(name for name, flags in CELLS.items() if flags.get("solution")))})


def _cell(label: str):
    """The learner's copy of the instructor's cell ``label``, or a cell of their own."""
    if label not in CELLS:
        return nbformat.v4.new_code_cell(label)
    flags = {"grade": False, "solution": False, "locked": False, **CELLS[label]}
    return nbformat.v4.new_code_cell(f"# {label}", metadata={"nbgrader": {"grade_id": label, **flags}})


def _restored(labels: list[str]) -> list[str]:
    """The notebook with these cells once every deleted grade cell is back, as labels."""
    step = RestoreAllCells()
    step.gradebook, step.notebook_id, step.assignment_id = SnapshotGradebook(SNAPSHOT), "nb", "a"
    nb, _ = step.add_missing_grade_cells(nbformat.v4.new_notebook(cells=[_cell(label) for label in labels]), {})
    return [cell.metadata.get("nbgrader", {}).get("grade_id") or cell.source for cell in nb.cells]


@pytest.mark.parametrize("submitted, restored", [
    # each after the cell before it in the gradebook, the cells put back before it included,
    # and before the learner's own cells that follow
    (["intro", "setup", "answer_a", "answer_b", "mine"],
     ["intro", "setup", "answer_a", "test_a", "answer_b", "test_b", "test_b2", "test_c", "mine"]),
    # nothing before it left (a locked set-up cell is not graded, so it does not count): first
    (["intro", "setup", "answer_b", "test_b", "test_b2", "answer_c", "test_c"],
     ["test_a", "intro", "setup", "answer_b", "test_b", "test_b2", "answer_c", "test_c"]),
    # after the last of the cells before it, wherever the learner moved them
    (["setup", "answer_a", "test_a", "test_b2", "answer_c", "test_c", "answer_b"],
     ["setup", "answer_a", "test_a", "test_b2", "answer_c", "test_c", "answer_b", "test_b"]),
    # nothing missing, nothing moved
    (["setup", "answer_a", "test_a", "answer_b", "test_b", "test_b2", "answer_c", "test_c"],
     ["setup", "answer_a", "test_a", "answer_b", "test_b", "test_b2", "answer_c", "test_c"]),
], ids=["several-missing", "first-missing", "reordered", "complete"])
def test_deleted_grade_cells_are_put_back_where_nbgrader_would(submitted, restored):
    assert _restored(submitted) == restored


def test_the_steps_are_built_once_per_configuration_snapshot_and_thread():
    config = nbgrader_config(str(ROOT))
    steps = autograde_steps(config, SNAPSHOT)
    assert autograde_steps(config, pickle.loads(pickle.dumps(SNAPSHOT))) is steps   # each task's own copy
    elsewhere = []
    thread = threading.Thread(target=lambda: elsewhere.extend(autograde_steps(config, SNAPSHOT)))
    thread.start()
    thread.join()
    assert not {id(step) for step in steps} & {id(step) for step in elsewhere}
    other = AssignmentSnapshot("b", SNAPSHOT.notebooks)
    assert autograde_steps(config, other) is not steps
    assert all(step.snapshot.snapshot == other for step in autograde_steps(config, other))


def test_the_metadata_schema_is_written_once_per_notebook_and_bad_metadata_still_refused(monkeypatch):
    check_schema_once()
    validator = MetadataValidator()
    nb = nbformat.read(source_path("ch04_numerics"), as_version=4)
    written, dumps = [], json.dumps
    monkeypatch.setattr(json, "dumps", lambda value, **kwargs: written.append(value) or dumps(value, **kwargs))
    validator.validate_nb(nb)
    assert [value is validator.schema for value in written].count(True) == 1 and len(written) > 10
    graded = next(cell for cell in nb.cells if "points" in cell.metadata.get("nbgrader", {}))
    graded.metadata.nbgrader["points"] = -1
    with pytest.raises(ValidationError):
        validator.validate_nb(nb)
