"""Units of co-occurrence: which stretches of text count as "together". One registry entry each.

A unit never crosses a document, so every count is a sum over documents (the sampling unit
of the resampling intervals, and what lets partitions be counted apart and added). The
universe of units comes from the `sentences` table, so units without any mention count in N.
Adding a unit is one layout function and one `Unit` entry; `parse_unit`, the command line's
help and the notebooks' checks derive from `UNITS`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis import parameters

UNIT_COLUMNS: dict[str, str] = {
    "doc_id": "string",
    "unit": "int64",  # sentence index, paragraph index, window start sentence, 0 for a document
    "first_sentence": "int64",
    "last_sentence": "int64",
    "start": "int64",  # character span of the unit in documents.text
    "end": "int64",
}
_SENTENCE_NEEDS = ("doc_id", "paragraph", "sentence", "start", "end")


def require(frame: pd.DataFrame, columns: Iterable[str], table: str) -> None:
    """Fail naming the table and the columns it lacks."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{table} table is missing columns {missing}")


@dataclass(frozen=True)
class Sentences:
    """The sentences table as sorted integer arrays, checked once."""

    doc_ids: pd.Index  # sorted unique doc ids; doc codes index into it
    doc: np.ndarray  # doc code per sentence row, rows sorted by (document, sentence)
    sentence: np.ndarray
    paragraph: np.ndarray
    start: np.ndarray
    end: np.ndarray

    @property
    def doc_length(self) -> np.ndarray:
        return np.bincount(self.doc, minlength=len(self.doc_ids)).astype(np.int64)

    @property
    def doc_first(self) -> np.ndarray:
        length = self.doc_length
        return np.cumsum(length) - length


@dataclass(frozen=True)
class Layout:
    """The units of one kind over the sentence rows.

    Unit ``u`` covers sentence rows ``first[u]..last[u]``; sentence row ``r`` lies in units
    ``lo[r]..hi[r]`` (a range, so overlapping windows need no special case).
    """

    sentences: Sentences
    unit_doc: np.ndarray  # doc code per unit
    label: np.ndarray  # the unit's number within its document
    first: np.ndarray
    last: np.ndarray
    lo: np.ndarray
    hi: np.ndarray

    @property
    def n_units(self) -> int:
        return len(self.unit_doc)

    def table(self) -> pd.DataFrame:
        """The unit index as a DataFrame (one row per incidence row)."""
        s = self.sentences
        doc = s.doc_ids.take(self.unit_doc) if self.n_units else pd.Index([], dtype="string")
        frame = pd.DataFrame(
            {
                "doc_id": np.asarray(doc, dtype=object),
                "unit": self.label,
                "first_sentence": s.sentence[self.first],
                "last_sentence": s.sentence[self.last],
                "start": s.start[self.first],
                "end": s.end[self.last],
            }
        )
        return frame.astype(UNIT_COLUMNS)


def read_sentences(sentences: pd.DataFrame) -> Sentences:
    """Sort and check the sentences table: no null doc ids, no negative or repeated indices."""
    require(sentences, _SENTENCE_NEEDS, "sentences")
    if sentences["doc_id"].isna().any():
        raise ValueError("sentences table has rows with a null doc_id")
    codes, doc_ids = pd.factorize(sentences["doc_id"], sort=True)
    doc_ids = pd.Index(doc_ids, dtype="string")
    sent = sentences["sentence"].to_numpy(np.int64)
    par = sentences["paragraph"].to_numpy(np.int64)
    order = np.lexsort((sent, codes))
    codes, sent, par = codes[order].astype(np.int64), sent[order], par[order]
    if len(sent) and (sent.min() < 0 or par.min() < 0):
        raise ValueError("sentences table has negative sentence or paragraph indices")
    repeated = (codes[1:] == codes[:-1]) & (sent[1:] == sent[:-1])
    if repeated.any():
        i = int(np.flatnonzero(repeated)[0])
        raise ValueError(f"sentences table lists sentence {sent[i]} of document {doc_ids[codes[i]]!r} twice")
    start = sentences["start"].to_numpy(np.int64)[order]
    end = sentences["end"].to_numpy(np.int64)[order]
    return Sentences(doc_ids, codes, sent, par, start, end)


def sentence_units(s: Sentences, k: int) -> Layout:
    """Each sentence is a unit."""
    rows = np.arange(len(s.doc), dtype=np.int64)
    return Layout(s, s.doc, s.sentence, rows, rows, rows, rows)


