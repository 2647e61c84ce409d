"""Hidden checks for `minibatch_sgd(grad_fn, w0, X, y, lr=0.1, batch_size=32, epochs=1, seed=0)`."""


import numpy as np

from mlmath.grading import (same_function, Feedback, as_array, assert_close, assert_dtype, assert_inputs_unchanged,
                            check, expect_refusal)

PROTOCOL = {"rtol": 1e-12, "atol": 1e-12}       # the catalog: the protocol is matched within 1e-12 relative
LEAST_SQUARES = "lambda w, Xb, yb: Xb.T @ (Xb @ w - yb) / len(yb)"
LOGISTIC = "lambda w, Xb, yb: Xb.T @ (1 / (1 + np.exp(-(Xb @ w))) - yb) / len(yb)"


def _data(rng, n, d, k=None):
    X = rng.normal(size=(n, d))
    w_true = rng.normal(size=(d,) if k is None else (d, k))
    return X, X @ w_true + 0.3 * rng.normal(size=(n,) if k is None else (n, k))


def _variants(grad, w0, X, y, lr=0.1, batch_size=32, epochs=1, seed=0):
    """What common departures from the protocol return: name -> (what it means, final w)."""
    n = len(X)

    def run(orders, drop_last=False):
        w = np.array(w0, dtype=np.float64)
        for perm in orders:
            stop = n - n % batch_size if drop_last and n > batch_size else n
            for s in range(0, stop, batch_size):
                idx = perm[s:s + batch_size]
                w = w - lr * grad(w, X[idx], y[idx])
        return w

    rng = np.random.default_rng(seed)
    fresh = [rng.permutation(n) for _ in range(epochs)]
    once = [np.random.default_rng(seed).permutation(n)] * epochs
    legacy_generator = np.random.RandomState(seed)        # what np.random.seed(seed) sets up
    legacy = [legacy_generator.permutation(n) for _ in range(epochs)]
    return {
        "unshuffled": ("the batches follow the data's own order: shuffle with perm = rng.permutation(N) every epoch",
                       run([np.arange(n)] * epochs)),
        "same_order": ("every epoch visits the batches in the same order: draw a new rng.permutation(N) each "
                       "epoch from the one generator made before the loop", run(once)),
        "legacy": ("that is the order of the legacy np.random.permutation after np.random.seed: use "
                   "rng = np.random.default_rng(seed) and rng.permutation(N)", run(legacy)),
        "drop_last": ("the last, smaller batch was skipped: it is visited too", run(fresh, drop_last=True)),
    }


def _final(student, reference, source, w0, X, y, diagnose=True, **kwargs):
    learner_grad, reference_grad = same_function(source)
    got = as_array(student.minibatch_sgd(learner_grad, w0, X, y, **kwargs), what="the final w")
    expected = reference.minibatch_sgd(reference_grad, w0, X, y, **kwargs)
    if got.shape != expected.shape:
        raise Feedback(f"the final w has shape {got.shape}; it must have the shape of w0, {np.shape(w0)}")
    try:
        assert_close(got, expected, what="the final w", **PROTOCOL)
    except Feedback:
        if diagnose:
            matches = {meaning for meaning, candidate in _variants(reference_grad, w0, X, y, **kwargs).values()
                       if np.allclose(got, candidate, rtol=1e-12, atol=1e-12)}
            if len(matches) == 1:
                raise Feedback(matches.pop()) from None
        raise
    return got


@check(weight=3, message="minibatch_sgd does not follow the shuffling protocol, so its weights differ from "
                         "the expected ones.",
       fix="rng = np.random.default_rng(seed), perm = rng.permutation(N), then w ← w − lr·grad_fn(w, "
           "X[idx], y[idx]) for idx = perm[s:s + batch_size], s = 0, batch_size, 2·batch_size, …")
def test_follows_the_shuffling_protocol(student, reference, rng):
    for n, batch_size in ((40, 8), (60, 5)):
        X, y = _data(rng, n, 3)
        _final(student, reference, LEAST_SQUARES, rng.normal(size=3), X, y, lr=0.05, batch_size=batch_size,
               epochs=1, seed=int(rng.integers(1000)))
    X, y = _data(rng, 36, 2)
    _final(student, reference, LOGISTIC, np.zeros(2), X, (y > 0).astype(float), lr=0.3, batch_size=6,
           epochs=1, seed=int(rng.integers(1000)))


@check(weight=2, message="The epochs are not shuffled as expected: one permutation is reused for all "
                         "epochs, or a new generator is made each epoch.",
       fix="Make the generator once, before the first epoch, and draw rng.permutation(N) from it at the "
           "start of every epoch.")
def test_new_permutation_every_epoch(student, reference, rng):
    X, y = _data(rng, 30, 3)
    _final(student, reference, LEAST_SQUARES, rng.normal(size=3), X, y, lr=0.05, batch_size=10, epochs=3,
           seed=int(rng.integers(1000)))
    X, y = _data(rng, 24, 2)
    _final(student, reference, LEAST_SQUARES, rng.normal(size=2), X, y, lr=0.02, batch_size=4, epochs=5,
           seed=int(rng.integers(1000)))


