"""A grader may still use hypothesis: a ``@given`` check draws its examples from the course's
seed, so the same submission always meets the same examples and another course other ones."""

import textwrap

from mlmath.grading.runner import _run_check, load_checks

GRADER = '''
from hypothesis import given, strategies as st
from mlmath.grading import check

SEEN = []

@check(weight=1, message="never fails")
@given(st.integers(0, 2**40))
def test_draws(number):
    SEEN.append(number)
'''


def _examples(check, seed):
    module_seen = check.function.hypothesis.inner_test.__globals__["SEEN"]
    module_seen.clear()
    assert _run_check(check, {}, seed).passed
    return list(module_seen)


def test_a_given_check_draws_its_examples_from_the_seed(tmp_path):
    (tmp_path / "test_draws.py").write_text(textwrap.dedent(GRADER))
    [check] = load_checks(tmp_path)["draws"]
    first = _examples(check, 1)
    assert len(first) > 10
    assert _examples(check, 1) == first
    assert _examples(check, 2) != first
