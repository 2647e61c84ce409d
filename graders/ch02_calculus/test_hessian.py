"""Hidden checks for `numerical_hessian(f, x, h=1e-4)` and `classify_critical_point(H, tol=1e-6)`."""

import math

import numpy as np

from mlmath.grading import same_function, Feedback, as_array, assert_close, assert_inputs_unchanged, check

SYMMETRY = 1e-10        # the catalog: symmetric to 1e-10


def _softmax(x):
    e = np.exp(x - x.max())
    return e / e.sum()


# (f as source, its exact Hessian, the size of x)
SMOOTH = [
    ("lambda x: 0.5 * x @ np.array([[4.0, 1.0, 0.0], [1.0, 3.0, -1.0], [0.0, -1.0, 2.0]]) @ x + x[0] - 2 * x[2]",
     lambda x: np.array([[4.0, 1.0, 0.0], [1.0, 3.0, -1.0], [0.0, -1.0, 2.0]]), 3),
    ("lambda x: np.sum(np.sin(x)) + x[0] * x[1] ** 2",
     lambda x: np.diag(-np.sin(x)) + np.array([[0.0, 2 * x[1]], [2 * x[1], 2 * x[0]]]), 2),
    ("lambda x: np.log(np.sum(np.exp(x)))",
     lambda x: np.diag(_softmax(x)) - np.outer(_softmax(x), _softmax(x)), 4),
    ("lambda x: np.exp(0.3 * x[0] - 0.5 * x[1] + 0.2 * x[2])",
     lambda x: np.exp(0.3 * x[0] - 0.5 * x[1] + 0.2 * x[2]) * np.outer([0.3, -0.5, 0.2], [0.3, -0.5, 0.2]), 3),
    ("lambda x: (1 - x[0]) ** 2 + 100 * (x[1] - x[0] ** 2) ** 2",
     lambda x: np.array([[2 - 400 * (x[1] - x[0] ** 2) + 800 * x[0] ** 2, -400 * x[0]], [-400 * x[0], 200.0]]), 2),
    ("lambda x: np.cos(x[0]) * np.exp(0.5 * x[0])",
     lambda x: np.array([[np.exp(0.5 * x[0]) * (-0.75 * np.cos(x[0]) - np.sin(x[0]))]]), 1),
]


# six variables, every pair coupled
WIDE = ("lambda x: np.sum(np.cos(x)) + 0.5 * np.sum(x) ** 2",
        lambda x: np.ones((len(x), len(x))) - np.diag(np.cos(x)), 6)



def _hessian(student, source, x, *args, **kwargs):
    learner_f, _ = same_function(source)
    H = as_array(student.numerical_hessian(learner_f, x, *args, **kwargs), what="the Hessian")
    n = np.size(x)
    if H.shape != (n, n):
        raise Feedback(f"for x of length {n} the Hessian has shape {H.shape}; it must be ({n}, {n})")
    return H


def _close_to_exact(student, case, x):
    source, exact, _ = case
    H = _hessian(student, source, x)
    point = np.asarray(x, dtype=np.float64)
    value = eval(source, {"np": np, "numpy": np, "math": math})(point)
    assert_close(H, exact(point), rtol=0.0, atol=1e-5 * max(1.0, abs(value)), what="the Hessian")
    return H


def _point(rng, case):
    x = rng.uniform(-1.0, 1.0, size=case[2])
    return x + np.array([1.0, 1.0]) if case[0].startswith("lambda x: (1 - x[0])") else x   # near Rosenbrock's valley


@check(weight=3, message="numerical_hessian is not within 1e-5·max(1, |f(x)|) of the exact Hessian (a "
                         "one-sided formula is far less accurate).",
       fix="Estimate every H[i, j] with the four-point formula [f(x+he_i+he_j) − f(x+he_i−he_j) − "
           "f(x−he_i+he_j) + f(x−he_i−he_j)] / (4h²).")