@check(weight=1, message="When batch_size does not divide N, the last, smaller batch of an epoch is "
                         "skipped or wrong.",
       fix="Loop s over range(0, N, batch_size) and take perm[s:s + batch_size]; the last slice is "
           "shorter.")
def test_last_batch_may_be_smaller(student, reference, rng):
    for n, batch_size, epochs in ((23, 5, 1), (17, 4, 2)):
        X, y = _data(rng, n, 2)
        _final(student, reference, LEAST_SQUARES, rng.normal(size=2), X, y, lr=0.05, batch_size=batch_size,
               epochs=epochs, seed=int(rng.integers(1000)))


@check(weight=1, message="batch_size ≥ N (full-batch gradient descent, one step per epoch) or batch_size = "
                         "1 (one step per sample) goes wrong.",
       fix="The same slicing perm[s:s + batch_size] handles both; don't special-case them.")
def test_full_batch_and_single_samples(student, reference, rng):
    X, y = _data(rng, 12, 2)
    w0 = rng.normal(size=2)
    for batch_size in (12, 50, 1):
        _final(student, reference, LEAST_SQUARES, w0, X, y, lr=0.05, batch_size=batch_size, epochs=3,
               seed=int(rng.integers(1000)))


@check(weight=1, message="epochs = 0 took a step or failed: it must take no step.",
       fix="Return a float64 copy of w0.")
def test_zero_epochs(student, reference, rng):
    X, y = _data(rng, 10, 3)
    for w0 in (rng.normal(size=3), rng.integers(-3, 4, size=3)):
        got = _final(student, reference, LEAST_SQUARES, w0, X, y, diagnose=False, lr=0.1, batch_size=4, epochs=0)
        assert_dtype(got, np.float64, what="the returned w")


@check(weight=1, message="w0 holding integers or being a matrix (one column of weights per output) fails.",
       fix="Start from a float64 copy and return a float64 w of w0's shape.")
def test_integer_and_matrix_w0(student, reference, rng):
    X, y = _data(rng, 20, 3)
    got = _final(student, reference, LEAST_SQUARES, rng.integers(-2, 3, size=3), X, y, lr=0.05, batch_size=6,
                 epochs=2, seed=int(rng.integers(1000)))
    assert_dtype(got, np.float64, what="the final w")
    X, Y = _data(rng, 15, 3, k=2)
    _final(student, reference, LEAST_SQUARES, rng.normal(size=(3, 2)), X, Y, lr=0.05, batch_size=4, epochs=2,
           seed=int(rng.integers(1000)))


@check(weight=1, message="The default arguments are wrong.",
       fix="The defaults are lr = 0.1, batch_size = 32, epochs = 1 and seed = 0.")
def test_defaults(student, reference, rng):
    X, y = _data(rng, 70, 2)
    _final(student, reference, LEAST_SQUARES, rng.normal(size=2) * 0.1, X, y, diagnose=False)


@check(weight=2, message="A bad argument was accepted: len(X) ≠ len(y), lr ≤ 0, batch_size not an integer "
                         "≥ 1, or epochs not an integer ≥ 0 (a float such as 2.0, or a bool, is not an "
                         "integer).",
       fix="Check each argument first and raise ValueError; test integers with isinstance(n, (int, "
           "np.integer)) and not isinstance(n, bool).")
def test_rejects_bad_arguments(student, reference, rng):
    X, y = _data(rng, 8, 2)
    grad, w0 = same_function(LEAST_SQUARES)[0], np.zeros(2)
    sgd = student.minibatch_sgd
    expect_refusal("X and y of different lengths", sgd, grad, w0, X, y[:-1])
    for lr in (0.0, -0.1):
        expect_refusal("lr ≤ 0", sgd, grad, w0, X, y, lr)
    for what, batch_size in (("batch_size < 1", 0), ("batch_size < 1", -2), ("a float batch_size", 2.0),
                             ("a bool batch_size", True)):
        expect_refusal(what, sgd, grad, w0, X, y, 0.1, batch_size)
    for what, epochs in (("epochs < 0", -1), ("a float epochs", 1.0), ("a bool epochs", True)):
        expect_refusal(what, sgd, grad, w0, X, y, 0.1, 4, epochs)


@check(weight=1, message="minibatch_sgd modified w0, X or y.",
       fix="Start from a copy of w0 (w -= … on w0 itself writes into the caller's array), and do not "
           "shuffle X or y in place.")
def test_leaves_inputs_unchanged(student, reference, rng):
    X, y = _data(rng, 16, 3)
    _final(student, reference, LEAST_SQUARES, rng.normal(size=3), X, y, lr=0.05, batch_size=4, epochs=2,
           seed=int(rng.integers(1000)))
    assert_inputs_unchanged(student)
