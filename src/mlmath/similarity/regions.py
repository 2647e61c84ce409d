"""Where two answers match, on the learners' own code: the text cut into matching and other segments.

The match is found on the normalised tokens (see :mod:`~mlmath.similarity.normalise`);
every token covered by a shared fingerprint is mapped back to the characters
it came from, and neighbouring matched tokens are joined when only layout
(spaces, line breaks) separates them.  Provided code never matches: its
fingerprints were dropped.
"""

from __future__ import annotations

from mlmath.similarity.answers import Answer
from mlmath.similarity.fingerprint import Fingerprints, shared_tokens

Segment = tuple[str, bool]     # a piece of the answer's text, and whether it matches the other answer


def matching_segments(a: Answer, fingerprints_a: Fingerprints, b: Answer,
                      fingerprints_b: Fingerprints) -> tuple[list[Segment], list[Segment]]:
    """Each answer's text as segments, the parts that match the other answer marked."""
    covered_a, covered_b = shared_tokens(fingerprints_a, fingerprints_b)
    return _segments(a, covered_a), _segments(b, covered_b)


def _segments(answer: Answer, covered: set[int]) -> list[Segment]:
    text = answer.text
    tokens = answer.tokens()
    spans = sorted((tokens[i].start, tokens[i].end) for i in covered if i < len(tokens))
    merged: list[list[int]] = []
    for start, end in spans:
        if start >= end:
            continue       # a DEDENT: it has no text
        if merged and not text[merged[-1][1]:start].strip():
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    segments: list[Segment] = []
    position = 0
    for start, end in merged:
        if start > position:
            segments.append((text[position:start], False))
        segments.append((text[start:end], True))
        position = end
    if position < len(text):
        segments.append((text[position:], False))
    return segments
