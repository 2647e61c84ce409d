"""How fast a whole class of the numerics assignment is graded, four ways, on this machine.

One run builds a class of N submissions of ``ch04_numerics`` (a seeded, realistic
mix: reference answers, blank release notebooks, the bundled ``mistakes``
notebook, and reference notebooks with one to three exercises replaced by wrong
implementations from ``tests/implementations/ch04_numerics.py``), then grades it,
each path in its own fresh temporary copy of the course with a fresh gradebook
(``nbgrader generate_assignment --force``):

1. stock nbgrader: ``nbgrader autograde`` with its default Execute step on a
   stock-style source notebook (``benchmarks/stock/``: learner code and hidden
   asserts run in a Jupyter kernel), as nbgrader and otter-grader courses do;
2. ``nbgrader autograde`` with this course's configuration (GradeInSandbox);
3. ``mlmath autograde --jobs J``, and again with ``MLMATH_REUSE_RESULTS=0`` (every
   exercise graded afresh: no result reused from an identical exercise graded before by
   the same worker, see ``mlmath.grading.reuse``);
4. ``mlmath autograde --scheduler`` on a dask ``LocalCluster`` of 2 worker processes
   (``--dask``; on by default when ``distributed`` is installed).

For each path: wall time, seconds per submission, throughput relative to stock
(stock seconds / path seconds), the CPU seconds of the command's process tree, and
the peak of its summed RSS (sampled every 50 ms); for path 4 the dask worker
processes count in both.  Paths 2-4 must record identical scores.  Also times
``mlmath check`` on one complete notebook (the whole command; the first run starts the
course's warm grader, the others are answered by it) and a check cell in a real kernel.  Wall times are only
comparable on an otherwise idle machine: the load average is printed at the start
and the end, and CPU seconds are less sensitive to other processes.

    .venv/bin/python benchmarks/batch_speed.py [--class-size 120] [--jobs 2]
        [--keep] [--skip-stock] [--dask | --no-dask] [--check-runs 5]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import logging
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import warnings
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent / "stock"))

from make_stock_source import stock_notebook  # noqa: E402
from mlmath.course import load_course  # noqa: E402
from mlmath.notebook import read_notebook  # noqa: E402
from mlmath.submissions import fill_answers, reference_answers, write_notebook  # noqa: E402
from tests.implementations import ch04_numerics as implementations  # noqa: E402
from mlmath.grading.reuse import VARIABLE as REUSE_VARIABLE  # noqa: E402
from mlmath.grading.seeds import course_secret  # noqa: E402

ASSIGNMENT = "ch04_numerics"
NOTEBOOK = "numerics.ipynb"
COURSE_FILES = ("course_config.py", "nbgrader_config.py", "source", "release", "graders", ".mlmath")
SEED = 20240611
SAMPLE_SECONDS = 0.05
CLASS_MIX = {"complete": 0.25, "blank": 0.10, "mistakes": 0.10}   # the rest: wrong answers
TARGET_SPEED_UP = 100.0
TARGET_CHECK_SECONDS = 0.5
TARGET_CHECK_CELL_SECONDS = 0.3
STOCK = "stock nbgrader (Execute in a kernel)"

BIN = Path(sys.executable).parent          # the virtualenv's bin (not resolved: a symlink)
NBGRADER = str(BIN / "nbgrader")
MLMATH = str(BIN / "mlmath")
ENV = {**os.environ,
       "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",    # nbgrader runs `alembic`
       "TRAITLETS_APPLICATION_RAISE_CONFIG_FILE_ERROR": "1",
       "PYTHONWARNINGS": "ignore:::nbgrader.api"}

STOCK_CONFIG = '''\
"""Plain nbgrader: default preprocessors, so Execute runs every cell in a kernel."""
import os

c = get_config()  # noqa: F821
here = os.path.dirname(os.path.abspath(__file__))
c.CourseDirectory.root = here
c.CourseDirectory.course_id = "mlmath"
c.CourseDirectory.db_url = "sqlite:///" + os.path.join(here, "gradebook.db")
'''


# ---------------------------------------------------------------------------- the class

@dataclass
class Submission:
    student: str
    kind: str                       # complete | blank | mistakes | wrong
    notebook: dict
    wrong: tuple[str, ...] = ()     # ids of the wrong implementations it holds


def class_kinds(size: int, rng: random.Random) -> list[str]:
    """``size`` submission kinds in CLASS_MIX proportions (the rest ``wrong``), shuffled."""
    kinds = [kind for kind, share in CLASS_MIX.items() for _ in range(round(share * size))]
    kinds += ["wrong"] * (size - len(kinds))
    rng.shuffle(kinds)
    return kinds


def with_wrong_answers(release: dict, reference: dict[str, str],
                       rng: random.Random) -> tuple[dict, tuple[str, ...]]:
    """The reference notebook with 1-3 exercises answered by wrong implementations."""
    by_exercise: dict[str, list] = {}
    for implementation in implementations.WRONG:
        by_exercise.setdefault(implementation.exercise, []).append(implementation)
    count = rng.choices([1, 2, 3], weights=[5, 3, 2])[0]
    chosen = [rng.choice(by_exercise[exercise])
              for exercise in rng.sample(sorted(by_exercise), count)]
    answers = {**reference, **{impl.exercise: impl.source for impl in chosen}}
    return fill_answers(release, answers), tuple(impl.id for impl in chosen)


def build_class(size: int, seed: int = SEED) -> list[Submission]:
    """The benchmark class: deterministic for a given size and seed."""
    release = read_notebook(ROOT / "release" / ASSIGNMENT / NOTEBOOK)
    reference = reference_answers(read_notebook(ROOT / "source" / ASSIGNMENT / NOTEBOOK))
    mistakes = read_notebook(ROOT / "examples" / ASSIGNMENT / "mistakes.ipynb")
    complete = fill_answers(release, reference)
    rng = random.Random(seed)
    submissions = []
    for number, kind in enumerate(class_kinds(size, rng), start=1):
        student = f"student{number:03d}"
        if kind == "wrong":
            notebook, wrong = with_wrong_answers(release, reference, rng)
            submissions.append(Submission(student, kind, notebook, wrong))
        else:
            notebook = {"complete": complete, "blank": release, "mistakes": mistakes}[kind]
            submissions.append(Submission(student, kind, notebook))
    return submissions


def describe_class(submissions: list[Submission]) -> str:
    kinds = Counter(s.kind for s in submissions)
    replaced = Counter(len(s.wrong) for s in submissions if s.wrong)
    return (f"{len(submissions)} submissions: " + ", ".join(f"{n} {k}" for k, n in sorted(kinds.items()))
            + " (exercises replaced per wrong notebook: "
            + ", ".join(f"{k}: {n}" for k, n in sorted(replaced.items())) + ")")


# ---------------------------------------------------------------------------- course copies

def copy_course(destination: Path, submissions: list[Submission]) -> Path:
    """A fresh course copy at ``destination`` holding the class under submitted/ (the same
    course: its seed secret too, so every copy draws the same hidden inputs)."""
    course_secret(ROOT)
    destination.mkdir(parents=True)
    for name in COURSE_FILES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, destination / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, destination / name)
    for submission in submissions:
        write_notebook(submission.notebook,
                       destination / "submitted" / submission.student / ASSIGNMENT / NOTEBOOK)
    return destination


def make_stock(root: Path) -> None:
    """Turn a course copy into a stock nbgrader course: plain config, stock source notebook."""
    (root / "nbgrader_config.py").write_text(STOCK_CONFIG, encoding="utf-8")
    source = read_notebook(ROOT / "source" / ASSIGNMENT / NOTEBOOK)
    write_notebook(stock_notebook(source), root / "source" / ASSIGNMENT / NOTEBOOK)


def generate_assignment(root: Path) -> None:
    """A fresh gradebook recording the notebook and its cells (and a regenerated release/)."""
    result = subprocess.run([NBGRADER, "generate_assignment", ASSIGNMENT, "--force"], cwd=root,
                            env=ENV, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"generate_assignment failed in {root}:\n{result.stdout}{result.stderr}")


# ---------------------------------------------------------------------------- measuring

@dataclass
class Measurement:
    seconds: float
    cpu_seconds: float              # user + system of the whole tree
    peak_rss: int                   # bytes
    returncode: int
    output: str


def tree_rss(roots: list[psutil.Process]) -> int:
    """The summed RSS of the given processes and all their descendants (gone ones count 0)."""
    seen, total = set(), 0
    for root in roots:
        try:
            members = [root, *root.children(recursive=True)]
        except psutil.Error:
            continue
        for process in members:
            if process.pid in seen:
                continue
            seen.add(process.pid)
            try:
                total += process.memory_info().rss
            except psutil.Error:
                pass
    return total


class PeakSampler(threading.Thread):
    """Samples the summed RSS of some process trees every SAMPLE_SECONDS; keeps the peak."""

    def __init__(self, roots: list[psutil.Process]):
        super().__init__(daemon=True)
        self.roots, self.peak = roots, 0
        self._done = threading.Event()

    def run(self) -> None:
        while not self._done.is_set():
            self.peak = max(self.peak, tree_rss(self.roots))
            self._done.wait(SAMPLE_SECONDS)

    def stop(self) -> int:
        self._done.set()
        self.join()
        return self.peak


def cpu_seconds(processes: list[psutil.Process]) -> float:
    """User + system CPU seconds of living processes, with their reaped children."""
    total = 0.0
    for process in processes:
        times = process.cpu_times()
        total += times.user + times.system + times.children_user + times.children_system
    return total


def reaped_children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def measure(args: list[str], cwd: Path, extra_pids: tuple[int, ...] = (), env: dict | None = None) -> Measurement:
    """Run ``args`` to completion: wall and CPU seconds, peak tree RSS, output.

    ``extra_pids`` (the dask workers) are long-lived processes doing the command's work:
    their trees count in the RSS and their CPU time in the CPU seconds.
    """
    extra = [psutil.Process(pid) for pid in extra_pids]
    with tempfile.TemporaryFile("w+") as log:
        cpu_before = reaped_children_cpu() + cpu_seconds(extra)
        start = time.perf_counter()
        process = subprocess.Popen(args, cwd=cwd, env=env or ENV, stdout=log, stderr=subprocess.STDOUT, text=True)
        sampler = PeakSampler([psutil.Process(process.pid), *extra])
        sampler.start()
        returncode = process.wait()
        seconds = time.perf_counter() - start
        peak = sampler.stop()
        cpu = reaped_children_cpu() + cpu_seconds(extra) - cpu_before
        log.seek(0)
        return Measurement(seconds, cpu, peak, returncode, log.read())


def time_check(notebook: Path, cwd: Path, runs: int, env: dict) -> list[float]:
    """Wall seconds of ``mlmath check <notebook>``, the whole command, ``runs`` times (the first
    starts the course's warm grader, the others are answered by it)."""
    seconds = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([MLMATH, "check", str(notebook)], cwd=cwd, env=env, check=True, capture_output=True)
        seconds.append(time.perf_counter() - start)
    return seconds


CHECK_CELL_TIMER = """
import time
from mlmath.live import grade_live
seconds = []
for _ in range({runs}):
    start = time.perf_counter()
    result = grade_live("softmax")
    seconds.append(time.perf_counter() - start)
assert result.score == result.max, result
print(seconds)
"""


def time_check_cell(root: Path, runs: int, env: dict) -> list[float]:
    """Seconds of ``check("softmax")``'s grading in a real kernel, ``runs`` times in a row: the
    kernel has run the set-up cell and a right softmax, as a learner's would."""
    import nbformat
    from nbclient import NotebookClient

    release = read_notebook(root / "release" / ASSIGNMENT / NOTEBOOK)
    reference = reference_answers(read_notebook(root / "source" / ASSIGNMENT / NOTEBOOK))
    setup = next(c for c in release["cells"] if c["cell_type"] == "code")
    cells = [nbformat.v4.new_code_cell(setup["source"]), nbformat.v4.new_code_cell(reference["softmax"]),
             nbformat.v4.new_code_cell(CHECK_CELL_TIMER.format(runs=runs))]
    notebook = nbformat.v4.new_notebook(cells=cells)
    saved = dict(os.environ)
    os.environ.update(env)
    try:
        NotebookClient(notebook, timeout=600, kernel_name="python3",
                       resources={"metadata": {"path": str(root)}}).execute()
    finally:
        os.environ.clear()
        os.environ.update(saved)
    return json.loads(notebook.cells[-1].outputs[0]["text"])


def time_checks_in_copy(workdir: Path, submissions: list[Submission], runs: int) -> tuple[list[float], list[float]]:
    """``mlmath check`` timings on a complete notebook and check-cell timings, in a course copy of
    their own, with a warm grader of their own (stopped afterwards)."""
    from mlmath import service_client

    complete = [next(s for s in submissions if s.kind == "complete")]
    root = copy_course(workdir / "check", complete)
    runtime = workdir / "runtime"
    runtime.mkdir(mode=0o700)
    env = {**ENV, "XDG_RUNTIME_DIR": str(runtime), "MLMATH_WARM_GRADER": "1"}
    try:
        command = time_check(root / "submitted" / complete[0].student / ASSIGNMENT / NOTEBOOK, root, runs, env)
        cell = time_check_cell(root, runs, env)
    finally:
        os.environ["XDG_RUNTIME_DIR"] = str(runtime)
        service_client.stop(root)
    return command, cell


def load_average() -> str:
    return "load average " + " ".join(f"{value:.1f}" for value in os.getloadavg())


# ---------------------------------------------------------------------------- the paths

@dataclass
class PathResult:
    name: str
    measurement: Measurement | None = None
    root: Path | None = None            # the course copy (its gradebook.db)
    note: str = ""                      # why it did not run or failed
    setup_seconds: float | None = None  # what is not timed (the dask cluster's start)

    @property
    def ran(self) -> bool:
        return self.measurement is not None and self.measurement.returncode == 0


def run_path(result: PathResult, root: Path, args: list[str], extra_pids: tuple[int, ...] = (),
             env: dict | None = None) -> PathResult:
    """Time ``args`` in the course copy ``root`` and record it in ``result``, with progress lines."""
    print(f"  {result.name}: {Path(args[0]).name} {' '.join(args[1:])}", flush=True)
    result.root, result.measurement = root, measure(args, root, extra_pids, env)
    if result.measurement.returncode != 0:
        result.note = f"exit status {result.measurement.returncode}"
        tail = "\n".join(result.measurement.output.splitlines()[-15:])
        print(f"    FAILED ({result.note}); last lines of its output:\n{tail}", flush=True)
    else:
        print(f"    {result.measurement.seconds:.1f} s", flush=True)
    return result


def prepared_copy(parent: Path, name: str, submissions: list[Submission], stock: bool = False) -> Path:
    """A fresh course copy with the class and a fresh gradebook (a stock course if ``stock``)."""
    root = copy_course(parent / name, submissions)
    if stock:
        make_stock(root)
    generate_assignment(root)
    return root


def mlmath_autograde_help() -> str | None:
    """The help text of ``mlmath autograde``, or None when the command does not exist (yet)."""
    result = subprocess.run([MLMATH, "autograde", "--help"], env=ENV, capture_output=True, text=True)
    return result.stdout if result.returncode == 0 else None


def run_dask_path(result: PathResult, root: Path) -> PathResult:
    """Path 4: a LocalCluster of 2 worker processes (start-up timed apart), then the batch on it."""
    from distributed import Client, LocalCluster

    start = time.perf_counter()
    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                           silence_logs=logging.ERROR)    # not the nannies' shutdown warnings
    with Client(cluster) as client:
        worker_pids = tuple(client.run(os.getpid).values())
    result.setup_seconds = time.perf_counter() - start
    print(f"  dask LocalCluster started in {result.setup_seconds:.1f} s "
          f"at {cluster.scheduler_address}", flush=True)
    try:
        return run_path(result, root, [MLMATH, "autograde", ASSIGNMENT,
                                       "--scheduler", cluster.scheduler_address], worker_pids)
    finally:
        cluster.close()


