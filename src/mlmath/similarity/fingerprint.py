"""Fingerprints of normalised code: copydetect's winnowing over k-grams of tokens.

Winnowing (Schleimer, Wilkerson and Aiken, SIGMOD 2003; copydetect's
implementation) keeps, from the hashes of every run of ``K`` consecutive
tokens, the smallest in each window of ``WINDOW`` hashes: any shared run of at
least ``K + WINDOW - 1`` tokens is then sure to share a fingerprint, and a
shared run shorter than ``K`` tokens never counts.  Fingerprints that also
occur anywhere in the release notebook (the stubs and provided code every
learner starts from) are dropped.

The k-gram hashes are BLAKE2 digests of the tokens, not Python's ``hash``
(which copydetect uses, and which changes from one process to the next), so the
same class gives the same scores on every run.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

import numpy as np
from copydetect.utils import find_fingerprint_overlap, winnow

from mlmath.similarity.normalise import Token

#: tokens in a k-gram: a shared run shorter than this (a call with its arguments) is noise
K = 6
#: winnowing window: a shared run of K + WINDOW - 1 tokens (about one line) is always found
WINDOW = 3


@dataclass(frozen=True)
class Fingerprints:
    """The fingerprints of one answer, and where each occurs in its normalised tokens."""

    positions: dict[int, list[int]] = field(default_factory=dict)   # hash -> k-gram starts

    @property
    def hashes(self) -> set[int]:
        return set(self.positions)

    def __len__(self) -> int:
        return len(self.positions)


def kgram_hashes(tokens: list[Token]) -> np.ndarray:
    """The hash of every run of :data:`K` consecutive tokens, in order."""
    texts = [token.text for token in tokens]
    return np.array([int.from_bytes(hashlib.blake2b("\x00".join(texts[i:i + K]).encode("utf-8", "surrogatepass"),
                                                    digest_size=8).digest(), "little", signed=True)
                     for i in range(len(texts) - K + 1)], dtype=np.int64)


def fingerprint(tokens: list[Token], boilerplate: np.ndarray) -> Fingerprints:
    """The winnowed fingerprints of ``tokens`` minus those in ``boilerplate`` (k-gram hashes)."""
    hashes = kgram_hashes(tokens)
    if len(hashes) == 0:
        return Fingerprints()
    selected, starts = winnow(hashes, WINDOW, remove_duplicates=False)
    keep = ~np.isin(selected, boilerplate)
    positions: dict[int, list[int]] = {}
    for value, start in zip(selected[keep].tolist(), starts[keep].tolist()):
        positions.setdefault(value, []).append(start)
    return Fingerprints(positions)


def shared_tokens(a: Fingerprints, b: Fingerprints) -> tuple[set[int], set[int]]:
    """The indices of the tokens of ``a`` and of ``b`` covered by a fingerprint they share."""
    starts_a, starts_b = find_fingerprint_overlap(a.hashes, b.hashes, a.positions, b.positions)
    return ({i for start in starts_a.tolist() for i in range(start, start + K)},
            {i for start in starts_b.tolist() for i in range(start, start + K)})
