"""Faulty submissions never stop a batch and never lose a submission.

One class — a good submission plus one student per fault — is autograded once
(``mlmath autograde --jobs 2``); each test then looks at that one run: the
gradebook's scores, the ``mlmath_grading`` records, the end summary the
instructor reads and the ``autograded/`` folder.  Every faulty submission gets
0 where its fault costs points, with a reason the instructor sees, and every
other exercise and submission is graded as if nothing had happened.
"""

from __future__ import annotations

import copy
import json
import os
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest
import sqlalchemy
from nbgrader.api import Gradebook
from nbgrader.preprocessors import DeduplicateIds

from mlmath.batch.records import GradingRecord, read_records
from mlmath.nbgrader_bridge.config import gradebook_url
from tests.batch.conftest import NOTEBOOK, BatchCourse, make_course
from tests.pipeline.conftest import ASSIGNMENT
from tests.support import release_path, submission

POINTS = {"float_bits": 2, "bfloat16": 3, "softmax": 4, "log_softmax": 4, "bce_logits": 3,
          "grad_unscale": 2}
FULL = {f"test_{exercise}": float(points) for exercise, points in POINTS.items()}
ZERO = {cell: 0.0 for cell in FULL}
ODD_NAME = "numerics (1).ipynb"
ODD_STUDENT = "José María"
HUGE_OUTPUT_MB = 100

WRONG_SOFTMAX = "def softmax(x, axis=-1):\n    return np.zeros(np.shape(x))\n"
HANG_ON_CALL = "def softmax(x, axis=-1):\n    while True:\n        pass\n"
FORK_BOMB = "import os\nwhile True:\n    os.fork()\n"
# 300 nested extension types written onto the reply pipe: crashed the grading process once
REPLY_BOMB = """
import os, struct
_payload = b"\\x90"
for _ in range(300):
    _payload = b"\\xc9" + struct.pack(">I", len(_payload)) + b"\\x03" + _payload
for _fd in range(3, 64):
    try:
        os.write(_fd, struct.pack(">I", len(_payload)) + _payload)
    except OSError:
        pass
"""
# non-daemon spinning threads, then a reply whose error is a string: left sandboxes alive once
FORGED_REPLY = """
import os, struct, threading
def _spin():
    while True:
        pass
for _ in range(2):
    threading.Thread(target=_spin).start()
_one = lambda k: b"\\x82\\xa4cell" + bytes([k]) + b"\\xa5error\\xa4boom"
for _fd in range(3, 64):
    try:
        os.write(_fd, b"".join(struct.pack(">I", len(_one(k))) + _one(k) for k in range(40)))
    except OSError:
        pass
"""


def but(**cells: float) -> dict[str, float]:
    """Full marks except for the given grade cells."""
    return {**FULL, **cells}


# -- building the faulty notebooks ---------------------------------------------------
def complete() -> dict:
    return submission(ASSIGNMENT)


def answer(exercise: str) -> str:
    """The reference answer cell of ``exercise``."""
    cell = cells_by_id(complete())[f"answer_{exercise}"]
    return "".join(cell["source"])


def grade_id(cell: dict) -> str | None:
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")


def cells_by_id(nb: dict) -> dict[str, dict]:
    return {grade_id(cell): cell for cell in nb["cells"] if grade_id(cell)}


def position(nb: dict, cell_id: str) -> int:
    return next(i for i, cell in enumerate(nb["cells"]) if grade_id(cell) == cell_id)


def without(cell_id: str) -> dict:
    nb = complete()
    del nb["cells"][position(nb, cell_id)]
    return nb


def duplicated_softmax(first: str, second: str) -> dict:
    """Two answer cells ``answer_softmax``, one after the other, with these sources."""
    nb = complete()
    index = position(nb, "answer_softmax")
    copy_cell = copy.deepcopy(nb["cells"][index])
    nb["cells"][index]["source"] = first
    copy_cell["source"] = second
    nb["cells"].insert(index + 1, copy_cell)
    return nb


def renamed(cell_id: str, new_id: str) -> dict:
    nb = complete()
    nb["cells"][position(nb, cell_id)]["metadata"]["nbgrader"]["grade_id"] = new_id
    return nb


def answers_last() -> dict:
    """Every answer cell moved to the very end, after all the check cells."""
    nb = complete()
    answers = [cell for cell in nb["cells"] if str(grade_id(cell)).startswith("answer_")]
    nb["cells"] = [cell for cell in nb["cells"] if cell not in answers] + answers
    return nb


