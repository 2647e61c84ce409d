"""Are the hidden graders right? Realistic wrong answers lose points on their own exercise
only; valid alternative answers get full marks."""

from collections import Counter

import pytest

from tests.implementations import libraries
from tests.support import course, grade, submission

CASES_WRONG = [(aid, impl) for aid, lib in libraries().items() for impl in lib.WRONG]
CASES_RIGHT = [(aid, impl) for aid, lib in libraries().items() for impl in lib.RIGHT]


def _lost(report, exercise_id):
    return {c.name for c in report.exercises[exercise_id].checks if not c.passed}


@pytest.mark.parametrize("assignment_id, impl", CASES_WRONG,
                         ids=[f"{a}-{i.id}" for a, i in CASES_WRONG])
def test_wrong_implementation_loses_points_on_its_exercise_only(assignment_id, impl):
    report = grade(submission(assignment_id, {impl.exercise: impl.source}), assignment_id)
    target = report.exercises[impl.exercise]
    assert target.score < target.max, f"{impl.id} got full marks"
    others = {eid: e.score for eid, e in report.exercises.items()
              if eid != impl.exercise and e.score != e.max}
    assert not others, f"{impl.id} also lost points on {others}"
    missing = set(impl.fails) - _lost(report, impl.exercise)
    assert not missing, f"{impl.id} should fail {missing}; failed {_lost(report, impl.exercise)}"


@pytest.mark.parametrize("assignment_id, impl", CASES_RIGHT,
                         ids=[f"{a}-{i.id}" for a, i in CASES_RIGHT])
def test_alternative_implementation_gets_full_marks(assignment_id, impl):
    report = grade(submission(assignment_id, {impl.exercise: impl.source}), assignment_id)
    target = report.exercises[impl.exercise]
    assert target.score == target.max, \
        f"{impl.id}: {[(c.name, c.message) for c in target.checks if not c.passed]}"


@pytest.mark.parametrize("assignment_id", sorted(libraries()))
def test_every_exercise_has_five_mistakes_and_two_alternatives(assignment_id):
    library = libraries()[assignment_id]
    wrong = Counter(impl.exercise for impl in library.WRONG)
    right = Counter(impl.exercise for impl in library.RIGHT)
    for exercise in course().assignment(assignment_id).exercises:
        assert wrong[exercise.id] >= 5, f"{exercise.id}: {wrong[exercise.id]} wrong implementations"
        assert right[exercise.id] >= 2, f"{exercise.id}: {right[exercise.id]} alternatives"
