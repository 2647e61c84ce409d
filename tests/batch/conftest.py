"""A course copy with ch04_numerics generated, submissions written to order, batches run for real."""

from __future__ import annotations

import atexit
import json
import shutil
import sys
import tempfile
from functools import lru_cache
from pathlib import Path

import pytest
import sqlalchemy
from nbgrader.api import Gradebook

from mlmath.batch.records import GradingRecord, read_records
from mlmath.nbgrader_bridge.config import gradebook_url
from tests.pipeline.conftest import ASSIGNMENT, copy_course, run
from tests.support import submission

NOTEBOOK = "numerics.ipynb"


class BatchCourse:
    """A throw-away course whose gradebook lives at ``url``."""

    def __init__(self, root: Path, url: str):
        self.root = root
        self.url = url

    def submit(self, student: str, notebook: dict | bytes | None = None, name: str = NOTEBOOK,
               timestamp: str | None = None) -> Path:
        """Put a submission under submitted/<student>/ch04_numerics/ (the complete one by default)."""
        folder = self.root / "submitted" / student / ASSIGNMENT
        folder.mkdir(parents=True, exist_ok=True)
        data = notebook if isinstance(notebook, bytes) else json.dumps(
            notebook if notebook is not None else submission(ASSIGNMENT)).encode()
        (folder / name).write_bytes(data)
        if timestamp:
            (folder / "timestamp.txt").write_text(timestamp)
        return folder

    def autograde(self, *args: str, check: bool = True, **kwargs):
        return run([sys.executable, "-m", "mlmath.cli.main", "autograde", ASSIGNMENT, *args],
                   self.root, check=check, **kwargs)

    def nbgrader(self, *args: str):
        return run([sys.executable, "-m", "nbgrader", *args], self.root)

    def scores(self) -> dict[str, dict[str, float | None]]:
        """Every submission's auto score per test cell, as the gradebook holds them (the
        questions' answer cells are graded by hand)."""
        with Gradebook(gradebook_url(self.url, self.root)) as gradebook:
            return {s.student_id: {g.name: g.auto_score for nb in s.notebooks for g in nb.grades
                                   if g.name.startswith("test_")}
                    for s in gradebook.assignment_submissions(ASSIGNMENT)}

    def records(self) -> dict[str, GradingRecord]:
        engine = sqlalchemy.create_engine(gradebook_url(self.url, self.root))
        try:
            with engine.begin() as connection:
                return {r.student: r for r in read_records(connection, ASSIGNMENT)}
        finally:
            engine.dispose()


DEFAULT_URL = "sqlite:///gradebook.db"


@lru_cache(maxsize=None)
def _generated_template() -> Path:
    """One course copy with ch04_numerics generated into a SQLite gradebook, made once per session."""
    root = Path(tempfile.mkdtemp(prefix="mlmath-batch-template-"))
    atexit.register(shutil.rmtree, root, True)
    copy_course(root)
    BatchCourse(root, DEFAULT_URL).nbgrader("generate_assignment", ASSIGNMENT, "--force")
    return root


def make_course(root: Path, url: str = DEFAULT_URL) -> BatchCourse:
    """A fresh course with ch04_numerics generated into the gradebook at ``url``."""
    shutil.copytree(_generated_template(), root)
    if url == DEFAULT_URL:
        return BatchCourse(root, url)
    (root / "gradebook.db").unlink()
    config = root / "course_config.py"
    config.write_text(config.read_text().replace(repr(DEFAULT_URL).replace("'", '"'), repr(url)))
    course = BatchCourse(root, url)
    course.nbgrader("generate_assignment", ASSIGNMENT, "--force")
    return course


@pytest.fixture
def batch_course(tmp_path) -> BatchCourse:
    return make_course(tmp_path / "course")
