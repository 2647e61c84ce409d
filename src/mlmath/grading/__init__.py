"""The grading engine: hidden pytest-style graders run in this trusted process against
learner functions that live in a sandbox."""

import os
import tempfile

# hypothesis loads every installed plugin at import (trio's pulls in pytest): graders use none
os.environ.setdefault("HYPOTHESIS_NO_PLUGINS", "1")
# and keeps a cache in ./.hypothesis: not in the learner's or the instructor's folder
os.environ.setdefault("HYPOTHESIS_STORAGE_DIRECTORY", os.path.join(tempfile.gettempdir(), "mlmath-hypothesis"))

from mlmath.grading.proxy import FunctionLost, LearnerError, NotImplementedYet
from mlmath.grading.spec import (Feedback, accept_valid_input, as_array, as_weights_and_intercept, assert_close, assert_dtype, assert_inputs_unchanged,
                                 assert_no_warnings, check, expect_error, expect_refusal, same_function)

__all__ = ["check", "accept_valid_input", "Feedback", "as_array", "as_weights_and_intercept", "assert_close", "assert_dtype", "assert_inputs_unchanged",
           "assert_no_warnings", "expect_error", "expect_refusal", "same_function", "LearnerError", "NotImplementedYet", "FunctionLost"]
