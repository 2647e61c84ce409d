"""How long `mlmath similarity` takes on a class of 500 ch04_numerics submissions, on this machine.

The class (seeded): each learner answers every exercise with an implementation
drawn from ``tests/implementations/ch04_numerics.py`` (the reference, the valid
alternatives or a mistake), so most of each answer is shared by dozens of
learners, plus two lines of its own (a learner's own touch: NumPy calls drawn
at random); one answer in ten is left blank; ten learners hand in
another's notebook in disguise (names changed, functions reordered, comments
rewritten).  Prints the
wall time of reading and comparing the whole class in one process (what
``mlmath similarity`` and the report do), the pairs compared and reported, and
how many of the planted copies were reported.

    .venv/bin/python benchmarks/similarity_speed.py [--class-size 500] [--keep]
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from mlmath.course import load_course  # noqa: E402
from mlmath.notebook import read_notebook  # noqa: E402
from mlmath.similarity.compare import compare_class  # noqa: E402
from mlmath.submissions import answer_cells  # noqa: E402
from tests.pipeline.conftest import copy_course  # noqa: E402
from tests.similarity.planted_class import ASSIGNMENT, disguised, implementations, write_class  # noqa: E402
from tests.support import release_path  # noqa: E402

COPIES = 10


OWN_TOUCH = ["abs", "sqrt", "exp", "log1p", "sin", "cos", "tanh", "floor", "ceil", "sign", "square",
             "cbrt", "expm1", "log2", "arctan", "sinh", "cosh", "rint", "trunc", "fabs", "negative",
             "positive", "reciprocal", "deg2rad", "rad2deg"]


def own_touch(rng: random.Random) -> str:
    return "".join(f"_seen = np.{a}(np.{b}(np.{c}(1.0)))\n" for a, b, c in
                   (rng.sample(OWN_TOUCH, 3), rng.sample(OWN_TOUCH, 3)))


def build_class(size: int, seed: int = 21) -> tuple[dict[str, dict[str, str]], set[frozenset]]:
    rng = random.Random(seed)
    assignment = load_course(ROOT).assignment(ASSIGNMENT)
    choices = implementations(assignment)
    stubs = {e: cell["source"] for e, cell in answer_cells(read_notebook(release_path(ASSIGNMENT))).items()}
    learners = {}
    for n in range(size - COPIES):
        learners[f"s{n:04d}"] = {e.id: stubs[e.id] if rng.random() < 0.1 else
                                 own_touch(rng) + rng.choice(choices[e.id])[1] for e in assignment.exercises}
    functions = {e.id: e.functions for e in assignment.exercises}
    planted = set()
    for n, original in enumerate(rng.sample(sorted(learners), COPIES)):
        copier = f"copier{n:02d}"
        learners[copier] = {e: disguised(source, functions[e]) for e, source in learners[original].items()}
        planted.add(frozenset((copier, original)))
    return learners, planted


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--class-size", type=int, default=500)
    parser.add_argument("--keep", action="store_true", help="keep the class's folder and print where it is")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="mlmath-similarity-"))
    try:
        root = copy_course(folder)
        learners, planted = build_class(args.class_size)
        write_class(root, learners)
        course = load_course(root)
        print(f"load average {os.getloadavg()[0]:.1f}; {len(learners)} submissions of {ASSIGNMENT}, "
              f"{len(planted)} of them disguised copies")
        started, cpu = time.monotonic(), time.process_time()
        result = compare_class(course, course.assignment(ASSIGNMENT))
        seconds, cpu = time.monotonic() - started, time.process_time() - cpu
        found = {frozenset((p.a, p.b)) for p in result.reported} & planted
        others = [p for p in result.reported if frozenset((p.a, p.b)) not in planted]
        print(f"read and compared in {seconds:.1f} s wall, {cpu:.1f} s CPU "
              f"({1000 * seconds / len(learners):.1f} ms per submission); "
              f"peak memory {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
        print(f"{len(result.pairs)} pairs share uncommon code, {len(result.reported)} reported "
              f"(exercise by exercise); copiers found: {len(found)} of {len(planted)}; "
              f"reported pairs that are not a planted copy: {len(others)}")
    finally:
        if args.keep:
            print(f"class kept in {folder}")
        else:
            shutil.rmtree(folder)


if __name__ == "__main__":
    main()
