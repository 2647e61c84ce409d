"""Can what a submission sends out of its sandbox hurt the grader? Each case writes forged or
oversized frames onto the worker's reply pipe (or leaves processes behind): the `softmax`
exercise must score 0, every other exercise must be graded normally, the grading process must
survive, and no process of the sandbox may outlive the grading."""

import os
import textwrap
from pathlib import Path

import pytest

from mlmath.sandbox.launcher import WORKER_DIR, bwrap_path, uids_given
from tests.engine.test_tampering import FAST, WRONG_SOFTMAX, _assert_contained, _grade_with_softmax_cell

#: writes ``frame`` (bytes, length prefix included) on every descriptor the cell can reach
WRITE_EVERYWHERE = """
import os, struct
def _write_everywhere(frame):
    for fd in range(3, 64):
        try:
            os.write(fd, frame)
        except OSError:
            pass
"""


def _frame(payload: str) -> str:
    """Source building a length-prefixed frame around the msgpack bytes ``payload`` builds."""
    return f"_payload = {payload}\n_frame = struct.pack('>I', len(_payload)) + _payload\n"


NESTED_EXTENSIONS = """
_payload = b"\\x90"
for _ in range(300):   # 300 tuples, each an extension type holding the next
    _payload = b"\\xc9" + struct.pack(">I", len(_payload)) + b"\\x03" + _payload
_frame = struct.pack(">I", len(_payload)) + _payload
"""
MILLIONS_OF_EMPTY_LISTS = _frame('b"\\xdd" + struct.pack(">I", 20_000_000) + b"\\x90" * 20_000_000')
# {"cell": k, "error": "boom"} for every cell index: an error that is a string, not a mapping
ERROR_IS_A_STRING = """
_one = lambda k: b"\\x82\\xa4cell" + bytes([k]) + b"\\xa5error\\xa4boom"
_frame = b"".join(struct.pack(">I", len(_one(k))) + _one(k) for k in range(40))
"""
ANNOUNCES_TWO_GIGABYTES = "_frame = struct.pack('>I', 2**31)\n"
SPINNING_THREADS = """
import threading
def _spin():
    while True:
        pass
for _ in range(2):
    threading.Thread(target=_spin).start()   # not daemons: they would keep a process alive
"""

AT_CELL_RUN = {
    "nested-extension-types": NESTED_EXTENSIONS,
    "millions-of-empty-lists": MILLIONS_OF_EMPTY_LISTS,
    "error-is-a-string": ERROR_IS_A_STRING,
    "announces-two-gigabytes": ANNOUNCES_TWO_GIGABYTES,
    "error-is-a-string-with-spinning-threads": SPINNING_THREADS + ERROR_IS_A_STRING,
}


def _at_cell_run(frame_source: str) -> str:
    return WRITE_EVERYWHERE + frame_source + "_write_everywhere(_frame)\n" + WRONG_SOFTMAX


def _in_call(frame_source: str) -> str:
    body = textwrap.indent(frame_source + "_write_everywhere(_frame)\nreturn np.zeros(np.shape(x))\n", "    ")
    return WRITE_EVERYWHERE + "def softmax(x, axis=-1):\n" + body


def _ours(pid: int) -> bool:
    """Started by this test process: one of its descendants, or running as a uid the launcher
    gives this process's sandboxes (a process whose parents died is no descendant any more)."""
    try:
        if (Path("/proc") / str(pid)).stat().st_uid in uids_given():
            return True
        while pid > 1:
            pid = int((Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[1])
            if pid == os.getpid():
                return True
    except (OSError, ValueError, IndexError):
        pass
    return False


def sandbox_processes() -> list[int]:
    """Every live process of this test's sandboxes (the worker, or bwrap starting it)."""
    worker = str(WORKER_DIR / "worker.py").encode()
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and int(entry.name) != os.getpid():
            try:
                if worker in (entry / "cmdline").read_bytes() and _ours(int(entry.name)):
                    found.append(int(entry.name))
            except OSError:
                pass
    return found


@pytest.mark.parametrize("case", sorted(AT_CELL_RUN))
def test_a_forged_reply_at_cell_run_costs_its_exercise_only(case):
    report = _grade_with_softmax_cell(_at_cell_run(AT_CELL_RUN[case]))
    _assert_contained(report)
    assert any("answer_softmax" in fault and "not a reply" in fault for fault in report.faults), report.faults
    assert sandbox_processes() == []


@pytest.mark.parametrize("case", ["nested-extension-types", "millions-of-empty-lists", "announces-two-gigabytes"])
def test_a_forged_reply_during_a_call_costs_its_exercise_only(case):
    report = _grade_with_softmax_cell(_in_call(AT_CELL_RUN[case]))
    _assert_contained(report)
    assert any("softmax" in fault and "not a reply" in fault for fault in report.faults), report.faults
    assert sandbox_processes() == []


@pytest.mark.skipif(not bwrap_path(), reason="without bubblewrap a process in a new session can escape")
def test_no_sandbox_process_outlives_a_class_of_hostile_notebooks():
    """Spinning non-daemon threads, forked children in new sessions, forged replies: after each
    notebook is graded, not one process of its sandbox is left."""
    forks = """
        import os
        for _ in range(5):
            if os.fork() == 0:
                os.setsid()
                while True:
                    pass
    """
    for source in (SPINNING_THREADS + WRONG_SOFTMAX, textwrap.dedent(forks) + WRONG_SOFTMAX,
                   _at_cell_run(SPINNING_THREADS + ERROR_IS_A_STRING),
                   _in_call(SPINNING_THREADS + NESTED_EXTENSIONS)):
        _grade_with_softmax_cell(source)
        assert sandbox_processes() == []

