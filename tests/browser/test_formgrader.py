"""nbgrader's formgrader in headless Chromium, over a class graded by `mlmath autograde`, on a
SQLite and on a PostgreSQL gradebook: it lists the assignment and every submission with the
score the batch recorded, shows a submission's test cells with the check messages the learner
got, and a manual score and extra credit saved there come out of `nbgrader export` — as does
the score a grader gives by hand to a learner's written answer to a question worth points."""

import csv
from concurrent.futures import ThreadPoolExecutor

import pytest
from nbgrader.api import Gradebook

from mlmath.course import load_course
from mlmath.nbgrader_bridge.config import gradebook_url
from mlmath.submissions import example_class
from tests.batch.conftest import DEFAULT_URL, NOTEBOOK, BatchCourse, make_course
from tests.browser.conftest import ARTIFACTS, TOKEN, get_json, needs_chromium, running_jupyterlab, wait
from tests.pipeline.conftest import ASSIGNMENT

pytestmark = needs_chromium
NOTEBOOK_ID = NOTEBOOK.removesuffix(".ipynb")
STUDENT = "mistakes"          # the bundled learner with typical mistakes: partial credit in several cells
EXTRA_CREDIT = ("test_softmax", 1.0)
MANUAL_SCORE = ("test_bce_logits", 3.0)   # that cell's full points, over the autograded partial credit
# a question to think through made worth points in the class's course_config.py (0 in the course),
# answered in words by STUDENT and graded by hand
QUESTION, QUESTION_POINTS, QUESTION_SCORE = "question_softmax_overflow_threshold", 2.0, 1.5
DECLARED, WORTH_POINTS = 'Q("overflow_threshold")', f'Q("overflow_threshold", points={QUESTION_POINTS:g})'
ANSWER = ("float32 tops out near 3.4e38, so exp(x) is inf from x = 88.7 on; float64 reaches 1.8e308, "
          "which exp(x) passes only near x = 709.8.")


def _class_course(root, url) -> BatchCourse:
    """A course copy (``make_course``'s) whose configuration gives QUESTION its points and keeps its
    gradebook at ``url``, with ch04_numerics generated again, into that gradebook."""
    course = make_course(root)          # the SQLite template, generated with the questions at 0 points
    config = root / "course_config.py"
    text = config.read_text()
    assert text.count(DECLARED) == 1
    config.write_text(text.replace(DECLARED, WORTH_POINTS).replace(repr(DEFAULT_URL).replace("'", '"'), repr(url)))
    (root / "gradebook.db").unlink()
    course.url = url
    course.nbgrader("generate_assignment", ASSIGNMENT, "--force")
    return course


def _answered(notebook: dict) -> dict:
    """``notebook`` with ANSWER written in QUESTION's answer cell."""
    [cell] = [c for c in notebook["cells"] if c["metadata"].get("nbgrader", {}).get("grade_id") == QUESTION]
    cell["source"] = ANSWER
    return notebook


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def graded(request, tmp_path_factory):
    """The example class graded by `mlmath autograde` in a copy of the course (QUESTION worth
    points, STUDENT's answer to it written), with JupyterLab
    (and so the formgrader) running over it; yields the course and the formgrader's URL.
    JupyterLab starts while the class is graded: the formgrader opens the gradebook on demand."""
    url = DEFAULT_URL if request.param == "sqlite" else request.getfixturevalue("postgres_url_factory")()
    course = _class_course(tmp_path_factory.mktemp("formgrader") / "course", url)
    for student, notebook in example_class(load_course(course.root), ASSIGNMENT).items():
        course.submit(student, _answered(notebook) if student == STUDENT else notebook)
    with ThreadPoolExecutor(max_workers=1) as pool:
        grading = pool.submit(course.autograde, "--jobs", "2")
        with running_jupyterlab(course.root) as base:
            grading.result()
            yield course, f"{base}/formgrader"


@pytest.fixture(scope="module")
def class_in_formgrader(graded, browser):
    """``graded``, with the browser logged in. At the server's top level, so that the login
    cookie (whose path is the page's folder) goes with every request of the formgrader's pages."""
    browser.get(f"{graded[1]}?token={TOKEN}")
    return graded


def _open_list(browser, url):
    """Open a formgrader page whose table Backbone fills from the REST API, once it is filled."""
    browser.get(url)
    wait(lambda: browser.execute_script("return typeof models !== 'undefined' && models.loaded"),
         what=f"the table of {url}")


