"""A zygote kept from one submission to the next (mlmath autograde, the warm grader): the next
submission is graded exactly as in a sandbox of its own, whatever the last one did."""

import textwrap

import pytest

from mlmath.grading.grade import grade_cells
from mlmath.notebook import runnable_cells
from mlmath.sandbox import session
from mlmath.sandbox.launcher import bwrap_path
from mlmath.sandbox.session import Sandbox, start_zygote, warm_zygotes
from tests.engine.test_hostile_replies import WRITE_EVERYWHERE, _frame
from tests.engine.test_tampering import ASSIGNMENT, FAST, HOSTILE
from tests.support import submission

pytestmark = pytest.mark.skipif(not bwrap_path(), reason="zygotes are kept only under bubblewrap")

EXERCISES = {"softmax", "log_softmax"}
ENDED = _frame('b"\\x81\\xa5ended\\x00"')   # {"ended": 0}, as the zygote says it
STRAY = """
if os.fork() == 0:
    os.setsid()
    import time
    time.sleep(0.3)
    _write_everywhere(_frame)
    while True:
        pass
"""
AFTER_A_CALL = {   # the softmax call's process forges the end of the exercise, in several ways
    "forges-its-end-and-exits": ENDED + "_write_everywhere(_frame)\nos._exit(0)\n",
    "leaves-half-a-frame": "_write_everywhere(struct.pack('>I', 100) + b'\\x81')\nos._exit(0)\n",
    "leaves-a-process-that-forges-later": ENDED + STRAY + "os._exit(0)\n",
}


def _in_call(body: str) -> str:
    return WRITE_EVERYWHERE + "def softmax(x, axis=-1):\n" + textwrap.indent(body, "    ")


def _grade(answers: dict[str, str] | None):
    notebook = submission(ASSIGNMENT, answers)
    assignment = FAST.assignment(ASSIGNMENT)
    return grade_cells(runnable_cells(notebook), FAST, assignment, assignment.notebook, EXERCISES)


def _summary(report):
    return {eid: (e.score, [(c.name, c.passed, c.message) for c in e.checks])
            for eid, e in report.exercises.items()}, report.faults


@pytest.fixture(scope="module")
def cold_complete():
    return _summary(_grade(None))


HOSTILE_BEFORE = {**{f"cell-{name}": textwrap.dedent(source) for name, source in HOSTILE.items()
                     if name in ("patches-builtins", "prints-fake-scores", "forks-many-processes",
                                 "os-exit-at-top-level")},
                  **{f"call-{name}": _in_call(body) for name, body in AFTER_A_CALL.items()}}


@pytest.mark.parametrize("case", sorted(HOSTILE_BEFORE))
def test_after_a_hostile_submission_the_next_is_graded_as_in_a_fresh_sandbox(case, cold_complete):
    with warm_zygotes():
        _grade({"softmax": HOSTILE_BEFORE[case]})
        assert _summary(_grade(None)) == cold_complete


def test_an_honest_submission_leaves_its_zygote_to_the_next():
    with warm_zygotes():
        with Sandbox(FAST.limits) as first:
            with first.session(["def f():\n    import os\n    return os.getppid()\n"]) as exercise:
                zygote = exercise.call("f").value
        with Sandbox(FAST.limits) as second:
            with second.session(["def f():\n    import os\n    return os.getppid()\n"]) as exercise:
                assert exercise.call("f").value == zygote
    assert not session._park.idle, "kept zygotes are stopped when the block ends"


def test_a_zygote_started_ahead_serves_the_first_submission_and_none_outlives_the_block():
    start_zygote(FAST.limits)
    assert not session._park.idle, "outside warm_zygotes() nothing is kept to start ahead"
    with warm_zygotes():
        start_zygote(FAST.limits)
        (ahead, _), = session._park.idle.values()
        start_zygote(FAST.limits)   # one is parked already: no second one
        assert [zygote for zygote, _ in session._park.idle.values()] == [ahead]
        with Sandbox(FAST.limits) as sandbox:
            with sandbox.session(["def f():\n    return 1\n"]) as exercise:
                assert exercise.call("f").value == 1 and sandbox.started_zygote() is ahead
    assert not session._park.idle and ahead.process.poll() is not None


def test_no_zygote_is_started_ahead_where_none_would_be_kept(monkeypatch):
    monkeypatch.setenv("MLMATH_SANDBOX", "rlimits")   # the resource-limits-only sandbox
    started = []
    monkeypatch.setattr(session, "_Worker", lambda *args: started.append(args))
    with warm_zygotes():
        start_zygote(FAST.limits)
    assert not started


def test_each_exercise_has_a_tmp_of_its_own():
    """A tmpfs of its own over the sandbox's /tmp (two mounts at /tmp in its mount table): what
    one exercise wrote there, the next one never sees."""
    report = ("import os\ndef f():\n"
              "    mounts = [line.split()[4] for line in open('/proc/self/mountinfo')]\n"
              "    return mounts.count('/tmp'), 'first' in os.listdir('/tmp'), os.getcwd()\n")
    with Sandbox(FAST.limits) as sandbox:
        outcomes = []
        for source in ("open('/tmp/first', 'w').write('x')\n" + report, report):
            with sandbox.session([source]) as exercise:
                outcomes.append(exercise.call("f").value)
    assert outcomes == [(2, True, "/tmp"), (2, False, "/tmp")]
