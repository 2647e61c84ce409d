"""Hidden checks for `linear_regression_gd(X, y, lr=0.1, epochs=100)`: full-batch gradient descent
on L(w, b) = mean((X w + b - y)^2) from w = 0, b = 0, with grad_w = (2/n) X^T r and
grad_b = (2/n) sum(r), both from the same residual r = X w + b - y.

The learning rates are drawn relative to the largest curvature of each problem, so that a run is
stable, slowly convergent or diverging by construction, whatever data the seed draws."""

import numpy as np

from mlmath.grading import (Feedback, as_array, as_weights_and_intercept, assert_close, assert_dtype,
                            assert_inputs_unchanged, check, expect_refusal)

RTOL = 1e-10           # the contract: the recurrence within 1e-10 relative
HUGE = 1e200           # diverging runs are compared while the loss is below this


def _data(rng, n, d, offset=2.0, noise=0.3):
    """Features on different scales with nonzero means, targets with an intercept and noise."""
    X = rng.normal(size=(n, d)) * rng.uniform(0.5, 2.0, size=d) + rng.uniform(-offset, offset, size=d)
    y = X @ rng.normal(scale=2.0, size=d) + rng.uniform(-3.0, 3.0) + rng.normal(scale=noise, size=n)
    return X, y


def _largest_curvature(X):
    """Largest eigenvalue of the loss's Hessian in (w, b): (2/n) [X 1]^T [X 1]."""
    A = np.column_stack([np.asarray(X, dtype=np.float64), np.ones(len(X))])
    return float(np.linalg.eigvalsh(2.0 / len(A) * A.T @ A)[-1])


def _run(student, X, y, lr, epochs, losses_shape=True):
    """The learner's (w, b, losses), their shapes checked (the shape of losses only where the check
    is about the losses)."""
    result = student.linear_regression_gd(X, y, lr=lr, epochs=epochs)
    if not isinstance(result, (tuple, list)) or len(result) != 3:
        raise Feedback("linear_regression_gd must return a triple (w, b, losses)")
    w, b = as_weights_and_intercept(result[:2], "linear_regression_gd", np.shape(X)[1])
    losses = as_array(result[2], "losses")
    if losses_shape and losses.shape != (epochs + 1,):
        off = losses.size - (epochs + 1) if losses.ndim == 1 else None
        got = {-1: "one entry too few", 1: "one entry too many"}.get(off, "a different shape")
        raise Feedback(f"losses has {got}: it needs epochs + 1 entries in a 1-d array, the loss before "
                       f"the first step, then one after every step")
    return w, b, losses


def _assert_run(student, reference, X, y, lr, epochs):
    w, b, losses = _run(student, X, y, lr, epochs)
    w_ref, b_ref, losses_ref = reference.linear_regression_gd(X, y, lr=lr, epochs=epochs)
    assert_close(losses, losses_ref, rtol=RTOL, what="losses")
    assert_close(w, w_ref, rtol=RTOL, what="w")
    assert_close(b, b_ref, rtol=RTOL, what="b")
    return w, b, losses


@check(weight=3, message="Your steps differ from full-batch gradient descent on the mean squared error: a "
                         "wrong gradient or factor, a wrong starting point, a subset of the examples, or "
                         "one parameter moved before the other's gradient was taken.",
       fix="Start from w = 0, b = 0. Each step: r = Xw + b − y on all examples, then w ← w − lr·(2/n)·Xᵀr "
           "and b ← b − lr·(2/n)·Σr, both gradients from that same r before either parameter moves.")
def test_follows_the_gradient_descent_recurrence(student, reference, rng):
    for n, d in [(20, 1), (35, 3), (12, 5), (50, 2)]:
        X, y = _data(rng, n, d)
        lr = rng.uniform(0.05, 0.9) / _largest_curvature(X)
        _assert_run(student, reference, X, y, lr, int(rng.integers(3, 60)))


@check(weight=1, message="losses does not record the loss of the parameters after each step: it should "
                         "start with the loss before any step and end with the loss of the (w, b) you "
                         "return.",
       fix="losses[k] = mean((Xw + b − y)²) for the parameters after k steps — the mean, not the sum, half "
           "of it or its root; losses[0] = mean(y²) at w = 0, b = 0.")
def test_losses_are_the_mse_after_k_steps(student, reference, rng):
    X, y = _data(rng, 30, 2)
    lr = rng.uniform(0.2, 0.8) / _largest_curvature(X)
    epochs = int(rng.integers(5, 25))
    w, b, losses = _run(student, X, y, lr, epochs)
    y64 = np.asarray(y, dtype=np.float64)
    assert_close(losses[0], np.mean(y64 ** 2), rtol=RTOL, what="losses[0]")
    X64 = np.asarray(X, dtype=np.float64)
    assert_close(losses[-1], np.mean((X64 @ w.astype(np.float64) + float(b) - y64) ** 2), rtol=1e-9,
                 what="the last loss")
    _, _, shorter = _run(student, X, y, lr, epochs - 1)            # the same run, one step fewer
    assert_close(shorter, losses[:-1], rtol=RTOL, what="losses")


@check(weight=1, message="With epochs = 0 no step may be taken, but your result is not the starting point.",
       fix="Return w = 0 (one zero per column of X), b = 0 and losses holding only the starting loss "
           "mean(y²).")
def test_zero_epochs_returns_the_start(student, reference, rng):
    for d in (1, 4):
        X, y = _data(rng, 15, d)
        w, b, losses = _assert_run(student, reference, X, y, 0.1, 0)
        if np.any(w != 0.0) or b != 0.0:
            raise Feedback("with epochs = 0, w and b must still be exactly their starting values, 0")