def _table(browser, key, value):
    """The rows of the page's table as {text of the ``key`` element: text of the ``value`` element}
    (CSS selectors inside a row; hidden elements count, e.g. names the formgrader hides)."""
    from selenium.webdriver.common.by import By
    return {row.find_element(By.CSS_SELECTOR, key).get_attribute("textContent").strip():
            row.find_element(By.CSS_SELECTOR, value).get_attribute("textContent").strip()
            for row in browser.find_elements(By.CSS_SELECTOR, "#main-table tr")}


def _autograded(course) -> dict[str, dict[str, float]]:
    """Each student's autograded cells and scores, as `mlmath autograde` recorded them in the
    gradebook (cells graded by hand, which have no autograded score, left out)."""
    return {student: {cell: score for cell, score in cells.items() if score is not None}
            for student, cells in course.scores().items()}


def _max_score(course) -> float:
    with Gradebook(gradebook_url(course.url, course.root)) as gradebook:
        return gradebook.find_assignment(ASSIGNMENT).max_score


def _shown(score: float) -> str:
    """A score as the formgrader prints it: rounded to 2 decimals, without trailing zeros."""
    return f"{round(score, 2):g}"


def _open_submission(browser, formgrader, student):
    """From the notebook's list of submissions, the formgrader's view of ``student``'s, with its grades loaded."""
    from selenium.webdriver.common.by import By
    _open_list(browser, f"{formgrader}/gradebook/{ASSIGNMENT}/{NOTEBOOK_ID}")
    link = next(a for a in browser.find_elements(By.CSS_SELECTOR, "td.name a.name-shown")
                if a.get_attribute("textContent") == student)
    browser.get(link.get_attribute("href"))
    wait(lambda: browser.execute_script("return formgrader.grades.loaded"), what=f"{student}'s grades")


def _test_cell(browser, grade_id):
    """The cell of the formgrader's view holding the score input of ``grade_id``."""
    from selenium.webdriver.common.by import By
    return browser.find_element(By.ID, grade_id).find_element(
        By.XPATH, "./ancestor::div[contains(concat(' ', @class, ' '), ' cell ')][1]")


def test_the_assignment_is_listed_with_its_submissions(class_in_formgrader, browser):
    course, formgrader = class_in_formgrader
    ARTIFACTS.mkdir(exist_ok=True)
    _open_list(browser, formgrader)     # redirects to Manage Assignments
    assert browser.current_url.endswith("/formgrader/manage_assignments")
    assert _table(browser, "td.name", "td.num-submissions")[ASSIGNMENT] == str(len(_autograded(course)))
    browser.save_screenshot(str(ARTIFACTS / "formgrader-assignments.png"))


def test_every_submission_shows_the_score_mlmath_autograde_recorded(class_in_formgrader, browser):
    course, formgrader = class_in_formgrader
    maximum = _shown(_max_score(course))
    expected = {student: f"{_shown(sum(cells.values()))} / {maximum}" for student, cells in _autograded(course).items()}
    assert len(set(expected.values())) == 3       # complete, blank and mistakes: three different grades

    _open_list(browser, f"{formgrader}/manage_submissions/{ASSIGNMENT}")
    assert _table(browser, "td.student-id", "td.score") == expected
    browser.save_screenshot(str(ARTIFACTS / "formgrader-submissions.png"))
    _open_list(browser, f"{formgrader}/gradebook/{ASSIGNMENT}/{NOTEBOOK_ID}")    # Manual Grading
    assert _table(browser, "td.name a.name-shown", "td.score") == expected


def test_a_submission_shows_its_checks_in_its_test_cells(class_in_formgrader, browser):
    from selenium.webdriver.common.by import By

    course, formgrader = class_in_formgrader
    scores = _autograded(course)[STUDENT]
    exercises = course.records()[STUDENT].exercises
    assert any(not check["passed"] for exercise in exercises.values() for check in exercise["checks"])
    _open_submission(browser, formgrader, STUDENT)
    for exercise_id, result in exercises.items():
        grade_id = f"test_{exercise_id}"
        cell = _test_cell(browser, grade_id)
        # the score input offers the autograded score, to keep or override
        assert float(cell.find_element(By.ID, grade_id).get_attribute("placeholder")) == pytest.approx(scores[grade_id])
        output = " ".join(cell.find_element(By.CSS_SELECTOR, ".output_wrapper").text.split())
        for check in result["checks"]:
            assert check["name"] in output
            if not check["passed"]:
                assert " ".join(check["message"].split()) in output


