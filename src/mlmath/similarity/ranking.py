"""Which pairs of answers to one exercise are unusually alike, measured against the whole class.

Alike is not suspicious on its own: a short function that many learners write
the same way, or the one idiom everybody uses, makes many pairs alike.  So,
per exercise:

1. **Code the class has in common does not count.**  A fingerprint found in more
   than :data:`COMMON_SHARE` of the exercise's answers, or in more than
   :data:`COMMON_COUNT` of them, is common code, as with MOSS's ``-m``: it is
   dropped before any pair is compared (one found in at most
   :data:`ALWAYS_COUNTED` answers always counts).  A function that many
   learners write alike thus leaves no fingerprints, and no pairs.
2. Two answers' **similarity** is the Jaccard index of the fingerprints left:
   shared over all distinct ones of the two; 0 when they share fewer than
   :data:`MIN_SHARED` (a line or so of uncommon code).
3. Their **score** is how far that similarity lies above what is typical for the
   exercise, towards identical: ``(similarity - median) / (1 - median)``, the
   median taken over every pair of the exercise.  1 means identical in the code
   that is rare in the class; 0, as alike as a typical pair; an exercise where
   the typical pair is identical scores 0 throughout.

A pair is reported when its score reaches the threshold (:data:`THRESHOLD` by
default).  An exercise written by fewer than :data:`MIN_ANSWERS` learners has no
class to measure against, and no pairs.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse

from mlmath.similarity import THRESHOLD
from mlmath.similarity.fingerprint import Fingerprints

#: a fingerprint in more than this share of an exercise's answers is the class's common code ...
COMMON_SHARE = 0.2
#: ... and so is one in more than this many answers, whatever the class's size (MOSS's default)
COMMON_COUNT = 10
#: ... but one in at most two answers always counts (in a small class a fifth is one or two learners)
ALWAYS_COUNTED = 2
#: fewest fingerprints of uncommon code (about a line) two answers must share to be alike at all:
#: answers made mostly of common code keep a few fingerprints each, and a few match by chance
MIN_SHARED = 4
#: fewest written answers an exercise needs for a class to measure a pair against
MIN_ANSWERS = 5


@dataclass(frozen=True)
class Pair:
    exercise: str
    a: str              # student ids, a < b
    b: str
    similarity: float   # Jaccard index of the two answers' fingerprints, common code left out
    score: float        # the similarity above the exercise's median, as a share of the way to 1

    def reported(self, threshold: float = THRESHOLD) -> bool:
        return self.score >= threshold


def similarity_matrix(answers: list[Fingerprints]) -> np.ndarray:
    """Jaccard similarity of every two answers, over the fingerprints that are not common code
    (0 for two that share fewer than :data:`MIN_SHARED` of them)."""
    columns: dict[int, int] = {}
    rows, cols = [], []
    for row, fingerprints in enumerate(answers):
        for value in fingerprints.positions:
            rows.append(row)
            cols.append(columns.setdefault(value, len(columns)))
    matrix = sparse.csc_matrix((np.ones(len(rows), dtype=np.int32), (rows, cols)),
                               shape=(len(answers), len(columns)))
    found_in = np.asarray(matrix.sum(axis=0)).ravel()
    rare = matrix[:, found_in <= max(ALWAYS_COUNTED, min(COMMON_SHARE * len(answers), COMMON_COUNT))].tocsr()
    shared = (rare @ rare.T).toarray().astype(float)
    sizes = np.diag(shared).copy()
    union = sizes[:, None] + sizes[None, :] - shared
    shared[shared < MIN_SHARED] = 0
    return np.divide(shared, union, out=np.zeros_like(shared), where=union > 0)


def rank_exercise(exercise: str, answers: dict[str, Fingerprints]) -> list[Pair]:
    """Every pair of the exercise's written answers (those with fingerprints) that share any
    fingerprint, highest score first; none when fewer than :data:`MIN_ANSWERS` were written."""
    students = sorted(student for student, fingerprints in answers.items() if len(fingerprints))
    if len(students) < MIN_ANSWERS:
        return []
    upper = np.triu_indices(len(students), k=1)
    similarities = similarity_matrix([answers[s] for s in students])[upper]
    median = float(np.median(similarities))
    scores = (similarities - median) / (1 - median) if median < 1 else np.zeros_like(similarities)
    pairs = [Pair(exercise, students[i], students[j], float(s), float(z))
             for i, j, s, z in zip(*upper, similarities, scores) if s > 0]
    return sorted(pairs, key=lambda p: (-p.score, -p.similarity, p.a, p.b))
