"""`mlmath autograde --scheduler`: the same batch on a Dask cluster, surviving a dead worker."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from tests.batch.conftest import make_course
from tests.batch.test_autograde import class_of
from tests.pipeline.conftest import ASSIGNMENT

distributed = pytest.importorskip("distributed")


@pytest.fixture
def cluster():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as local_cluster:
        yield local_cluster


def test_scores_on_a_cluster_equal_a_local_run(tmp_path, cluster):
    students = class_of(6)
    on_cluster, local = make_course(tmp_path / "cluster"), make_course(tmp_path / "local")
    for student, notebook in students.items():
        on_cluster.submit(student, notebook)
        local.submit(student, notebook)
    result = on_cluster.autograde("--scheduler", cluster.scheduler_address)
    assert "6 graded" in result.stdout
    local.autograde("--jobs", "2")
    assert on_cluster.scores() == local.scores()
    assert len(on_cluster.scores()) == 6


def test_a_worker_killed_mid_batch_loses_and_doubles_nothing(tmp_path, cluster):
    students = class_of(10)
    course = make_course(tmp_path / "course")
    for student, notebook in students.items():
        course.submit(student, notebook)
    env = {**os.environ, "PATH": f"{os.path.dirname(sys.executable)}:{os.environ['PATH']}"}
    batch = subprocess.Popen(
        [sys.executable, "-m", "mlmath.cli.main", "autograde", ASSIGNMENT, "--scheduler", cluster.scheduler_address],
        cwd=course.root, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    with distributed.Client(cluster.scheduler_address) as client:
        deadline = time.monotonic() + 300
        while not any(client.processing().values()) and time.monotonic() < deadline:
            time.sleep(0.05)
        busy = next(address for address, tasks in client.processing().items() if tasks)
        pid = client.run(os.getpid, workers=[busy])[busy]
        os.kill(pid, signal.SIGKILL)  # the nanny starts a new worker; its tasks go elsewhere
    out, err = batch.communicate(timeout=600)
    assert batch.returncode == 0, out + err
    assert "10 graded" in out
    scores, records = course.scores(), course.records()
    assert set(scores) == set(records) == set(students)
    assert all(None not in cells.values() for cells in scores.values())
    complete = [s for s in students if int(s[-2:]) % 4 == 0]
    assert all(sum(scores[s].values()) == 18 for s in complete)