def _type_scores(browser, formgrader, typed: dict[str, float], saved_as: dict[tuple[str, str], float]):
    """Type each score into its field of the open submission (leaving a field saves it) and wait
    until the formgrader's API has them: ``saved_as`` maps (cell, grade field) to its value."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    for field_id, value in typed.items():
        field = browser.find_element(By.ID, field_id)
        field.clear()
        field.send_keys(f"{value:g}", Keys.TAB)
    submission_id = browser.execute_script("return submission_id")

    def saved():
        grades = {grade["name"]: grade
                  for grade in get_json(f"{formgrader}/api/grades?submission_id={submission_id}&token={TOKEN}")}
        return all(grades[cell][key] == value for (cell, key), value in saved_as.items())

    wait(saved, seconds=20, what="the scores typed to be saved")


def _screenshot_at(browser, field_id: str, name: str) -> None:
    """Focus a score field (the formgrader scrolls its cell into place, as a grader reviewing it
    would see it) and take a screenshot once the scrolling is over."""
    from selenium.webdriver.common.by import By
    browser.execute_script("arguments[0].focus()", browser.find_element(By.ID, field_id))
    wait(lambda: not browser.execute_script("return $('body, html').is(':animated')"), what="the scrolling")
    browser.save_screenshot(str(ARTIFACTS / name))


def _exported(course) -> dict[str, dict]:
    """`nbgrader export`'s rows, by student."""
    course.nbgrader("export", "--to", "grades.csv")
    with open(course.root / "grades.csv", newline="") as exported:
        return {row["student_id"]: row for row in csv.DictReader(exported)}


def test_a_manual_adjustment_is_saved_and_exported(class_in_formgrader, browser):
    course, formgrader = class_in_formgrader
    before = _autograded(course)
    _open_submission(browser, formgrader, STUDENT)
    extra_credit_field = f"{EXTRA_CREDIT[0]}_extra_credit"
    _type_scores(browser, formgrader, {MANUAL_SCORE[0]: MANUAL_SCORE[1], extra_credit_field: EXTRA_CREDIT[1]},
                 {(EXTRA_CREDIT[0], "extra_credit"): EXTRA_CREDIT[1], (MANUAL_SCORE[0], "manual_score"): MANUAL_SCORE[1]})
    _screenshot_at(browser, extra_credit_field, "formgrader-submission.png")    # docs/formgrader.png, cropped

    raw = {student: float(row["raw_score"]) for student, row in _exported(course).items()}
    adjusted = sum(before[STUDENT].values()) - before[STUDENT][MANUAL_SCORE[0]] + MANUAL_SCORE[1] + EXTRA_CREDIT[1]
    assert raw == pytest.approx({student: adjusted if student == STUDENT else sum(cells.values())
                                 for student, cells in before.items()})


def test_a_written_answer_is_graded_by_hand_and_exported(class_in_formgrader, browser):
    course, formgrader = class_in_formgrader
    assignment = load_course(course.root).assignment(ASSIGNMENT)
    assert _max_score(course) == pytest.approx(assignment.points + QUESTION_POINTS)   # the configured points
    with Gradebook(gradebook_url(course.url, course.root)) as gradebook:
        before = gradebook.find_submission(ASSIGNMENT, STUDENT).score
        question = gradebook.find_grade(QUESTION, NOTEBOOK_ID, ASSIGNMENT, STUDENT)
        assert question.auto_score is None and question.needs_manual_grade     # written: left to a grader
        blank = gradebook.find_grade(QUESTION, NOTEBOOK_ID, ASSIGNMENT, "blank")
        assert blank.auto_score == 0 and not blank.needs_manual_grade          # unanswered: 0, nothing to grade

    _open_submission(browser, formgrader, STUDENT)
    cell = _test_cell(browser, QUESTION)
    assert " ".join(ANSWER.split()) in " ".join(cell.text.split())             # the grader reads the answer
    assert f"/ {QUESTION_POINTS:g}" in cell.text
    _type_scores(browser, formgrader, {QUESTION: QUESTION_SCORE}, {(QUESTION, "manual_score"): QUESTION_SCORE})
    _screenshot_at(browser, QUESTION, "formgrader-question.png")

    row = _exported(course)[STUDENT]
    assert float(row["raw_score"]) == pytest.approx(before + QUESTION_SCORE)
    assert float(row["max_score"]) == pytest.approx(assignment.points + QUESTION_POINTS)
