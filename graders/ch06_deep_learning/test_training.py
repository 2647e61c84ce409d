"""Hidden checks for `train_mlp(X, y, ..., seed=0)`: accuracy on held-out points.

Every check draws its own three-armed spiral problem (the family the notebook's
`make_spirals` describes: 100-150 training points per class, radii in [0.15, 1],
1 to 1.4 turns in either direction, any rotation, angular noise 0.1-0.2 rad), calls
`train_mlp(X, y, seed=s)` with the learner's defaults, and classifies 900 fresh points of
the same spirals by the argmax of the learner's own `mlp_forward`.
"""

import numpy as np

from mlmath.grading import Feedback, as_array, assert_inputs_unchanged, check

REQUIRED_ACCURACY = 0.95
TEST_POINTS_PER_CLASS = 300


def spiral_points(rng, counts, turns, noise, rotation, direction):
    X, y = [], []
    for k, n in enumerate(counts):
        r = rng.uniform(0.15, 1.0, size=n)
        angle = rotation + 2 * np.pi * k / 3 + direction * 2 * np.pi * turns * r + rng.normal(0.0, noise, size=n)
        X.append(np.column_stack([r * np.cos(angle), r * np.sin(angle)]))
        y.append(np.full(n, k))
    X, y = np.concatenate(X), np.concatenate(y)
    order = rng.permutation(len(y))
    return X[order], y[order]


def spiral_problem(rng):
    """(X, y, X_new, y_new): a training set and a held-out set of the same random spirals."""
    shape = dict(turns=rng.uniform(1.0, 1.4), noise=rng.uniform(0.1, 0.2),
                 rotation=rng.uniform(0.0, 2 * np.pi), direction=int(rng.choice([-1, 1])))
    X, y = spiral_points(rng, rng.integers(100, 151, size=3), **shape)
    X_new, y_new = spiral_points(rng, [TEST_POINTS_PER_CLASS] * 3, **shape)
    return X, y, X_new, y_new


def held_out_accuracy(student, params, X_new, y_new):
    if not isinstance(params, (list, tuple)) or not params:
        raise Feedback("train_mlp must return the trained parameters: a list of (W, b) pairs, as mlp_init makes")
    got = student.mlp_forward(params, X_new)
    if not isinstance(got, (tuple, list)) or len(got) != 2:
        raise Feedback("mlp_forward must return a pair (logits, cache)")
    logits = as_array(got[0], "the logits of the trained network")
    if logits.shape != (len(y_new), 3):
        raise Feedback(f"the trained network gives logits of shape {logits.shape} for {len(y_new)} points; "
                       f"it needs 3 outputs, one per class")
    if not np.all(np.isfinite(logits)):
        raise Feedback("the trained network's logits are not finite — did the training diverge?")
    return float(np.mean(np.argmax(logits, axis=1) == y_new))


def require_accuracy(accuracy):
    if accuracy < REQUIRED_ACCURACY:
        raise Feedback(f"held-out accuracy {accuracy:.3f} < {REQUIRED_ACCURACY}")


def _seed(rng):
    return int(rng.integers(0, 100_000))


@check(weight=2, message="After train_mlp(X, y, seed=s) on a spiral problem the grader generated, your "
                         "mlp_forward must classify fresh points of the same spirals with accuracy ≥ 0.95: "
                         "train long enough, with enough hidden units and a suitable optimiser and learning "
                         "rate (your defaults are used).")
def test_classifies_held_out_points(student, rng):
    X, y, X_new, y_new = spiral_problem(rng)
    params = student.train_mlp(X, y, seed=_seed(rng))
    require_accuracy(held_out_accuracy(student, params, X_new, y_new))


@check(weight=1, message="train_mlp must learn every spiral of the kind described — either winding direction, "
                         "unequal class sizes — from X and y given as Python lists as well as arrays, and "
                         "with any seed.")
def test_learns_another_spiral_from_lists(student, rng):
    X, y, X_new, y_new = spiral_problem(rng)
    params = student.train_mlp(X.tolist(), y.tolist(), seed=_seed(rng))
    require_accuracy(held_out_accuracy(student, params, X_new, y_new))


@check(weight=1, message="train_mlp must not modify X or y (shuffle or standardise copies, not the caller's "
                         "arrays), and still reach held-out accuracy ≥ 0.95.")
def test_leaves_inputs_unchanged(student, rng):
    X, y, X_new, y_new = spiral_problem(rng)
    params = student.train_mlp(X, y, seed=_seed(rng))
    require_accuracy(held_out_accuracy(student, params, X_new, y_new))
    assert_inputs_unchanged(student)