def test_matches_the_exact_hessian(student, rng):
    for case in SMOOTH:
        _close_to_exact(student, case, _point(rng, case))


@check(weight=1, message="Your Hessian is not symmetric (to 1e-10).",
       fix="Compute the entries with i ≤ j and mirror them into the lower triangle (or average H with its "
           "transpose).")
def test_is_symmetric(student, rng):
    for case in (SMOOTH[1], SMOOTH[3], SMOOTH[2]):
        H = _close_to_exact(student, case, _point(rng, case))
        if np.max(np.abs(H - H.T)) > SYMMETRY:
            raise Feedback("H and its transpose differ")


@check(weight=1, message="The step h you are given is ignored: numerical_hessian(f, x, h=1e-2) must step "
                         "by 1e-2.",
       fix="Use h in the formula, not a hard-coded step.")
def test_uses_the_given_step(student, reference, rng):
    for case, h in ((SMOOTH[3], 1e-2), (SMOOTH[1], 3e-3)):
        x = _point(rng, case)
        H = _hessian(student, case[0], x, h=h)
        expected = reference.numerical_hessian(same_function(case[0])[1], x, h=h)
        off_diagonal = ~np.eye(len(x), dtype=bool)        # the diagonal may use the three-point formula
        value = eval(case[0], {"np": np, "numpy": np, "math": math})(x)
        assert_close(H[off_diagonal], expected[off_diagonal], rtol=0.0, atol=1e-9 * max(1.0, abs(value)),
                     what="the Hessian")
        assert_close(H, case[1](x), rtol=0.0, atol=1e-2, what="the Hessian")


@check(weight=1, message="An integer x fails or gives a wrong Hessian.",
       fix="Convert it to float64 so that the steps ±h are not truncated.")
def test_integer_x(student, rng):
    _close_to_exact(student, SMOOTH[1], rng.integers(-2, 3, size=2))
    _close_to_exact(student, SMOOTH[0], [1, 0, -1])


@check(weight=1, message="numerical_hessian modified x.",
       fix="Step copies of x (stepping x itself and stepping back need not restore the same floats).")
def test_leaves_input_unchanged(student, rng):
    _close_to_exact(student, SMOOTH[3], _point(rng, SMOOTH[3]))
    _close_to_exact(student, WIDE, rng.uniform(-3.0, 3.0, size=6))
    assert_inputs_unchanged(student)


# -- classify_critical_point ---------------------------------------------------------------------------
def _symmetric_with_eigenvalues(rng, eigenvalues):
    """Q diag(λ) Qᵀ for a random rotation Q: a symmetric matrix whose diagonal tells little."""
    Q, _ = np.linalg.qr(rng.normal(size=(len(eigenvalues), len(eigenvalues))))
    H = Q @ np.diag(eigenvalues) @ Q.T
    return (H + H.T) / 2


def _classify(student, H, expected, **kwargs):
    got = student.classify_critical_point(H, **kwargs)
    if not isinstance(got, str):
        raise Feedback(f"classify_critical_point must return a string, not {type(got).__name__}")
    if got != expected:
        if got.strip().lower() == expected:
            raise Feedback(f"return exactly one of 'minimum', 'maximum', 'saddle', 'inconclusive' (got {got!r})")
        raise Feedback()


@check(weight=2, message="A clear minimum or maximum is misclassified.",
       fix="All eigenvalues > tol → 'minimum'; all < −tol → 'maximum'. Use the eigenvalues of the "
           "symmetric H (np.linalg.eigvalsh), not its diagonal or the 2-d determinant test.")
def test_minimum_and_maximum(student, rng):
    for n in (1, 2, 3, 5):
        eigenvalues = rng.uniform(0.2, 5.0, size=n)
        _classify(student, _symmetric_with_eigenvalues(rng, eigenvalues), "minimum")
        _classify(student, _symmetric_with_eigenvalues(rng, -eigenvalues), "maximum")
    _classify(student, [[2.0, 1.0], [1.0, 2.0]], "minimum")


