"""Two classes of ch04_numerics, each compared once per session: with planted copies, and without."""

from pathlib import Path

import pytest

from mlmath.course import load_course
from mlmath.similarity.compare import compare_class
from tests.pipeline.conftest import copy_course
from tests.similarity.planted_class import (ASSIGNMENT, INLINED_SOFTMAX, disguised, independent_learners,
                                            learner_using, recommented, write_class)
from tests.support import course


def planted_copies() -> dict[str, tuple[str, dict[str, str]]]:
    """Copier -> (the learner copied, the copier's answers)."""
    assignment = course().assignment(ASSIGNMENT)
    learners = independent_learners(assignment)
    functions = {e.id: e.functions for e in assignment.exercises}
    with_helper = learner_using(assignment, "softmax", "moveaxis_and_row_loop")
    return {
        "quinn": (with_helper, {e: disguised(s, functions[e]) for e, s in learners[with_helper].items()}
                  | {"softmax": INLINED_SOFTMAX}),
        "rosa": ("learner03", {e: disguised(s, functions[e]) for e, s in learners["learner03"].items()}),
        "sami": ("learner07", {e: recommented(s) for e, s in learners["learner07"].items()}),
    }


def compared_class(root: Path, learners: dict[str, dict[str, str]]):
    root = copy_course(root)
    write_class(root, learners)
    course_copy = load_course(root)
    return compare_class(course_copy, course_copy.assignment(ASSIGNMENT))


@pytest.fixture(scope="session")
def honest_class(tmp_path_factory):
    return compared_class(tmp_path_factory.mktemp("honest"), independent_learners(course().assignment(ASSIGNMENT)))


@pytest.fixture(scope="session")
def planted_class(tmp_path_factory):
    learners = independent_learners(course().assignment(ASSIGNMENT))
    copies = {copier: answers for copier, (_, answers) in planted_copies().items()}
    return compared_class(tmp_path_factory.mktemp("planted"), learners | copies)
