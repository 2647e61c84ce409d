"""Find pairs of submissions whose answers to an exercise are unusually alike (copied work).

Every submission under submitted/<student>/<assignment>/ is read; each
exercise's answer code is normalised (names, numbers, strings, comments, blank
lines and the order of functions no longer matter), fingerprinted by winnowing
(copydetect), without the code the release notebook provides, and every pair
of answers is scored against the rest of the class for that exercise: code
that many learners share does not count, and a score of 1 means identical
where the class differs, 0 as alike as a typical pair.  Pairs at or above the
threshold are printed, most alike first; `mlmath report` shows them side by
side with the matching code marked.

Exit status: 0 when the class was read (whatever was found), 2 when it could not be.

Examples:
    mlmath similarity ch04_numerics
    mlmath similarity ch04_numerics --json
    mlmath similarity ch04_numerics --threshold 0.4
"""

from __future__ import annotations

import json
import sys

HELP = "find pairs of submissions with unusually alike answers (copied work)"


def add_arguments(parser) -> None:
    from mlmath.similarity import THRESHOLD

    parser.add_argument("assignment", help="assignment id, e.g. ch04_numerics")
    parser.add_argument("--threshold", type=float, default=THRESHOLD, metavar="SCORE",
                        help=f"report pairs scoring at least this (default {THRESHOLD}; at most 1)")
    parser.add_argument("--json", action="store_true",
                        help='print {"pairs": [{"exercise", "a", "b", "score"}, ...]}, most alike first')


def run(args) -> int:
    from mlmath.course import CourseError, find_root, load_course
    from mlmath.notebook import NotebookError
    from mlmath.similarity.compare import compare_class
    from mlmath.similarity.progress import Progress
    from mlmath.similarity.summary import pairs_table, summary_text

    progress = Progress()
    try:
        course = load_course(find_root())
        result = compare_class(course, course.assignment(args.assignment), args.threshold,
                               on_start=progress.start, on_read=progress.read)
    except (CourseError, NotebookError, OSError) as error:
        progress.close()
        print(f"mlmath similarity: {error}", file=sys.stderr)
        return 2
    progress.close()
    if args.json:
        print(json.dumps({"pairs": [{"exercise": p.exercise, "a": p.a, "b": p.b, "score": round(p.score, 3)}
                                    for p in result.reported]}))
    else:
        if result.reported:
            print(pairs_table(result))
        print(summary_text(result))
    return 0
