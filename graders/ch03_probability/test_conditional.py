"""Hidden checks for `marginal(joint, axis)` and `conditional(joint, y)`: a 2-D joint pmf table
`joint[i, j] = P(X = i, Y = j)`."""

from functools import partial

import numpy as np

from mlmath.grading import (accept_valid_input, expect_refusal, Feedback, as_array, assert_close, assert_inputs_unchanged,
                            check)


_accepts = partial(accept_valid_input, "a valid joint table failed it (entries ≥ 0 that sum to 1 within 1e-9, zeros allowed), or a valid axis or y was refused")


def _table(rng, rows, cols, zeros=0):
    joint = rng.dirichlet(np.ones(rows * cols))
    if zeros:
        joint[rng.choice(rows * cols, size=zeros, replace=False)] = 0.0
        joint /= joint.sum()
    return joint.reshape(rows, cols)


def _marginal(student, reference, joint, axis):
    got = _accepts(student.marginal, joint, axis)
    expected = reference.marginal(joint, axis)
    try:
        assert_close(got, expected)
    except Feedback:
        value = as_array(got)
        table = np.asarray(joint, dtype=float)
        other = table.sum(axis=1 - (axis % 2))
        if value.shape == other.shape and np.allclose(value, other, rtol=1e-9, atol=1e-12):
            raise Feedback(f"for axis={axis} you summed over the other axis: marginal(joint, axis) sums `axis` "
                           "OUT, so axis=1 (the columns, Y) leaves P(X), one value per row") from None
        if value.size == expected.size and value.shape != expected.shape:
            raise Feedback(f"your marginal has shape {value.shape}; it is a 1-D distribution of shape "
                           f"{expected.shape}") from None
        raise


def _conditional(student, reference, joint, y):
    got = _accepts(student.conditional, joint, y)
    expected = reference.conditional(joint, y)
    try:
        assert_close(got, expected)
    except Feedback:
        value = as_array(got)
        table = np.asarray(joint, dtype=float)
        column = table[:, y]
        if value.shape == column.shape and np.allclose(value, column, rtol=1e-9, atol=1e-12):
            raise Feedback("you returned the column joint[:, y] itself: P(X = i, Y = y) is not yet a distribution "
                           "over X — divide it by P(Y = y), the column's sum") from None
        if y < table.shape[0]:
            row = table[y, :]
            if row.sum() > 0 and value.shape == row.shape and np.allclose(value, row / row.sum(), rtol=1e-9,
                                                                           atol=1e-12):
                raise Feedback("you normalised the row joint[y, :], which is P(Y | X = y); P(X | Y = y) is the "
                               "column joint[:, y] divided by its sum") from None
        raise


@check(weight=2, message="marginal(joint, axis) gives the wrong distribution: axis=1 should give P(X) "
                         "(length n_x), axis=0 P(Y) (length n_y).",
       fix="Sum `axis` out of the table: joint.sum(axis=axis) — the row sums for axis=1, the column sums "
           "for axis=0.")
def test_marginal_sums_out_the_axis(student, reference, rng):
    for rows, cols in ((2, 3), (4, 4), (5, 2), (1, 3), (3, 1)):
        joint = _table(rng, rows, cols)
        for axis in (0, 1):
            _marginal(student, reference, joint, axis)
    _marginal(student, reference, [[1, 0, 0], [0, 0, 0]], 1)          # a list of integers


@check(weight=1, message="Negative axes are not handled as in NumPy: axis=-1 is the last axis (the same as "
                         "1) and axis=-2 the first (the same as 0).",
       fix="Accept -2 and -1 and map them to 0 and 1 (axis % 2 once the range is checked).")
def test_marginal_negative_axes(student, reference, rng):
    joint = _table(rng, 3, 4)
    for axis in (-1, -2, np.int64(1)):
        _marginal(student, reference, joint, axis)


@check(weight=1, message="An axis the 2-D table does not have was accepted.",
       fix="Raise ValueError unless axis is one of 0, 1, -2, -1.")
def test_marginal_rejects_other_axes(student, reference, rng):
    joint = _table(rng, 3, 2)
    _marginal(student, reference, joint, 0)
    for what, axis in (("an axis past the last one", 2), ("a negative axis below −2", -3),
                       ("an axis far past the last one", 5)):
        expect_refusal(what, student.marginal, joint, axis)


