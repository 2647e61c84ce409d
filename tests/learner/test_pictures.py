""""Your code at work" cells: a picture of the learner's own function under its check cell, one line
until it is written, nothing at all under nbgrader."""

import matplotlib
import nbformat
import pytest

from mlmath.notebook import read_notebook
from mlmath.pictures import at_work
from tests.notebooks.support import errors, execute, grade_id, text_of
from tests.support import course, release_path, source_path

#: the chapters whose notebooks picture the learner's functions
PICTURED = [a.id for a in course().assignments
            if source_path(a.id).exists() and "at_work(" in source_path(a.id).read_text()]


def picture_notebook(answers_from) -> dict:
    """The chapter's set-up cell, its answer cells (as in ``answers_from``) and its picture cells only:
    no explanations, demonstrations or check cells."""
    notebook = read_notebook(answers_from)
    keep = [c for c in notebook["cells"] if c["cell_type"] == "code" and
            (grade_id(c) == "setup" or grade_id(c).startswith("answer_") or "at_work(" in c["source"])]
    plotting = nbformat.v4.new_code_cell("%matplotlib inline\nimport matplotlib.pyplot as plt")
    return {**notebook, "cells": [keep[0], plotting, *keep[1:]]}


def picture_cells(notebook):
    return [c for c in notebook.cells if "at_work(" in c.source and grade_id(c) != "setup"]


@pytest.mark.parametrize("assignment_id", PICTURED)
def test_every_exercise_has_a_picture_cell(assignment_id):
    cells = picture_cells(nbformat.from_dict(read_notebook(source_path(assignment_id))))
    assert len(cells) == len(course().assignment(assignment_id).exercises)


@pytest.mark.parametrize("assignment_id", PICTURED)
def test_with_the_reference_solutions_each_picture_cell_draws_a_figure(assignment_id):
    notebook = execute(picture_notebook(source_path(assignment_id)), source_path(assignment_id).parent)
    for cell in picture_cells(notebook):
        assert [o["output_type"] for o in cell.outputs] == ["display_data"], text_of(cell)
        assert "image/png" in cell.outputs[0]["data"], cell.source[-40:]


@pytest.mark.parametrize("assignment_id", PICTURED)
def test_with_the_stubs_each_picture_cell_prints_one_line_and_no_traceback(assignment_id):
    notebook = execute(picture_notebook(release_path(assignment_id)), release_path(assignment_id).parent,
                       allow_errors=True)
    for cell in picture_cells(notebook):
        function = cell.source.rsplit('at_work("', 1)[1].split('"')[0]
        assert not errors(cell)
        assert {(o["output_type"], o.get("name")) for o in cell.outputs} == {("stream", "stdout")}
        assert text_of(cell).replace("\n", "") == f"write {function} above to see it here"


@pytest.mark.parametrize("failure, line", [
    (NotImplementedError(), "write softmax above to see it here"),
    (NameError("name 'softmax' is not defined", name="softmax"), "write softmax above to see it here"),
    (ValueError("shapes (3,) and\n(4,) differ"), "cannot picture your softmax yet (ValueError: shapes (3,) and); "
                                                 "its check cell above says what is wrong"),
])
def test_a_function_not_ready_gives_one_line_and_leaves_no_figure(capsys, failure, line):
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    plt.close("all")

    def draw():
        plt.subplots()
        raise failure

    at_work("softmax", draw)
    assert capsys.readouterr().out == line + "\n"
    assert plt.get_fignums() == []


@pytest.mark.parametrize("variable", ["NBGRADER_EXECUTION", "NBGRADER_VALIDATING"])
def test_under_nbgrader_nothing_is_drawn(monkeypatch, capsys, variable):
    monkeypatch.setenv(variable, "validate")
    drawn = []
    at_work("softmax", lambda: drawn.append(True))
    assert drawn == [] and capsys.readouterr().out == ""
