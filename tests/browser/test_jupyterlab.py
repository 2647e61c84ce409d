"""A learner in a real JupyterLab, driven in headless Chromium, on the numerics notebook. The
tests run in order on one open notebook, as one learner works: before softmax is written its
check cell and its picture say so in one line; a wrong softmax gets what is wrong, with how to
fix it folded until asked for; the right one gets full marks and is pictured at work; and an
answer typed into a question's cell is in the notebook once saved."""

import json

import pytest

from mlmath.grading.runner import load_checks
from mlmath.submissions import write_notebook
from tests.browser.conftest import ARTIFACTS, TOKEN, get_json, needs_chromium, running_jupyterlab, wait
from tests.pipeline.conftest import ASSIGNMENT, copy_course
from tests.support import ROOT, course, submission

pytestmark = needs_chromium
NOTEBOOK = course().assignment(ASSIGNMENT).notebook
WRONG = ["def softmax(x, axis=-1):", "e = np.exp(np.asarray(x, dtype=float))",
         "return e / e.sum(axis=axis, keepdims=True)"]
RIGHT = ["def softmax(x, axis=-1):", "x = np.asarray(x)",
         "x = x.astype(np.float32 if x.dtype == np.float32 else np.float64)",
         "e = np.exp(x - x.max(axis=axis, keepdims=True))",
         "return e / e.sum(axis=axis, keepdims=True)"]
CHECK_CELL = "check('softmax', public_checks)"
PICTURE_CELL = 'at_work("softmax", draw)'
NOT_WRITTEN = "write softmax above to see it here"        # mlmath.pictures.at_work's one line
HINTED_CHECK = "stable_for_large_inputs"                  # a check the WRONG softmax fails
QUESTION = "question_softmax_overflow_threshold"
ANSWER = ("In float32 the largest number is about 3.4e38, so e to the x overflows to inf once x passes "
          "about 88.7; float64 reaches 1.8e308, which e to the x only passes near 709.8.")


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """JupyterLab on 127.0.0.1 over a copy of the course whose learner has done everything but
    softmax; yields its URL and the copy's folder."""
    root = copy_course(tmp_path_factory.mktemp("course"))
    notebook = submission(ASSIGNMENT)
    stub = next(c for c in json.loads((ROOT / "release" / ASSIGNMENT / NOTEBOOK).read_text())["cells"]
                if c["metadata"].get("nbgrader", {}).get("grade_id") == "answer_softmax")
    next(c for c in notebook["cells"] if c["metadata"].get("nbgrader", {}).get("grade_id") ==
         "answer_softmax")["source"] = "".join(stub["source"])
    write_notebook(notebook, root / "release" / ASSIGNMENT / NOTEBOOK)
    with running_jupyterlab(root) as base:
        yield base, root


@pytest.fixture(scope="module")
def notebook(lab, browser):
    """The learner's notebook open in the browser, its kernel started; its path in the course copy."""
    base, root = lab
    ARTIFACTS.mkdir(exist_ok=True)
    browser.get(f"{base}/lab/tree/release/{ASSIGNMENT}/{NOTEBOOK}?token={TOKEN}")
    _wait_idle(base)
    return root / "release" / ASSIGNMENT / NOTEBOOK


def _wait_idle(base):
    wait(lambda: any(s["kernel"]["execution_state"] == "idle"
                     for s in get_json(f"{base}/api/sessions?token={TOKEN}")), what="an idle kernel")


def _cell(driver, text):
    from selenium.webdriver.common.by import By
    for cell in driver.find_elements(By.CSS_SELECTOR, ".jp-Notebook .jp-Cell"):
        if text in cell.find_element(By.CSS_SELECTOR, ".jp-InputArea").text:
            return cell
    return None


def _click(driver, element):
    """Click once the element has settled in view (JupyterLab lays cells out lazily)."""
    from selenium.common.exceptions import ElementClickInterceptedException

    def attempt():
        driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
        try:
            element.click()
        except ElementClickInterceptedException:
            return False
        return True

    wait(attempt, seconds=20, what="a clickable editor")


