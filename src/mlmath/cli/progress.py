"""Grade every chapter notebook in a folder and show the course's progress.

FOLDER (default: the course's release/) holds the chapters either as release/
does, FOLDER/<assignment>/<notebook>, or as a flat folder of the chapters'
notebook files. Each is graded with the hidden graders, as `mlmath check` does;
a chapter with no notebook is "not started", one that cannot be graded says why.
Prints one table (chapters × exercises, score, what is left, the total) and
draws the same as a picture.

Exit status is 0 whenever the table was made, whatever the scores; 2 when it
could not be (no such folder, no course, the picture cannot be written).

Examples:
    mlmath progress
    mlmath progress ~/work/mlmath-notebooks --out ~/progress.png
    mlmath progress release/ --json
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HELP = "grade every chapter in a folder (self-study): the course's progress as a table and a picture"
PICTURE = "progress.png"


def add_arguments(parser) -> None:
    parser.add_argument("folder", type=Path, nargs="?",
                        help="the folder of chapter notebooks (default: the course's release/)")
    parser.add_argument("--out", type=Path, metavar="PATH",
                        help=f"where to write the picture (default: FOLDER/{PICTURE})")
    parser.add_argument("--json", action="store_true", help="print exactly one JSON object")


def run(args) -> int:
    from mlmath.course import CourseError, find_root, load_course
    from mlmath.progress import grade_progress, progress_text
    from mlmath.progress_picture import write_picture

    try:
        course = load_course(find_root(*([args.folder.resolve()] if args.folder else [])))
        folder = (args.folder or course.release_dir).resolve()
        if not folder.is_dir():
            raise CourseError(f"{folder} is not a folder")
        progress = grade_progress(folder, course)
        picture = write_picture(progress, (args.out or folder / PICTURE).resolve())
    except (CourseError, OSError) as error:
        print(f"mlmath progress: {error}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps({**progress.to_json(), "picture": str(picture)}))
        for note in progress.notes:
            print(f"note: {note}", file=sys.stderr)
    else:
        print(progress_text(progress))
        print(f"\npicture: {picture}")
        print("the messages of a chapter's checks: mlmath check NOTEBOOK")
        for note in progress.notes:
            print(f"\nnote: {note}")
    return 0
