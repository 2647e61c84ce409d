"""What grader files are written with: the ``@check`` decorator and the assertions.

A grader file ``graders/<assignment>/test_<exercise>.py`` reads like a spec::

    @check(weight=2, message="rows on very different scales come out wrong ...",
           fix="shift each slice by its own maximum: np.max(x, axis=axis, keepdims=True)")
    def test_each_slice_uses_its_own_maximum(student, rng):
        ...

A failing check's hint comes in two steps: its ``message`` says *what* is wrong
(the behaviour or the misconception, no formula) and is always shown; its
``fix`` says *how* to put it right (the formula, the algorithm) and is shown on
request to the learner (collapsed in a check cell, ``mlmath check --hints``) and
in full in the instructor's feedback.  An assertion helper here may add a short,
safe detail to the message (a shape, a dtype, the learner's own exception) —
never a hidden input or an expected value.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from mlmath.course import Tolerances
from mlmath.grading.learner_text import warning_text
from mlmath.grading.proxy import LearnerError
from mlmath.sandbox.wire import SourceFunction

#: the attribute ``@check`` sets on a grader function
MARKER = "mlmath_check"
_tolerances = Tolerances()


def use_tolerances(tolerances: Tolerances) -> None:
    """Set the course tolerances the assertions use (the runner does this)."""
    global _tolerances
    _tolerances = tolerances


@dataclass(frozen=True)
class CheckSpec:
    weight: float
    message: str
    fix: str = ""


def check(weight: float, message: str, fix: str = ""):
    """Declare a grader test as a hidden check with its weight, what a failure means
    (``message``) and, optionally, how to fix it (``fix``).

    A plain attribute rather than a pytest mark: the runner calls the checks
    itself, and grading should not pay for importing pytest.
    """
    if not weight > 0:
        raise ValueError("a check's weight must be positive")
    if not message.strip():
        raise ValueError("a check needs a learner-facing message")

    def declare(function):
        setattr(function, MARKER, CheckSpec(float(weight), message.strip(), fix.strip()))
        return function
    return declare


class Feedback(AssertionError):
    """A failed expectation with a detail that is safe to show the learner."""

    def __init__(self, detail: str = ""):
        super().__init__(detail)
        self.detail = detail


def as_array(value, what: str = "the result") -> np.ndarray:
    """``value`` as a numeric array, or Feedback saying what came back instead."""
    if value is None:
        raise Feedback(f"{what} is None — is a `return` missing?")
    if isinstance(value, (dict, str, bytes)):
        raise Feedback(f"{what} is a {type(value).__name__}, not numbers")
    try:
        array = np.asarray(value)
    except (ValueError, TypeError):
        raise Feedback(f"{what} is not a regular array of numbers") from None
    if array.dtype.kind not in "biufc":
        raise Feedback(f"{what} is not a regular array of numbers")
    return array


def assert_close(actual, expected, *, rtol: float | None = None, atol: float | None = None,
                 what: str = "the result") -> None:
    """Same shape, same non-finite pattern, values within the course tolerances.

    float32 results are held to the float32 tolerance; complex results are
    refused where real ones are expected.
    """
    actual = as_array(actual, what)
    expected = np.asarray(expected)
    if actual.dtype.kind == "c" and expected.dtype.kind != "c":
        raise Feedback(f"{what} has complex values; a real result is expected")
    if actual.shape != expected.shape:
        raise Feedback(f"{what} has shape {actual.shape}, expected {expected.shape}")
    if rtol is None:
        rtol = _tolerances.rtol_float32 if actual.dtype == np.float32 else _tolerances.rtol
    atol = _tolerances.atol if atol is None else atol
    actual64 = actual.astype(np.complex128 if actual.dtype.kind == "c" else np.float64)
    with np.errstate(invalid="ignore", over="ignore"):
        ok = np.isclose(actual64, expected, rtol=rtol, atol=atol, equal_nan=True)
    if not np.all(ok):
        raise Feedback()


def assert_dtype(value, dtype, what: str = "the result") -> None:
    array = as_array(value, what)
    if array.dtype != np.dtype(dtype):
        raise Feedback(f"{what} has dtype {array.dtype}, expected {np.dtype(dtype)}")


def assert_no_warnings(student) -> None:
    """No RuntimeWarning (overflow, invalid value, divide by zero) in this check's calls."""
    for function, category, message in student.warnings:
        raise Feedback(f"{function} emitted {warning_text(category, message)}")


def assert_inputs_unchanged(student) -> None:
    for function, argument in student.mutations:
        where = f"argument {int(argument) + 1}" if argument.isdigit() else f"argument {argument!r}"
        raise Feedback(f"{function} modified its {where}; work on a copy instead")


def expect_error(kind: str, function, *args, **kwargs) -> LearnerError:
    """Call ``function`` and require it to raise ``kind`` (by name, subclasses count)."""
    try:
        function(*args, **kwargs)
    except LearnerError as error:
        if error.is_a(kind):
            return error
        raise Feedback(f"{error.function} {error.raised} where {kind} was expected") from None
    raise Feedback(f"{getattr(function, '__name__', 'the function')} returned normally "
                   f"where {kind} was expected")


def expect_refusal(what: str, function, *args, kind: str = "ValueError") -> LearnerError:
    """``expect_error`` for an input the function must refuse, with ``what`` (that input,
    for the learner) leading the detail."""
    try:
        return expect_error(kind, function, *args)
    except Feedback as failure:
        raise Feedback(f"{what} — {failure.detail}") from None


def accept_valid_input(why: str, function, *args):
    """Call ``function`` on input it must accept.  A ValueError there is the learner's own
    validation refusing valid input: Feedback that says so, with ``why`` (what valid input is)."""
    try:
        return function(*args)
    except LearnerError as error:
        if error.is_a("ValueError"):
            raise Feedback(f"your {error.function} {error.raised} on valid input — if that is your "
                           f"validation, {why}") from None
        raise


def same_function(source: str):
    """One function twice: as source text for the learner's sandbox, and compiled here for the
    reference (with ``np``/``numpy``/``math`` in scope, as in the sandbox)."""
    return SourceFunction(source), eval(source, {"np": np, "numpy": np, "math": math})


def as_weights_and_intercept(result, function: str, n_features: int):
    """A linear model's ``(w, b)``: w of shape (n_features,), b a single number — or Feedback."""
    if not isinstance(result, (tuple, list)) or len(result) != 2:
        raise Feedback(f"{function} must return a pair (w, b)")
    w, b = as_array(result[0], "w"), as_array(result[1], "b")
    if w.shape != (n_features,):
        raise Feedback(f"w has shape {w.shape}; it needs one weight per column of X, shape ({n_features},)")
    if b.shape != ():
        raise Feedback(f"b has shape {b.shape}; the intercept is a single number")
    return w, b
