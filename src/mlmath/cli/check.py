"""Grade one notebook with the hidden graders, in the sandbox, and show the result.

Exit status is 0 whenever grading ran, whatever the score; 2 when it could
not (not a notebook, unknown assignment, no graders...), with the reason.

The course's warm grader does the grading (started by the first check, it exits
after ten idle minutes; see mlmath.grading.service); MLMATH_WARM_GRADER=0 grades
in this process instead.

With --answers it also shows the model answers to the questions to think
through that the notebook answers, and names those still unanswered.

Examples:
    mlmath check release/ch04_numerics/numerics.ipynb
    mlmath check numerics.ipynb --json
    mlmath check numerics.ipynb --answers
    mlmath check numerics.ipynb --hints
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HELP = "grade one notebook (self-study), as a table or --json"


def add_arguments(parser) -> None:
    parser.add_argument("notebook", type=Path, help="the .ipynb file to grade")
    parser.add_argument("--assignment", help="assignment id, if the file name does not tell it")
    parser.add_argument("--exercise", action="append", metavar="ID",
                        help="grade only this exercise (repeatable); default: all")
    parser.add_argument("--json", action="store_true", help="print exactly one JSON object")
    parser.add_argument("--hints", action="store_true", help="also show how to fix each failed check")
    parser.add_argument("--answers", action="store_true",
                        help="also show the model answers to the questions you have answered")


def run(args) -> int:
    from mlmath.course import CourseError, find_root, load_course
    from mlmath.notebook import NotebookError

    request = {"notebook": str(args.notebook.resolve()), "assignment": args.assignment,
               "exercises": args.exercise, "hints": args.hints}
    try:
        course = load_course(find_root(args.notebook.resolve().parent))
        answer = _grade(course, request)
        questions = _questions(course, answer, args) if args.answers and answer["ok"] else None
    except (CourseError, NotebookError, OSError) as error:
        answer = {"ok": False, "error": str(error)}
    if not answer["ok"]:
        print(f"mlmath check: cannot grade {args.notebook}: {answer['error']}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps({**answer["report"], **_questions_json(questions)}))
        for note in answer["notes"]:
            print(f"note: {note}", file=sys.stderr)
    else:
        print(answer["text"])
        if questions is not None:
            from mlmath.answers import answers_text
            print("\n" + answers_text(questions))
    return 0


def _grade(course, request: dict) -> dict:
    """The course's warm grader's answer, or grading in this process when there is none."""
    from mlmath import service_client

    try:
        return service_client.ask(course.root, request, course.limits.submission_seconds + 60)
    except service_client.WarmGraderUnavailable:
        from mlmath.grading.service import grade_request
        return grade_request(request)


def _questions(course, answer: dict, args):
    from mlmath.answers import question_statuses
    from mlmath.notebook import read_notebook

    return question_statuses(course, course.assignment(answer["report"]["assignment"]),
                             read_notebook(args.notebook), set(args.exercise) if args.exercise else None)


def _questions_json(questions) -> dict:
    if questions is None:
        return {}
    return {"questions": {q.grade_id: {"exercise": q.exercise, "answered": q.answered,
                                       "model_answer": q.model_answer} for q in questions}}
