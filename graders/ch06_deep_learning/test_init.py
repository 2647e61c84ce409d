"""Hidden checks for `mlp_init(layer_sizes, seed=0)`: He initialisation.

The learner's random numbers cannot match the reference's, so these checks judge the
structure, the zero biases, reproducibility and the statistics of the weights: on layers
of thousands of entries the sample standard deviation lies within a few percent of
sqrt(2 / fan_in) and the fraction within one and two standard deviations is that of a
normal distribution (the tolerances are many standard errors wide).
"""

import numpy as np

from mlmath.grading import Feedback, as_array, assert_inputs_unchanged, check

ONE_SIGMA, TWO_SIGMA = 0.6826894921370859, 0.9544997361036416   # P(|Z| < 1), P(|Z| < 2)


def _layers(params, sizes):
    """The learner's params as a list of (W, b) float arrays, after checking the structure."""
    if not isinstance(params, (list, tuple)):
        raise Feedback("mlp_init must return a list of (W, b) pairs")
    if len(params) != len(sizes) - 1:
        raise Feedback(f"{len(sizes)} layer sizes describe {len(sizes) - 1} layers, "
                       f"but {len(params)} pairs came back")
    layers = []
    for l, (pair, fan_in, fan_out) in enumerate(zip(params, sizes[:-1], sizes[1:]), start=1):
        if not isinstance(pair, (list, tuple)) or len(pair) != 2:
            raise Feedback(f"entry {l} is not a pair (W, b)")
        W, b = as_array(pair[0], f"W of layer {l}"), as_array(pair[1], f"b of layer {l}")
        if W.shape != (fan_out, fan_in):
            raise Feedback(f"W of layer {l} has shape {W.shape}, expected (out, in) = {(fan_out, fan_in)}")
        if b.shape != (fan_out,):
            raise Feedback(f"b of layer {l} has shape {b.shape}, expected {(fan_out,)}")
        layers.append((W, b))
    return layers


def _assert_he(layers, sizes, strict=False):
    """Zero biases, and weights centred on 0 with a standard deviation near sqrt(2 / fan_in):
    within a few percent if strict (the scale check), else within 50% (the other checks,
    which only make sure that garbage never collects points)."""
    for l, ((W, b), fan_in) in enumerate(zip(layers, sizes[:-1]), start=1):
        if np.any(b != 0):
            raise Feedback(f"b of layer {l} is not all zeros")
        if not np.all(np.isfinite(W)):
            raise Feedback(f"W of layer {l} is not finite")
        target, n = np.sqrt(2.0 / fan_in), W.size
        relative_tolerance = max(0.04 if strict else 0.5, 5.0 / np.sqrt(2.0 * n))   # >= 5 standard errors
        if abs(W.std() / target - 1) > relative_tolerance:
            raise Feedback(f"the standard deviation of W in layer {l} is off by "
                           f"{100 * abs(W.std() / target - 1):.0f}%")
        if abs(W.mean()) > 5.0 * W.std() / np.sqrt(n):
            raise Feedback(f"the weights of layer {l} are not centred on 0")


def _params(student, sizes, *seed, strict=False):
    layers = _layers(student.mlp_init(sizes, *seed), list(sizes))
    _assert_he(layers, list(sizes), strict)
    return layers


@check(weight=1, message="mlp_init returns the wrong structure, wrong shapes or biases that are not zero.",
       fix="Return a list with one (W, b) pair per layer, in order: W of shape (out, in) = "
           "(layer_sizes[i+1], layer_sizes[i]) and b = np.zeros(out).")
def test_shapes_and_zero_biases(student, rng):
    for sizes in ([3, 5, 4], [6, 8, 5, 4], [7, 5], [40, 30, 30, 20]):
        _params(student, sizes, int(rng.integers(0, 10_000)))
    assert_inputs_unchanged(student)


@check(weight=1.5, message="The weights have the wrong spread for He initialisation: scaled by the layer's "
                           "outputs instead of its inputs, or with the variance used as the standard "
                           "deviation.",
       fix="W ~ N(0, 2 / fan_in): rng.normal(0.0, np.sqrt(2 / fan_in), size=(out, in)), where fan_in is "
           "the layer's number of INPUTS (the columns of W).")
def test_he_scale_uses_fan_in(student, rng):
    for sizes in ([600, 300, 150, 40], [50, 400, 800]):
        _params(student, sizes, int(rng.integers(0, 10_000)), strict=True)


@check(weight=0.5, message="The weights are not normally distributed — a uniform distribution with the "
                           "same variance is a different initialisation.",
       fix="Draw them with rng.normal (Gaussian), not rng.uniform.")
def test_weights_are_normal(student, rng):
    (W, _), = _params(student, [600, 500], int(rng.integers(0, 10_000)))
    z = np.abs(W - W.mean()) / W.std()                     # the shape of the distribution, whatever its scale
    if abs(np.mean(z < 1) - ONE_SIGMA) > 0.01 or abs(np.mean(z < 2) - TWO_SIGMA) > 0.01:
        raise Feedback()


@check(weight=1, message="The parameters do not depend on the seed alone: the same seed must give "
                         "identical parameters, a different seed different ones, and no seed means seed=0.",
       fix="Create your own generator with np.random.default_rng(seed) and draw everything from it — not "
           "from np.random's global state.")
def test_same_seed_same_parameters(student, rng):
    sizes = [30, 40, 30]
    seed = int(rng.integers(1, 10_000))
    first, again, other = (_params(student, sizes, s) for s in (seed, seed, seed + 1))
    default, zero = _params(student, sizes), _params(student, sizes, 0)
    for a, b in ((first, again), (default, zero)):
        if not all(np.array_equal(Wa, Wb) for (Wa, _), (Wb, _) in zip(a, b)):
            raise Feedback("the same seed gave different parameters")
    if any(np.array_equal(Wa, Wb) for (Wa, _), (Wb, _) in zip(first, other)):
        raise Feedback("different seeds gave the same weights")


@check(weight=0.5, message="Layers of the same shape get identical weights: every layer's weights must be "
                           "fresh random draws.",
       fix="Create the generator once, before the loop — re-seeding it for every layer repeats the same "
           "draws.")
def test_layers_are_independent_draws(student, rng):
    layers = _params(student, [40, 40, 40, 40], int(rng.integers(0, 10_000)))
    for i in range(len(layers)):
        for j in range(i):
            correlation = np.corrcoef(layers[i][0].ravel(), layers[j][0].ravel())[0, 1]
            if abs(correlation) > 0.2:
                raise Feedback(f"the weights of layers {j + 1} and {i + 1} are (nearly) the same numbers")


@check(weight=0.5, message="layer_sizes given as a tuple or holding NumPy integers fails, or W and b are "
                           "not float64 arrays.",
       fix="Iterate over any sequence (zip(sizes[:-1], sizes[1:])) and use int(...) of each size as a "
           "shape; rng.normal and np.zeros give float64.")
def test_float64_from_any_integer_sequence(student, rng):
    sizes = (np.int64(20), np.int64(30), np.int32(25))
    layers = _params(student, sizes, int(rng.integers(0, 10_000)))
    for l, (W, b) in enumerate(layers, start=1):
        if W.dtype != np.float64 or b.dtype != np.float64:
            raise Feedback(f"layer {l} has dtypes W {W.dtype}, b {b.dtype}")