def checks_first() -> dict:
    """Each check cell just before its answer cell."""
    nb = complete()
    for exercise in POINTS:
        test = nb["cells"].pop(position(nb, f"test_{exercise}"))
        nb["cells"].insert(position(nb, f"answer_{exercise}"), test)
    return nb


def kernelspec(spec: dict | None) -> dict:
    nb = complete()
    if spec is None:
        del nb["metadata"]["kernelspec"]
    else:
        nb["metadata"]["kernelspec"] = spec
    return nb


def huge_output() -> bytes:
    """A complete notebook with HUGE_OUTPUT_MB of printed text in a demonstration cell."""
    nb = complete()
    demo = next(cell for cell in nb["cells"] if cell["cell_type"] == "code" and not grade_id(cell))
    line = "x" * 99 + "\n"
    demo["outputs"] = [{"output_type": "stream", "name": "stdout",
                        "text": line * (HUGE_OUTPUT_MB * 10_000)}]
    return json.dumps(nb).encode()


def with_answers(**sources: str) -> dict:
    return submission(ASSIGNMENT, answers=sources)



def build_class(course: BatchCourse) -> None:
    course.submit("good")
    good = json.dumps(complete()).encode()
    course.submit("corrupt_json", good[:len(good) // 2])
    course.submit("other_assignment", release_path("ch01_linear_algebra").read_bytes())
    course.submit("deleted_check_cell", without("test_softmax"))
    course.submit("deleted_answer_cell", without("answer_softmax"))
    course.submit("duplicate_wrong_then_right", duplicated_softmax(WRONG_SOFTMAX, answer("softmax")))
    course.submit("duplicate_right_then_wrong", duplicated_softmax(answer("softmax"), WRONG_SOFTMAX))
    course.submit("renamed_check_cell", renamed("test_softmax", "test_my_softmax"))
    course.submit("renamed_answer_cell", renamed("answer_softmax", "answer_my_softmax"))
    course.submit("answers_last", answers_last())
    course.submit("checks_first", checks_first())
    course.submit("no_kernelspec", kernelspec(None))
    course.submit("r_kernelspec", kernelspec({"name": "ir", "language": "R", "display_name": "R"}))
    course.submit("huge_output", huge_output())
    course.submit("hung_cell", with_answers(softmax="while True:\n    pass\n\n" + answer("softmax")))
    course.submit("hung_function", with_answers(softmax=HANG_ON_CALL))
    course.submit("memory_hog", with_answers(
        softmax="too_big = np.ones(10**10)\n\n" + answer("softmax"),
        bce_logits=answer("bce_logits").replace('    """\n', '    """\n    np.ones(10**10)\n', 1)))
    course.submit("fork_bomb", with_answers(softmax=FORK_BOMB + "\n" + answer("softmax")))
    course.submit("reply_bomb", with_answers(softmax=REPLY_BOMB + "\n" + answer("softmax")))
    course.submit("forged_reply", with_answers(softmax=FORGED_REPLY + "\n" + answer("softmax")))
    no_notebook = course.submit("no_notebook", b"")
    (no_notebook / NOTEBOOK).unlink()
    (no_notebook / "README.txt").write_text("I could not finish, sorry.\n")
    course.submit("odd_filename", name=ODD_NAME)
    course.submit(ODD_STUDENT)


STUDENTS = ["good", "corrupt_json", "other_assignment", "deleted_check_cell", "deleted_answer_cell",
            "duplicate_wrong_then_right", "duplicate_right_then_wrong", "renamed_check_cell",
            "renamed_answer_cell", "answers_last", "checks_first", "no_kernelspec", "r_kernelspec",
            "huge_output", "hung_cell", "hung_function", "memory_hog", "fork_bomb", "reply_bomb",
            "forged_reply", "no_notebook", "odd_filename", ODD_STUDENT]


# -- the processes of one batch ------------------------------------------------------
def process_table() -> dict[int, tuple[int, int, str]]:
    """pid -> (parent pid, uid, command name) of every process on the machine, from ``ps``."""
    listing = subprocess.run(["ps", "-eo", "pid=,ppid=,uid=,comm="], capture_output=True, text=True,
                             check=True).stdout
    table = {}
    for line in listing.splitlines():
        pid, ppid, uid, *comm = line.split(None, 3)
        table[int(pid)] = (int(ppid), int(uid), comm[0] if comm else "")
    return table


def _cwd(pid: int) -> str:
    try:
        return os.readlink(f"/proc/{pid}/cwd")
    except OSError:
        return ""


def batch_processes(root: Path, table: dict | None = None) -> dict[int, tuple[int, int, str]]:
    """The processes of this course's batch: those working in the course folder (the CLI, its
    grading processes, the bwrap they start) and everything started under them (the sandboxes)."""
    table = process_table() if table is None else table
    inside = {pid for pid in table if _cwd(pid) == str(root) or _cwd(pid).startswith(f"{root}/")}

    def ours(pid: int) -> bool:
        seen = set()
        while pid in table and pid not in seen:
            if pid in inside:
                return True
            seen.add(pid)
            pid = table[pid][0]
        return False

    return {pid: row for pid, row in table.items() if ours(pid)}


class ProcessWatch(threading.Thread):
    """Samples the batch's processes while it runs: the uids its sandboxes ran as, and
    whether bwrap was seen at all (so that "nothing left" is not vacuous)."""

    def __init__(self, root: Path):
        super().__init__(daemon=True)
        self.root = root
        self.sandbox_uids: set[int] = set()
        self.saw_bwrap = False
        self.most_sandboxes = 0     # the most bwrap processes alive at one sample
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(0.5):
            processes = batch_processes(self.root).values()
            self.most_sandboxes = max(self.most_sandboxes, sum(comm == "bwrap" for _, _, comm in processes))
            for _, uid, comm in processes:
                self.saw_bwrap |= comm == "bwrap"
                if uid != os.getuid():
                    self.sandbox_uids.add(uid)

    def leftovers(self) -> dict[int, tuple[int, int, str]]:
        """Processes of the batch, or of a uid its sandboxes used, still alive now."""
        table = process_table()
        left = batch_processes(self.root, table)
        left.update({pid: row for pid, row in table.items() if row[1] in self.sandbox_uids})
        return left


# -- one batch over the whole class --------------------------------------------------
@dataclass
class Batch:
    course: BatchCourse
    result: subprocess.CompletedProcess
    scores: dict[str, dict[str, float | None]]
    records: dict[str, GradingRecord]
    record_list: list[GradingRecord]
    gradebook_students: list[str]
    huge_output_bytes: int
    watch: ProcessWatch
    leftovers: dict[int, tuple[int, int, str]]

    def autograded(self, student: str) -> Path:
        return self.course.root / "autograded" / student / ASSIGNMENT / NOTEBOOK

    def autograded_cells(self, student: str) -> dict[str, dict]:
        return cells_by_id(json.loads(self.autograded(student).read_text(encoding="utf-8")))

    def summary_line(self, student: str) -> str:
        return next((line for line in self.result.stdout.splitlines()
                     if line.startswith(f"  {student}: ")), "")

    def messages(self, student: str, exercise: str) -> list[str]:
        return [check["message"] for check in self.records[student].exercises[exercise]["checks"]]


def _leftovers_after(watch: ProcessWatch, grace: float = 30.0) -> dict:
    """What is left of the batch once killed processes had a moment to be reaped."""
    deadline = time.monotonic() + grace
    while (left := watch.leftovers()) and time.monotonic() < deadline:
        time.sleep(0.5)
    return left


@pytest.fixture(scope="module")
def batch(tmp_path_factory) -> Batch:
    course = make_course(tmp_path_factory.mktemp("faults") / "course")
    build_class(course)
    huge = course.root / "submitted" / "huge_output" / ASSIGNMENT / NOTEBOOK
    huge_bytes = huge.stat().st_size
    watch = ProcessWatch(course.root.resolve())
    watch.start()
    try:
        result = course.autograde("--jobs", "2", check=False)
    finally:
        watch.done.set()
        watch.join()
    huge.unlink()   # 100 MB less in the kept temporary folders
    leftovers = _leftovers_after(watch)
    engine = sqlalchemy.create_engine(gradebook_url(course.url, course.root))
    try:
        with engine.begin() as connection:
            record_list = read_records(connection, ASSIGNMENT)
    finally:
        engine.dispose()
    with Gradebook(gradebook_url(course.url, course.root)) as gradebook:
        students = [s.student_id for s in gradebook.assignment_submissions(ASSIGNMENT)]
    return Batch(course, result, course.scores(), course.records(), record_list, students,
                 huge_bytes, watch, leftovers)


# -- the batch as a whole -------------------------------------------------------------
def test_the_batch_succeeds_and_loses_nobody(batch):
    assert batch.result.returncode == 0, batch.result.stdout + batch.result.stderr
    assert sorted(batch.gradebook_students) == sorted(STUDENTS)
    assert sorted(r.student for r in batch.record_list) == sorted(STUDENTS)
    assert batch.result.stdout.startswith(
        f"{ASSIGNMENT}: {len(STUDENTS)} graded (4 with a notebook that could not be graded), "
        "0 already graded, 0 not graded")
    assert "NOT graded" not in batch.result.stdout


def test_every_submission_is_published_and_no_staging_folder_remains(batch):
    for student in STUDENTS:
        folder = batch.course.root / "autograded" / student
        assert [p.name for p in folder.iterdir() if p.name.startswith(".")] == [], student
        assert batch.autograded(student).is_file(), student


def test_the_good_submission_gets_full_marks(batch):
    assert batch.scores["good"] == FULL
    record = batch.records["good"]
    assert (record.status, record.reason, record.notes) == ("graded", "", [])
    assert sum(e["score"] for e in record.exercises.values()) == 18


def assert_failed(batch: Batch, student: str, reason: str) -> None:
    """0 everywhere, the reason in the record, the summary and the learner's feedback."""
    assert batch.scores[student] == ZERO
    record = batch.records[student]
    assert record.status == "failed"
    assert reason in record.reason
    assert batch.summary_line(student) == f"  {student}: {record.reason}"
    for cell_id in FULL:
        feedback = json.dumps(batch.autograded_cells(student)[cell_id]["outputs"])
        assert reason in feedback, cell_id


# -- 1-2: not a notebook of this assignment ------------------------------------------
def test_corrupt_json_scores_zero_with_the_reason(batch):
    assert_failed(batch, "corrupt_json", "numerics.ipynb is not a readable notebook")


def test_another_assignments_notebook_scores_zero_with_the_reason(batch):
    assert_failed(batch, "other_assignment", "is it another assignment's notebook?")


# -- 3: deleted grade cells -------------------------------------------------------------
def test_a_deleted_check_cell_is_restored_and_graded(batch):
    assert batch.scores["deleted_check_cell"] == FULL
    assert batch.records["deleted_check_cell"].status == "graded"
    assert "test_softmax" in batch.autograded_cells("deleted_check_cell")


def test_a_deleted_answer_cell_costs_its_exercise_only(batch):
    assert batch.scores["deleted_answer_cell"] == but(test_softmax=0.0)
    assert batch.records["deleted_answer_cell"].status == "graded"
    assert all("no answer cell defines softmax" in m for m in batch.messages("deleted_answer_cell", "softmax"))


# -- 4: a duplicated answer cell ----------------------------------------------------------
def test_a_duplicated_answer_cell_is_graded_by_its_last_copy(batch):
    # nbgrader's DeduplicateIds walks the cells *backwards* and keeps the nbgrader metadata
    # of the first cell it meets with an id — the LAST one in notebook order; the earlier
    # copies lose their metadata and become ordinary cells, which are not run.  So the last
    # copy is the answer, as when the notebook runs top to bottom (the last def wins).
    nb = nbformat.from_dict(duplicated_softmax(WRONG_SOFTMAX, answer("softmax")))
    nb, _ = DeduplicateIds().preprocess(nb, {})
    first, last = (cell for cell in nb.cells if "def softmax" in cell.source)
    assert first.metadata.nbgrader == {} and last.metadata.nbgrader["grade_id"] == "answer_softmax"

    assert batch.scores["duplicate_wrong_then_right"] == FULL
    assert batch.scores["duplicate_right_then_wrong"] == but(test_softmax=0.0)
    for student in ("duplicate_wrong_then_right", "duplicate_right_then_wrong"):
        record = batch.records[student]
        assert (record.status, record.reason, record.notes) == ("graded", "", [])
        assert list(batch.autograded_cells(student)).count("answer_softmax") == 1


# -- 5: a renamed grade cell ----------------------------------------------------------------
def test_a_renamed_check_cell_is_ignored_and_the_real_one_restored(batch):
    # A grade id the gradebook does not know is not a cell of the assignment (nbgrader's
    # OverwriteCells drops it); the cell becomes an ordinary one and test_softmax is put back
    # from the gradebook, as if deleted.  Grading is by function: full marks.
    assert batch.scores["renamed_check_cell"] == FULL
    assert batch.records["renamed_check_cell"].status == "graded"
    cells = batch.autograded_cells("renamed_check_cell")
    assert "test_softmax" in cells and "test_my_softmax" not in cells


def test_a_renamed_answer_cell_is_not_an_answer(batch):
    # The same rule for an answer cell: with an unknown id it is an ordinary cell, not run,
    # so nothing defines softmax — 0 for softmax with that reason, every other exercise graded.
    assert batch.scores["renamed_answer_cell"] == but(test_softmax=0.0)
    assert batch.records["renamed_answer_cell"].status == "graded"
    assert all("no answer cell defines softmax" in m for m in batch.messages("renamed_answer_cell", "softmax"))
    assert "answer_my_softmax" not in batch.autograded_cells("renamed_answer_cell")


# -- 6-8: order, kernelspec and outputs do not matter ------------------------------------------
@pytest.mark.parametrize("student", ["answers_last", "checks_first"])
def test_reordered_cells_are_graded_in_full(batch, student):
    assert batch.scores[student] == FULL
    assert batch.records[student].status == "graded"


@pytest.mark.parametrize("student", ["no_kernelspec", "r_kernelspec"])
def test_the_kernelspec_is_reset_from_the_gradebook(batch, student):
    assert batch.scores[student] == FULL
    autograded = json.loads(batch.autograded(student).read_text(encoding="utf-8"))
    assert autograded["metadata"]["kernelspec"] == complete()["metadata"]["kernelspec"]


def test_a_huge_output_is_cleared(batch):
    assert batch.huge_output_bytes > HUGE_OUTPUT_MB * 10**6
    assert batch.scores["huge_output"] == FULL
    assert batch.autograded("huge_output").stat().st_size < 10**6


# -- 9-11: learner code that hangs, eats memory, forks ---------------------------------------
def test_a_hung_answer_cell_costs_its_exercise_with_a_note(batch):
    assert batch.scores["hung_cell"] == but(test_softmax=0.0)
    record = batch.records["hung_cell"]
    assert record.status == "graded"
    assert record.notes == ["cell answer_softmax did not finish in time and was skipped"]
    assert batch.summary_line("hung_cell") == f"  hung_cell: {record.notes[0]}"


def test_a_function_that_never_returns_costs_its_exercise(batch):
    assert batch.scores["hung_function"] == but(test_softmax=0.0)
    assert batch.records["hung_function"].status == "graded"
    assert all("softmax did not finish within 10 s" in m for m in batch.messages("hung_function", "softmax"))


def test_exhausting_memory_costs_only_the_exercises_that_do(batch):
    # top level in answer_softmax (the cell fails before its def) and inside bce_with_logits
    assert batch.scores["memory_hog"] == but(test_softmax=0.0, test_bce_logits=0.0)
    assert batch.records["memory_hog"].status == "graded"
    for exercise in ("softmax", "bce_logits"):
        assert all("MemoryError" in m for m in batch.messages("memory_hog", exercise)), exercise


def test_a_fork_bomb_costs_its_exercise_and_leaves_no_process(batch):
    assert batch.scores["fork_bomb"] == but(test_softmax=0.0)
    record = batch.records["fork_bomb"]
    assert record.status == "graded"
    # the cell either ends the sandboxed process or fails once the process cap is reached
    assert all("the answer cell that defines softmax" in m for m in batch.messages("fork_bomb", "softmax"))
    assert all("answer_softmax" in note for note in record.notes)
    assert batch.watch.saw_bwrap and batch.watch.sandbox_uids   # the watch saw the sandboxes
    assert batch.leftovers == {}


@pytest.mark.parametrize("student", ["reply_bomb", "forged_reply"])
def test_a_forged_reply_costs_its_exercise_and_no_sandbox_outlives_its_submission(batch, student):
    assert batch.scores[student] == but(test_softmax=0.0)
    assert batch.records[student].status == "graded"
    assert any("answer_softmax" in note and "not a reply" in note for note in batch.records[student].notes)
    # --jobs 2: one sandbox (two bwrap processes: bwrap and its init) per grading process, and
    # briefly a second while one is replaced; sandboxes that outlived their submission once made 90
    assert batch.watch.most_sandboxes <= 8


# -- 12-13: the wrong files ------------------------------------------------------------------------
def test_a_folder_without_a_notebook_scores_zero_with_the_reason(batch):
    reason = "no notebook named numerics.ipynb was submitted (found: README.txt)"
    assert_failed(batch, "no_notebook", reason)
    assert batch.records["no_notebook"].reason == reason


def test_an_odd_file_name_scores_zero_naming_what_was_found(batch):
    reason = f"no notebook named numerics.ipynb was submitted (found: {ODD_NAME})"
    assert_failed(batch, "odd_filename", reason)
    assert batch.records["odd_filename"].reason == reason


def test_an_odd_student_id_is_graded_under_that_id(batch):
    assert batch.scores[ODD_STUDENT] == FULL
    assert batch.records[ODD_STUDENT].status == "graded"
    with Gradebook(gradebook_url(batch.course.url, batch.course.root)) as gradebook:
        assert gradebook.find_submission(ASSIGNMENT, ODD_STUDENT).score == 18
