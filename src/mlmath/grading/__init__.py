"""The grading engine: hidden pytest graders run in this trusted process against
learner functions that live in a sandbox."""

from mlmath.grading.proxy import FunctionLost, LearnerError, NotImplementedYet
from mlmath.grading.spec import (Feedback, as_array, as_weights_and_intercept, assert_close, assert_dtype, assert_inputs_unchanged,
                                 assert_no_warnings, check, expect_error, same_function,
                                 shorten)

__all__ = ["check", "Feedback", "as_array", "as_weights_and_intercept", "assert_close", "assert_dtype", "assert_inputs_unchanged",
           "assert_no_warnings", "expect_error", "same_function", "shorten", "LearnerError", "NotImplementedYet", "FunctionLost"]
