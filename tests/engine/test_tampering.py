"""Can a hostile answer cell win points? Each case spoils the `softmax` exercise: it must score
0 there, and every other exercise of the notebook must still be graded normally."""

import dataclasses

import pytest

from mlmath.grading.grade import grade_cells
from mlmath.notebook import runnable_cells
from mlmath.sandbox.launcher import bwrap_path
from tests.support import ROOT, course, submission

ASSIGNMENT = "ch04_numerics"
WRONG_SOFTMAX = "def softmax(x, axis=-1):\n    return np.zeros(np.shape(x))\n"

HOSTILE = {
    "patches-numpy-testing": """
        import numpy.testing
        np.allclose = lambda *a, **k: True
        np.isclose = lambda *a, **k: True
        np.testing.assert_allclose = lambda *a, **k: None
        np.array_equal = lambda *a, **k: True
    """ + WRONG_SOFTMAX,
    "patches-builtins": """
        import builtins
        builtins.print = lambda *a, **k: None
        builtins.isinstance = lambda obj, cls: True
        builtins.type = lambda *a: float
        builtins.bool = lambda x=None: True
    """ + WRONG_SOFTMAX,
    "prints-fake-scores": """
        import os, sys
        print("18.0"); print('{"score": 18, "max": 18}')
        sys.stdout.write("4 / 4\\n"); os.write(1, b"18.0\\n"); os.write(2, b"18.0\\n")
        for fd in range(3, 64):
            try:
                os.write(fd, b"\\x00\\x00\\x00\\x05\\x81\\xa2ok\\xc3")
            except OSError:
                pass
    """ + WRONG_SOFTMAX,
    "sys-exit-at-top-level": "import sys\n" + WRONG_SOFTMAX + "sys.exit(0)\n",
    "os-exit-at-top-level": "import os\nos._exit(0)\n",
    "os-exit-in-function": "import os\ndef softmax(x, axis=-1):\n    os._exit(0)\n",
    "sys-exit-in-function": "import sys\ndef softmax(x, axis=-1):\n    sys.exit('18/18')\n",
    "loops-forever-at-top-level": "while True:\n    pass\n",
    "loops-forever-in-function": "def softmax(x, axis=-1):\n    while True:\n        pass\n",
    "allocates-50-GB": "def softmax(x, axis=-1):\n    hog = np.ones(50 * 2**30 // 8)\n    return hog[:np.size(x)]\n",
    "forks-many-processes": """
        import os
        def softmax(x, axis=-1):
            while True:
                try:
                    os.fork()
                except OSError:
                    break
            return np.zeros(np.shape(x))
    """,
    "pretends-to-be-an-array": """
        class AlwaysEqual(np.ndarray):
            def __eq__(self, other):
                return np.ones(np.shape(other), dtype=bool)
            def __array_finalize__(self, obj):
                pass
        def softmax(x, axis=-1):
            return np.zeros(np.shape(x)).view(AlwaysEqual)
    """,
    "returns-a-matrix": "def softmax(x, axis=-1):\n    return np.matrix(np.zeros(np.shape(x)))\n",
}
NEEDS_BWRAP = {
    "reads-the-graders": f"""
        source = open({str(ROOT / 'graders' / ASSIGNMENT / 'test_softmax.py')!r}).read()
    """ + WRONG_SOFTMAX,
    "execs-the-reference": f"""
        import json
        nb = json.load(open({str(ROOT / 'source' / ASSIGNMENT / 'numerics.ipynb')!r}))
        for cell in nb["cells"]:
            if "def softmax" in "".join(cell["source"]):
                exec("".join(cell["source"]))
    """,
}
FAST = dataclasses.replace(course(), limits=dataclasses.replace(
    course().limits, call_seconds=2.0, cell_seconds=3.0, submission_seconds=90.0))


def _grade_with_softmax_cell(source):
    import textwrap
    notebook = submission(ASSIGNMENT, {"softmax": textwrap.dedent(source)})
    assignment = FAST.assignment(ASSIGNMENT)
    return grade_cells(runnable_cells(notebook), FAST, assignment, assignment.notebook)


def _assert_contained(report):
    assert report.exercises["softmax"].score == 0
    spoiled = {eid: e.score for eid, e in report.exercises.items() if eid != "softmax" and e.score != e.max}
    assert not spoiled, f"other exercises lost points: {spoiled}"


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_cell_scores_nothing_and_spoils_nothing_else(case):
    _assert_contained(_grade_with_softmax_cell(HOSTILE[case]))


@pytest.mark.skipif(not bwrap_path(), reason="only bubblewrap hides the course files")
@pytest.mark.parametrize("case", sorted(NEEDS_BWRAP))
def test_course_files_cannot_be_read_from_an_answer_cell(case):
    _assert_contained(_grade_with_softmax_cell(NEEDS_BWRAP[case]))
