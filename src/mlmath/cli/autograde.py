"""Grade every submission of an assignment into nbgrader's gradebook, in parallel.

Run from the course root, after `nbgrader generate_assignment` and
`nbgrader collect` (or with submissions placed under submitted/<student>/<assignment>/).
Records exactly what `nbgrader autograde` records — autograded/ notebooks,
students, submissions, per-cell scores — so `nbgrader generate_feedback`,
`nbgrader export` and the formgrader read the result. Submissions already
graded are skipped (a killed batch resumes where it stopped); --force regrades.

After a fix to the graders, --regrade grades everyone again and prints, per
student whose result changed, the old and new grade and the hidden checks whose
result changed; the previous grading is kept as history in the gradebook and
`mlmath report` shows the changes.  --keep-higher (with --regrade) never lowers
a grade already given: a lower new score of an exercise is replaced by the old
one, written as the grader's (manual) score in nbgrader's gradebook.

Exit status: 0 when every submission was graded (a notebook that could not be
read still counts: it is recorded with 0 and the reason), 1 when some could not
be processed and should be retried, 2 when the batch could not start.

Examples:
    mlmath autograde ch04_numerics
    mlmath autograde ch04_numerics --student alice --student bob --force
    mlmath autograde ch04_numerics --jobs 8
    mlmath autograde ch04_numerics --scheduler tcp://10.0.0.5:8786
    mlmath autograde ch04_numerics --regrade --keep-higher --json
"""

from __future__ import annotations

import json
import os
import sys

HELP = "grade a whole class into nbgrader's gradebook (parallel, resumable)"


def add_arguments(parser) -> None:
    parser.add_argument("assignment", help="assignment id, e.g. ch04_numerics")
    parser.add_argument("--student", action="append", metavar="ID",
                        help="grade only this student (repeatable); default: everyone")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, metavar="N",
                        help="grading processes on this machine (default: all cores)")
    parser.add_argument("--scheduler", metavar="tcp://HOST:PORT",
                        help="grade on this Dask cluster instead of local processes")
    parser.add_argument("--force", action="store_true", help="regrade submissions already graded")
    parser.add_argument("--regrade", action="store_true",
                        help="grade everyone again (the graders changed) and list whose result changed")
    parser.add_argument("--keep-higher", action="store_true",
                        help="with --regrade: never lower a grade already given (implies --regrade)")
    parser.add_argument("--json", action="store_true",
                        help="print the outcome as one JSON object (the summary goes to stderr)")


def run(args) -> int:
    from mlmath.batch.discover import NoSuchStudent
    from mlmath.batch.executors import DaskExecutor, LocalExecutor
    from mlmath.batch.progress import Progress
    from mlmath.batch.run import BatchError, autograde
    from mlmath.batch.summary import summary_json, summary_text
    from mlmath.course import CourseError, find_root, load_course
    from mlmath.sandbox.launcher import isolation_warning

    if args.jobs < 1:
        print("mlmath autograde: --jobs must be at least 1", file=sys.stderr)
        return 2
    if args.scheduler:
        def executor(root, assignment):
            return DaskExecutor(args.scheduler, root, assignment)
    else:
        def executor(root, assignment):
            return LocalExecutor(args.jobs, root, assignment)
    if warning := isolation_warning():
        print(f"WARNING: {warning}", file=sys.stderr)
    progress = Progress()
    try:
        course = load_course(find_root())
        result = autograde(course, args.assignment, executor, students=args.student,
                           force=args.force or args.regrade or args.keep_higher, keep_higher=args.keep_higher,
                           on_start=progress.start, on_result=progress.result)
    except (CourseError, BatchError, NoSuchStudent, OSError) as error:
        progress.close()
        print(f"mlmath autograde: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        progress.close()
        print("mlmath autograde: interrupted; what finished is recorded, run again to go on",
              file=sys.stderr)
        return 130
    progress.close()
    summary = summary_text(result, course.assignment(args.assignment))
    if args.json:
        print(summary, file=sys.stderr)
        print(json.dumps(summary_json(result)))
    else:
        print(summary)
    return 1 if result.errors else 0
