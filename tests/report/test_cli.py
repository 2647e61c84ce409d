"""`mlmath report ASSIGNMENT [--out DIR]`: one self-contained page, its path printed."""

import re

from tests.pipeline.conftest import copy_course, run
from tests.report.conftest import ASSIGNMENT, MLMATH


def test_the_report_goes_under_reports_by_default_and_its_path_is_printed(report_class):
    result = run([*MLMATH, "report", ASSIGNMENT], report_class)
    page = report_class / "reports" / ASSIGNMENT / "index.html"
    assert result.stdout.strip() == str(page.resolve()) and page.is_file()


def test_the_page_is_self_contained(report_class, tmp_path):
    run([*MLMATH, "report", ASSIGNMENT, "--out", str(tmp_path / "out")], report_class)
    page = (tmp_path / "out" / "index.html").read_text()
    assert page.count("<img src='data:image/png;base64,") == 3
    assert re.findall(r"(?:src|href)=(?!'data:image/png;base64,)", page) == []
    assert "<script" not in page and "<link" not in page and "@import" not in page
    for section in ("header", "scores", "exercises", "misconceptions", "problems", "timing"):
        assert f"id='{section}'" in page, section


def test_an_unknown_assignment_or_a_missing_gradebook_is_refused(tmp_path):
    root = copy_course(tmp_path)
    unknown = run([*MLMATH, "report", "ch99_nothing"], root, check=False)
    assert unknown.returncode == 2 and "unknown assignment 'ch99_nothing'" in unknown.stderr
    missing = run([*MLMATH, "report", ASSIGNMENT], root, check=False)
    assert missing.returncode == 2 and "no gradebook" in missing.stderr
    assert not (root / "gradebook.db").exists() and not (root / "reports").exists()
