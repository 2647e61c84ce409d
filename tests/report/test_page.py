"""Rendering edge cases, from hand-made reports: a class nobody has submitted to yet."""

from mlmath.report.html import render
from mlmath.report.model import ClassReport, ExerciseStats
from mlmath.report.plots import charts


def test_a_class_without_submissions_gets_a_page_without_charts():
    empty = ClassReport(course="mlmath", assignment="ch04_numerics", points=18, generated="today",
                        submissions=0, scores=(), exercises=(ExerciseStats("softmax", 4, 0.0, 0.0),))
    assert charts(empty) == {}
    page = render(empty, charts(empty))
    assert "The gradebook has no submissions yet." in page and "<img" not in page
    assert "no grading records" in page
