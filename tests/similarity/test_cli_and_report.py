"""`mlmath similarity` (table and JSON) and the report's section, on a class with planted copies."""

import json
import re

import pytest

from mlmath.cli.main import main
from mlmath.report.similarity_section import similarity_section
from tests.similarity.conftest import planted_copies
from tests.similarity.planted_class import ASSIGNMENT, independent_learners, write_class
from tests.pipeline.conftest import copy_course
from tests.support import course

HOSTILE_ID = "<script>alert('id')</script>"
HOSTILE_CODE = "</pre><script>document.title='pwned'</script><pre>"


@pytest.fixture(scope="module")
def class_root(tmp_path_factory):
    """The planted class, with a learner and a copier whose id and code are markup."""
    root = copy_course(tmp_path_factory.mktemp("cli"))
    learners = independent_learners(course().assignment(ASSIGNMENT))
    copies = {copier: answers for copier, (_, answers) in planted_copies().items()}
    hostile = {e: s.replace("\n", f"\n    # {HOSTILE_CODE}\n", 1) for e, s in learners["learner05"].items()}
    write_class(root, learners | copies | {HOSTILE_ID.replace("/", "")[:20]: hostile})
    (root / "submitted" / "broken" / ASSIGNMENT).mkdir(parents=True)
    (root / "submitted" / "broken" / ASSIGNMENT / course().assignment(ASSIGNMENT).notebook).write_text("{not json")
    return root


def run_cli(root, monkeypatch, capsys, *args):
    monkeypatch.chdir(root)
    monkeypatch.delenv("MLMATH_COURSE_ROOT", raising=False)
    status = main(["similarity", *args])
    return status, capsys.readouterr()


def test_json_is_one_object_of_ranked_pairs(class_root, monkeypatch, capsys):
    status, out = run_cli(class_root, monkeypatch, capsys, ASSIGNMENT, "--json")
    assert status == 0
    pairs = json.loads(out.out)["pairs"]
    assert all(list(p) == ["exercise", "a", "b", "score"] for p in pairs)
    assert [p["score"] for p in pairs] == sorted((p["score"] for p in pairs), reverse=True)
    copied = {frozenset((copier, original)) for copier, (original, _) in planted_copies().items()}
    assert {frozenset((p["a"], p["b"])) for p in pairs} >= copied
    assert "broken" in out.err


def test_the_table_and_summary(class_root, monkeypatch, capsys):
    status, out = run_cli(class_root, monkeypatch, capsys, ASSIGNMENT)
    assert status == 0
    assert out.out.splitlines()[0].split() == ["score", "similarity", "exercise", "student", "student"]
    assert "NOT READ broken" in out.out and "submission(s) read" in out.out


def test_an_unknown_assignment_exits_2(class_root, monkeypatch, capsys):
    status, out = run_cli(class_root, monkeypatch, capsys, "ch99_nothing")
    assert status == 2 and "unknown assignment" in out.err


def test_the_report_shows_the_top_pairs_side_by_side_escaped(class_root):
    from mlmath.course import load_course
    from mlmath.similarity.compare import compare_class

    course_copy = load_course(class_root)
    result = compare_class(course_copy, course_copy.assignment(ASSIGNMENT), threshold=-1.0)
    page = similarity_section(result)
    assert page.count("class='side-by-side'") == 5
    assert "<mark" in page
    assert not re.findall(r"<script", page, flags=re.IGNORECASE)
    assert "&lt;/pre&gt;&lt;script&gt;" in page or "&lt;script&gt;" in page