# ---------------------------------------------------------------------------- scores

def read_scores(root: Path) -> dict[str, float]:
    """Every student's total score for the assignment in the course copy's gradebook."""
    from nbgrader.api import Gradebook

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gradebook:
            return {s.student_id: float(s.score) for s in gradebook.assignment_submissions(ASSIGNMENT)}


def compare_scores(results: list[PathResult], students: list[str]) -> list[str]:
    """Lines saying whether every path recorded the same total for every student."""
    scores = {r.name: read_scores(r.root) for r in results}
    if len(scores) < 2:
        return [f"scores: only {', '.join(scores) or 'no path'} ran; nothing to compare"]
    (base_name, base), *others = scores.items()
    lines = []
    for name, other in others:
        differ = [s for s in students if base.get(s) != other.get(s)]
        if differ:
            shown = ", ".join(f"{s} ({base.get(s)} vs {other.get(s)})" for s in differ[:10])
            lines.append(f"scores: {name} DIFFERS from {base_name} for {len(differ)} students: {shown}"
                         + (" ..." if len(differ) > 10 else ""))
    if not lines:
        lines.append(f"scores: identical for all {len(students)} students across " + ", ".join(scores))
    for name, recorded in scores.items():
        if missing := set(students) - set(recorded):
            lines.append(f"scores: {len(missing)} students missing from the gradebook of {name}")
    return lines


