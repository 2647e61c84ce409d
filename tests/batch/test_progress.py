"""What the instructor sees while a batch runs."""

import io
from pathlib import Path

from mlmath.batch.discover import Submission
from mlmath.batch.pipeline import NotebookOutcome, SubmissionOutcome
from mlmath.batch.progress import Progress

ALICE = Submission("alice", "ch04_numerics", Path("submitted/alice/ch04_numerics"))
GRADED = SubmissionOutcome("ch04_numerics", "alice", [NotebookOutcome(
    "numerics", "{}", {"test_softmax": 4.0}, {}, {"exercises": {"softmax": {"score": 4.0}}})], 0.31)
FAILED = SubmissionOutcome("ch04_numerics", "alice", [NotebookOutcome(
    "numerics", "{}", {"test_softmax": 0.0}, {}, None, "numerics.ipynb is not a readable notebook")], 0.02)


def test_without_a_terminal_each_submission_is_a_log_line():
    stream = io.StringIO()
    progress = Progress(stream)            # StringIO is not a tty
    progress.start(2, skipped=3)
    progress.result(ALICE, GRADED)
    progress.result(ALICE, FAILED)
    progress.close()
    lines = stream.getvalue().splitlines()
    assert lines[0].startswith("3 submission(s) already graded")
    assert lines[2] == "[1/2] alice: 4 points in 0.31 s"
    assert lines[3].startswith("[2/2] alice: 0 points") and "not a readable notebook" in lines[3]


def test_on_a_terminal_a_bar_with_count_rate_and_time_left():
    stream = io.StringIO()
    progress = Progress(stream, bar=True)
    progress.start(2, skipped=0)
    progress.result(ALICE, GRADED)
    progress.result(ALICE, FAILED)
    progress.close()
    text = stream.getvalue()
    assert "2/2" in text and ("submission/s" in text or "s/submission" in text)
    assert "alice: 0 points" in text          # failures are printed above the bar