@check(weight=1, message="A saddle is missed — for instance when the diagonal is all positive, or when "
                         "another eigenvalue is 0.",
       fix="Eigenvalues of both signs (some > tol, some < −tol) make a 'saddle', whatever the others are.")
def test_saddle(student, rng):
    _classify(student, [[2.0, 3.0], [3.0, 2.0]], "saddle")
    _classify(student, _symmetric_with_eigenvalues(rng, [-1.0, -1.0, 2.0]), "saddle")
    _classify(student, _symmetric_with_eigenvalues(rng, [1.5, -0.7, 0.0]), "saddle")
    _classify(student, _symmetric_with_eigenvalues(rng, [3.0, 1.0, 0.5, -0.01]), "saddle")


@check(weight=1, message="A case where the second-order test says nothing (the zero matrix too) is not "
                         "'inconclusive'.",
       fix="If some eigenvalue has |λ| ≤ tol and the others do not take both signs, return 'inconclusive'.")
def test_inconclusive(student, rng):
    _classify(student, np.diag([1.0, 0.0]), "inconclusive")
    _classify(student, _symmetric_with_eigenvalues(rng, [2.0, 1.0, 0.0]), "inconclusive")
    _classify(student, _symmetric_with_eigenvalues(rng, [-2.0, 5e-7, -1.0]), "inconclusive")
    _classify(student, np.zeros((3, 3)), "inconclusive")


@check(weight=1, message="The tolerance you are given is ignored.",
       fix="An eigenvalue counts as zero when |λ| ≤ tol, with the tol passed in.")
def test_uses_tol(student, rng):
    _classify(student, _symmetric_with_eigenvalues(rng, [0.5, 2.0]), "inconclusive", tol=1.0)
    _classify(student, _symmetric_with_eigenvalues(rng, [1e-8, 1.0, 3.0]), "minimum", tol=1e-9)
    _classify(student, _symmetric_with_eigenvalues(rng, [-3.0, 0.4, -2.0]), "inconclusive", tol=0.5)
    _classify(student, np.diag([-2.0, -1e-7]), "maximum", tol=1e-8)
    _classify(student, np.diag([0.25, 2.0]), "inconclusive", tol=0.25)      # |λ| = tol counts as zero


DEFAULT_TOL = 1e-6      # the catalog's default for classify_critical_point


def _with_one_small_eigenvalue(rng, small, sign_of_the_others):
    n = int(rng.integers(2, 6))
    others = sign_of_the_others * rng.uniform(0.2, 3.0, size=n - 1)
    return _symmetric_with_eigenvalues(rng, rng.permutation(np.append(others, small)))


@check(weight=1, message="Called without tol, classify_critical_point does not use the default: an "
                         "eigenvalue of 1.5e-6 must count as non-zero, one of exactly 1e-6 as zero.",
       fix="Declare tol=1e-6 as the default and compare |λ| ≤ tol.")
def test_default_tol(student, rng):
    above = DEFAULT_TOL * np.append(rng.uniform(1.1, 1.9, size=2), rng.uniform(2.0, 9.0))
    for small in rng.permutation(above):
        _classify(student, _with_one_small_eigenvalue(rng, small, 1.0), "minimum")
        _classify(student, _with_one_small_eigenvalue(rng, -small, -1.0), "maximum")
        _classify(student, _with_one_small_eigenvalue(rng, -small, 1.0), "saddle")
    for small in DEFAULT_TOL * rng.uniform(0.1, 0.9, size=2) * rng.choice([-1.0, 1.0], size=2):
        _classify(student, _with_one_small_eigenvalue(rng, small, 1.0), "inconclusive")
    _classify(student, np.diag([DEFAULT_TOL, 3.0]), "inconclusive")