def mean_score(root: Path) -> float:
    """The mean total score in the course copy's gradebook."""
    scores = read_scores(root)
    return statistics.fmean(scores.values()) if scores else float("nan")


# ---------------------------------------------------------------------------- report

def table(results: list[PathResult], class_size: int, stock: PathResult | None) -> str:
    """One row per path: wall seconds, per submission, speed-up over stock, CPU seconds, peak RSS."""
    width = max(len(r.name) for r in results)
    header = f"{'path':<{width}} {'wall s':>8} {'s/sub':>7} {'× stock':>8} {'CPU s':>8} {'peak MB':>8}"
    rows = [header, "-" * len(header)]
    for r in results:
        if not r.ran:
            rows.append(f"{r.name:<{width}} {r.note or 'not run'}")
            continue
        m = r.measurement
        ratio = f"{stock.measurement.seconds / m.seconds:.1f}×" if stock and stock.ran else "n/a"
        rows.append(f"{r.name:<{width}} {m.seconds:>8.1f} {m.seconds / class_size:>7.3f} {ratio:>8} "
                    f"{m.cpu_seconds:>8.1f} {m.peak_rss / 2**20:>8.0f}")
    return "\n".join(rows)


def speed_up(path: PathResult, stock: PathResult | None) -> str:
    if not path.ran:
        return path.note or "not run"
    if stock is None or not stock.ran:
        return f"n/a (stock {'skipped' if stock is None else 'failed'})"
    return f"{stock.measurement.seconds / path.measurement.seconds:.1f}×"


