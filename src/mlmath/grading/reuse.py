"""An exercise graded once per process: the same code under the same graders gets the result
it got before, without running again.

Each exercise runs in a process of its own that runs only the cells it reaches, so what it
scores is decided by those cells (in their places, with their names), its graders, the
reference solutions and the course's secret, limits and tolerances — all in the key — and by
the engine, which one process never changes.  A process that grades many notebooks (a batch worker, ``nbgrader autograde``,
the warm grader) keeps the last :data:`CAPACITY` results: an answer cell nobody touched, the
same three-line function written by twenty learners, the same notebook handed in twice, a
regrade in which only another exercise's grader changed — each graded once.

Only clean gradings are kept: none in which a cell or a function was lost to a time limit, a
crash or a protocol fault (those depend on the moment and on what else ran before).
``MLMATH_REUSE_RESULTS=0`` turns reuse off (the benchmark prints the figures both ways).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import OrderedDict

from mlmath.grading.results import CheckResult

CAPACITY = 4096
VARIABLE = "MLMATH_REUSE_RESULTS"


def exercise_key(fingerprint: str, exercise: str, seconds: float, cells: list[str],
                 forbidden: tuple[str, ...], functions: tuple[str, ...],
                 defined_in: dict[str, int], cell_names: list[str]) -> str:
    """What decides one exercise's result besides the course-wide ``fingerprint``."""
    parts = [fingerprint, exercise, seconds, cells, sorted(forbidden), list(functions),
             sorted(defined_in.items()), cell_names]
    return hashlib.sha256(json.dumps(parts).encode()).hexdigest()


class Results:
    """The results of the last :data:`CAPACITY` clean gradings, by :func:`exercise_key`."""

    def __init__(self, capacity: int = CAPACITY):
        self.capacity = capacity
        self._results: OrderedDict[str, tuple[CheckResult, ...]] = OrderedDict()

    @staticmethod
    def enabled() -> bool:
        return os.environ.get(VARIABLE, "1") != "0"

    def get(self, key: str) -> list[CheckResult] | None:
        if not self.enabled() or key not in self._results:
            return None
        self._results.move_to_end(key)
        return list(self._results[key])

    def put(self, key: str, results: list[CheckResult]) -> None:
        if not self.enabled():
            return
        self._results[key] = tuple(results)
        self._results.move_to_end(key)
        while len(self._results) > self.capacity:
            self._results.popitem(last=False)


#: this process's results
RESULTS = Results()
