"""Hidden checks for `gradient_check(f, grad_f, x, h=1e-5)`: the largest per-entry relative error."""



from mlmath.grading import same_function, Feedback, as_array, assert_close, assert_inputs_unchanged, assert_no_warnings, check

# (f, its correct gradient)
CORRECT = [("lambda x: np.sum(np.sin(x) * x ** 2)", "lambda x: np.cos(x) * x ** 2 + 2 * x * np.sin(x)"),
           ("lambda x: np.log(np.sum(np.exp(x)))", "lambda x: np.exp(x) / np.sum(np.exp(x))"),
           ("lambda x: 0.5 * np.sum(x * x) + np.sum(np.tanh(x))", "lambda x: x + 1 - np.tanh(x) ** 2")]
# (f, a wrong gradient): a forgotten product-rule term, one wrong entry, a wrong factor
WRONG = [("lambda x: np.sum(np.sin(x) * x ** 2)", "lambda x: np.cos(x) * x ** 2"),
         ("lambda x: np.log(np.sum(np.exp(x)))",
          "lambda x: np.exp(x) / np.sum(np.exp(x)) * np.where(np.arange(x.size) == 1, 1.5, 1.0)"),
         ("lambda x: 0.5 * np.sum(x * x) + np.sum(np.tanh(x))", "lambda x: 2 * x + 1 - np.tanh(x) ** 2")]



def _check_result(student, reference, f_source, grad_source, x, *args, **kwargs):
    learner_f, reference_f = same_function(f_source)
    learner_grad, reference_grad = same_function(grad_source)
    got = as_array(student.gradient_check(learner_f, learner_grad, x, *args, **kwargs))
    if got.shape != ():
        raise Feedback(f"the result has shape {got.shape}: return one number, the largest relative error")
    assert_close(got, reference.gradient_check(reference_f, reference_grad, x, *args, **kwargs))


@check(weight=2, message="With a correct grad_f your result is not tiny (about 1e-10): a one-sided "
                         "difference leaves an error of about 1e-6.",
       fix="Compare grad_f(x) with central differences (f(x + h·e_i) − f(x − h·e_i)) / (2h) and return the "
           "largest per-entry relative error.")
def test_correct_gradient_passes(student, reference, rng):
    for f_source, grad_source in CORRECT:
        _check_result(student, reference, f_source, grad_source, rng.normal(size=int(rng.integers(3, 7))))


@check(weight=2, message="Your relative error is not the expected one: it should be the error of the worst "
                         "entry — not a mean, not a ratio of norms.",
       fix="|a_i − n_i| / max(1e-8, |a_i| + |n_i|) per entry, then the maximum over the entries (not "
           "max(|a_i|, |n_i|) in the denominator).")
def test_detects_a_wrong_gradient(student, reference, rng):
    for f_source, grad_source in WRONG:
        _check_result(student, reference, f_source, grad_source, rng.normal(size=int(rng.integers(3, 7))))


@check(weight=1, message="Where both gradients are exactly 0 you get NaN (0/0) or a warning; that entry's "
                         "error is 0.",
       fix="Floor the denominator: max(1e-8, |a_i| + |n_i|).")
def test_entries_where_both_gradients_vanish(student, reference, rng):
    f_source = "lambda x: np.sum(x[:2] ** 2)"
    for grad_source in ("lambda x: np.concatenate([2 * x[:2], np.zeros(x.size - 2)])",
                        "lambda x: np.concatenate([3 * x[:2], np.zeros(x.size - 2)])"):
        _check_result(student, reference, f_source, grad_source, rng.normal(size=5))
    assert_no_warnings(student)


@check(weight=1, message="The floor of the denominator is wrong: it is left out, or added to the sum.",
       fix="The denominator is max(1e-8, |a_i| + |n_i|): 1e-8 replaces the sum only when the sum is "
           "smaller.")
def test_denominator_floor(student, reference, rng):
    _check_result(student, reference, "lambda x: 1e-9 * np.sum(np.sin(x))", "lambda x: 2e-9 * np.cos(x)",
                  rng.normal(size=4))
    _check_result(student, reference, "lambda x: 3e-9 * np.sum(x * x)", "lambda x: 5e-9 * x",
                  rng.uniform(0.5, 1.5, size=3))


@check(weight=1, message="The step h you are given is ignored: gradient_check(f, grad_f, x, h=1e-2) must "
                         "step by 1e-2.",
       fix="Use h in the central differences, not a hard-coded step.")
def test_uses_the_given_step(student, reference, rng):
    x = rng.normal(size=4)
    _check_result(student, reference, "lambda x: np.sum(np.exp(x))", "lambda x: np.exp(x)", x, h=1e-2)
    _check_result(student, reference, "lambda x: np.sum(np.sin(3 * x))", "lambda x: 3 * np.cos(3 * x)", x, 1e-3)


@check(weight=1, message="gradient_check fails for x of some shape (a matrix) or holding integers.",
       fix="Convert x to float64 and step every entry (np.ndindex(x.shape)) with the full step h.")
def test_any_shape_and_integer_input(student, reference, rng):
    _check_result(student, reference, *CORRECT[0], rng.normal(size=(3, 2)))
    _check_result(student, reference, *WRONG[0], rng.normal(size=(2, 2, 2)))
    _check_result(student, reference, *WRONG[0], rng.integers(-3, 4, size=4))
    _check_result(student, reference, *CORRECT[2], [2, -1, 1])


@check(weight=1, message="gradient_check modified x.",
       fix="Step a float copy of x, not x itself.")
def test_leaves_input_unchanged(student, reference, rng):
    _check_result(student, reference, *WRONG[1], rng.normal(size=5))
    assert_inputs_unchanged(student)