def target_lines(mlmath: PathResult, afresh: PathResult, stock: PathResult | None, check_seconds: list[float],
                 cell_seconds: list[float]) -> list[str]:
    """The three figures the issue sets targets for (checks: from the second run, warm)."""
    check = statistics.median(check_seconds[1:])
    cell = statistics.median(cell_seconds[1:])
    return [f"mlmath autograde vs stock: {speed_up(mlmath, stock)} (target ≥ {TARGET_SPEED_UP:.0f}×); "
            f"with every exercise graded afresh: {speed_up(afresh, stock)}",
            f"mlmath check, warm: {check:.2f} s (target < {TARGET_CHECK_SECONDS} s; "
            f"the first, which starts the warm grader: {check_seconds[0]:.2f} s)",
            f"check cell, from the second check: {cell:.2f} s (target < {TARGET_CHECK_CELL_SECONDS} s; "
            f"the first: {cell_seconds[0]:.2f} s)"]


# ---------------------------------------------------------------------------- main

def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--class-size", type=int, default=120, help="submissions in the class (default 120)")
    parser.add_argument("--jobs", type=int, default=2, help="mlmath autograde --jobs (default 2)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary course copies")
    parser.add_argument("--skip-stock", action="store_true", help="skip the (slow) stock nbgrader path")
    parser.add_argument("--dask", action=argparse.BooleanOptionalAction,
                        default=importlib.util.find_spec("distributed") is not None,
                        help="also grade on a dask LocalCluster (default: when distributed is installed)")
    parser.add_argument("--check-runs", type=int, default=5,
                        help="runs of mlmath check and of a check cell (default 5, at least 2)")
    args = parser.parse_args(argv)
    if args.check_runs < 2:
        parser.error("--check-runs must be at least 2 (the first starts the warm grader)")
    if args.class_size < 4:
        parser.error("--class-size must be at least 4 (one submission of each kind)")
    return args


