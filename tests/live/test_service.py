"""The warm grader that `mlmath check` and check cells share: started by the first check, reused by
the next, the same grades as a cold `mlmath check`, gone when stopped or idle."""

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import pytest

from mlmath import service_client
from mlmath.grading.service import serve
from mlmath.submissions import write_notebook
from tests.live.test_live import ASSIGNMENT, NO_SHIFT
from tests.support import ROOT, course, submission, warm_grader_pids

NOTEBOOK = course().assignment(ASSIGNMENT).notebook


@pytest.fixture
def warm(monkeypatch):
    """The warm grader on, with sockets in a folder of this test's own (short: a socket's path
    is at most 107 bytes); stopped afterwards."""
    runtime = Path(tempfile.mkdtemp(prefix="mlmath-rt-"))
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime))
    monkeypatch.setenv("MLMATH_WARM_GRADER", "1")
    yield runtime / "mlmath"
    service_client.stop(ROOT)
    shutil.rmtree(runtime)


@pytest.fixture
def wrong_softmax(tmp_path):
    return write_notebook(submission(ASSIGNMENT, {"softmax": NO_SHIFT.source}), tmp_path / NOTEBOOK)


def _check(notebook: Path, *options: str, warm: str = "1") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "mlmath.cli.main", "check", str(notebook), *options],
                          capture_output=True, text=True, cwd=ROOT, env={**os.environ, "MLMATH_WARM_GRADER": warm})


def test_checks_after_the_first_are_answered_by_one_warm_grader_with_cold_grades(warm, wrong_softmax):
    first = _check(wrong_softmax, "--json")
    pids = warm_grader_pids(warm)
    assert len(pids) == 1, "the first check starts one warm grader"
    second = _check(wrong_softmax, "--json")
    assert warm_grader_pids(warm) == pids
    cold = _check(wrong_softmax, "--json", warm="0")
    assert first.returncode == second.returncode == cold.returncode == 0
    assert json.loads(first.stdout) == json.loads(second.stdout) == json.loads(cold.stdout)
    assert json.loads(first.stdout)["exercises"]["softmax"]["score"] < 4


def test_what_cannot_be_graded_is_said_the_same_way_and_the_grader_goes_on(warm, tmp_path, wrong_softmax):
    missing = _check(tmp_path / NOTEBOOK.replace(".ipynb", "-missing.ipynb"), "--assignment", ASSIGNMENT)
    assert missing.returncode == 2 and "no such file" in missing.stderr and not missing.stdout
    assert _check(wrong_softmax, "--exercise", "softmax").returncode == 0
    assert len(warm_grader_pids(warm)) == 1


def test_a_warm_grader_that_died_is_started_again(warm, wrong_softmax):
    assert _check(wrong_softmax, "--json", "--exercise", "softmax").returncode == 0
    for pid in warm_grader_pids(warm):
        os.kill(pid, 9)
    again = _check(wrong_softmax, "--json", "--exercise", "softmax")
    assert again.returncode == 0 and json.loads(again.stdout)["exercises"]["softmax"]["max"] == 4
    assert len(warm_grader_pids(warm)) == 1


def test_stop_ends_the_warm_grader(warm, wrong_softmax):
    _check(wrong_softmax, "--exercise", "softmax")
    assert service_client.stop(ROOT)
    assert not service_client.stop(ROOT)


def test_an_idle_grader_exits_and_a_request_that_is_not_one_is_refused(tmp_path):
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(str(tmp_path / "s"))
    listener.listen(1)
    server = threading.Thread(target=serve, args=(listener, 2.0))
    server.start()
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
        client.connect(str(tmp_path / "s"))
        client.sendall(b"[1, 2]\n")
        assert json.loads(client.makefile().readline()) == {"ok": False, "error": "not a request"}
    server.join(timeout=30)
    assert not server.is_alive()
