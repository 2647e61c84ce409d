"""The report opened from disk in headless Chromium: charts load, tables are there, learners'
markup stays text. Leaves a full-page screenshot in test-artifacts/report.png."""

import base64
from pathlib import Path

import pytest

from tests.browser.conftest import ARTIFACTS, browser, needs_chromium  # noqa: F401 (a fixture)
from tests.pipeline.conftest import run
from tests.report.conftest import (ASSIGNMENT, HOSTILE, HOSTILE_FAILED_STUDENT, HOSTILE_STUDENT, MLMATH,
                                   UNREADABLE)

pytestmark = needs_chromium
PAGE_WIDTH = 1100


@pytest.fixture(scope="module")
def page(report_class) -> Path:
    return Path(run([*MLMATH, "report", ASSIGNMENT], report_class).stdout.strip())


def open_page(driver, path: Path) -> None:
    driver.set_window_size(PAGE_WIDTH, 1000)
    driver.get(path.as_uri())
    assert driver.execute_script("return document.readyState") == "complete"


def rows(driver, table_id: str) -> list[str]:
    from selenium.webdriver.common.by import By
    return [row.text for row in driver.find_elements(By.CSS_SELECTOR, f"#{table_id} tbody tr")]


def save_full_page(driver, path: Path) -> None:
    """The whole page, not just the window: Chromium's DevTools capture beyond the viewport."""
    height = driver.execute_script("return document.documentElement.scrollHeight")
    shot = driver.execute_cdp_cmd("Page.captureScreenshot", {
        "format": "png", "captureBeyondViewport": True,
        "clip": {"x": 0, "y": 0, "width": PAGE_WIDTH, "height": height, "scale": 1}})
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(base64.b64decode(shot["data"]))


def test_the_report_opens_from_disk_with_its_charts_and_tables(page, browser):
    from selenium.webdriver.common.by import By

    open_page(browser, page)
    images = browser.execute_script(
        "return Array.from(document.images).map(i => [i.complete, i.naturalWidth, i.closest('section').id])")
    assert [section for _, _, section in images] == ["scores", "exercises", "timing"]
    assert all(complete and width > 0 for complete, width, _ in images), images
    assert "Histogram of total scores" in browser.find_element(By.CSS_SELECTOR, "#scores img").get_attribute("alt")
    assert "Mean" in browser.find_element(By.CSS_SELECTOR, "#scores .summary").text
    assert [r.split()[0] for r in rows(browser, "exercise-table")] == \
        ["float_bits", "bfloat16", "softmax", "log_softmax", "bce_logits", "grad_unscale"]
    assert len(rows(browser, "misconception-table")) >= 10
    assert rows(browser, "not-implemented-table")
    assert [r.split()[0] for r in rows(browser, "failures-table")] == [UNREADABLE]
    assert len(rows(browser, "slowest-table")) == 5
    save_full_page(browser, ARTIFACTS / "report.png")


def test_learners_markup_is_shown_as_text_and_never_runs(hostile_page, browser):
    from selenium.webdriver.common.by import By

    open_page(browser, hostile_page)            # an <img onerror> or a <script> that ran would show here
    assert browser.title == f"{ASSIGNMENT} — mlmath class report"
    assert browser.execute_script("return document.scripts.length") == 0
    text = browser.find_element(By.TAG_NAME, "body").text
    for shown in (HOSTILE, HOSTILE_STUDENT, HOSTILE_FAILED_STUDENT, f"<marquee>{HOSTILE}</marquee>"):
        assert shown in text, shown