@check(weight=1, message="With a small enough learning rate and many epochs your gradient descent does not "
                         "settle on the least-squares answer, or its loss goes up along the way.",
       fix="For lr below 2 / (largest curvature of the loss) every step lowers the loss, and after enough "
           "epochs w and b match ols_fit(X, y): check the gradient's sign and its 2/n factor.")
def test_approaches_least_squares(student, reference, rng):
    for n, d in [(40, 2), (25, 3)]:
        X = rng.normal(size=(n, d)) + rng.uniform(-0.5, 0.5, size=d)   # well-conditioned: fast convergence
        y = X @ rng.normal(size=d) + rng.uniform(-2.0, 2.0) + rng.normal(scale=0.3, size=n)
        lr = rng.uniform(0.6, 1.0) / _largest_curvature(X)
        w, b, losses = _run(student, X, y, lr, 3000, losses_shape=False)
        losses = losses.astype(np.float64).ravel()
        w_ols, b_ols = reference.ols_fit(X, y)
        assert_close(w, w_ols, rtol=1e-6, atol=1e-8, what="w after many epochs")
        assert_close(b, b_ols, rtol=1e-6, atol=1e-8, what="b after many epochs")
        if not np.all(np.diff(losses) <= 1e-12 * losses[:-1]):
            raise Feedback("with a small enough learning rate the loss must never go up from one step to the next")


@check(weight=1, message="A learning rate that is too large makes the run diverge, and yours does not "
                         "return that run as it is.",
       fix="Return what the recurrence gives — growing losses, and inf or nan once the numbers overflow — "
           "with all epochs + 1 losses, without raising, stopping early, clipping or rescaling the step.")
def test_diverging_run_is_returned_as_is(student, reference, rng):
    X, y = _data(rng, 20, 2)
    lr = rng.uniform(2.5, 3.0) * 2.0 / _largest_curvature(X)
    _, _, losses = _run(student, X, y, lr, 40)                             # large, still finite
    if not (np.all(np.isfinite(losses)) and losses[-1] > 1e3 * losses[0]):
        raise Feedback("with a learning rate above 2 / (largest curvature) the loss must grow step after "
                       "step, and stay finite as long as the numbers do")
    _, _, losses = _run(student, X, y, lr, 1000)                           # overflows within the run
    last = losses.astype(np.float64)[-1]
    if np.isfinite(last) and last < HUGE:
        raise Feedback("a diverging run must not be stopped, clipped or rescaled: after enough steps its "
                       "loss overflows, but yours stays small")


@check(weight=1, message="Bad input — X or y of the wrong shape or length, lr ≤ 0, epochs negative or not "
                         "an integer — is not refused with ValueError.",
       fix="Raise ValueError unless X.ndim == 2, y.ndim == 1 with len(y) == len(X), lr > 0, and epochs is "
           "an int or np.integer ≥ 0 (a float such as 2.0, or a bool, is not).")
def test_rejects_bad_input(student, reference, rng):
    X, y = _data(rng, 10, 2)
    bad = [("1-d X", (X[:, 0], y, 0.1, 5)),
           ("y with one entry fewer than X has rows", (X, y[:-1], 0.1, 5)),
           ("y of shape (n, 1)", (X, y[:, None], 0.1, 5)),
           ("lr = 0", (X, y, 0.0, 5)),
           ("a negative lr", (X, y, -0.05, 5)),
           ("a negative epochs", (X, y, 0.1, -1)),
           ("a float epochs", (X, y, 0.1, 5.0)),
           ("a bool epochs", (X, y, 0.1, True))]
    for what, args in bad:
        expect_refusal(what, student.linear_regression_gd, *args)
    _run(student, X, y, 0.01, np.int64(3), losses_shape=False)    # a NumPy integer is an integer
    _run(student, X, y, 1, 2, losses_shape=False)              # and an integer lr a number


@check(weight=1, message="Integer X, y, lr or epochs fail, or give w or losses that are not float64.",
       fix="Convert X and y with np.asarray(..., dtype=np.float64) before the first step; w and losses "
           "then come out float64.")
def test_integer_input(student, reference, rng):
    X = rng.integers(-3, 4, size=(12, 2))
    y = X @ np.array([2, -1]) + rng.integers(-2, 3, size=12) + 5
    lr = 0.5 / _largest_curvature(X)
    w, b, losses = _run(student, X.tolist(), y.tolist(), lr, 20, losses_shape=False)
    assert_dtype(w, np.float64, what="w")
    assert_dtype(losses, np.float64, what="losses")
    w_float, b_float, losses_float = _run(student, X.astype(np.float64), y.astype(np.float64), lr, 20,
                                          losses_shape=False)
    assert_close(w, w_float, rtol=RTOL, what="w for integer input")
    assert_close(b, b_float, rtol=RTOL, what="b for integer input")
    assert_close(losses, losses_float, rtol=RTOL, what="losses for integer input")
    _run(student, X, y, 1, 0, losses_shape=False)


@check(weight=1, message="linear_regression_gd modified X or y.",
       fix="Compute residuals and updates in new arrays (r = X @ w + b - y); never write into X or y in "
           "place (X -= ..., y -= ...).")
def test_leaves_input_unchanged(student, reference, rng):
    X, y = _data(rng, 15, 3)
    _run(student, X, y, 0.5 / _largest_curvature(X), 10, losses_shape=False)
    assert_inputs_unchanged(student)