def paragraph_units(s: Sentences, k: int) -> Layout:
    """Each paragraph (a blank-line-separated block of the text) is a unit."""
    n = len(s.doc)
    rows = np.arange(n, dtype=np.int64)
    width = int(s.paragraph.max()) + 1 if n else 1
    uniq, inverse = np.unique(s.doc * width + s.paragraph, return_inverse=True)
    inverse = inverse.astype(np.int64).ravel()
    first = np.full(len(uniq), n, dtype=np.int64)
    last = np.zeros(len(uniq), dtype=np.int64)
    np.minimum.at(first, inverse, rows)
    np.maximum.at(last, inverse, rows)
    return Layout(s, uniq // width, uniq % width, first, last, inverse, inverse)


def document_units(s: Sentences, k: int) -> Layout:
    """Each document is one unit."""
    ndoc = len(s.doc_ids)
    first = s.doc_first
    return Layout(s, np.arange(ndoc, dtype=np.int64), np.zeros(ndoc, dtype=np.int64), first,
                  first + s.doc_length - 1, s.doc, s.doc)


def window_units(s: Sentences, k: int) -> Layout:
    """Every run of k consecutive sentences of a document (a shorter document is one window)."""
    rows = np.arange(len(s.doc), dtype=np.int64)
    length, doc_first = s.doc_length, s.doc_first
    pos = rows - doc_first[s.doc]
    nwin = np.maximum(length - k + 1, 1)
    win_first = np.cumsum(nwin) - nwin
    unit_doc = np.repeat(np.arange(len(s.doc_ids), dtype=np.int64), nwin)
    local = np.arange(int(nwin.sum()), dtype=np.int64) - win_first[unit_doc]
    first = doc_first[unit_doc] + local
    last = doc_first[unit_doc] + np.minimum(local + k - 1, length[unit_doc] - 1)
    lo = win_first[s.doc] + np.maximum(pos - k + 1, 0)
    hi = win_first[s.doc] + np.minimum(pos, nwin[s.doc] - 1)
    return Layout(s, unit_doc, s.sentence[first], first, last, lo, hi)


@dataclass(frozen=True)
class Unit:
    """One kind of unit: its layout function and what it means to a reader."""

    name: str
    layout: Callable[[Sentences, int], Layout]
    meaning: str
    takes_length: bool = False  # written 'name:K', K a positive integer


UNITS: dict[str, Unit] = {
    unit.name: unit
    for unit in (
        Unit("sentence", sentence_units, "both named in the same sentence"),
        Unit("paragraph", paragraph_units, "both named in the same paragraph"),
        Unit("document", document_units, "both named in the same document"),
        Unit("window", window_units, "both named within K consecutive sentences", takes_length=True),
    )
}
UNIT_CHOICES: tuple[str, ...] = tuple(f"{u.name}:K" if u.takes_length else u.name for u in UNITS.values())


def _split(unit: object) -> tuple[str, int] | None:
    if isinstance(unit, str):
        name, sep, rest = unit.partition(":")
        entry = UNITS.get(name)
        if entry is not None and not entry.takes_length and not sep:
            return name, 1
        if entry is not None and entry.takes_length and sep and rest.isascii() and rest.isdigit() and int(rest) > 0:
            return name, int(rest)
    return None


parameters.provide("unit", lambda: UNIT_CHOICES, lambda unit: _split(unit) is not None)


def parse_unit(unit: object) -> tuple[str, int]:
    """Split a unit spec into ``(name, k)`` so that every entry point validates units alike.

    ``k`` is the window length for ``'window:K'`` and 1 for the other units.
    """
    split = _split(unit)
    if split is None:
        raise parameters.TABLE["unit"].fail(unit)
    return split


def layout(sentences: pd.DataFrame | Sentences, unit: str) -> Layout:
    """The units named by `unit` over a sentences table."""
    name, k = parse_unit(unit)
    rows = sentences if isinstance(sentences, Sentences) else read_sentences(sentences)
    return UNITS[name].layout(rows, k)


def unit_meaning(unit: str) -> str:
    """What a unit spec means in words ('both named within 3 consecutive sentences')."""
    name, k = parse_unit(unit)
    return UNITS[name].meaning.replace(" K ", f" {k} ")
