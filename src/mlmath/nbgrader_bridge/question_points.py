"""The questions' answer cells take their points from the course configuration.

A question to think through is answered in a manually graded markdown cell,
``question_<exercise id>_<question id>``, whose nbgrader metadata carries its
points; ``nbgrader generate_assignment`` copies them into the release and the
gradebook.  Run first in that command, this step writes those points from
``course_config.py``, so they are set in one place, and stops the release when
the notebook and the configuration disagree: a question declared without its
cell, or a question cell that no exercise declares.
"""

from __future__ import annotations

from pathlib import Path

from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Unicode

from mlmath.course import CourseError, load_course

PREFIX = "question_"


class QuestionPoints(NbGraderPreprocessor):
    course_root = Unicode(help="the folder of course_config.py").tag(config=True)

    def preprocess(self, nb, resources):
        assignment = load_course(Path(self.course_root)).assignment(resources["nbgrader"]["assignment"])
        declared = assignment.question_points
        found = set()
        for cell in nb.cells:
            grade_id = cell.metadata.get("nbgrader", {}).get("grade_id", "")
            if not grade_id.startswith(PREFIX):
                continue
            if grade_id not in declared:
                raise CourseError(f"{assignment.id}: cell {grade_id} answers no question of course_config.py "
                                  "(declare it with questions=(Question(...),) on its exercise)")
            cell.metadata.nbgrader["points"] = declared[grade_id]
            found.add(grade_id)
        missing = set(declared) - found
        if missing and resources["nbgrader"]["notebook"] == Path(assignment.notebook).stem:
            raise CourseError(f"{assignment.id}: course_config.py declares questions the notebook has no "
                              f"answer cell for: {', '.join(sorted(missing))}")
        return nb, resources
