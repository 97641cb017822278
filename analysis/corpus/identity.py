"""The identity of a corpus: one hash of its documents and problems, added up as it streams by."""

from __future__ import annotations

import hashlib

import pandas as pd

from analysis.corpus.problems import PROBLEM_COLUMNS
from analysis.schema import DOCUMENT_COLUMNS


def _row_digests(frame: pd.DataFrame, kind: str) -> int:
    """The sum of one SHA-256 per row of `frame`, over every column: each value length-prefixed
    (-1 for null), so no two different rows serialise alike."""
    serialised = pd.Series(kind, index=frame.index, dtype="string")
    for column in frame.columns:
        value = frame[column].astype("string")
        length = value.str.len().fillna(-1).astype("int64").astype("string")
        serialised = serialised + "\x1f" + length + ":" + value.fillna("")
    return sum(int.from_bytes(hashlib.sha256(row.encode()).digest(), "big") for row in serialised)


class CorpusFingerprint:
    """The identity of a corpus for deciding whether a report is current: every document row
    (each column, the text through its sha256, so dates, titles and sources count too) and
    every problem row, one SHA-256 each, added modulo 2**256. Added up batch by batch as the
    corpus streams past, it does not depend on the order rows arrive in, so the batches of
    `iter_corpus` and the sorted table of `read_corpus` give the same value."""

    _MODULUS = 2**256

    def __init__(self) -> None:
        self._total = 0

    def add(self, documents: pd.DataFrame, problems: pd.DataFrame | None = None) -> CorpusFingerprint:
        described = documents[[column for column in DOCUMENT_COLUMNS if column != "text"]]
        self._total = (self._total + _row_digests(described, "document")) % self._MODULUS
        if problems is not None and len(problems):
            self._total = (self._total + _row_digests(problems[list(PROBLEM_COLUMNS)], "problem")) % self._MODULUS
        return self

    def hexdigest(self) -> str:
        return hashlib.sha256(self._total.to_bytes(32, "big")).hexdigest()[:16]


def corpus_fingerprint(documents: pd.DataFrame, problems: pd.DataFrame | None = None) -> str:
    """A short hash of a whole documents table (and its problems): the identity of a corpus."""
    return CorpusFingerprint().add(documents, problems).hexdigest()
