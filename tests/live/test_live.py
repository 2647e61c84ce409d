"""Does check("softmax", public_checks) grade, inside the notebook, what the learner last ran?"""

import pytest

from mlmath.live import CheckFailed, LiveResult, PublicOutcome, last_run_cells, run_public_checks
from tests.implementations import libraries
from tests.notebooks.support import errors, execute, grade_id, text_of
from tests.support import ROOT, course, release_path, submission

ASSIGNMENT = "ch04_numerics"
FUNCTIONS = {e.id: e.functions for e in course().assignment(ASSIGNMENT).exercises}
NO_SHIFT = next(i for i in libraries()[ASSIGNMENT].WRONG if i.exercise == "softmax" and "shift" in i.name)


def test_the_newest_definition_of_each_exercise_wins():
    history = ["", "import numpy as np", "def softmax(x, axis=-1):\n    return 1",
               "def float32_parts(x):\n    return 0, 0, 0", "def broken(:", "def softmax(x, axis=-1):\n    return 2",
               "softmax([1, 2])"]
    cells = last_run_cells(history, FUNCTIONS)
    assert cells == {"softmax": history[5], "float_bits": history[3]}


def test_one_cell_with_both_functions_counts_for_its_exercise():
    source = "def logsumexp(x, axis=-1):\n    pass\ndef log_softmax(x, axis=-1):\n    pass"
    assert last_run_cells([source], FUNCTIONS) == {"log_softmax": source}


@pytest.mark.parametrize("body, outcome", [
    ("pass", PublicOutcome(True)),
    ("raise NotImplementedError()", PublicOutcome(False, not_implemented=True)),
    ("assert False, 'shift by the maximum'", PublicOutcome(False, message="shift by the maximum")),
    ("raise ZeroDivisionError('oops')", PublicOutcome(False, message="raised ZeroDivisionError: oops")),
])
def test_public_checks_outcomes(body, outcome):
    namespace = {}
    exec(f"def public():\n    {body}", namespace)
    assert run_public_checks(namespace["public"]) == outcome


def test_numpy_warnings_of_the_public_checks_are_not_printed_above_the_outcome(recwarn):
    namespace = {}
    exec("import numpy as np\ndef public():\n"
         "    assert np.isfinite(np.exp(np.array([1000.0]))).all(), 'softmax overflows'", namespace)
    assert run_public_checks(namespace["public"]) == PublicOutcome(False, message="softmax overflows")
    assert not recwarn.list


def test_a_failed_check_renders_as_one_line_not_a_traceback():
    assert CheckFailed("softmax: not implemented yet")._render_traceback_() == \
        ["\x1b[31msoftmax: not implemented yet\x1b[0m"]


def test_result_shows_score_marks_and_messages_as_text_and_html():
    result = LiveResult("softmax", "hidden graders", PublicOutcome(True), 2.0, 4.0,
                        [{"name": "stable_for_large_inputs", "passed": False, "message": "shift <by> max"},
                         {"name": "matches_definition", "passed": True, "message": "ok"}])
    assert repr(result).splitlines()[0] == "softmax: 2 / 4 (hidden graders)"
    assert "✗ stable_for_large_inputs: shift <by> max" in repr(result)
    assert "shift &lt;by&gt; max" in result._repr_html_() and "✓" in result._repr_html_()


def _run_with_extra_cells(notebook, after_answer, exercise):
    """Insert cells right after the exercise's answer cell, then run the whole notebook."""
    import nbformat
    position = next(i for i, c in enumerate(notebook["cells"]) if grade_id(c) == f"answer_{exercise}")
    notebook["cells"][position + 1:position + 1] = [nbformat.v4.new_code_cell(s) for s in after_answer]
    return execute(notebook, release_path(ASSIGNMENT).parent, allow_errors=True)


def test_check_cell_grades_the_last_run_code_with_the_hidden_graders():
    """The saved answer cell is wrong, but a later cell redefines softmax correctly: the check
    grades what ran last, not what is saved."""
    from mlmath.submissions import reference_answers
    from mlmath.notebook import read_notebook
    correct = reference_answers(read_notebook(ROOT / "source" / ASSIGNMENT / "numerics.ipynb"))["softmax"]
    notebook = _run_with_extra_cells(submission(ASSIGNMENT, {"softmax": NO_SHIFT.source}), [correct], "softmax")
    output = text_of(next(c for c in notebook.cells if grade_id(c) == "test_softmax"))
    assert "softmax: 4 / 4 (hidden graders)" in output


def test_check_cell_shows_the_failed_stability_check_of_a_wrong_answer():
    notebook = execute(submission(ASSIGNMENT, {"softmax": NO_SHIFT.source}), release_path(ASSIGNMENT).parent,
                       allow_errors=True)
    cell = next(c for c in notebook.cells if grade_id(c) == "test_softmax")
    output = text_of(cell)
    assert "(hidden graders)" in output and "✗ stable_for_large_inputs" in output
    assert "Your softmax overflows for large inputs" in output   # what is wrong; the fix is collapsed
    assert [e["ename"] for e in errors(cell)] == ["CheckFailed"]   # its public checks failed too
