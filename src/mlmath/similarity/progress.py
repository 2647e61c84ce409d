"""What an instructor sees while a class is read: a progress bar on a terminal, log lines otherwise
(the conventions of ``mlmath autograde``)."""

from __future__ import annotations

import sys
from typing import TextIO

from tqdm import tqdm


class Progress:
    def __init__(self, stream: TextIO | None = None, bar: bool | None = None):
        self.stream = stream or sys.stderr
        self.bar_wanted = self.stream.isatty() if bar is None else bar
        self.bar: tqdm | None = None
        self.done = 0
        self.total = 0

    def start(self, total: int) -> None:
        self.total = total
        if self.bar_wanted:
            self.bar = tqdm(total=total, unit="submission", file=self.stream, dynamic_ncols=True)
        else:
            print(f"reading {total} submission(s)", file=self.stream, flush=True)

    def read(self, student: str, outcome: str) -> None:
        self.done += 1
        if self.bar is not None:
            self.bar.update(1)
            if outcome.startswith("not read"):
                self.bar.write(f"{student}: {outcome}", file=self.stream)
        else:
            print(f"[{self.done}/{self.total}] {student}: {outcome}", file=self.stream, flush=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
