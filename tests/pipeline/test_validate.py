"""Does nbgrader's Validate (the command behind JupyterLab's Validate button) report the public checks?"""

from mlmath.submissions import write_notebook
from tests.implementations import libraries
from tests.pipeline.conftest import ASSIGNMENT, run
from tests.support import course, submission

NOTEBOOK = course().assignment(ASSIGNMENT).notebook


def validate(notebook, folder):
    path = write_notebook(notebook, folder / NOTEBOOK)
    return run(["nbgrader", "validate", str(path)], folder, check=False).stdout


def test_a_complete_notebook_passes(tmp_path):
    assert "Success! Your notebook passes all the tests." in validate(submission(ASSIGNMENT), tmp_path)


def test_a_failing_public_check_is_reported_with_its_message(tmp_path):
    no_shift = next(i for i in libraries()[ASSIGNMENT].WRONG if i.exercise == "softmax" and "shift" in i.name)
    output = validate(submission(ASSIGNMENT, {"softmax": no_shift.source}), tmp_path)
    assert "VALIDATION FAILED ON 1 CELL(S)!" in output
    assert "softmax: a public check failed — softmax overflows for large inputs" in output


def test_an_unanswered_notebook_fails_validation_without_tracebacks(tmp_path):
    output = validate(submission(ASSIGNMENT, complete=False), tmp_path)
    assert f"VALIDATION FAILED ON {len(course().assignment(ASSIGNMENT).exercises)} CELL(S)!" in output
    assert "not implemented yet" in output and "Traceback" not in output
