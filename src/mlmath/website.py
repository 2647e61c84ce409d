"""The course as a website: the release notebooks, run, as the pages of a Sphinx + MyST-NB site.

    python -m mlmath.website            # site/_build/html/index.html (what `make site` runs)

Only ``release/<assignment>/<notebook>`` is read — never ``source/`` or ``graders/`` — so
nothing a learner must not see can reach a page.  Each chapter is run once, in a fresh
kernel, the way a class copy of ``release/`` would run it: in a scratch copy of its release
folder, with the course repository out of the kernel's reach (``MLMATH_COURSE_ROOT`` names
the scratch folder, which holds no ``course_config.py``), so that e.g. ``reveal`` says the
model answers are not here rather than look for them.

What runs, and what a page shows:

* every explanation, demonstration and plot cell, so each figure is on the page;
* the answer cells as released: the stubs define the learner's functions, so a "your code at
  work" cell below a check says in one line what to write first;
* not the check cells: on a page they could only say "not implemented yet" (and in a clone
  they would start the hidden graders).  Their code is shown, for what they check.

Errors are allowed, so that one broken cell never stops the build; an error is left off its
page and named on stderr (``tests/notebooks`` already fails on a chapter that raises outside
its check cells).  The pages are rendered as they were run (MyST-NB does not execute).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from nbformat import NotebookNode

#: nbclient's default tag for cells it must not run
SKIP_TAG = "skip-execution"
CELL_SECONDS = 120
#: chapters run side by side, one per core: a BLAS that also takes every core makes a loaded
#: machine crawl (500 determinants in ch03: 60 s with all threads, 4 s with one)
ONE_BLAS_THREAD = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
RUN_GUIDE = "running-a-chapter"
PAGE_NOTE = (f"```{{note}}\nThis page is the chapter as handed out, with every figure drawn. To write "
             f"the exercises and check them, [run the chapter on your machine](../{RUN_GUIDE}.md).\n```")


def chapter_page(release_notebook: Path) -> tuple[NotebookNode, list[str]]:
    """The release notebook, run as described above, and what went wrong in it (one line each)."""
    import nbformat
    from nbclient import NotebookClient
    from traitlets.config import Config

    from mlmath.notebook import read_notebook, test_cells

    notebook = read_notebook(release_notebook)
    check_cells = {id(cell) for cell in test_cells(notebook).values()}
    for cell in notebook["cells"]:
        if id(cell) in check_cells:
            cell["metadata"]["tags"] = [*cell["metadata"].get("tags", []), SKIP_TAG]
    node = nbformat.from_dict(notebook)
    with tempfile.TemporaryDirectory(prefix="mlmath-site-") as scratch:
        folder = Path(scratch) / "chapter"
        shutil.copytree(release_notebook.parent, folder)
        # ipc sockets in the scratch folder: parallel kernels never race for a TCP port
        ports = Config({"KernelManager": {"transport": "ipc", "ip": str(Path(scratch) / "kernel")}})
        client = NotebookClient(node, timeout=CELL_SECONDS, kernel_name="python3", allow_errors=True,
                                skip_cells_with_tag=SKIP_TAG, config=ports,
                                resources={"metadata": {"path": str(folder)}})
        client.execute(env={**os.environ, **ONE_BLAS_THREAD, "MLMATH_COURSE_ROOT": str(folder)})
    problems = []
    for number, cell in enumerate(node.cells):
        errors = [o for o in cell.get("outputs", []) if o["output_type"] == "error"]
        if errors:
            problems.append(f"{release_notebook.name}, cell {number}: {errors[0]['ename']}: "
                            f"{errors[0]['evalue']} (left off the page)")
            cell.outputs = [o for o in cell.outputs if o["output_type"] != "error"]
    node.cells.insert(1, nbformat.v4.new_markdown_cell(PAGE_NOTE))
    return node, problems


def _write_chapter_page(release_notebook: Path, page: Path) -> list[str]:
    import nbformat
    node, problems = chapter_page(release_notebook)
    nbformat.write(node, page)
    return problems


def stage_pages(course_root: Path, site_dir: Path, pages: Path) -> None:
    """The site's Markdown pages and one executed notebook per chapter, in ``pages``."""
    from mlmath.course import load_course

    course = load_course(course_root)
    shutil.rmtree(pages, ignore_errors=True)
    (pages / "chapters").mkdir(parents=True)
    for markdown in site_dir.glob("*.md"):
        shutil.copy(markdown, pages / markdown.name)
    chapters = {course.release_dir / a.id / a.notebook: pages / "chapters" / f"{a.id}.ipynb"
                for a in course.assignments if (course.release_dir / a.id / a.notebook).is_file()}
    if not chapters:
        raise SystemExit(f"no release notebook under {course.release_dir}: run `make release` first")
    with ProcessPoolExecutor(max_workers=min(len(chapters), os.cpu_count() or 1)) as pool:
        for problems in pool.map(_write_chapter_page, chapters, chapters.values()):
            for problem in problems:
                print(f"warning: {problem}", file=sys.stderr)


def build_site(course_root: Path, site_dir: Path, out: Path) -> Path:
    """Stage the pages under ``out/pages`` and build the HTML site in ``out/html``; its index."""
    from sphinx.cmd.build import build_main

    stage_pages(course_root, site_dir, out / "pages")
    status = build_main(["-b", "html", "-q", "-c", str(site_dir), "-d", str(out / "doctrees"),
                         str(out / "pages"), str(out / "html")])
    if status != 0:
        raise SystemExit(f"sphinx-build failed ({status})")
    return out / "html" / "index.html"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m mlmath.website", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--root", type=Path, default=None, help="the course root (default: found from here)")
    parser.add_argument("--site", type=Path, default=None, help="the site's config and pages (default: ROOT/site)")
    parser.add_argument("--out", type=Path, default=None, help="where to build (default: SITE/_build)")
    args = parser.parse_args(argv)
    from mlmath.course import find_root

    root = (args.root or find_root()).resolve()
    site_dir = (args.site or root / "site").resolve()
    index = build_site(root, site_dir, (args.out or site_dir / "_build").resolve())
    print(f"the course website: {index}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
