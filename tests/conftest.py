"""Fixtures shared by the whole suite."""

import hashlib
import os
from contextlib import ExitStack

import pytest

from tests.postgres_server import PostgresUnavailable, new_database, postgres_server

# Each copy of the course a test grades would start a warm grader (mlmath.grading.service) that
# outlives the test by minutes; the tests about the warm grader turn it on for themselves.
os.environ["MLMATH_WARM_GRADER"] = "0"
# The suite runs two test processes on two cores: the kernels and commands they start keep to one
# BLAS thread each (with more, a cell of 500 determinants took 60 s instead of 4 on a busy machine).
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
# Every course a test grades draws the same hidden inputs on every clone: a check whose verdict
# depends on the secret is found by benchmarks/secret_sweep.py, not by a CI run that turns red by
# chance.  (The secret-file tests unset it for themselves.)
os.environ["MLMATH_COURSE_SECRET"] = hashlib.sha256(b"the mlmath test suite").hexdigest()


@pytest.fixture(scope="session")
def postgres_url_factory():
    """A callable giving the URL of a fresh, empty database on one private PostgreSQL
    server, started the first time a test asks for it; skips when PostgreSQL is not installed."""
    with ExitStack() as stack:
        try:
            url = stack.enter_context(postgres_server())
        except PostgresUnavailable as error:
            pytest.skip(str(error))
        yield lambda: new_database(url)


@pytest.fixture(params=["sqlite", "postgresql"], ids=["sqlite", "postgresql"])
def gradebook_url(request, tmp_path):
    """The URL of an empty gradebook database, on each backend nbgrader may be given."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'gradebook.db'}"
    # asked for here only, so that the SQLite runs neither start nor wait for a server
    return request.getfixturevalue("postgres_url_factory")()
