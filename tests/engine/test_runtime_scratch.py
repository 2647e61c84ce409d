""""From scratch" where the code runs, and each exercise in a process of its own.

Every spelling here once scored full marks: the static scan could not see it. Now the
forbidden routine is a tripwire while the exercise runs, so the exercise scores 0 with a
message naming the shortcut, and every other exercise of the notebook is graded as before."""

import textwrap

import pytest

from tests.support import grade, submission

CASES = {
    "softmax-defined-inside-if": ("ch04_numerics", "softmax", "scipy.special.softmax", """
        import scipy.special
        if True:
            def softmax(x, axis=-1):
                return scipy.special.softmax(x, axis=axis)
    """),
    "softmax-from-a-module-named-at-run-time": ("ch04_numerics", "softmax", "scipy.special.softmax", """
        import importlib
        def softmax(x, axis=-1):
            return importlib.import_module("scipy." + "special").softmax(x, axis=axis)
    """),
    "softmax-through-exec": ("ch04_numerics", "softmax", "scipy.special.softmax", """
        def softmax(x, axis=-1):
            scope = {}
            exec("from scipy import special as s; f = s.soft" + "max", scope)
            return scope["f"](x, axis=axis)
    """),
    "log-softmax-from-the-private-module": ("ch04_numerics", "log_softmax", "scipy.special.logsumexp", """
        from scipy.special._logsumexp import logsumexp, log_softmax
    """),
    "softmax-from-scikit-learn": ("ch04_numerics", "softmax", "sklearn.utils.extmath.softmax", """
        def softmax(x, axis=-1):
            from sklearn.utils import extmath
            x = np.moveaxis(np.asarray(x, dtype=float), axis, -1)
            shape = x.shape
            out = getattr(extmath, "soft" + "max")(x.reshape(-1, shape[-1]).copy())
            return np.moveaxis(out.reshape(shape), -1, axis)
    """),
    "matmul-by-a-computed-name": ("ch01_linear_algebra", "matmul", "np.linalg.matmul", """
        def matmul(A, B):
            A, B = np.asarray(A, dtype=float), np.asarray(B, dtype=float)
            if A.shape[1] != B.shape[0]:
                raise ValueError(f"shapes {A.shape} and {B.shape} do not align")
            return getattr(np.linalg, "mat" + "mul")(A, B)
    """),
    "determinant-from-the-private-module": ("ch01_linear_algebra", "determinant", "np.linalg.det", """
        from numpy.linalg._linalg import det as _det
        def determinant(A):
            A = np.asarray(A, dtype=float)
            if A.ndim != 2 or A.shape[0] != A.shape[1]:
                raise ValueError("A must be square")
            return float(_det(A))
    """),
    "covariance-through-numpy-ma": ("ch03_probability", "covariance", "np.ma.", """
        def covariance_matrix(X):
            X = np.asarray(X, dtype=float)
            if X.shape[0] < 2:
                raise ValueError("need two samples")
            return np.atleast_2d(np.asarray(getattr(np.ma, "co" + "v")(X, rowvar=False)))
        def correlation_matrix(X):
            X = np.asarray(X, dtype=float)
            if X.shape[0] < 2:
                raise ValueError("need two samples")
            return np.atleast_2d(np.asarray(getattr(np.ma, "corr" + "coef")(X, rowvar=False)))
    """),
}


def _assert_only_this_exercise_scores_0(report, exercise, shown):
    result = report.exercises[exercise]
    assert result.score == 0, [c.message for c in result.checks]
    assert [c.name for c in result.checks] == ["from_scratch"]
    assert "must be written from scratch" in result.checks[0].message and shown in result.checks[0].message
    spoiled = {eid: e.score for eid, e in report.exercises.items() if eid != exercise and e.score != e.max}
    assert not spoiled, f"other exercises lost points: {spoiled}"


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_shortcut_reached_by_any_spelling_scores_0_on_its_exercise_only(case):
    assignment, exercise, shown, source = CASES[case]
    report = grade(submission(assignment, {exercise: textwrap.dedent(source)}), assignment)
    _assert_only_this_exercise_scores_0(report, exercise, shown)


def test_a_shortcut_the_learner_catches_still_costs_the_exercise():
    source = """
        import scipy.special
        def softmax(x, axis=-1):
            try:
                return scipy.special.softmax(x, axis=axis)
            except Exception:
                x = np.asarray(x, dtype=float)
                e = np.exp(x - np.max(x, axis=axis, keepdims=True))
                return e / e.sum(axis=axis, keepdims=True)
    """
    report = grade(submission("ch04_numerics", {"softmax": textwrap.dedent(source)}), "ch04_numerics")
    _assert_only_this_exercise_scores_0(report, "softmax", "scipy.special.softmax")


SABOTAGE = """
import builtins
builtins.isinstance = lambda obj, cls: True
builtins.AssertionError = type("Harmless", (Exception,), {})
"""


@pytest.mark.parametrize("assignment, exercise", [("ch03_probability", "bayes"), ("ch04_numerics", "float_bits"),
                                                  ("ch01_linear_algebra", "norms")])
def test_sabotage_in_one_answer_cell_stays_in_its_exercise(assignment, exercise):
    """A cell that breaks builtins reaches no other exercise: each runs in its own process."""
    from tests.support import _reference_answers
    sabotaged = SABOTAGE + _reference_answers(assignment)[exercise]
    report = grade(submission(assignment, {exercise: sabotaged}), assignment)
    spoiled = {eid: e.score for eid, e in report.exercises.items() if eid != exercise and e.score != e.max}
    assert not spoiled, f"other exercises lost points: {spoiled}"


def test_files_written_by_one_exercise_are_gone_for_the_next():
    writes = ("with open('/tmp/state', 'w') as handle:\n    handle.write('x')\n"
              + "def softmax(x, axis=-1):\n    return np.zeros(np.shape(x))\n")
    reads = ("import os\nif os.path.exists('/tmp/state'):\n"
             "    raise RuntimeError('state crossed over')\n")
    from tests.support import _reference_answers
    answers = {"softmax": writes, "log_softmax": reads + _reference_answers("ch04_numerics")["log_softmax"]}
    report = grade(submission("ch04_numerics", answers), "ch04_numerics")
    assert report.exercises["log_softmax"].score == report.exercises["log_softmax"].max
