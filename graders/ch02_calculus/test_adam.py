"""Hidden checks for `adam_step(x, g, m, v, t, ...)` and `adam(grad_f, x0, ...)`.

The conventions are PyTorch's (torch.optim.Adam, amsgrad off, no weight decay), cross-checked
against golden trajectories of torch.optim in tests/reference. When a result is wrong, the detail
names the classic mistake it matches: no bias correction, t counted from 0, eps inside the square
root, g instead of g² in the second moment, bias-corrected moments returned as the state, ...
"""


import numpy as np

from mlmath.grading import same_function, Feedback, as_array, assert_close, assert_inputs_unchanged, check, expect_error

TRAJECTORY_RTOL = 1e-9          # the catalog: adam matches torch.optim.Adam to 1e-9 relative over 100 steps

QUADRATIC_2D = "lambda x: np.array([[3.0, 0.5], [0.5, 1.0]]) @ x - np.array([1.0, -0.5])"
QUADRATIC_4D = "lambda x: np.array([4.0, 1.0, 0.25, 9.0]) * (x - np.array([1.0, -2.0, 0.5, 0.0]))"
DIAGONAL = "lambda x: 0.5 * np.arange(1.0, x.size + 1).reshape(np.shape(x)) * x"      # any shape



# -- the classic mistakes, as variants of one step --------------------------------------------------
def _step(x, g, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8, *, bias=True, t_shift=0,
          eps_inside=False, square=True, corrected_state=False):
    x, g, m, v = (np.asarray(a, dtype=np.float64) for a in (x, g, m, v))
    m = beta1 * m + (1 - beta1) * g
    v = beta2 * v + (1 - beta2) * (g * g if square else g)
    t = t + t_shift
    with np.errstate(all="ignore"):
        m_hat = m / (1 - beta1 ** t) if bias else m
        v_hat = v / (1 - beta2 ** t) if bias else v
        denominator = np.sqrt(v_hat + eps) if eps_inside else np.sqrt(v_hat) + eps
        x = x - lr * m_hat / denominator
    return (x, m_hat, v_hat) if corrected_state else (x, m, v)


MISTAKES = {
    "no_bias_correction": ("this is Adam without bias correction: divide m by (1 − β1ᵗ) and v by (1 − β2ᵗ) "
                           "before the step", {"bias": False}),
    "t_from_zero": ("the bias correction uses t − 1: t is the 1-based number of the step being taken "
                    "(1 − β⁰ = 0 on the first step)", {"t_shift": -1}),
    "t_plus_one": ("the bias correction uses t + 1: t already counts from 1", {"t_shift": 1}),
    "eps_inside": ("ε is added inside the square root: the step is lr·m̂ / (√v̂ + ε)", {"eps_inside": True}),
    "g_not_squared": ("the second moment averages g instead of g²", {"square": False}),
    "corrected_state": ("the returned moments are the bias-corrected m̂ and v̂: return the raw averages m and v "
                        "(the correction is recomputed from t at every step)", {"corrected_state": True}),
}


def _trajectory(grad, x0, steps, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8, *, fixed_t=False,
                reset_moments=False, **mistake):
    x = np.array(x0, dtype=np.float64)
    m, v = np.zeros_like(x), np.zeros_like(x)
    for t in range(1, steps + 1):
        if reset_moments:
            m, v = np.zeros_like(x), np.zeros_like(x)
        x, m, v = _step(x, grad(x), m, v, 1 if fixed_t else t, lr, beta1, beta2, eps, **mistake)
    return x


TRAJECTORY_MISTAKES = {
    **{name: (meaning, kwargs) for name, (meaning, kwargs) in MISTAKES.items() if name != "corrected_state"},
    "fixed_t": ("t stays 1: count the steps, t = 1, 2, …, steps", {"fixed_t": True}),
    "reset_moments": ("m and v restart from 0 at every step: carry them from one step to the next",
                      {"reset_moments": True}),
    "corrected_state": ("the moments carried between steps are the bias-corrected ones: carry the raw m and v",
                        {"corrected_state": True}),
}


