"""The report's section on copied work: the unusually alike pairs, the top ones side by side.

Student ids and code are learners' work: every piece is escaped where it
enters the page (code segment by segment, around the ``<mark>`` of a match),
and cut, like every other text of the report.
"""

from __future__ import annotations

from html import escape

from mlmath.report.html import Html, _identifier, _p, _section, _table, _text
from mlmath.similarity.compare import ClassSimilarity
from mlmath.similarity.ranking import MIN_ANSWERS, Pair
from mlmath.similarity.regions import Segment, matching_segments

#: pairs listed in the table, and pairs shown side by side
LISTED, SIDE_BY_SIDE = 50, 5
#: the most characters of one answer shown
CODE_LIMIT = 4000

_COLUMNS = "display:flex;gap:12px;align-items:flex-start"
_FIGURE = "flex:1;min-width:0;margin:0"
_CODE = ("margin:4px 0;padding:8px;background:#f6f8fa;border:1px solid #d8dee4;border-radius:6px;"
         "font:12px/1.45 ui-monospace,'DejaVu Sans Mono',monospace;white-space:pre-wrap;"
         "overflow-wrap:anywhere")
_MARK = "background:#ffd8a8"


def similarity_section(result: ClassSimilarity) -> Html:
    reported = result.reported
    intro = _p(f"Pairs of submissions whose answers to one exercise are unusually alike, most alike first. "
               f"Names, numbers, strings, comments, blank lines and the order of functions are ignored, "
               f"and so is the code the release notebook provides and the code many learners wrote alike. "
               f"A score of 1 means identical where the class differs, 0 as alike as a typical pair; "
               f"pairs scoring at least {result.threshold:g} are listed.")
    parts = [intro]
    if reported:
        rows = [(n, _identifier(p.exercise), p.a, p.b, f"{p.score:.2f}", f"{p.similarity:.2f}")
                for n, p in enumerate(reported[:LISTED], 1)]
        parts.append(_table(["#", "exercise", "student", "student", "score", "similarity"], rows,
                            numeric={0, 4, 5}, table_id="similarity-table"))
        if len(reported) > LISTED:
            parts.append(_p(f"… and {len(reported) - LISTED} more pairs (mlmath similarity "
                            f"{result.assignment} lists them all).", muted=True))
        parts += [_side_by_side(result, pair) for pair in reported[:SIDE_BY_SIDE]]
    else:
        parts.append(_p(f"No pair of answers reaches the threshold of {result.threshold:g}."))
    if result.too_few:
        parts.append(_p(f"Not compared (fewer than {MIN_ANSWERS} written answers): "
                        f"{', '.join(result.too_few)}.", muted=True))
    if result.unread:
        parts.append(_table(["student", "could not be read"], [(u.student, u.reason) for u in result.unread],
                            table_id="similarity-unread-table"))
    return _section("similarity", "Unusually alike answers", *parts)


def _side_by_side(result: ClassSimilarity, pair: Pair) -> Html:
    fingerprints = result.fingerprints[pair.exercise]
    segments_a, segments_b = matching_segments(
        result.answers[pair.a][pair.exercise], fingerprints[pair.a],
        result.answers[pair.b][pair.exercise], fingerprints[pair.b])
    heading = Html(f"<h3>{_identifier(pair.exercise)} · {_text(pair.a)} and {_text(pair.b)} · "
                   f"score {pair.score:.2f}</h3>")
    return Html(f"{heading}<div class='side-by-side' style=\"{_COLUMNS}\">"
                f"{_figure(pair.a, segments_a)}{_figure(pair.b, segments_b)}</div>")


def _figure(student: str, segments: list[Segment]) -> str:
    return (f"<figure style=\"{_FIGURE}\"><figcaption>{_text(student)}</figcaption>"
            f"<pre style=\"{_CODE}\">{_code(segments)}</pre></figure>")


def _code(segments: list[Segment]) -> str:
    """The segments as escaped text, the matching ones marked, cut after :data:`CODE_LIMIT` characters."""
    out, left = [], CODE_LIMIT
    for text, matched in segments:
        piece = escape(text[:left])
        out.append(f"<mark style=\"{_MARK}\">{piece}</mark>" if matched else piece)
        left -= len(text)
        if left <= 0:
            out.append("\n…")
            break
    return "".join(out)