def _type(driver, editor, lines):
    """Replace an editor's text as a learner would: click into it, select all, type."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    _click(driver, editor)
    ActionChains(driver).key_down(Keys.CONTROL).send_keys("a").key_up(Keys.CONTROL).send_keys(Keys.DELETE).perform()
    for number, line in enumerate(lines):
        if number:
            ActionChains(driver).send_keys(Keys.ENTER).perform()
        ActionChains(driver).send_keys(line).perform()


def _type_answer(driver, lines):
    """Replace the softmax answer cell's code as a learner would: select all, type."""
    from selenium.webdriver.common.by import By
    cell = wait(lambda: _cell(driver, "def softmax(x, axis=-1):"), what="the softmax answer cell")
    _type(driver, cell.find_element(By.CSS_SELECTOR, ".cm-content .cm-line"), lines)
    return cell


def _run_cell(driver, text):
    """Click into the code cell holding ``text`` and run it (Ctrl+Enter); the cell."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    cell = wait(lambda: _cell(driver, text), what=f"the cell with {text}")
    _click(driver, cell.find_element(By.CSS_SELECTOR, ".cm-content .cm-line"))
    ActionChains(driver).key_down(Keys.CONTROL).send_keys(Keys.ENTER).key_up(Keys.CONTROL).perform()
    return cell


def _outputs(cell) -> str:
    from selenium.webdriver.common.by import By
    return "\n".join(o.text for o in cell.find_elements(By.CSS_SELECTOR, ".jp-OutputArea-output"))


def _rendered(driver, element) -> str:
    """The text the browser shows (selenium's ``.text`` also counts what a closed <details> hides)."""
    return driver.execute_script("return arguments[0].innerText", element)


def _check_output(driver, stale=None):
    from selenium.webdriver.common.by import By
    boxes = driver.find_elements(By.CSS_SELECTOR, ".mlmath-result[data-exercise='softmax']")
    return boxes[0] if boxes and boxes[0] != stale else None


def _screenshot(driver, element, name):
    """``element`` in the middle of the window, the mouse off the notebook (no row lit by hovering),
    saved as ARTIFACTS / ``name``."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
    ActionChains(driver).move_to_element(driver.find_element(By.CSS_SELECTOR, ".jp-DirListing-content")).perform()
    driver.save_screenshot(str(ARTIFACTS / name))


def _saved_cell(path, grade_id) -> str:
    cell = next(c for c in json.loads(path.read_text())["cells"]
                if c["metadata"].get("nbgrader", {}).get("grade_id") == grade_id)
    return "".join(cell["source"])


def test_before_softmax_is_written_its_check_and_picture_say_so(lab, notebook, browser):
    from selenium.webdriver.common.by import By

    browser.find_element(By.XPATH, "//div[contains(@class,'lm-MenuBar-itemLabel') and text()='Run']").click()
    wait(lambda: browser.find_element(By.CSS_SELECTOR, "li[data-command='runmenu:run-all']")).click()
    box = wait(lambda: _check_output(browser), what="the softmax check result")
    assert "softmax: not implemented yet" in box.text
    # Run All stops at the check cell, in its one-line error; then the learner runs the picture
    check_cell = _cell(browser, CHECK_CELL)
    wait(lambda: "softmax: not implemented yet" in check_cell.find_element(
        By.CSS_SELECTOR, ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']").text,
         what="the check cell's one-line error")
    _wait_idle(lab[0])
    picture = _run_cell(browser, PICTURE_CELL)
    assert wait(lambda: _outputs(picture), what="the picture cell's output") == NOT_WRITTEN
    assert not picture.find_elements(By.CSS_SELECTOR, ".jp-OutputArea img")


def test_a_learner_sees_what_is_wrong(notebook, browser):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    _type_answer(browser, WRONG)   # the cursor stays in the answer cell: run it, then its check cell
    ActionChains(browser).key_down(Keys.SHIFT).send_keys(Keys.ENTER).send_keys(Keys.ENTER).key_up(Keys.SHIFT).perform()
    wrong = wait(lambda: (box := _check_output(browser)) is not None and HINTED_CHECK in box.text and box,
                 what="the softmax check result")
    text = wrong.text
    assert "softmax:" in text and "(hidden graders)" in text
    assert "stable_for_large_inputs" in text and "shift" in text
    _screenshot(browser, wrong, "jupyterlab-check-cell-wrong.png")


def test_how_to_fix_unfolds_when_the_learner_asks(notebook, browser):
    from selenium.webdriver.common.by import By

    [hidden] = [c for c in load_checks(notebook.parents[2] / "graders" / ASSIGNMENT)["softmax"]
                if c.name == HINTED_CHECK]
    row = next(r for r in _check_output(browser).find_elements(By.CSS_SELECTOR, "tr") if HINTED_CHECK in r.text)
    assert hidden.message in row.text                 # first what is wrong ...
    details = row.find_element(By.CSS_SELECTOR, "details")
    summary = details.find_element(By.CSS_SELECTOR, "summary")
    assert summary.text == "how to fix" and details.get_attribute("open") is None
    assert hidden.fix in details.get_attribute("textContent") and hidden.fix not in _rendered(browser, row)
    _click(browser, summary)                          # ... then, when asked, how to fix it
    wait(lambda: hidden.fix in _rendered(browser, details), seconds=20, what="the fix to unfold")
    assert details.get_attribute("open") is not None and hidden.message in row.text
    _screenshot(browser, row, "jupyterlab-hint.png")


def test_full_marks_once_softmax_is_right(notebook, browser):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    _type_answer(browser, RIGHT)   # the cursor stays in the answer cell: run it, then its check cell
    ActionChains(browser).key_down(Keys.SHIFT).send_keys(Keys.ENTER).send_keys(Keys.ENTER).key_up(Keys.SHIFT).perform()
    right = wait(lambda: (box := _check_output(browser)) is not None and "4 / 4" in box.text and box,
                 what="full marks")
    assert "softmax: 4 / 4 (hidden graders)" in right.text
    _screenshot(browser, right, "jupyterlab-check-cell.png")


def test_the_picture_shows_the_learners_softmax_at_work(notebook, browser):
    from selenium.webdriver.common.by import By

    picture = _run_cell(browser, PICTURE_CELL)
    image = wait(lambda: picture.find_element(By.CSS_SELECTOR, ".jp-OutputArea-output img"), what="the picture")
    wait(lambda: browser.execute_script("return arguments[0].complete && arguments[0].naturalWidth > 0", image),
         what="the picture to load")
    assert NOT_WRITTEN not in _outputs(picture)
    _screenshot(browser, image, "jupyterlab-picture.png")


def test_an_answer_typed_into_a_question_cell_is_saved(lab, notebook, browser):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    base, _ = lab
    index = next(i for i, c in enumerate(json.loads(notebook.read_text())["cells"])
                 if c["metadata"].get("nbgrader", {}).get("grade_id") == QUESTION)
    cell = browser.find_elements(By.CSS_SELECTOR, ".jp-Notebook .jp-Cell")[index]
    rendered = cell.find_element(By.CSS_SELECTOR, ".jp-MarkdownOutput")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", rendered)
    assert "jp-MarkdownCell" in cell.get_attribute("class") and rendered.text.strip() == "YOUR ANSWER HERE"
    ActionChains(browser).double_click(rendered).perform()     # a rendered markdown cell opens for editing
    editor = wait(lambda: cell.find_element(By.CSS_SELECTOR, ".cm-content .cm-line"), what="the answer's editor")
    _type(browser, editor, [ANSWER])
    ActionChains(browser).key_down(Keys.SHIFT).send_keys(Keys.ENTER).key_up(Keys.SHIFT).perform()   # render it
    wait(lambda: ANSWER in cell.find_element(By.CSS_SELECTOR, ".jp-MarkdownOutput").text, what="the rendered answer")
    ActionChains(browser).key_down(Keys.CONTROL).send_keys("s").key_up(Keys.CONTROL).perform()

    def saved_through_the_server():
        cells = get_json(f"{base}/api/contents/release/{ASSIGNMENT}/{NOTEBOOK}?content=1&token={TOKEN}")[
            "content"]["cells"]
        return "".join(next(c for c in cells if c["metadata"].get("nbgrader", {}).get("grade_id") == QUESTION)[
            "source"])

    assert wait(lambda: ANSWER in saved_through_the_server(), seconds=30, what="the answer to be saved")
    assert _saved_cell(notebook, QUESTION).strip() == ANSWER     # the file on disk, in the course copy
