"""What an instructor sees while a batch runs: a progress bar on a terminal, log lines otherwise."""

from __future__ import annotations

import sys
from typing import TextIO

from tqdm import tqdm

from mlmath.batch.discover import Submission
from mlmath.batch.pipeline import SubmissionOutcome
from mlmath.render import points


def describe(outcome: SubmissionOutcome | str) -> str:
    if isinstance(outcome, str):
        return f"NOT GRADED ({outcome})"
    score = sum(e.get("score", 0.0) for nb in outcome.notebooks for e in
                ((nb.report or {}).get("exercises") or {}).values())
    text = f"{points(score)} points in {outcome.seconds:.2f} s"
    return f"{text}, FAILED: {outcome.reason}" if outcome.failed else text


class Progress:
    def __init__(self, stream: TextIO = sys.stderr, bar: bool | None = None):
        self.stream = stream
        self.bar_wanted = stream.isatty() if bar is None else bar
        self.bar: tqdm | None = None
        self.done = 0
        self.total = 0

    def start(self, todo: int, skipped: int) -> None:
        self.total = todo
        if skipped:
            print(f"{skipped} submission(s) already graded (use --force to regrade them)", file=self.stream)
        if self.bar_wanted:
            self.bar = tqdm(total=todo, unit="submission", file=self.stream, dynamic_ncols=True)
        else:
            print(f"grading {todo} submission(s)", file=self.stream, flush=True)

    def result(self, submission: Submission, outcome: SubmissionOutcome | str) -> None:
        self.done += 1
        if self.bar is not None:
            self.bar.update(1)
            if isinstance(outcome, str) or outcome.failed:
                self.bar.write(f"{submission.student}: {describe(outcome)}", file=self.stream)
        else:
            print(f"[{self.done}/{self.total}] {submission.student}: {describe(outcome)}",
                  file=self.stream, flush=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
