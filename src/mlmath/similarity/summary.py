"""The end of a similarity run, for people: the reported pairs as a table, then a summary."""

from __future__ import annotations

from mlmath.similarity.compare import ClassSimilarity
from mlmath.similarity.ranking import MIN_ANSWERS


def pairs_table(result: ClassSimilarity) -> str:
    rows = [("score", "similarity", "exercise", "student", "student")]
    rows += [(f"{p.score:.2f}", f"{p.similarity:.2f}", p.exercise, p.a, p.b) for p in result.reported]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(cell.rjust(width) if n < 2 else cell.ljust(width)
                               for n, (cell, width) in enumerate(zip(row, widths))).rstrip()
                     for row in rows)


def summary_text(result: ClassSimilarity) -> str:
    read = len(result.answers)
    lines = [f"{read} submission(s) read in {result.seconds:.1f} s; "
             f"{len(result.reported)} pair(s) of answers at or above {result.threshold:g} "
             f"({len(result.pairs)} pairs share some code that is not common in the class)."]
    if result.reported:
        per_exercise = {}
        for pair in result.reported:
            per_exercise[pair.exercise] = per_exercise.get(pair.exercise, 0) + 1
        lines.append("By exercise: " + ", ".join(f"{e} {n}" for e, n in per_exercise.items()) + ".")
    if result.too_few:
        lines.append(f"Not compared (fewer than {MIN_ANSWERS} written answers): {', '.join(result.too_few)}.")
    for unread in result.unread:
        lines.append(f"NOT READ {unread.student}: {unread.reason}")
    return "\n".join(lines)
