"""Hidden checks for `mse(y, y_hat)` and `r2_score(y, y_hat)`."""

import numpy as np

from mlmath.grading import Feedback, as_array, assert_close, assert_inputs_unchanged, assert_no_warnings, check, expect_error


def _number(value, what):
    value = as_array(value, what)
    if value.shape != ():
        raise Feedback(f"{what} returned shape {value.shape}; it must return a single number")
    return value


def _assert_metric(student, reference, name, y, y_hat):
    got = _number(getattr(student, name)(y, y_hat), name)
    assert_close(got, getattr(reference, name)(y, y_hat), what=name)
    return got


@check(weight=2, message="mse gives wrong values: it should be the average squared error over the n points "
                         "— not a total, a root, or a sample variance.",
       fix="mse = (1/n)·Σ(y − ŷ)², e.g. np.mean((y - y_hat)**2) — not the sum, not its square root, not "
           "divided by n − 1.")
def test_mse_matches_definition(student, reference, rng):
    for n in (1, 6, 50):
        y = rng.normal(scale=3.0, size=n)
        _assert_metric(student, reference, "mse", y, y + rng.normal(size=n))


@check(weight=2, message="r2_score gives wrong values on ordinary predictions.",
       fix="R² = 1 − SS_res/SS_tot with SS_res = Σ(y − ŷ)² and SS_tot = Σ(y − ȳ)², the spread of y around "
           "its own mean.")
def test_r2_matches_definition(student, reference, rng):
    for n, noise in ((8, 0.3), (40, 1.0), (3, 2.0)):
        y = rng.normal(loc=5.0, scale=2.0, size=n)
        _assert_metric(student, reference, "r2_score", y, y + rng.normal(scale=noise, size=n))


@check(weight=1, message="Predictions worse than predicting the mean of y must score below 0, and a "
                         "constant offset must lower the score: yours clips R² or computes a squared "
                         "correlation.",
       fix="Return 1 − SS_res/SS_tot as it is, never clipped; it is not corr(y, ŷ)², which ignores offsets "
           "and scale.")
def test_r2_can_be_negative_and_is_not_correlation(student, reference, rng):
    y = rng.normal(loc=2.0, size=12)
    for y_hat in (y + 3.0, y[::-1].copy(), -y, np.full(12, y.mean() + 1.0)):
        _assert_metric(student, reference, "r2_score", y, y_hat)


@check(weight=1, message="r2_score fails for a constant y (all entries equal), where SS_tot = 0.",
       fix="Return 1.0 for an exact prediction and 0.0 otherwise, without dividing by zero.")
def test_r2_constant_y(student, reference, rng):
    for y in (np.full(5, 3.0), np.array([-2, -2, -2, -2]), np.full(4, 0.5)):
        for y_hat in (y.copy(), y + rng.normal(size=len(y))):
            _assert_metric(student, reference, "r2_score", y, y_hat)
    assert_no_warnings(student)


def _constants_whose_mean_rounds(rng, count):
    """Constant targets (all entries equal) whose computed float64 mean is not exactly that value,
    so that SS_tot comes out as a tiny positive number instead of 0."""
    found = []
    while len(found) < count:
        y = np.full(int(rng.integers(3, 12)), np.round(rng.uniform(-5.0, 5.0), 1))
        if y.mean() != y[0]:
            found.append(y)
    return found


@check(weight=1, message="A constant y whose computed mean is rounded is not treated as constant: there "
                         "SS_tot comes out a tiny positive number instead of 0.",
       fix="Decide that y is constant from its entries (all exactly equal, e.g. np.all(y == y[0])), not "
           "from SS_tot == 0.")
def test_r2_constant_y_whose_mean_rounds(student, reference, rng):
    for y in _constants_whose_mean_rounds(rng, 3):
        _assert_metric(student, reference, "r2_score", y, y.copy())
        _assert_metric(student, reference, "r2_score", y, y + rng.uniform(0.1, 1.0, size=len(y)))


@check(weight=1, message="Empty inputs, or y and y_hat of different lengths, are not refused: NumPy "
                         "broadcasting silently pairs a length-1 array with a longer one.",
       fix="In both functions raise ValueError when y is empty or len(y) != len(y_hat), before computing.")
def test_rejects_empty_and_unequal_lengths(student, reference, rng):
    y = rng.normal(size=4)
    for name in ("mse", "r2_score"):
        function = getattr(student, name)
        expect_error("ValueError", function, [], [])
        expect_error("ValueError", function, np.zeros(0), np.zeros(0))
        expect_error("ValueError", function, y, y[:1])
        expect_error("ValueError", function, y[:1], y)
        expect_error("ValueError", function, y, np.append(y, 1.0))
        _assert_metric(student, reference, name, y, y[::-1].copy())


@check(weight=1, message="Integer lists fail, or the result is not a single number.",
       fix="Convert with np.asarray(y, dtype=np.float64) first, and return one number (float(...)), not an "
           "array.")
def test_integer_lists_give_a_number(student, reference, rng):
    y = rng.integers(-10, 11, size=9)
    y_hat = y + rng.integers(-3, 4, size=9)
    for name in ("mse", "r2_score"):
        _assert_metric(student, reference, name, y.tolist(), y_hat.tolist())
        _assert_metric(student, reference, name, y, y_hat)


@check(weight=1, message="mse or r2_score modified its inputs.",
       fix="Compute differences in new arrays (y - y_hat); never write into y or y_hat in place.")
def test_leaves_input_unchanged(student, reference, rng):
    y = rng.normal(size=10)
    y_hat = y + rng.normal(size=10)
    for name in ("mse", "r2_score"):
        _assert_metric(student, reference, name, y, y_hat)
    assert_inputs_unchanged(student)
