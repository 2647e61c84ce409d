"""Print how long grading takes on this machine.

* `mlmath check` on the numerics notebook (reference answers), as a learner runs it:
  the whole command, process start to exit;
* `nbgrader autograde` of a class of N copies of the example submissions, per
  submission, in a throw-away copy of the course (nbgrader's fixed start-up cost
  is shared by the class, as when an instructor grades it).

    .venv/bin/python benchmarks/grading_speed.py [--runs 5] [--class-size 12]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.pipeline.conftest import ASSIGNMENT, copy_course  # noqa: E402

ENV = {**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"}


def timed(args, cwd) -> float:
    start = time.perf_counter()
    subprocess.run(args, cwd=cwd, env=ENV, check=True, capture_output=True)
    return time.perf_counter() - start


def summary(label: str, seconds: list[float]) -> str:
    return (f"{label}: median {statistics.median(seconds):.3f} s, min {min(seconds):.3f} s, "
            f"max {max(seconds):.3f} s over {len(seconds)} runs")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--class-size", type=int, default=12)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        root = copy_course(Path(tmp))
        mlmath = [sys.executable, "-m", "mlmath.cli.main"]
        subprocess.run([*mlmath, "example-class", ASSIGNMENT], cwd=root, env=ENV, check=True, capture_output=True)
        notebook = root / "submitted" / "complete" / ASSIGNMENT / "numerics.ipynb"
        checks = [timed([*mlmath, "check", str(notebook)], root) for _ in range(args.runs)]
        print(summary("mlmath check numerics.ipynb (whole command)", checks))

        shutil.move(root / "submitted", root / "examples-submitted")
        examples = sorted((root / "examples-submitted").iterdir())
        for n in range(args.class_size):
            shutil.copytree(examples[n % len(examples)], root / "submitted" / f"student{n:03d}")
        nbgrader = [sys.executable, "-m", "nbgrader"]
        subprocess.run([*nbgrader, "generate_assignment", ASSIGNMENT, "--force"], cwd=root, env=ENV,
                       check=True, capture_output=True)
        batches = [timed([*nbgrader, "autograde", ASSIGNMENT, "--force"], root) / args.class_size
                   for _ in range(max(1, args.runs // 2))]
        print(summary(f"nbgrader autograde, per submission (class of {args.class_size})", batches))


if __name__ == "__main__":
    main()
