"""The course as a website, built as `make site` builds it and read in headless Chromium: every
chapter page loads with its figures drawn and its math typeset, and nothing a learner must not
see — reference solutions, hidden graders — reaches any file of the site.

The proof of the last point: a marker is planted in every solution region of the source
notebooks and in every grader file of a copy of the course, release/ is generated there again,
and the site is built from that copy. Leaves test-artifacts/site-chapter.png."""

import functools
import http.server
import sys
import threading
from pathlib import Path

import pytest

from mlmath.notebook import read_notebook
from tests.browser.conftest import ARTIFACTS, browser, needs_chromium, wait  # noqa: F401 (a fixture)
from tests.pipeline.conftest import copy_course, run
from tests.support import ROOT, course

SOLUTION_MARKER = "PLANTED-SOLUTION-TEXT-5c0e"
GRADER_MARKER = "PLANTED-GRADER-SOURCE-a7b3"
CHAPTERS = [a.id for a in course().assignments]


def plant_markers(root: Path) -> None:
    """SOLUTION_MARKER right after every ``### BEGIN SOLUTION`` of the source notebooks (answer
    code and model answers in words alike), GRADER_MARKER at the end of every grader file."""
    for notebook in (root / "source").glob("*/*.ipynb"):
        text = notebook.read_text()
        # inside the JSON string of a cell source: a line of its own after the marker line
        notebook.write_text(text.replace('### BEGIN SOLUTION\\n', f'### BEGIN SOLUTION\\n{SOLUTION_MARKER}\\n'))
        assert SOLUTION_MARKER in notebook.read_text(), f"no solution region in {notebook}"
    for grader in (root / "graders").glob("*/test_*.py"):
        with open(grader, "a") as handle:
            handle.write(f"\n# {GRADER_MARKER}\n")


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """The site's build folder, built from a course copy whose solutions and graders are marked."""
    root = copy_course(tmp_path_factory.mktemp("course"))
    plant_markers(root)
    for chapter in CHAPTERS:
        run([sys.executable, "-m", "nbgrader", "generate_assignment", chapter, "--force", "--log-level=WARN"], root)
    out = root / "site-build"
    run([sys.executable, "-m", "mlmath.website", "--root", str(root), "--site", str(ROOT / "site"),
         "--out", str(out)], root)
    return out


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def served(site):
    """The built site over HTTP on 127.0.0.1, as a host would serve it; its base URL."""
    handler = functools.partial(QuietHandler, directory=str(site / "html"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def figure_count(site: Path, chapter: str) -> int:
    """How many figures the chapter drew when the site ran it (its staged page notebook)."""
    page = read_notebook(site / "pages" / "chapters" / f"{chapter}.ipynb")
    return sum("image/png" in output.get("data", {})
               for cell in page["cells"] for output in cell.get("outputs", []))


def test_no_built_file_holds_solution_or_grader_text(site):
    files = [path for path in site.rglob("*") if path.is_file()]
    assert len(files) > 100, "the site was not built"
    for path in files:
        content = path.read_bytes()
        for forbidden in (SOLUTION_MARKER, GRADER_MARKER, "BEGIN SOLUTION", "BEGIN HIDDEN TESTS"):
            assert forbidden.encode() not in content, f"{forbidden!r} leaked into {path.relative_to(site)}"


@needs_chromium
@pytest.mark.parametrize("chapter", CHAPTERS)
def test_every_chapter_page_loads_with_its_figures_and_typeset_math(chapter, site, served, browser):
    from selenium.webdriver.common.by import By

    browser.get(f"{served}/chapters/{chapter}.html")
    assert browser.find_element(By.CSS_SELECTOR, "article h1").text.startswith(f"Chapter {int(chapter[2:4])}")
    assert browser.find_elements(By.CSS_SELECTOR, "article .note a[href$='running-a-chapter.html']"), \
        "a chapter page says where to run it"
    wait(lambda: browser.execute_script(
        "return window.MathJax && MathJax.startup && MathJax.startup.document"
        " && document.querySelectorAll('mjx-container').length > 0"), seconds=60, what="MathJax")
    browser.execute_script("return MathJax.startup.promise")   # every equation typeset
    math = browser.execute_script(
        "const spans = Array.from(document.querySelectorAll('.math'));"
        "return [spans.length, spans.filter(m => !m.querySelector('mjx-container')).map(m => m.textContent),"
        "        document.querySelectorAll('mjx-merror').length]")
    assert math[0] > 10, "a chapter page with hardly any math"
    assert not math[1], f"equations left as TeX: {math[1][:3]}"
    assert math[2] == 0, "MathJax could not typeset some TeX"

    images = wait(lambda: browser.execute_script(
        "const imgs = Array.from(document.querySelectorAll('.cell_output img'));"
        "return imgs.every(i => i.complete) && imgs.map(i => [i.naturalWidth, i.naturalHeight])"),
        seconds=30, what="the figures")
    assert len(images) == figure_count(site, chapter) > 0
    assert all(width > 100 and height > 100 for width, height in images), images

    checks = browser.find_elements(By.CSS_SELECTOR, ".cell.tag_skip-execution")
    assert len(checks) == len(course().assignment(chapter).exercises), "a check cell per exercise"
    assert all("check(" in cell.text and not cell.find_elements(By.CSS_SELECTOR, ".cell_output")
               for cell in checks), "the check cells are shown, never run"
    outputs = "\n".join(output.text for output in browser.find_elements(By.CSS_SELECTOR, ".cell_output"))
    for run_output in ("not implemented yet", "CheckFailed", "Traceback (most recent call last)"):
        assert run_output not in outputs, f"a page shows {run_output!r}"
    if chapter == "ch04_numerics":
        ARTIFACTS.mkdir(exist_ok=True)
        browser.execute_script("Array.from(document.querySelectorAll('h2')).find(h => h.textContent.includes("
                               "'softmax')).closest('section').querySelector('.cell_output img')"
                               ".scrollIntoView({block: 'center'})")
        browser.save_screenshot(str(ARTIFACTS / "site-chapter.png"))


@needs_chromium
def test_the_front_page_leads_to_every_chapter_and_to_running_one_locally(served, browser):
    from selenium.webdriver.common.by import By

    browser.get(f"{served}/index.html")
    links = {a.get_attribute("href").rsplit("/", 1)[-1]
             for a in browser.find_elements(By.CSS_SELECTOR, "article a.reference.internal")}
    assert {f"{chapter}.html" for chapter in CHAPTERS} | {"running-a-chapter.html"} <= links
    browser.get(f"{served}/running-a-chapter.html")
    text = browser.find_element(By.CSS_SELECTOR, "article").text
    assert "mlmath check release/ch04_numerics/numerics.ipynb" in text
    assert "jupyter lab release/" in text
