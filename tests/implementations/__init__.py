"""Learner implementations, right and wrong, one module per assignment (named by its id).

Each module defines ``WRONG`` (the mistakes learners really make: each must lose
points on its own exercise and only there) and ``RIGHT`` (valid alternatives to
the reference: other algorithms, dtypes or styles, which must get full marks).
The source of an implementation is the whole answer cell of its exercise.
"""

from __future__ import annotations

import importlib
import pkgutil
import textwrap
from dataclasses import dataclass


@dataclass(frozen=True)
class Implementation:
    exercise: str
    name: str
    source: str
    fails: tuple[str, ...] = ()   # for a wrong one: checks that must be among the failed ones

    @property
    def id(self) -> str:
        return f"{self.exercise}-{self.name}"


def wrong(exercise: str, name: str, source: str, fails: tuple[str, ...] = ()) -> Implementation:
    return Implementation(exercise, name, textwrap.dedent(source).strip() + "\n", tuple(fails))


def right(exercise: str, name: str, source: str) -> Implementation:
    return Implementation(exercise, name, textwrap.dedent(source).strip() + "\n")


def libraries() -> dict[str, object]:
    """Every assignment's library module, by assignment id."""
    return {info.name: importlib.import_module(f"{__name__}.{info.name}")
            for info in pkgutil.iter_modules(__path__)}
