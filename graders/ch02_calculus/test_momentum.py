"""Hidden checks for `sgd_momentum(grad_f, x0, lr=0.01, momentum=0.9, steps=100)`: PyTorch's heavy ball."""


import numpy as np

from mlmath.grading import same_function, Feedback, as_array, assert_close, assert_inputs_unchanged, check

ILL_CONDITIONED = "lambda x: np.array([[10.0, 3.0], [3.0, 1.5]]) @ x - np.array([1.0, 0.5])"
DIAGONAL = "lambda x: 0.5 * np.arange(1.0, x.size + 1).reshape(np.shape(x)) * x"      # any shape
NONLINEAR = "lambda x: np.tanh(x) + 0.1 * x"



def _other_conventions(grad, x0, lr, momentum, steps):
    """What common variants of momentum return: name -> (what it means, final x)."""
    def run(update):
        x, v = np.array(x0, dtype=np.float64), np.zeros(np.shape(x0))
        for _ in range(steps):
            x, v = update(x, v, np.asarray(grad(x), dtype=np.float64))
        return x

    def run_from_first_gradient():
        x = np.array(x0, dtype=np.float64)
        v = np.asarray(grad(x), dtype=np.float64)
        for _ in range(steps):
            v = momentum * v + np.asarray(grad(x), dtype=np.float64)
            x = x - lr * v
        return x
    return {
        "dampened": ("that is v ← μ·v + (1 − μ)·g, an exponential average: PyTorch's SGD adds the whole gradient, "
                     "v ← μ·v + g", run(lambda x, v, g: (x - lr * (momentum * v + (1 - momentum) * g),
                                                         momentum * v + (1 - momentum) * g))),
        "nesterov": ("that is Nesterov's variant: here the step uses v itself, x ← x − lr·v",
                     run(lambda x, v, g: (x - lr * (g + momentum * (momentum * v + g)), momentum * v + g))),
        "stale_velocity": ("x moves with the velocity of the previous step: update v first, then x ← x − lr·v",
                           run(lambda x, v, g: (x - lr * v, momentum * v + g))),
        "ascent": ("it climbs: subtract lr·v from x", run(lambda x, v, g: (x + lr * (momentum * v + g),
                                                                          momentum * v + g))),
        "velocity_from_the_first_gradient": (
            "the velocity starts at the first gradient and then adds it again: v starts at 0",
            run_from_first_gradient()),
    }


def _final(student, reference, source, x0, diagnose=True, **kwargs):
    learner_grad, reference_grad = same_function(source)
    result = student.sgd_momentum(learner_grad, x0, **kwargs)
    if isinstance(result, (tuple, list)) and len(result) == 2 and np.shape(result[0]) == np.shape(x0) != ():
        raise Feedback("sgd_momentum returns the final x only, not (x, history)")
    got = as_array(result, what="the final x")
    expected = reference.sgd_momentum(reference_grad, x0, **kwargs)
    try:
        assert_close(got, expected, what="the final x")
    except Feedback:
        if diagnose and got.shape == expected.shape:
            settings = {"lr": 0.01, "momentum": 0.9, "steps": 100, **kwargs}
            matches = {meaning for meaning, candidate in _other_conventions(reference_grad, x0, **settings).values()
                       if np.allclose(got, candidate, rtol=1e-7, atol=1e-10)}
            if len(matches) == 1:           # two conventions can agree on the first step: then say nothing
                raise Feedback(matches.pop()) from None
        raise


@check(weight=3, message="sgd_momentum does not follow heavy-ball momentum in PyTorch's convention.",
       fix="v starts at 0; each step does v ← momentum·v + grad_f(x), then x ← x − lr·v.")
def test_matches_heavy_ball(student, reference, rng):
    _final(student, reference, ILL_CONDITIONED, rng.normal(size=2) * 2, lr=0.05, momentum=0.9, steps=40)
    _final(student, reference, DIAGONAL, rng.normal(size=5), lr=0.1, momentum=0.7, steps=25)
    _final(student, reference, NONLINEAR, rng.normal(size=3) * 3, lr=0.2, momentum=0.5, steps=30)


@check(weight=1, message="The first steps are wrong: the velocity starts at 0, so the first step is a "
                         "plain gradient step.",
       fix="x1 = x0 − lr·grad_f(x0); the second step uses v = momentum·g0 + g1.")
def test_first_steps(student, reference, rng):
    x0 = rng.normal(size=3)
    _final(student, reference, NONLINEAR, x0, lr=0.3, momentum=0.9, steps=1)
    _final(student, reference, NONLINEAR, x0, lr=0.3, momentum=0.9, steps=2)


@check(weight=1, message="lr, momentum or steps is ignored: with momentum = 0 the result must be plain "
                         "gradient descent.",
       fix="Use the arguments you are given in the update, not hard-coded values.")
def test_uses_its_arguments(student, reference, rng):
    x0 = rng.normal(size=4)
    _final(student, reference, DIAGONAL, x0, lr=0.15, momentum=0.0, steps=12)
    _final(student, reference, DIAGONAL, x0, lr=0.02, momentum=0.95, steps=33)


@check(weight=1, message="The defaults are wrong, or steps = 0 does not return x0.",
       fix="The defaults are lr = 0.01, momentum = 0.9 and steps = 100.")
def test_defaults_and_zero_steps(student, reference, rng):
    x0 = rng.normal(size=2)
    _final(student, reference, ILL_CONDITIONED, x0, diagnose=False)
    _final(student, reference, ILL_CONDITIONED, x0, lr=0.1, momentum=0.9, steps=0, diagnose=False)


@check(weight=1, message="x0 of some shape (a matrix, a 0-d scalar) or holding integers fails.",
       fix="Start from a float64 copy: np.array(x0, dtype=float).")
def test_any_shape_and_integer_x0(student, reference, rng):
    _final(student, reference, DIAGONAL, rng.normal(size=(2, 3)), lr=0.1, momentum=0.8, steps=9)
    _final(student, reference, NONLINEAR, np.array(rng.normal()), lr=0.2, momentum=0.6, steps=7)
    _final(student, reference, ILL_CONDITIONED, rng.integers(-3, 4, size=2), lr=0.05, momentum=0.9, steps=15)


@check(weight=1, message="sgd_momentum modified x0.",
       fix="Start from a float64 copy (x -= … on x0 itself writes into the caller's array).")
def test_leaves_input_unchanged(student, reference, rng):
    _final(student, reference, ILL_CONDITIONED, rng.normal(size=2), lr=0.05, momentum=0.9, steps=10)
    assert_inputs_unchanged(student)