@check(weight=2, message="conditional(joint, y) is not P(X | Y = y), a distribution over X.",
       fix="Take the y-th column and divide it by its sum: joint[:, y] / P(Y = y).")
def test_conditional_is_the_column_over_its_marginal(student, reference, rng):
    for rows, cols in ((2, 3), (4, 4), (6, 2), (1, 3)):
        joint = _table(rng, rows, cols)
        _conditional(student, reference, joint, int(rng.integers(cols)))
        _conditional(student, reference, joint, cols - 1)
    _conditional(student, reference, [[1, 0], [0, 0], [0, 0]], 0)           # a list of integers


@check(weight=1, message="A y that is not a column index was accepted: y = n_y or beyond, or a negative y "
                         "(which NumPy indexing quietly takes from the end).",
       fix="Raise ValueError unless 0 ≤ y ≤ n_y − 1.")
def test_conditional_rejects_y_out_of_range(student, reference, rng):
    joint = _table(rng, 3, 4)
    _conditional(student, reference, joint, 0)
    for what, y in (("y equal to the number of columns", 4), ("y past the last column", 7),
                    ("a negative y", -1), ("a negative y", -4)):
        expect_refusal(what, student.conditional, joint, y)


@check(weight=1, message="A non-integer axis or y (a float such as 1.0, or a bool) was accepted.",
       fix="Raise ValueError unless isinstance(v, (int, np.integer)) and not isinstance(v, bool).")
def test_axis_and_y_must_be_integers(student, reference, rng):
    joint = _table(rng, 3, 3)
    _marginal(student, reference, joint, np.int64(0))
    _conditional(student, reference, joint, np.int64(2))
    for what, axis in (("a float axis", 1.0), ("a float axis", 0.0), ("a bool axis", True)):
        expect_refusal(what, student.marginal, joint, axis)
    for what, y in (("a float y", 1.0), ("a float y that is not whole", 0.5), ("a bool y", True)):
        expect_refusal(what, student.conditional, joint, y)


@check(weight=1, message="When P(Y = y) = 0 the conditional P(X | Y = y) is 0/0, undefined — yet no "
                         "ValueError was raised.",
       fix="Raise ValueError when the column sums to 0, instead of returning NaN (zeros elsewhere in the "
           "column are fine).")
def test_conditional_rejects_zero_probability_column(student, reference, rng):
    joint = _table(rng, 3, 4)
    joint[:, 1] = 0.0
    joint[0, 2] = 0.0
    joint /= joint.sum()
    _conditional(student, reference, joint, 2)
    expect_refusal("a y whose column is all zeros", student.conditional, joint, 1)


@check(weight=1, message="A joint table that is not a distribution was accepted, or one summing to 1 only "
                         "up to rounding was refused.",
       fix="In both functions, raise ValueError when an entry is < 0 or when |Σ joint − 1| > 1e-9.")
def test_rejects_table_that_is_not_a_distribution(student, reference):
    bad = {"a table with a negative cell (it still sums to 1)": np.array([[0.6, -0.1], [0.2, 0.3]]),
           "a table summing to more than 1": np.full((2, 2), 0.5),
           "a table summing to less than 1": np.full((2, 3), 0.1),
           "a table whose sum is off by 1e-6": np.array([[0.25, 0.25], [0.25, 0.250001]])}
    for what, joint in bad.items():
        expect_refusal(what + " (marginal)", student.marginal, joint, 0)
        expect_refusal(what + " (conditional)", student.conditional, joint, 0)
    for joint in (np.array([[0.3, 0.3], [0.3, 0.1]]), np.full((4, 5), 0.05), np.full((7, 1), 1 / 7)):
        _marginal(student, reference, joint, 1)
        _conditional(student, reference, joint, 0)


@check(weight=1, message="marginal or conditional modified the joint table.",
       fix="Compute new arrays; don't normalise the column in place.")
def test_leave_input_unchanged(student, reference, rng):
    joint = _table(rng, 3, 4, zeros=2)
    _marginal(student, reference, joint, 0)
    _marginal(student, reference, joint, 1)
    y = int(np.argmax(joint.sum(axis=0)))
    _conditional(student, reference, joint, y)
    assert_inputs_unchanged(student)
