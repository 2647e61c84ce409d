"""Filling nbgrader's configuration from the course configuration."""

from __future__ import annotations

from pathlib import Path

from mlmath.course import load_course
from mlmath.nbgrader_bridge.schema_once import check_schema_once

#: nbgrader's own autograde steps, with Execute (which runs learner code in a
#: kernel and trusts what it prints) replaced by trusted grading in a sandbox.
#: nbgrader's sanitizing steps, restoring every deleted grade cell (see overwrite_cells).
SANITIZE_PREPROCESSORS = [
    "nbgrader.preprocessors.ClearOutput",
    "nbgrader.preprocessors.DeduplicateIds",
    "nbgrader.preprocessors.OverwriteKernelspec",
    "mlmath.nbgrader_bridge.overwrite_cells.RestoreAllCells",
    "nbgrader.preprocessors.CheckCellMetadata",
]

AUTOGRADE_PREPROCESSORS = [
    "mlmath.nbgrader_bridge.preprocessor.GradeInSandbox",
    "nbgrader.preprocessors.IgnorePattern",
    "nbconvert.preprocessors.ClearMetadataPreprocessor",
    "nbgrader.preprocessors.LimitOutput",
    "nbgrader.preprocessors.SaveAutoGrades",
    "nbgrader.preprocessors.AssignLatePenalties",
    "nbgrader.preprocessors.CheckCellMetadata",
]


def generate_preprocessors() -> list:
    """nbgrader's release steps, preceded by one that sets the questions' points from the course."""
    from nbgrader.converters import GenerateAssignment

    from mlmath.nbgrader_bridge.question_points import QuestionPoints
    return [QuestionPoints, *GenerateAssignment.class_traits()["preprocessors"].default()]


def gradebook_url(url: str, root: Path) -> str:
    """A relative SQLite path is taken relative to the course root, wherever nbgrader runs."""
    prefix = "sqlite:///"
    if url.startswith(prefix) and not url[len(prefix):].startswith("/"):
        return prefix + str(root / url[len(prefix):])
    return url


def configure(c, course_root: Path) -> None:
    """Set nbgrader's traits on the config object ``c`` of ``nbgrader_config.py``."""
    course = load_course(Path(course_root))
    check_schema_once()
    c.CourseDirectory.root = str(course.root)
    c.CourseDirectory.course_id = course.id
    c.CourseDirectory.db_url = gradebook_url(course.gradebook_url, course.root)
    c.Autograde.sanitize_preprocessors = SANITIZE_PREPROCESSORS
    c.Autograde.autograde_preprocessors = AUTOGRADE_PREPROCESSORS
    c.Autograde.create_student = True
    c.GenerateAssignment.preprocessors = generate_preprocessors()
    c.QuestionPoints.course_root = str(course.root)
    # hidden checks live in graders/, never in notebooks; this stays as a safety net
    c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
