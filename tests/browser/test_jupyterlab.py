"""A learner in a real JupyterLab, driven in headless Chromium: the check cell under an answer
cell shows what is wrong with a softmax, then full marks once it is right."""

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from mlmath.submissions import write_notebook
from tests.pipeline.conftest import ASSIGNMENT, copy_course
from tests.support import ROOT, course, submission

CHROMIUM, CHROMEDRIVER = shutil.which("chromium"), shutil.which("chromedriver")
pytestmark = pytest.mark.skipif(not (CHROMIUM and CHROMEDRIVER),
                                reason="needs Debian's chromium and chromium-driver (make test installs them)")
ARTIFACTS = ROOT / "test-artifacts"
NOTEBOOK = course().assignment(ASSIGNMENT).notebook
TOKEN = "mlmath-browser-test"
WRONG = ["def softmax(x, axis=-1):", "e = np.exp(np.asarray(x, dtype=float))",
         "return e / e.sum(axis=axis, keepdims=True)"]
RIGHT = ["def softmax(x, axis=-1):", "x = np.asarray(x)",
         "x = x.astype(np.float32 if x.dtype == np.float32 else np.float64)",
         "e = np.exp(x - x.max(axis=axis, keepdims=True))",
         "return e / e.sum(axis=axis, keepdims=True)"]


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url):
    with urllib.request.urlopen(url, timeout=5) as response:
        return json.loads(response.read())


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
    settings = root / ".lab-settings" / "@jupyterlab" / "apputils-extension"
    settings.mkdir(parents=True)
    (settings / "notification.jupyterlab-settings").write_text('{"fetchNews": "false"}')
    port = _free_port()
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}",
           "JUPYTER_CONFIG_DIR": str(root / ".jupyter"), "JUPYTERLAB_WORKSPACES_DIR": str(root / ".ws"),
           "JUPYTERLAB_SETTINGS_DIR": str(root / ".lab-settings")}
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", "--allow-root", f"--ServerApp.port={port}",
         "--ServerApp.ip=127.0.0.1", f"--IdentityProvider.token={TOKEN}", f"--ServerApp.root_dir={root}",
         "--LabApp.news_url=", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"],
        cwd=root, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            _get(f"{base}/api/status?token={TOKEN}")
            break
        except OSError:
            time.sleep(0.3)
    yield base
    server.terminate()
    server.wait(timeout=20)


@pytest.fixture(scope="module")
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--no-first-run", "--window-size=1400,1600"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    yield driver
    driver.quit()


def _wait(condition, seconds=90, what="the page"):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            value = condition()
        except Exception:  # the page is still being built
            value = None
        if value:
            return value
        time.sleep(0.25)
    raise AssertionError(f"timed out waiting for {what}")


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

    _wait(attempt, seconds=20, what="a clickable editor")


def _type_answer(driver, lines):
    """Replace the softmax answer cell's code as a learner would: select all, type."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    cell = _wait(lambda: _cell(driver, "def softmax(x, axis=-1):"), what="the softmax answer cell")
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
    _wait(lambda: any(s["kernel"]["execution_state"] == "idle"
                      for s in _get(f"{lab}/api/sessions?token={TOKEN}")), what="an idle kernel")
    _type_answer(browser, WRONG)
    browser.find_element(By.XPATH, "//div[contains(@class,'lm-MenuBar-itemLabel') and text()='Run']").click()
    _wait(lambda: browser.find_element(By.CSS_SELECTOR, "li[data-command='runmenu:run-all']")).click()
    wrong = _wait(lambda: _check_output(browser), what="the softmax check result")
    text = wrong.text
    assert "softmax:" in text and "(hidden graders)" in text
    assert "stable_for_large_inputs" in text and "shift" in text
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", wrong)
    browser.save_screenshot(str(ARTIFACTS / "jupyterlab-check-cell-wrong.png"))

    _type_answer(browser, RIGHT)   # the cursor stays in the answer cell: run it, then its check cell
    ActionChains(browser).key_down(Keys.SHIFT).send_keys(Keys.ENTER).send_keys(Keys.ENTER).key_up(Keys.SHIFT).perform()
    right = _wait(lambda: (box := _check_output(browser)) is not None and "4 / 4" in box.text and box,
                  what="full marks")
    assert "softmax: 4 / 4 (hidden graders)" in right.text
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", right)
    browser.save_screenshot(str(ARTIFACTS / "jupyterlab-check-cell.png"))
