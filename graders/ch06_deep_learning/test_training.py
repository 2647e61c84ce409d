"""Hidden checks for `train_mlp(X, y, ..., seed=0)`: accuracy on held-out points.

Every check draws its own three-armed spiral problem (the family the notebook's
`make_spirals` describes: 100-150 training points per class, radii in [0.15, 1],
1 to 1.4 turns in either direction, any rotation, angular noise 0.1-0.2 rad), calls
`train_mlp(X, y, seed=s)` with the learner's defaults, and classifies 900 fresh points of
the same spirals by the argmax of the logits of the network it returned.

Those logits come from the *reference* `mlp_forward`, run here, never from the learner's:
what is graded is the trained network, not whatever the learner's forward pass does with
the object train_mlp returned (a train_mlp that returns the training set and an
mlp_forward that recognises it and takes a nearest-neighbour vote would otherwise pass
without training anything). So the parameters must be an MLP of the contract: a list of
(W, b) pairs, W of shape (out, in), the layers chaining from 2 inputs to 3 outputs, of a
bounded size. The bounds are far above any network this exercise needs (a few dozen
hidden units; a 2-1024-1024-3 network, hardly trainable in 20 s, has about 1.06 million
parameters and 2048 hidden units) and keep the reference forward pass on 900 points cheap
in this trusted process (at most ~4 GFLOP and under 100 MB).
"""

import numpy as np

from mlmath.grading import Feedback, as_array, assert_inputs_unchanged, check

REQUIRED_ACCURACY = 0.95
TEST_POINTS_PER_CLASS = 300
N_FEATURES, N_CLASSES = 2, 3
MAX_HIDDEN_UNITS = 4096        # all hidden layers together
MAX_PARAMETERS = 2_000_000     # every weight and bias


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


def as_network(params):
    """The learner's parameters as a list of float64 (W, b) pairs of a 2-input, 3-output MLP,
    or Feedback naming what is wrong (only shapes and counts of the learner's own arrays)."""
    if isinstance(params, dict):
        raise Feedback("train_mlp returned a dict; it must return a list of (W, b) pairs, one per "
                       "layer in order, as mlp_init makes")
    if not isinstance(params, (list, tuple)) or not params:
        raise Feedback("train_mlp must return the trained parameters: a non-empty list of (W, b) pairs, "
                       "as mlp_init makes")
    layers, n_in = [], N_FEATURES
    for layer, pair in enumerate(params, start=1):
        if not isinstance(pair, (list, tuple)) or len(pair) != 2:
            raise Feedback(f"train_mlp must return a list of (W, b) pairs; its entry {layer} is not a pair")
        W = as_array(pair[0], f"layer {layer}'s W")
        b = as_array(pair[1], f"layer {layer}'s b")
        for name, array in (("W", W), ("b", b)):
            if array.dtype.kind not in "iuf":
                raise Feedback(f"layer {layer}'s {name} has dtype {array.dtype}; the parameters are real numbers")
        if W.ndim != 2:
            raise Feedback(f"train_mlp must return a list of (W, b) pairs with W of shape (out, in); "
                           f"layer {layer}'s W has shape {W.shape}")
        if W.shape[1] != n_in:
            source = (f"the network has {N_FEATURES} inputs (the columns of X)" if layer == 1
                      else f"the previous layer has {n_in} outputs")
            raise Feedback(f"train_mlp must return a list of (W, b) pairs with W of shape (out, in); "
                           f"layer {layer}'s W has shape {W.shape} but {source}")
        n_out = W.shape[0]
        if n_out == 0:
            raise Feedback(f"layer {layer}'s W has shape {W.shape}: a layer without units")
        if b.shape not in ((n_out,), (1, n_out)):
            raise Feedback(f"layer {layer}'s b has shape {b.shape}; it needs one bias per row of W, "
                           f"shape ({n_out},)")
        layers.append((W, b))
        n_in = n_out
    if n_in != N_CLASSES:
        raise Feedback(f"the last layer of the network train_mlp returned has {n_in} outputs; it needs "
                       f"{N_CLASSES}, one logit per class")
    hidden = sum(W.shape[0] for W, _ in layers[:-1])
    if hidden > MAX_HIDDEN_UNITS:
        raise Feedback(f"the network train_mlp returned has {hidden} hidden units in all; the grader accepts "
                       f"at most {MAX_HIDDEN_UNITS} (a few dozen are enough for these spirals)")
    count = sum(W.size + b.size for W, b in layers)
    if count > MAX_PARAMETERS:
        raise Feedback(f"the network train_mlp returned has {count:,} parameters; the grader accepts "
                       f"at most {MAX_PARAMETERS:,}")
    return [(W.astype(np.float64), b.reshape(-1).astype(np.float64)) for W, b in layers]


def held_out_accuracy(reference, params, X_new, y_new):
    """Accuracy of the learner's trained network, run by the reference forward pass."""
    network = as_network(params)
    with np.errstate(all="ignore"):
        logits = np.asarray(reference.mlp_forward(network, X_new)[0])
    if not np.all(np.isfinite(logits)):
        raise Feedback("the trained network's logits are not finite — did the training diverge?")
    return float(np.mean(np.argmax(logits, axis=1) == y_new))


def require_accuracy(accuracy):
    if accuracy < REQUIRED_ACCURACY:
        raise Feedback(f"held-out accuracy {accuracy:.3f} < {REQUIRED_ACCURACY}")


def _seed(rng):
    return int(rng.integers(0, 100_000))


@check(weight=2, message="The network train_mlp returns does not classify fresh points of the same spirals "
                         "well enough (accuracy ≥ 0.95 with your defaults), or is not a network of the "
                         "contract.",
       fix="Return mlp_init-style params — (W, b) pairs, W of shape (out, in), 2 inputs, 3 outputs — that "
           "work in mlp_forward; train longer, with more hidden units, a better optimiser (e.g. Adam) or "
           "learning rate.")
def test_classifies_held_out_points(student, reference, rng):
    X, y, X_new, y_new = spiral_problem(rng)
    params = student.train_mlp(X, y, seed=_seed(rng))
    require_accuracy(held_out_accuracy(reference, params, X_new, y_new))


@check(weight=1, message="train_mlp fails on another spiral of the kind described — the other winding "
                         "direction, unequal class sizes, X and y as Python lists, or another seed.",
       fix="Convert X and y with np.asarray first, and pick defaults (epochs, hidden units, learning rate) "
           "that learn every such spiral with any seed, not just one lucky run.")
def test_learns_another_spiral_from_lists(student, reference, rng):
    X, y, X_new, y_new = spiral_problem(rng)
    params = student.train_mlp(X.tolist(), y.tolist(), seed=_seed(rng))
    require_accuracy(held_out_accuracy(reference, params, X_new, y_new))


@check(weight=1, message="train_mlp modified X or y, or did not reach held-out accuracy ≥ 0.95.",
       fix="Shuffle copies, not the caller's arrays: index with a permutation (X[perm], y[perm]) instead "
           "of rng.shuffle(X) or X -= ... in place.")
def test_leaves_inputs_unchanged(student, reference, rng):
    X, y, X_new, y_new = spiral_problem(rng)
    params = student.train_mlp(X, y, seed=_seed(rng))
    require_accuracy(held_out_accuracy(reference, params, X_new, y_new))
    assert_inputs_unchanged(student)
