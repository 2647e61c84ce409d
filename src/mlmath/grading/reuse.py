"""An exercise graded once per process: the same code under the same graders gets the result
it got before, without running again.

Each exercise runs in a process of its own that runs only the cells it reaches, so what it
scores is decided by those cells (in their places, with their names), its graders, the
reference solutions and the course's secret, limits and tolerances — all in the key — and by
the engine, which one process never changes.  A process that grades many notebooks (a batch worker, ``nbgrader autograde``,
the warm grader) keeps the last :data:`CAPACITY` results: an answer cell nobody touched, the
same three-line function written by twenty learners, the same notebook handed in twice, a
regrade in which only another exercise's grader changed — each graded once.  The processes of
one batch pass their new results on to each other (:meth:`Results.take_new`, :meth:`Results.learn`,
through the coordinator), so that no two of them grade the same code.

Only clean gradings are kept: none in which a cell or a function was lost to a time limit, a
crash or a protocol fault (those depend on the moment and on what else ran before), and none
after a function of the same submission was lost, and none is reused then either (a later
exercise's calls of a lost function fail at once, whatever another grading found).
``MLMATH_REUSE_RESULTS=0`` turns reuse off (the benchmark prints the figures both ways).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import OrderedDict, deque

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
        self._new: deque[tuple[str, tuple[CheckResult, ...]]] = deque(maxlen=capacity)

    @staticmethod
    def enabled() -> bool:
        return os.environ.get(VARIABLE, "1") != "0"

    def get(self, key: str) -> list[CheckResult] | None:
        if not self.enabled() or key not in self._results:
            return None
        self._results.move_to_end(key)
        return list(self._results[key])

    def put(self, key: str, results: list[CheckResult]) -> None:
        if self.enabled():
            self._keep(key, tuple(results))
            self._new.append((key, tuple(results)))

    def take_new(self) -> list[tuple[str, tuple[CheckResult, ...]]]:
        """The results :meth:`put` since the last call (the last :data:`CAPACITY` of them), for
        another process of the same engine, course and batch to :meth:`learn`."""
        new = list(self._new)
        self._new.clear()
        return new

    def learn(self, results: list[tuple[str, tuple[CheckResult, ...]]]) -> None:
        """Keep results another process put: the key holds everything they follow, and the
        engine is the same."""
        if self.enabled():
            for key, checks in results:
                self._keep(key, checks)

    def _keep(self, key: str, results: tuple[CheckResult, ...]) -> None:
        self._results[key] = results
        self._results.move_to_end(key)
        while len(self._results) > self.capacity:
            self._results.popitem(last=False)


#: this process's results
RESULTS = Results()
