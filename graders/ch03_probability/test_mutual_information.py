"""Hidden checks for `mutual_information(joint)`: nats, from a joint pmf table."""

import numpy as np

from mlmath.grading import expect_refusal, Feedback, LearnerError, as_array, assert_close, assert_inputs_unchanged, check



def _mi(student, reference, joint):
    try:
        got = student.mutual_information(joint)
    except LearnerError as error:
        if error.is_a("ValueError"):
            raise Feedback(f"your mutual_information {error.raised} on valid input "
                           "— if that is your validation, a valid joint table failed it — "
                           "entries ≥ 0 that sum to 1 within 1e-9, zeros allowed") from None
        raise
    expected = reference.mutual_information(joint)
    try:
        assert_close(got, expected)
    except Feedback:
        value = as_array(got)
        if value.shape == () and np.isfinite(value) and expected > 0:
            for name, factor in (("log base 2 (bits)", np.log(2.0)), ("log base 10", np.log(10.0))):
                if np.isclose(value * factor, expected, rtol=1e-9, atol=0):
                    raise Feedback(f"your value uses the {name}; this exercise measures information in nats "
                                   "(natural log)") from None
            if np.isclose(value * np.size(joint), expected, rtol=1e-9, atol=0):
                raise Feedback("you averaged the terms p(x,y) log[p(x,y) / (p(x) p(y))]; the mutual information "
                               "is their sum (the probabilities already weight them)") from None
        raise
    return float(as_array(got))


def _rejects(what, student, joint):
    expect_refusal(what, student.mutual_information, joint)


@check(weight=2, message="mutual_information gives wrong values (in nats).",
       fix="Σ p(x,y) log[p(x,y) / (p(x) p(y))], with the marginals p(x), p(y) the row and column sums of "
           "the table.")
def test_matches_definition(student, reference, rng):
    for shape in ((2, 3), (4, 4), (5, 2)):
        _mi(student, reference, rng.dirichlet(np.ones(shape[0] * shape[1])).reshape(shape))
    _mi(student, reference, [[0.4, 0.1], [0.1, 0.4]])


@check(weight=1, message="For independent X and Y (p(x,y) = p(x) p(y)) the mutual information is not 0, or "
                         "it came out negative beyond rounding (1e-12), or 0 for dependent ones.",
       fix="Use the exact formula with the table's own marginals; don't clip or approximate.")
def test_independent_table_is_zero(student, reference, rng):
    _mi(student, reference, rng.dirichlet(np.ones(6)).reshape(2, 3))        # a dependent table first
    for rows, cols in ((2, 3), (6, 5), (1, 4)):
        joint = np.outer(rng.dirichlet(np.ones(rows)), rng.dirichlet(np.ones(cols)))
        got = _mi(student, reference, joint)
        if got < -1e-12:
            raise Feedback("your mutual information of an independent table is negative")


@check(weight=1, message="Zero cells (including whole rows or columns of zeros) give NaN; they are allowed "
                         "and add nothing (0 · log 0 = 0).",
       fix="Sum only over the cells where p(x,y) > 0.")
def test_zeros_allowed(student, reference, rng):
    _mi(student, reference, np.diag(rng.dirichlet(np.ones(4))))                # Y = X: I = H(X)
    joint = rng.dirichlet(np.ones(12)).reshape(3, 4)
    joint[1, :] = 0.0
    joint[:, 2] = 0.0
    joint[0, 0] = 0.0
    _mi(student, reference, joint / joint.sum())


@check(weight=1, message="A joint table that is not a distribution was accepted, or one summing to 1 only "
                         "up to rounding refused.",
       fix="Raise ValueError when an entry is < 0 or when |Σ joint − 1| > 1e-9.")
def test_rejects_non_distribution(student, reference):
    _rejects("a table with a negative cell", student, np.array([[0.6, -0.1], [0.2, 0.3]]))
    _rejects("a table summing to more than 1", student, np.full((2, 2), 0.5))
    _rejects("a table summing to less than 1", student, np.full((2, 3), 0.1))
    _mi(student, reference, np.array([[0.3, 0.3], [0.3, 0.1]]))
    _mi(student, reference, np.full((4, 5), 0.05))


@check(weight=1, message="mutual_information modified the joint table.",
       fix="Compute new arrays; no in-place operations on the caller's table.")
def test_leaves_input_unchanged(student, reference, rng):
    joint = rng.dirichlet(np.ones(6)).reshape(2, 3)
    joint[0, 1] = 0.0
    _mi(student, reference, joint / joint.sum())
    assert_inputs_unchanged(student)
