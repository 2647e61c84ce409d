"""The gradebook and the batch records on both database backends, PostgreSQL a real server."""

import os
import sys
from pathlib import Path

import pytest
from nbgrader.api import Gradebook, MissingEntry
from sqlalchemy import create_engine, inspect
from sqlalchemy.engine import make_url

from mlmath.batch.records import GradingRecord, read_records, save_records


def record(student: str, score: float = 2.0, status: str = "graded") -> GradingRecord:
    return GradingRecord(
        assignment="ch04_numerics", student=student, status=status,
        reason="" if status == "graded" else "notebook unreadable",
        seconds=1.25, graded_at="2024-05-01T12:00:00+00:00",
        exercises={"softmax": {"score": score, "max": 3.0, "checks": [
            {"name": "large inputs", "passed": False, "weight": 1.0, "message": "overflow: ∞"}]}},
        notes=["a cell hung"])


@pytest.fixture(autouse=True)
def venv_on_path(monkeypatch):
    """A new gradebook runs the `alembic` command: the Makefile puts the venv first on PATH,
    a bare `.venv/bin/python -m pytest` does not."""
    monkeypatch.setenv("PATH", str(Path(sys.executable).parent), prepend=os.pathsep)


@pytest.fixture
def engine(gradebook_url):
    engine = create_engine(gradebook_url)
    yield engine
    engine.dispose()


def test_gradebook_tables_and_a_submission_persist(gradebook_url, engine):
    with Gradebook(gradebook_url) as gradebook:
        assert gradebook.engine.dialect.name == make_url(gradebook_url).get_backend_name()
        gradebook.add_assignment("ps1")
        gradebook.add_notebook("problems", "ps1")
        gradebook.add_grade_cell("softmax", "problems", "ps1", max_score=3, cell_type="code")
        gradebook.add_student("alice", first_name="Alice", last_name="Liddell")
        gradebook.add_submission("ps1", "alice")
        grade = gradebook.find_grade("softmax", "problems", "ps1", "alice")
        grade.auto_score = 2
        gradebook.db.commit()

    tables = set(inspect(engine).get_table_names())
    assert {"assignment", "notebook", "grade_cells", "student", "submitted_assignment",
            "submitted_notebook", "grade", "alembic_version"} <= tables

    # a second gradebook, as the next nbgrader command would open, sees it all
    with Gradebook(gradebook_url) as gradebook:
        submission = gradebook.find_submission("ps1", "alice")
        assert submission.student.first_name == "Alice"
        assert (submission.score, submission.max_score) == (2, 3)
        assert gradebook.assignment_submissions("ps1")[0].student_id == "alice"
        with pytest.raises(MissingEntry):
            gradebook.find_submission("ps1", "bob")


def test_grading_records_round_trip_and_replace(engine):
    with engine.begin() as connection:
        save_records(connection, [record("bob"), record("alice", status="failed")])
    with engine.begin() as connection:
        save_records(connection, [record("bob", score=3.0)])      # regraded: replaces the row
        assert read_records(connection, "ch04_numerics") == [
            record("alice", status="failed"), record("bob", score=3.0)]
        assert read_records(connection, "ch01_other") == []


def test_grading_records_roll_back_with_their_transaction(engine):
    with engine.begin() as connection:
        save_records(connection, [record("alice")])
    with pytest.raises(ZeroDivisionError):
        with engine.begin() as connection:
            save_records(connection, [record("alice", score=0.0), record("bob")])
            1 / 0       # grading crashes after the records were written: none may remain
    with engine.connect() as connection:
        assert read_records(connection, "ch04_numerics") == [record("alice")]