def dask_unavailable(args: argparse.Namespace, autograde_help: str | None) -> str:
    """Why path 4 cannot run, or "" when it can."""
    if autograde_help is None:
        return "not available (no `mlmath autograde` command yet)"
    if not args.dask:
        return ("not run (--no-dask)" if importlib.util.find_spec("distributed")
                else "not available (distributed is not installed)")
    if "--scheduler" not in autograde_help:
        return "not available (mlmath autograde has no --scheduler option)"
    return ""


def run_paths(args: argparse.Namespace, workdir: Path, submissions: list[Submission]) -> list[PathResult]:
    """Grade the class each way, each in a fresh course copy: [stock (unless skipped), ours, batch, dask]."""
    autograde = [NBGRADER, "autograde", ASSIGNMENT, "--force"]
    results = []
    if not args.skip_stock:
        stock = PathResult(STOCK)
        results.append(run_path(stock, prepared_copy(workdir, "stock", submissions, stock=True), autograde))
    ours = PathResult("nbgrader autograde + GradeInSandbox")
    results.append(run_path(ours, prepared_copy(workdir, "nbgrader", submissions), autograde))

    autograde_help = mlmath_autograde_help()
    batch = PathResult(f"mlmath autograde --jobs {args.jobs}")
    afresh = PathResult(f"mlmath autograde --jobs {args.jobs}, {REUSE_VARIABLE}=0")
    if autograde_help is None:
        batch.note = afresh.note = "not available (no `mlmath autograde` command yet)"
    else:
        command = [MLMATH, "autograde", ASSIGNMENT, "--jobs", str(args.jobs)]
        run_path(batch, prepared_copy(workdir, "mlmath", submissions), command)
        run_path(afresh, prepared_copy(workdir, "afresh", submissions), command, env={**ENV, REUSE_VARIABLE: "0"})
    dask = PathResult("mlmath autograde --scheduler (dask, 2 procs)",
                      note=dask_unavailable(args, autograde_help))
    if not dask.note:
        run_dask_path(dask, prepared_copy(workdir, "dask", submissions))
    return [*results, batch, afresh, dask]


