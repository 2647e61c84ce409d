"""The model answers to the questions to think through, shown only once the learner's own is written.

Each question (``Question`` in ``course_config.py``) is answered in words in a
markdown cell ``question_<exercise>_<question>``; its model answer is that cell's
solution region in ``source/``, which nbgrader replaces by its text stub in
``release/``.  A self-learner working in a clone of the course sees a model
answer — with ``reveal("softmax")`` in the notebook or ``mlmath check --answers``
— only once their own answer cell for that question holds something other than
the stub; the question itself is the markdown cell just above its answer cell.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

#: what nbgrader's ClearSolutions (its default ``text_stub``) leaves in a release answer cell
TEXT_STUB = "YOUR ANSWER HERE"
_SOLUTION = re.compile(r"^[ \t]*### BEGIN SOLUTION[ \t]*\n(.*?)^[ \t]*### END SOLUTION", re.MULTILINE | re.DOTALL)
_NO_REPOSITORY = ("The model answers come with the course repository (its source/ folder), "
                  "which this copy does not have: ask your instructor.")


@dataclass(frozen=True)
class QuestionStatus:
    exercise: str
    question: str
    grade_id: str
    prompt: str
    answered: bool
    model_answer: str | None      # None until the learner's own answer is written

    @property
    def label(self) -> str:
        return f"{self.exercise} / {self.question}"


def is_answered(text: str) -> bool:
    """Written: neither empty nor the release's stub."""
    return text.strip() not in ("", TEXT_STUB)


def _cells_by_grade_id(notebook: dict) -> list[tuple[str, str]]:
    return [(str(cell.get("metadata", {}).get("nbgrader", {}).get("grade_id", "")), cell.get("source", ""))
            for cell in notebook.get("cells", [])]


def question_statuses(course, assignment, learner_notebook: dict,
                      exercises: set[str] | None = None) -> list[QuestionStatus]:
    """Every question of the assignment (or of ``exercises``), with its model answer where answered."""
    from mlmath.course import CourseError
    from mlmath.notebook import read_notebook

    source = _cells_by_grade_id(read_notebook(course.source_dir / assignment.id / assignment.notebook))
    position = {grade_id: index for index, (grade_id, _) in enumerate(source) if grade_id}
    learner = dict(_cells_by_grade_id(learner_notebook))
    statuses = []
    for exercise in assignment.exercises:
        if exercises is not None and exercise.id not in exercises:
            continue
        for question in exercise.questions:
            grade_id = exercise.question_grade_id(question)
            if grade_id not in position:
                raise CourseError(f"the source notebook of {assignment.id} has no answer cell {grade_id}")
            index = position[grade_id]
            answered = is_answered(learner.get(grade_id, ""))
            model = _SOLUTION.search(source[index][1])
            statuses.append(QuestionStatus(
                exercise.id, question.id, grade_id, prompt=source[index - 1][1].strip(), answered=answered,
                model_answer=(model.group(1).strip() if model else "") if answered else None))
    return statuses


def answers_text(statuses: list[QuestionStatus]) -> str:
    """The model answers of the answered questions, then the questions still unanswered."""
    answered = [s for s in statuses if s.answered]
    lines = [f"questions to think through: {len(answered)} of {len(statuses)} answered"]
    for status in answered:
        lines += ["", f"{status.label} — the model answer:", *("    " + line for line in
                                                              status.model_answer.splitlines())]
    unanswered = [s.label for s in statuses if not s.answered]
    if unanswered:
        lines += ["", "still unanswered (write your answer in its cell first): " + ", ".join(unanswered)]
    return "\n".join(lines)


# -- in the notebook -----------------------------------------------------------------------
def _this_notebook(assignment) -> Path:
    """The notebook this kernel runs: JupyterLab tells the kernel its path (``__session__``,
    from $JPY_SESSION_NAME); elsewhere, the assignment's notebook in the working folder."""
    session = os.environ.get("JPY_SESSION_NAME", "")
    try:
        from IPython import get_ipython
        shell = get_ipython()
        session = (shell.user_ns.get("__session__") if shell is not None else None) or session
    except ImportError:
        pass
    if session.endswith(".ipynb") and Path(session).is_file():
        return Path(session)
    return Path.cwd() / assignment.notebook


def reveal_markdown(exercise: str, notebook: str | Path | None = None) -> str:
    """What ``reveal`` shows, as Markdown."""
    from mlmath.course import CourseError, find_root, load_course
    from mlmath.notebook import NotebookError, read_notebook

    try:
        course = load_course(find_root())
    except CourseError:
        return _NO_REPOSITORY
    owners = [a for a in course.assignments if any(e.id == exercise for e in a.exercises)]
    if len(owners) != 1:
        return f"There is no exercise {exercise!r} in this course."
    assignment = owners[0]
    if not (course.source_dir / assignment.id / assignment.notebook).is_file():
        return _NO_REPOSITORY
    path = Path(notebook) if notebook else _this_notebook(assignment)
    try:
        statuses = question_statuses(course, assignment, read_notebook(path), {exercise})
    except (NotebookError, CourseError) as error:
        return f"Cannot show the model answers: {error}"
    if not statuses:
        return f"{exercise} has no question to think through."
    parts = []
    for status in statuses:
        if status.answered:
            parts.append(f"**{status.label} — the model answer**\n\n{status.model_answer}")
        else:
            parts.append(f"**{status.label}**: write your own answer in its cell first, save the notebook "
                         "(Ctrl+S), then run `reveal` again.")
    return "\n\n".join(parts)


def reveal(exercise: str, notebook: str | Path | None = None) -> None:
    """Show the model answers to the questions of ``exercise`` you have answered in this notebook
    (as last saved); for the others, say that your own answer comes first."""
    text = reveal_markdown(exercise, notebook)
    try:
        from IPython.display import Markdown, display
        display(Markdown(text))
    except ImportError:
        print(text)