def _name_the_mistake(got, expected, candidates, prefix=""):
    """Raise Feedback naming the one classic mistake whose result equals the learner's (if exactly one does)."""
    matches = [meaning for meaning, candidate in candidates.items()
               if np.all(np.isfinite(candidate)) and np.allclose(got, candidate, rtol=1e-7, atol=1e-10)
               and not np.allclose(candidate, expected, rtol=1e-7, atol=1e-10)]
    if len(matches) == 1:
        raise Feedback(prefix + matches[0]) from None


def _non_finite_hint(values):
    if not all(np.all(np.isfinite(as_array(value))) for value in values):
        raise Feedback("the result holds inf or NaN — typical causes: t counted from 0 (the bias correction "
                       "1 − β⁰ is 0) or v built from g instead of g² (the square root of a negative number)")


# -- adam_step ------------------------------------------------------------------------------------------
def _step_close(student, reference, x, g, m, v, t, compare=("x", "m", "v"), **kwargs):
    result = student.adam_step(x, g, m, v, t, **kwargs)
    if not isinstance(result, (tuple, list)) or len(result) != 3:
        raise Feedback("adam_step must return a triple (x_new, m_new, v_new)")
    got = [as_array(value, what=name) for value, name in zip(result, ("x_new", "m_new", "v_new"))]
    expected = reference.adam_step(x, g, m, v, t, **kwargs)
    for name, got_value, expected_value in zip(("x_new", "m_new", "v_new"), got, expected):
        if name[0] not in compare:
            continue
        try:
            assert_close(got_value, expected_value, what=name)
        except Feedback:
            if got_value.shape == np.shape(expected_value):
                position = ("x_new", "m_new", "v_new").index(name)
                candidates = {meaning: _step(x, g, m, v, t, **kwargs, **mistake)[position]
                              for meaning, mistake in MISTAKES.values()}
                _name_the_mistake(got_value, expected_value, candidates, f"{name} is wrong: ")
                _non_finite_hint(got)
            raise


def _state(rng, shape):
    """A plausible mid-training state: x, g, m and v ≥ 0 of one shape."""
    g = rng.normal(size=shape)
    return rng.normal(size=shape), g, 0.1 * rng.normal(size=shape), 1e-3 * rng.uniform(0.1, 2.0, size=shape)


@check(weight=2, message="The moments m_new and v_new that adam_step returns are wrong: they should be the "
                         "raw moving averages, without bias correction.",
       fix="m_new = β1·m + (1 − β1)·g and v_new = β2·v + (1 − β2)·g² (the square of g).")
def test_moments(student, reference, rng):
    for shape, t in (((4,), 1), ((3, 2), 7), ((5,), 250)):
        _step_close(student, reference, *_state(rng, shape), t, compare=("m", "v"))


@check(weight=2, message="The first step (t = 1, from m = v = 0) is wrong: it should move each coordinate "
                         "by about lr.",
       fix="Bias-correct: m̂ = m/(1 − β1ᵗ), v̂ = v/(1 − β2ᵗ); with t = 1 this gives x − lr·g/(|g| + ε).")
def test_first_step(student, reference, rng):
    for shape in ((5,), (2, 3)):
        x, g = rng.normal(size=shape), rng.normal(size=shape) * 10.0 ** rng.uniform(-2, 2, size=shape)
        _step_close(student, reference, x, g, np.zeros(shape), np.zeros(shape), 1, lr=0.01)


@check(weight=2, message="A later Adam step (t > 1) is wrong.",
       fix="x_new = x − lr·m̂/(√v̂ + ε) with m̂ = m_new/(1 − β1ᵗ), v̂ = v_new/(1 − β2ᵗ), and t the 1-based "
           "step number.")
def test_later_steps(student, reference, rng):
    for shape, t in (((4,), 2), ((3,), 10), ((2, 2), 1000), ((6,), 3)):
        _step_close(student, reference, *_state(rng, shape), t, lr=0.01)


@check(weight=1, message="ε is in the wrong place: it belongs outside the square root, as in the paper and "
                         "in PyTorch.",
       fix="x − lr·m̂/(√v̂ + ε), not x − lr·m̂/√(v̂ + ε).")
def test_eps_outside_the_square_root(student, reference, rng):
    x, g, m, v = rng.normal(size=4), 1e-3 * rng.normal(size=4), np.zeros(4), np.zeros(4)
    _step_close(student, reference, x, g, m, v, 1, lr=0.1, eps=1e-4)
    _step_close(student, reference, *_state(rng, (3,)), 5, lr=0.1, eps=1e-2)