def report(results: list[PathResult], submissions: list[Submission], check_seconds: list[float],
           cell_seconds: list[float]) -> None:
    """Scores compared, the table, the mlmath check timing and the target lines."""
    stock = next((r for r in results if r.name == STOCK), None)
    ours, batch, afresh, dask = [r for r in results if r.name != STOCK]
    print()
    for line in compare_scores([r for r in (ours, batch, afresh, dask) if r.ran], [s.student for s in submissions]):
        print(line)
    if stock is not None and stock.ran:
        maximum = load_course(ROOT).assignment(ASSIGNMENT).points
        print(f"stock nbgrader mean score: {mean_score(stock.root):.2f} / {maximum:g} "
              f"(ours: {mean_score(ours.root):.2f} / {maximum:g}; stock test cells are all-or-nothing)")
    print()
    print(table(results, len(submissions), stock))
    if dask.setup_seconds is not None:
        print(f"(dask cluster start-up, not included above: {dask.setup_seconds:.1f} s)")
    print(f"mlmath check {NOTEBOOK} (whole command, {len(check_seconds)} runs): "
          + ", ".join(f"{seconds:.2f}" for seconds in check_seconds) + " s")
    print(f"check cell grading softmax in a kernel ({len(cell_seconds)} runs): "
          + ", ".join(f"{seconds:.2f}" for seconds in cell_seconds) + " s")
    print(f"{load_average()} at the end (other processes on the machine inflate every figure)")
    print()
    for line in target_lines(batch, afresh, stock, check_seconds, cell_seconds):
        print(line)


def run_all(args: argparse.Namespace, workdir: Path) -> None:
    submissions = build_class(args.class_size)
    print(f"class: {describe_class(submissions)}")
    print(f"machine: {os.cpu_count()} CPUs, {psutil.virtual_memory().total / 2**30:.0f} GiB; "
          f"python {sys.version.split()[0]}; {load_average()} at start", flush=True)
    check_seconds, cell_seconds = time_checks_in_copy(workdir, submissions, args.check_runs)
    print(f"  mlmath check: {', '.join(f'{s:.2f}' for s in check_seconds)} s; "
          f"check cell: {', '.join(f'{s:.2f}' for s in cell_seconds)} s", flush=True)
    report(run_paths(args, workdir, submissions), submissions, check_seconds, cell_seconds)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    workdir = Path(tempfile.mkdtemp(prefix="mlmath-batch-speed-"))
    try:
        run_all(args, workdir)
    finally:
        if args.keep:
            print(f"\ncourse copies kept in {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
