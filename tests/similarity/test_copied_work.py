"""Copies in disguise rank above every pair of independent answers; honest work is not reported."""

from mlmath.notebook import read_notebook
from mlmath.similarity.ranking import THRESHOLD
from mlmath.submissions import answer_cells
from tests.similarity.conftest import compared_class, planted_copies
from tests.similarity.planted_class import ASSIGNMENT, independent_learners
from tests.support import course, release_path


def test_every_planted_pair_ranks_above_every_independent_pair(planted_class):
    exercises = len(course().assignment(ASSIGNMENT).exercises)
    copied = [{copier, original} for copier, (original, _) in planted_copies().items()]
    planted = [p for p in planted_class.pairs if {p.a, p.b} in copied]
    independent = [p for p in planted_class.pairs if {p.a, p.b} not in copied]
    assert len(planted) == 3 * exercises
    assert min(p.score for p in planted) > max(p.score for p in independent)
    assert planted_class.reported == list(planted_class.pairs[:len(planted)])


def test_a_helper_inlined_by_the_copier_is_still_reported(planted_class):
    inlined = next(p for p in planted_class.pairs if p.exercise == "softmax" and "quinn" in (p.a, p.b))
    assert inlined.similarity < 1 and inlined.reported()


def test_a_class_without_copies_reports_no_pair(honest_class):
    assert honest_class.pairs and honest_class.reported == []
    assert max(p.score for p in honest_class.pairs) < THRESHOLD


def test_a_short_function_many_learners_write_alike_does_not_flood_the_list(tmp_path):
    """Eight more learners answer only softmax, each with the same four lines (their names differ)."""
    stubs = {e: cell["source"] for e, cell in answer_cells(read_notebook(release_path(ASSIGNMENT))).items()}
    alike = "def softmax(x, axis=-1):\n    {v} = np.exp(x - np.max(x, axis=axis, keepdims=True))\n" \
            "    return {v} / np.sum({v}, axis=axis, keepdims=True)\n"
    crowd = {f"crowd{n}": stubs | {"softmax": alike.format(v=name)}
             for n, name in enumerate(["e", "ex", "exps", "z", "num", "t", "w", "powers"])}
    result = compared_class(tmp_path, independent_learners(course().assignment(ASSIGNMENT)) | crowd)
    assert result.written["softmax"] == len(crowd) + 12 and result.written["bce_logits"] == 12
    assert result.reported == []