@check(weight=1, message="lr, beta1, beta2 or eps is ignored: the values you are given (by keyword too) "
                         "must be used.",
       fix="Use the parameters in the formulas, not hard-coded constants.")
def test_uses_its_hyperparameters(student, reference, rng):
    _step_close(student, reference, *_state(rng, (4,)), 3, lr=0.05, beta1=0.5, beta2=0.9, eps=1e-6)
    _step_close(student, reference, *_state(rng, (3,)), 12, lr=0.2, beta1=0.0, beta2=0.99)


@check(weight=1, message="t below 1 (0 or negative) was accepted, or t = 1 was refused: t is the 1-based "
                         "step number.",
       fix="Raise ValueError when t < 1.")
def test_rejects_t_below_one(student, reference, rng):
    x, g, m, v = _state(rng, (3,))
    expect_error("ValueError", student.adam_step, x, g, m, v, 0)
    expect_error("ValueError", student.adam_step, x, g, m, v, -2)
    _step_close(student, reference, x, g, m, v, 1)


@check(weight=1, message="adam_step modified x, g, m or v: it must be pure and return new arrays.",
       fix="Compute new arrays (m_new = beta1 * m + …); m *= beta1 writes into the caller's array.")
def test_adam_step_is_pure(student, reference, rng):
    _step_close(student, reference, *_state(rng, (5,)), 4)
    assert_inputs_unchanged(student)


# -- adam -----------------------------------------------------------------------------------------------
def _adam_close(student, reference, source, x0, rtol=TRAJECTORY_RTOL, **kwargs):
    learner_grad, reference_grad = same_function(source)
    got = as_array(student.adam(learner_grad, x0, **kwargs), what="the final x")
    expected = reference.adam(reference_grad, x0, **kwargs)
    try:
        assert_close(got, expected, rtol=rtol, what="the final x")
    except Feedback:
        if got.shape == np.shape(expected):
            steps = kwargs.pop("steps", 100)
            _name_the_mistake(got, expected, {meaning: _trajectory(reference_grad, x0, steps, **kwargs, **mistake)
                                              for meaning, mistake in TRAJECTORY_MISTAKES.values()})
            _non_finite_hint([got])
        raise


@check(weight=3, message="adam does not follow torch.optim.Adam (to 1e-9 relative over 100 steps on a "
                         "convex quadratic).",
       fix="Run `steps` Adam steps from m = v = 0 with t = 1, 2, …, steps, carrying the raw moments (not "
           "the bias-corrected ones) from step to step.")
def test_adam_matches_torch_trajectories(student, reference, rng):
    _adam_close(student, reference, QUADRATIC_2D, rng.normal(size=2) * 2, lr=0.05, steps=100)
    _adam_close(student, reference, QUADRATIC_4D, rng.normal(size=4), lr=0.01, beta1=0.8, beta2=0.99,
                eps=1e-6, steps=100)
    _adam_close(student, reference, QUADRATIC_2D, rng.normal(size=2), steps=100)


@check(weight=1, message="adam takes the wrong number of steps or has the wrong defaults (steps = 0 must "
                         "return x0, steps = 1 be one step).",
       fix="The defaults are lr = 1e-3, beta1 = 0.9, beta2 = 0.999, eps = 1e-8, steps = 100.")
def test_adam_steps_and_defaults(student, reference, rng):
    x0 = rng.normal(size=3)
    _adam_close(student, reference, DIAGONAL, x0, lr=0.1, steps=0)
    _adam_close(student, reference, DIAGONAL, x0, lr=0.1, steps=1)
    _adam_close(student, reference, DIAGONAL, x0)


@check(weight=1, message="adam fails for x0 of some shape (a matrix) or with integers, or modified x0.",
       fix="Start from a float64 copy: np.array(x0, dtype=float).")
def test_adam_any_shape_integer_and_unchanged(student, reference, rng):
    _adam_close(student, reference, DIAGONAL, rng.normal(size=(2, 3)), lr=0.05, steps=20)
    _adam_close(student, reference, QUADRATIC_2D, rng.integers(-3, 4, size=2), lr=0.1, steps=30)
    _adam_close(student, reference, DIAGONAL, rng.normal(size=4), lr=0.05, steps=10)
    assert_inputs_unchanged(student)
