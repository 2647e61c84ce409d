"""A learner in a real JupyterLab, driven in headless Chromium: the check cell under an answer
cell shows what is wrong with a softmax, then full marks once it is right."""

import json

import pytest

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


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """JupyterLab on 127.0.0.1 over a copy of the course whose learner has done everything but softmax."""
    root = copy_course(tmp_path_factory.mktemp("course"))
    notebook = submission(ASSIGNMENT)
    stub = next(c for c in json.loads((ROOT / "release" / ASSIGNMENT / NOTEBOOK).read_text())["cells"]
                if c["metadata"].get("nbgrader", {}).get("grade_id") == "answer_softmax")
    next(c for c in notebook["cells"] if c["metadata"].get("nbgrader", {}).get("grade_id") ==
         "answer_softmax")["source"] = "".join(stub["source"])
    write_notebook(notebook, root / "release" / ASSIGNMENT / NOTEBOOK)
    with running_jupyterlab(root) as base:
        yield base


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


def _type_answer(driver, lines):
    """Replace the softmax answer cell's code as a learner would: select all, type."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    cell = wait(lambda: _cell(driver, "def softmax(x, axis=-1):"), what="the softmax answer cell")
    _click(driver, cell.find_element(By.CSS_SELECTOR, ".cm-content .cm-line"))
    ActionChains(driver).key_down(Keys.CONTROL).send_keys("a").key_up(Keys.CONTROL).send_keys(Keys.DELETE).perform()
    for number, line in enumerate(lines):
        if number:
            ActionChains(driver).send_keys(Keys.ENTER).perform()
        ActionChains(driver).send_keys(line).perform()
    return cell


def _check_output(driver, stale=None):
    from selenium.webdriver.common.by import By
    boxes = driver.find_elements(By.CSS_SELECTOR, ".mlmath-result[data-exercise='softmax']")
    return boxes[0] if boxes and boxes[0] != stale else None


def test_a_learner_sees_what_is_wrong_and_then_full_marks(lab, browser):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    ARTIFACTS.mkdir(exist_ok=True)
    browser.get(f"{lab}/lab/tree/release/{ASSIGNMENT}/{NOTEBOOK}?token={TOKEN}")
    wait(lambda: any(s["kernel"]["execution_state"] == "idle"
                     for s in get_json(f"{lab}/api/sessions?token={TOKEN}")), what="an idle kernel")
    _type_answer(browser, WRONG)
    browser.find_element(By.XPATH, "//div[contains(@class,'lm-MenuBar-itemLabel') and text()='Run']").click()
    wait(lambda: browser.find_element(By.CSS_SELECTOR, "li[data-command='runmenu:run-all']")).click()
    wrong = wait(lambda: _check_output(browser), what="the softmax check result")
    text = wrong.text
    assert "softmax:" in text and "(hidden graders)" in text
    assert "stable_for_large_inputs" in text and "shift" in text
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", wrong)
    browser.save_screenshot(str(ARTIFACTS / "jupyterlab-check-cell-wrong.png"))

    _type_answer(browser, RIGHT)   # the cursor stays in the answer cell: run it, then its check cell
    ActionChains(browser).key_down(Keys.SHIFT).send_keys(Keys.ENTER).send_keys(Keys.ENTER).key_up(Keys.SHIFT).perform()
    right = wait(lambda: (box := _check_output(browser)) is not None and "4 / 4" in box.text and box,
                 what="full marks")
    assert "softmax: 4 / 4 (hidden graders)" in right.text
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", right)
    browser.save_screenshot(str(ARTIFACTS / "jupyterlab-check-cell.png"))
