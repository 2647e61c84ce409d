"""Does the sandbox hold learner code to its limits, and survive it?"""

import time

import numpy as np
import pytest

from mlmath.course import Limits
from mlmath.sandbox.launcher import bwrap_path
from tests.support import ROOT

FAST = Limits(call_seconds=2, cell_seconds=2, submission_seconds=60, memory_mb=1024, processes=16)
needs_bwrap = pytest.mark.skipif(not bwrap_path(), reason="bubblewrap is not installed")


@pytest.fixture
def sandbox():
    from mlmath.sandbox.session import SandboxSession
    sessions = []

    def start(*cells, limits=FAST):
        session = SandboxSession(list(cells), limits)
        sessions.append(session)
        return session

    yield start
    for session in sessions:
        session.close()


def test_functions_get_plain_data_and_report_warnings_and_mutations(sandbox):
    session = sandbox("import numpy as np\ndef f(x):\n    x[0] = 1e308\n    return x * 10")
    outcome = session.call("f", (np.zeros(2),))
    assert outcome.ok and outcome.value.tolist() == [np.inf, 0.0]
    assert outcome.mutated == ["0"]
    assert [category for category, _ in outcome.warnings] == ["RuntimeWarning"]


def test_learner_exceptions_come_back_as_type_and_message(sandbox):
    session = sandbox("class Custom(ValueError): pass\ndef f():\n    raise Custom('bad shape (2, 3)')")
    fault = session.call("f").fault
    assert fault.type == "Custom" and fault.is_a("ValueError") and "bad shape" in fault.message


def test_a_hung_call_times_out_and_the_next_call_gets_a_fresh_worker(sandbox):
    session = sandbox("def hang():\n    while True: pass\ndef ok():\n    return 7")
    start = time.monotonic()
    assert session.call("hang").lost == "timeout"
    assert time.monotonic() - start < FAST.call_seconds + 1.5
    assert session.call("ok").value == 7


def test_a_cell_that_hangs_or_exits_is_dropped_and_the_others_still_run(sandbox):
    session = sandbox("def a():\n    return 1", "while True: pass", "import os\nos._exit(0)",
                      "import sys\ndef b():\n    return 2\nsys.exit(3)")
    assert session.call("a").value == 1 and session.call("b").value == 2
    assert session.lost_cells == {1: "timeout", 2: "crashed"}
    assert session.cell_faults[3].type == "SystemExit"


def test_os_exit_inside_a_function_costs_only_that_call(sandbox):
    session = sandbox("import os\ndef die():\n    os._exit(1)\ndef ok():\n    return 'alive'")
    assert session.call("die").lost == "crashed"
    assert session.call("ok").value == "alive"


def test_memory_is_limited(sandbox):
    session = sandbox("import numpy as np\ndef hog():\n    return np.ones(50 * 2**30 // 8).sum()")
    assert session.call("hog").fault.type == "MemoryError"


def test_printing_and_reading_stdin_do_not_reach_the_grader(sandbox):
    session = sandbox("import sys, os\nprint('18.0')\nos.write(1, b'garbage')\n"
                      "def f():\n    print('score: 18/18'); sys.stdout.flush(); return sys.stdin.read()")
    assert session.call("f").value == ""


def test_forked_children_cannot_answer_for_the_worker(sandbox):
    session = sandbox("import os\ndef fork_and_return():\n    os.fork()\n    return 'x'\ndef g():\n    return 'g'")
    assert session.call("fork_and_return").value == "x"
    assert [session.call("g").value for _ in range(5)] == ["g"] * 5


def test_results_that_are_not_plain_data_are_refused(sandbox):
    session = sandbox("import numpy as np\nclass Fake(np.ndarray):\n    def __eq__(self, other): return True\n"
                      "def f():\n    return np.zeros(3).view(Fake)")
    assert session.call("f").fault.type == "ReturnTypeError"


@needs_bwrap
def test_process_count_is_limited(sandbox):
    session = sandbox("import os, time\ndef bomb():\n    n = 0\n    for _ in range(200):\n"
                      "        try:\n            pid = os.fork()\n        except OSError:\n            return n\n"
                      "        if pid == 0:\n            time.sleep(30)\n            os._exit(0)\n        n += 1\n    return n")
    assert session.call("bomb").value < FAST.processes


@needs_bwrap
@pytest.mark.parametrize("path", ["graders", "source", "course_config.py", "gradebook.db"])
def test_course_files_are_out_of_sight(sandbox, path):
    session = sandbox("import os\ndef exists(p):\n    return os.path.exists(p)")
    assert session.call("exists", (str(ROOT / path),)).value is False


@needs_bwrap
def test_there_is_no_network(sandbox):
    session = sandbox("import socket\ndef connect():\n    socket.create_connection(('127.0.0.1', 22), timeout=1)")
    assert session.call("connect").fault.is_a("OSError")


def test_the_whole_submission_has_a_time_budget(sandbox):
    limits = Limits(call_seconds=1, cell_seconds=1, submission_seconds=2.5)
    session = sandbox("def hang():\n    while True: pass\ndef ok():\n    return 1", limits=limits)
    outcomes = [session.call("hang").lost for _ in range(3)]
    assert outcomes[-1] == "submission-timeout" or session.call("ok").lost == "submission-timeout"


def test_callables_from_the_grader_run_inside_the_sandbox(sandbox):
    import os
    from mlmath.sandbox.wire import SourceFunction
    session = sandbox("def apply(f, x):\n    return f(x)")
    square_sum = SourceFunction("lambda x: np.sum(x ** 2)")
    where = SourceFunction("lambda x: __import__('os').getpid()")
    assert session.call("apply", (square_sum, np.arange(3.0))).value == 5.0
    assert session.call("apply", (where, 0)).value != os.getpid()


def test_learner_code_has_a_private_writable_tmp(sandbox):
    session = sandbox("import os, tempfile\ndef scratch():\n"
                      "    with tempfile.NamedTemporaryFile('w', delete=False) as f:\n        f.write('x')\n"
                      "    return os.path.getsize(f.name)")
    assert session.call("scratch").value == 1


@needs_bwrap
def test_the_private_tmp_is_capped_by_the_course_limit(sandbox):
    """A tmpfs is memory: without a size it could take half the machine's, past RLIMIT_AS."""
    fill = """
def fill():
    written = 0
    for i in range(100):
        try:
            with open(f"/tmp/block{i}", "wb") as handle:
                handle.write(b"x" * (8 << 20))
            written += 8 << 20
        except OSError:
            break
    return written
"""
    limits = Limits(**{**FAST.__dict__, "tmp_mb": 32})
    written = sandbox(fill, limits=limits).call("fill").value
    assert 0 < written <= 32 << 20


def test_a_sandbox_that_cannot_start_is_an_error_not_a_score(sandbox):
    """Too little memory to import NumPy: no learner code has run, so nobody is to blame."""
    from mlmath.sandbox.session import SandboxUnavailable
    limits = Limits(**{**FAST.__dict__, "memory_mb": 24, "startup_seconds": 10})
    with pytest.raises(SandboxUnavailable, match="could not start"):
        sandbox("def f():\n    return 1", limits=limits).call("f")
