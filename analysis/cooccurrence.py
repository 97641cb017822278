"""Who appears with whom: units, sparse incidence, association measures, periods, evidence.

Every number here is a sparse product over the `mentions` table. A *unit* (sentence,
paragraph, document or a sliding window of K sentences) is a row of a 0/1 incidence matrix
whose columns are keys; the co-occurrence count of two keys is one entry of ``X.T @ X``.
The universe of units comes from the `sentences` table, not from `mentions`, so units
without any mention still count in N and the association measures stay honest.

Everything is computed on integer codes; strings are only attached to the (small) final
tables, which keeps a million-mention corpus to a few seconds.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
from scipy import sparse
from scipy.special import erfc

from analysis.schema import ACTOR_CATEGORIES, empty_frame

UNITS: tuple[str, ...] = ("sentence", "paragraph", "document", "window:K")
LEVELS: tuple[str, ...] = ("actor", "affiliation")
PAIRS: tuple[str, ...] = ("actor-actor", "actor-theme")
MEASURES: tuple[str, ...] = ("count", "expected", "jaccard", "pmi", "npmi", "llr", "lift")
FREQS: tuple[str, ...] = ("month", "quarter")
KINDS: tuple[str, ...] = ("actor", "theme")
UNDATED = "undated"

PAIR_COLUMNS: dict[str, str] = {
    "a_key": "string",
    "a_name": "string",
    "a_category": "string",
    "b_key": "string",
    "b_name": "string",
    "b_category": "string",
    "count": "int64",
    "a_units": "int64",
    "b_units": "int64",
    "n_units": "int64",
    "expected": "float64",
    "jaccard": "float64",
    "pmi": "float64",
    "npmi": "float64",
    "llr": "float64",
    "p_value": "float64",
    "lift": "float64",
}
PERIOD_PAIR_COLUMNS: dict[str, str] = {"period": "string", **PAIR_COLUMNS}
UNIT_COLUMNS: dict[str, str] = {
    "doc_id": "string",
    "unit": "int64",  # sentence index, paragraph index, window start sentence, 0 for a document
    "first_sentence": "int64",
    "last_sentence": "int64",
    "start": "int64",  # character span of the unit in documents.text
    "end": "int64",
}
KEY_COLUMNS: dict[str, str] = {
    "key": "string",
    "name": "string",
    "kind": "string",
    "category": "string",
}
UNIT_COUNT_COLUMNS: dict[str, str] = {**KEY_COLUMNS, "units": "int64", "mentions": "int64"}
EVIDENCE_COLUMNS: dict[str, str] = {
    "doc_id": "string",
    "date": "datetime64[s]",
    "unit": "int64",
    "passage": "string",
    "a_text": "string",
    "b_text": "string",
    "a_start": "int64",
    "a_end": "int64",
    "b_start": "int64",
    "b_end": "int64",
    "html": "string",
}
# Numeric columns of a pair table: what a matrix or a graph edge can carry.
VALUE_COLUMNS: tuple[str, ...] = (
    "count",
    "a_units",
    "b_units",
    "n_units",
    "expected",
    "jaccard",
    "pmi",
    "npmi",
    "llr",
    "p_value",
    "lift",
)
_SENTENCE_NEEDS = ("doc_id", "paragraph", "sentence", "start", "end")
_MENTION_NEEDS = ("doc_id", "sentence", "kind", "key", "name", "category")


# --------------------------------------------------------------------------- validation


def parse_unit(unit: str) -> tuple[str, int]:
    """Split a unit spec into ``(name, k)`` so that every entry point validates units alike.

    ``k`` is the window length for ``'window:K'`` and 1 for the other units.
    """
    if isinstance(unit, str):
        if unit in ("sentence", "paragraph", "document"):
            return unit, 1
        name, sep, rest = unit.partition(":")
        if name == "window" and sep and rest.isascii() and rest.isdigit() and int(rest) > 0:
            return "window", int(rest)
    raise ValueError(
        f"unknown unit {unit!r}; expected one of 'sentence', 'paragraph', 'document' "
        "or 'window:K' with K a positive integer (e.g. 'window:3')"
    )


def _choice(value: object, valid: tuple[str, ...], what: str) -> str:
    if not isinstance(value, str) or value not in valid:
        raise ValueError(f"unknown {what} {value!r}; expected one of {list(valid)}")
    return value


def _positive_int(value: object, what: str, *, allow_none: bool = False) -> int | None:
    if value is None and allow_none:
        return None
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 1:
        expected = "a positive integer" + (" or None" if allow_none else "")
        raise ValueError(f"invalid {what} {value!r}; expected {expected}")
    return int(value)


def _categories(categories: Iterable[str] | str | None) -> tuple[str, ...] | None:
    if categories is None:
        return None
    values = (categories,) if isinstance(categories, str) else tuple(categories)
    bad = [c for c in values if c not in ACTOR_CATEGORIES]
    if bad:
        raise ValueError(
            f"unknown actor categories {bad}; expected values from {list(ACTOR_CATEGORIES)}"
        )
    return values


def _require(frame: pd.DataFrame, columns: Iterable[str], table: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{table} table is missing columns {missing}")


# --------------------------------------------------------------------------- units


@dataclass(frozen=True)
class _Layout:
    """The units of one kind over the sentences table, as integer arrays.

    Sentence rows are sorted by (document, sentence). Unit ``u`` covers sentence rows
    ``first[u]..last[u]``; sentence row ``r`` lies in units ``lo[r]..hi[r]`` (a range, so
    that overlapping windows need no special case).
    """

    doc_ids: pd.Index  # sorted unique doc ids; the doc codes index into it
    row_doc: np.ndarray  # doc code per sentence row
    row_sentence: np.ndarray
    row_start: np.ndarray
    row_end: np.ndarray
    unit_doc: np.ndarray  # doc code per unit
    unit_label: np.ndarray
    first: np.ndarray
    last: np.ndarray
    lo: np.ndarray
    hi: np.ndarray

    @property
    def n_units(self) -> int:
        return len(self.unit_doc)

    def table(self) -> pd.DataFrame:
        """The unit index as a DataFrame (one row per incidence row)."""
        doc = self.doc_ids.take(self.unit_doc) if self.n_units else pd.Index([], dtype="string")
        frame = pd.DataFrame(
            {
                "doc_id": np.asarray(doc, dtype=object),
                "unit": self.unit_label,
                "first_sentence": self.row_sentence[self.first],
                "last_sentence": self.row_sentence[self.last],
                "start": self.row_start[self.first],
                "end": self.row_end[self.last],
            }
        )
        return frame.astype(UNIT_COLUMNS)


def _layout(sentences: pd.DataFrame, name: str, k: int) -> _Layout:
    """Build the units of one kind; windows are ranges so no Python loop is needed."""
    _require(sentences, _SENTENCE_NEEDS, "sentences")
    if sentences["doc_id"].isna().any():
        raise ValueError("sentences table has rows with a null doc_id")
    codes, doc_ids = pd.factorize(sentences["doc_id"], sort=True)
    doc_ids = pd.Index(doc_ids, dtype="string")
    sent = sentences["sentence"].to_numpy(np.int64)
    par = sentences["paragraph"].to_numpy(np.int64)
    order = np.lexsort((sent, codes))
    codes, sent, par = codes[order].astype(np.int64), sent[order], par[order]
    start = sentences["start"].to_numpy(np.int64)[order]
    end = sentences["end"].to_numpy(np.int64)[order]
    n, ndoc = len(sent), len(doc_ids)
    if n and (sent.min() < 0 or par.min() < 0):
        raise ValueError("sentences table has negative sentence or paragraph indices")
    dup = (codes[1:] == codes[:-1]) & (sent[1:] == sent[:-1])
    if dup.any():
        i = int(np.flatnonzero(dup)[0])
        raise ValueError(
            f"sentences table lists sentence {sent[i]} of document {doc_ids[codes[i]]!r} twice"
        )
    rows = np.arange(n, dtype=np.int64)
    length = np.bincount(codes, minlength=ndoc).astype(np.int64)
    doc_first = np.cumsum(length) - length
    if name == "sentence":
        unit_doc, label, first, last, lo = codes, sent, rows, rows, rows
        hi = rows
    elif name == "document":
        unit_doc = np.arange(ndoc, dtype=np.int64)
        label = np.zeros(ndoc, dtype=np.int64)
        first, last = doc_first, doc_first + length - 1
        lo = hi = codes
    elif name == "paragraph":
        width = int(par.max()) + 1 if n else 1
        uniq, inverse = np.unique(codes * width + par, return_inverse=True)
        inverse = inverse.astype(np.int64).ravel()
        unit_doc, label = uniq // width, uniq % width
        first = np.full(len(uniq), n, dtype=np.int64)
        last = np.zeros(len(uniq), dtype=np.int64)
        np.minimum.at(first, inverse, rows)
        np.maximum.at(last, inverse, rows)
        lo = hi = inverse
    else:  # window of k sentences; a document shorter than k is one window
        pos = rows - doc_first[codes]
        nwin = np.maximum(length - k + 1, 1)
        win_first = np.cumsum(nwin) - nwin
        unit_doc = np.repeat(np.arange(ndoc, dtype=np.int64), nwin)
        local = np.arange(int(nwin.sum()), dtype=np.int64) - win_first[unit_doc]
        first = doc_first[unit_doc] + local
        last = doc_first[unit_doc] + np.minimum(local + k - 1, length[unit_doc] - 1)
        label = sent[first]
        lo = win_first[codes] + np.maximum(pos - k + 1, 0)
        hi = win_first[codes] + np.minimum(pos, nwin[codes] - 1)
    return _Layout(doc_ids, codes, sent, start, end, unit_doc, label, first, last, lo, hi)


def _expand(lo: np.ndarray, hi: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """All (i, u) with lo[i] <= u <= hi[i], vectorised (a mention lies in up to K windows)."""
    counts = hi - lo + 1
    idx = np.repeat(np.arange(len(lo), dtype=np.int64), counts)
    offset = np.arange(int(counts.sum()), dtype=np.int64) - np.repeat(
        np.cumsum(counts) - counts, counts
    )
    return idx, lo[idx] + offset


def _mention_rows(layout: _Layout, mentions: pd.DataFrame) -> np.ndarray:
    """The sentence row of every mention; a mention outside `sentences` is an error.

    Doc ids are factorised on the mention side and only the distinct ones are looked up,
    and a sentence row is found by arithmetic (documents number their sentences
    contiguously), with a binary search only for the rows where that guess misses.
    """
    codes, uniques = pd.factorize(mentions["doc_id"])
    mdoc = layout.doc_ids.get_indexer(uniques).astype(np.int64)
    mdoc = np.where(codes >= 0, mdoc[np.maximum(codes, 0)] if len(mdoc) else -1, -1)
    msent = mentions["sentence"].to_numpy(np.int64)
    n = len(layout.row_sentence)
    ok = mdoc >= 0
    pos = np.zeros(len(msent), dtype=np.int64)
    if n:
        length = np.bincount(layout.row_doc, minlength=len(layout.doc_ids))
        doc_first = np.cumsum(length) - length
        safe = np.where(ok, mdoc, 0)
        local = msent - layout.row_sentence[np.minimum(doc_first[safe], n - 1)]
        pos = np.clip(doc_first[safe] + local, 0, n - 1)
        hit = ok & (local >= 0) & (local < length[safe]) & (layout.row_sentence[pos] == msent)
        miss = np.flatnonzero(ok & ~hit)
        if len(miss):  # a document with gaps in its sentence numbers
            width = int(max(layout.row_sentence.max(), msent[miss].max())) + 1
            skey = layout.row_doc * width + layout.row_sentence
            mkey = mdoc[miss] * width + msent[miss]
            found = np.clip(np.searchsorted(skey, mkey), 0, n - 1)
            pos[miss] = found
            hit[miss] = skey[found] == mkey
        ok = hit
    else:
        ok[:] = False
    if not ok.all():
        bad = mentions.loc[~ok, ["doc_id", "sentence"]].drop_duplicates().head(5)
        listed = ", ".join(f"({d!r}, {s})" for d, s in bad.itertuples(index=False))
        raise ValueError(
            f"{int((~ok).sum())} mentions point to sentences missing from the sentences "
            f"table, e.g. (doc_id, sentence) {listed}"
        )
    return pos


# --------------------------------------------------------------------------- incidence


def _effective_keys(mentions: pd.DataFrame, level: str) -> pd.Series:
    """The key each mention counts for at `level`: affiliation for affiliated actors."""
    key = mentions["key"].astype("string")
    if level == "affiliation":
        _require(mentions, ("affiliation",), "mentions")
        aff = mentions["affiliation"].astype("string")
        roll = (
            (mentions["kind"] == "actor").fillna(False).to_numpy(bool)
            & aff.notna().to_numpy(bool)
            & (aff != "").fillna(False).to_numpy(bool)
        )
        key = key.mask(roll, aff)
    return key


def _key_table(
    mentions: pd.DataFrame, keys: pd.Index, names: Mapping[str, str] | None
) -> pd.DataFrame:
    """Name, kind and category of each key, from the mention rows carrying that key.

    A rolled-up affiliation key nobody mentions directly takes its name from `names`, else
    the key itself, and has kind 'actor' and an unknown (null) category.
    """
    meta = (
        mentions[["key", "name", "kind", "category"]]
        .drop_duplicates("key")
        .astype("string")
        .set_index("key")
        .reindex(keys)
    )
    key = pd.Series(np.asarray(keys, dtype=object), index=keys, dtype="string")
    fallback = key.map(dict(names)) if names else pd.Series(pd.NA, index=keys, dtype="string")
    name = meta["name"].fillna(fallback.astype("string")).fillna(key)
    table = pd.DataFrame(
        {
            "key": key.to_numpy(),
            "name": name.to_numpy(),
            "kind": meta["kind"].fillna("actor").to_numpy(),
            "category": meta["category"].to_numpy(),
        }
    )
    return table.astype(KEY_COLUMNS)


@dataclass(frozen=True)
class _Incidence:
    matrix: sparse.csr_matrix  # units x keys, 0/1
    keys: pd.DataFrame
    layout: _Layout
    mention_key: np.ndarray  # key code per mention
    mention_row: np.ndarray  # sentence row per mention


def _check_mentions(mentions: pd.DataFrame) -> None:
    _require(mentions, _MENTION_NEEDS, "mentions")
    if mentions["key"].isna().any():
        raise ValueError("mentions table has rows with a null key")
    kinds = set(mentions["kind"].dropna().unique()) - set(KINDS)
    if kinds or mentions["kind"].isna().any():
        bad = sorted(map(str, kinds)) or [None]
        raise ValueError(f"unknown mention kind {bad}; expected one of {list(KINDS)}")


def _build(
    mentions: pd.DataFrame,
    sentences: pd.DataFrame,
    unit: str,
    level: str,
    names: Mapping[str, str] | None,
) -> _Incidence:
    name, k = parse_unit(unit)
    _choice(level, LEVELS, "level")
    _check_mentions(mentions)
    layout = _layout(sentences, name, k)
    rows = _mention_rows(layout, mentions)
    effective = _effective_keys(mentions, level)
    codes, uniques = pd.factorize(effective, sort=True)
    codes = codes.astype(np.int64)
    keys = _key_table(mentions, pd.Index(uniques, dtype="string"), names)
    idx, units = _expand(layout.lo[rows], layout.hi[rows])
    data = np.ones(len(units), dtype=np.int64)
    matrix = sparse.csr_matrix(
        (data, (units, codes[idx])), shape=(layout.n_units, len(keys)), dtype=np.int64
    )
    matrix.sum_duplicates()
    matrix.data[:] = 1  # presence, not counts
    return _Incidence(matrix, keys, layout, codes, rows)


def incidence(
    mentions: pd.DataFrame,
    sentences: pd.DataFrame,
    unit: str = "sentence",
    level: str = "actor",
    *,
    names: Mapping[str, str] | None = None,
) -> tuple[sparse.csr_matrix, pd.DataFrame, pd.DataFrame]:
    """The 0/1 units x keys matrix behind every co-occurrence number, with its two indexes.

    Rows follow the unit index (doc_id, unit, first_sentence, last_sentence, start, end),
    which lists every unit of `sentences`, mentioned or not; columns follow the key index
    (key, name, kind, category), sorted by key. At level 'affiliation' an actor mention
    with an affiliation counts for the affiliation key; themes are never rolled up.
    """
    inc = _build(mentions, sentences, unit, level, names)
    return inc.matrix, inc.layout.table(), inc.keys


def unit_counts(
    mentions: pd.DataFrame,
    sentences: pd.DataFrame,
    unit: str = "sentence",
    level: str = "actor",
    *,
    names: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """How many units each key appears in (and how many mention rows it has), most first.

    These are the margins (a_units, b_units) of every pair table, so a reader can check
    a measure against them.
    """
    inc = _build(mentions, sentences, unit, level, names)
    table = inc.keys.copy()
    table["units"] = np.asarray(inc.matrix.sum(axis=0), dtype=np.int64).ravel()
    table["mentions"] = np.bincount(inc.mention_key, minlength=len(table)).astype(np.int64)
    order = np.lexsort((np.arange(len(table)), -table["units"].to_numpy()))
    return table.iloc[order].reset_index(drop=True).astype(UNIT_COUNT_COLUMNS)


# --------------------------------------------------------------------------- measures


def association_measures(
    count: np.ndarray, a_units: np.ndarray, b_units: np.ndarray, n_units: int | np.ndarray
) -> dict[str, np.ndarray]:
    """Every association measure from the 2x2 table of two keys over N units, vectorised.

    Kept separate from the sparse product so the formulas can be checked on their own:
    expected = a*b/N, lift = count/expected, pmi = log2(lift), npmi = pmi / -log2(count/N)
    (1 when count == N), jaccard = count/(a+b-count), llr = Dunning's G2 with 0*log 0 = 0
    and p_value its chi-squared (1 dof) tail.
    """
    c = np.asarray(count, dtype=np.float64)
    a = np.asarray(a_units, dtype=np.float64)
    b = np.asarray(b_units, dtype=np.float64)
    n = np.broadcast_to(np.asarray(n_units, dtype=np.float64), c.shape)
    with np.errstate(divide="ignore", invalid="ignore"):
        expected = a * b / n
        lift = c / expected
        pmi = np.log2(lift)
        denominator = -np.log2(c / n)
        npmi = np.where(c == n, 1.0, pmi / denominator)
        npmi = np.clip(npmi, -1.0, 1.0)
        jaccard = c / (a + b - c)
        llr = np.zeros_like(c)
        na, nb = n - a, n - b
        for k, row, col in (
            (c, a, b),
            (a - c, a, nb),
            (b - c, na, b),
            (n - a - b + c, na, nb),
        ):
            e = row * col / n
            ratio = np.divide(k, e, out=np.ones_like(k), where=k > 0)
            llr += np.where(k > 0, k * np.log(ratio), 0.0)
        llr = np.maximum(2.0 * llr, 0.0)
    return {
        "expected": expected,
        "jaccard": jaccard,
        "pmi": pmi,
        "npmi": npmi,
        "llr": llr,
        "p_value": erfc(np.sqrt(llr / 2.0)),  # = chi2.sf(llr, 1), 60x faster
        "lift": lift,
    }


def _pair_frame(
    matrix: sparse.csr_matrix,
    keys: pd.DataFrame,
    pairs: str,
    min_count: int,
    measure: str,
    top: int | None,
    categories: tuple[str, ...] | None,
) -> pd.DataFrame:
    """Pairs of one incidence matrix: sparse product, measures, sort, then strings."""
    n = matrix.shape[0]
    kind = keys["kind"].to_numpy(dtype=object)
    actor = kind == "actor"
    if categories is not None:
        actor &= keys["category"].isin(categories).fillna(False).to_numpy(bool)
    a_idx = np.flatnonzero(actor)
    b_idx = a_idx if pairs == "actor-actor" else np.flatnonzero(kind == "theme")
    if n == 0 or len(a_idx) == 0 or len(b_idx) == 0:
        return empty_frame(PAIR_COLUMNS)
    columns = matrix.tocsc()
    a_matrix = columns[:, a_idx]
    b_matrix = a_matrix if pairs == "actor-actor" else columns[:, b_idx]
    product = (a_matrix.T.tocsr() @ b_matrix).tocoo()
    keep = product.data >= min_count
    if pairs == "actor-actor":
        keep &= product.row < product.col  # each unordered pair once, no self pairs
    ai = a_idx[product.row[keep]]
    bi = b_idx[product.col[keep]]
    count = product.data[keep].astype(np.int64)
    if len(count) == 0:
        return empty_frame(PAIR_COLUMNS)
    units = np.asarray(matrix.sum(axis=0), dtype=np.int64).ravel()
    values = {
        "count": count.astype(np.float64),
        **association_measures(count, units[ai], units[bi], n),
    }
    order = np.lexsort((bi, ai, -values[measure]))
    if top is not None:
        order = order[:top]
    ai, bi = ai[order], bi[order]
    frame = pd.DataFrame(
        {
            "a_key": keys["key"].array.take(ai),
            "a_name": keys["name"].array.take(ai),
            "a_category": keys["category"].array.take(ai),
            "b_key": keys["key"].array.take(bi),
            "b_name": keys["name"].array.take(bi),
            "b_category": keys["category"].array.take(bi),
            "count": count[order],
            "a_units": units[ai],
            "b_units": units[bi],
            "n_units": np.full(len(order), n, dtype=np.int64),
            **{m: values[m][order] for m in PAIR_COLUMNS if m in values and m != "count"},
        }
    )
    return frame.astype(PAIR_COLUMNS)


def _pair_options(
    pairs: str,
    min_count: int,
    measure: str,
    top: int | None,
    categories: Iterable[str] | str | None,
) -> tuple[str, int, str, int | None, tuple[str, ...] | None]:
    return (
        _choice(pairs, PAIRS, "pairs"),
        _positive_int(min_count, "min_count"),
        _choice(measure, MEASURES, "measure"),
        _positive_int(top, "top", allow_none=True),
        _categories(categories),
    )


def pair_table(
    mentions: pd.DataFrame,
    sentences: pd.DataFrame,
    pairs: str = "actor-actor",
    unit: str = "sentence",
    level: str = "actor",
    min_count: int = 1,
    measure: str = "count",
    top: int | None = None,
    categories: Iterable[str] | str | None = None,
    *,
    names: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Co-occurring pairs with their counts, margins and association measures.

    'actor-actor' lists each unordered pair once (a_key < b_key) and never a key with
    itself; 'actor-theme' has the actor in a and the theme in b. Rows are sorted by
    `measure` descending, then a_key, b_key, so that the table is reproducible;
    `top` keeps the first rows, `categories` keeps actors of those categories only
    (an affiliation key nobody mentions directly has no category and is then dropped).
    """
    pairs, min_count, measure, top, cats = _pair_options(pairs, min_count, measure, top, categories)
    inc = _build(mentions, sentences, unit, level, names)
    return _pair_frame(inc.matrix, inc.keys, pairs, min_count, measure, top, cats)


def period_labels(dates: pd.Series, freq: str = "month") -> pd.Series:
    """The period of each date as a string ('2021-02' or '2021Q1'; 'undated' for NaT).

    Strings sort chronologically and survive CSV round trips; keeping undated rows in a
    named period means a time slice never silently loses documents. The index is kept.
    """
    freq = _choice(freq, FREQS, "freq")
    dates = pd.to_datetime(dates, errors="coerce")
    if freq == "month":
        label = dates.dt.strftime("%Y-%m")
    else:
        label = (
            dates.dt.year.astype("Int64").astype("string")
            + "Q"
            + dates.dt.quarter.astype("Int64").astype("string")
        )
    return label.astype("string").fillna(UNDATED)


def _doc_lookup(documents: pd.DataFrame, doc_ids: pd.Index, columns: list[str]) -> pd.DataFrame:
    """Rows of `documents` for the given doc ids; a document missing there is an error."""
    _require(documents, ["doc_id", *columns], "documents")
    table = documents.drop_duplicates("doc_id").set_index("doc_id")[columns]
    table.index = table.index.astype("string")
    missing = doc_ids.difference(table.index)
    if len(missing):
        raise ValueError(
            f"{len(missing)} documents of the sentences table are missing from the documents "
            f"table, e.g. {list(missing[:5])}"
        )
    return table.reindex(doc_ids)


def pair_table_by_period(
    mentions: pd.DataFrame,
    sentences: pd.DataFrame,
    documents: pd.DataFrame,
    freq: str = "month",
    pairs: str = "actor-actor",
    unit: str = "sentence",
    level: str = "actor",
    min_count: int = 1,
    measure: str = "count",
    top: int | None = None,
    categories: Iterable[str] | str | None = None,
    *,
    names: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """`pair_table` per month ('2021-02') or quarter ('2021Q1'), with a leading period column.

    N and the margins are those of the period, so measures compare like with like.
    Undated documents form their own 'undated' period (last) rather than vanishing;
    `top` applies within each period.
    """
    freq = _choice(freq, FREQS, "freq")
    pairs, min_count, measure, top, cats = _pair_options(pairs, min_count, measure, top, categories)
    inc = _build(mentions, sentences, unit, level, names)
    layout = inc.layout
    dates = _doc_lookup(documents, layout.doc_ids, ["date"])["date"]
    labels = period_labels(dates, freq).to_numpy(dtype=object)
    periods = sorted(set(labels) - {UNDATED}) + ([UNDATED] if UNDATED in set(labels) else [])
    code_of = {p: i for i, p in enumerate(periods)}
    doc_period = np.array([code_of[p] for p in labels], dtype=np.int64)
    unit_period = doc_period[layout.unit_doc]
    order = np.argsort(unit_period, kind="stable")
    bounds = np.searchsorted(unit_period[order], np.arange(len(periods) + 1))
    by_row = inc.matrix[order]
    frames = []
    for i, period in enumerate(periods):
        block = by_row[bounds[i] : bounds[i + 1]]
        frame = _pair_frame(block, inc.keys, pairs, min_count, measure, top, cats)
        if len(frame):
            frame.insert(0, "period", period)
            frames.append(frame)
    if not frames:
        return empty_frame(PERIOD_PAIR_COLUMNS)
    return pd.concat(frames, ignore_index=True).astype(PERIOD_PAIR_COLUMNS)


# --------------------------------------------------------------------------- matrices


def _labels(table: pd.DataFrame, keys: pd.Index, labels: str) -> pd.Index:
    if _choice(labels, ("key", "name"), "labels") == "key":
        return keys
    names = pd.concat(
        [
            table[["a_key", "a_name"]].set_axis(["key", "name"], axis=1),
            table[["b_key", "b_name"]].set_axis(["key", "name"], axis=1),
        ]
    ).drop_duplicates("key")
    name = names.set_index("key")["name"].reindex(keys).fillna(pd.Series(keys, index=keys))
    clash = name.duplicated(keep=False)
    name = name.where(~clash, name + " (" + pd.Series(keys, index=keys, dtype="string") + ")")
    return pd.Index(name.to_numpy(), dtype="string")


def _value_column(table: pd.DataFrame, value: str) -> np.ndarray:
    _choice(value, VALUE_COLUMNS, "value")
    _require(table, ["a_key", "b_key", value], "pair")
    if table.duplicated(["a_key", "b_key"]).any():
        raise ValueError(
            "pair table lists a pair more than once (a table by period?); "
            "select one period before building a matrix"
        )
    return table[value].to_numpy(dtype=np.float64)


def square_matrix(
    table: pd.DataFrame, value: str = "count", *, labels: str = "key", fill: float = 0.0
) -> pd.DataFrame:
    """The full symmetric key x key matrix of an actor-actor table, for heatmaps.

    The pair table lists each pair once; the matrix mirrors it. Missing pairs and the
    diagonal get `fill`. `labels` is 'key' or 'name' (a clashing name gets its key added).
    """
    values = _value_column(table, value)
    keys = pd.Index(sorted(set(table["a_key"]) | set(table["b_key"])), dtype="string")
    ia, ib = keys.get_indexer(table["a_key"]), keys.get_indexer(table["b_key"])
    grid = np.full((len(keys), len(keys)), fill, dtype=np.float64)
    grid[ia, ib] = values
    grid[ib, ia] = values
    index = _labels(table, keys, labels)
    return pd.DataFrame(grid, index=index.copy(), columns=index.copy())


def cross_matrix(
    table: pd.DataFrame, value: str = "count", *, labels: str = "key", fill: float = 0.0
) -> pd.DataFrame:
    """The a x b matrix of a pair table (actors x themes for 'actor-theme'), for heatmaps."""
    values = _value_column(table, value)
    rows = pd.Index(sorted(set(table["a_key"])), dtype="string")
    cols = pd.Index(sorted(set(table["b_key"])), dtype="string")
    grid = np.full((len(rows), len(cols)), fill, dtype=np.float64)
    grid[rows.get_indexer(table["a_key"]), cols.get_indexer(table["b_key"])] = values
    return pd.DataFrame(
        grid, index=_labels(table, rows, labels), columns=_labels(table, cols, labels)
    )


# --------------------------------------------------------------------------- evidence


def _highlight(passage: str, a: tuple[int, int], b: tuple[int, int]) -> str:
    """Escape the text pieces, then wrap them in marks, so markup in the text stays inert.

    Cutting at every span boundary keeps the HTML well nested even if the spans overlap.
    """
    cuts = sorted({0, len(passage), *a, *b})
    pieces = []
    for lo, hi in zip(cuts[:-1], cuts[1:], strict=True):
        piece = html.escape(passage[lo:hi])
        if b[0] <= lo and hi <= b[1]:
            piece = f'<mark class="b">{piece}</mark>'
        if a[0] <= lo and hi <= a[1]:
            piece = f'<mark class="a">{piece}</mark>'
        pieces.append(piece)
    return "".join(pieces)


def _first_in_unit(inc: _Incidence, mentions: pd.DataFrame, code: int) -> pd.DataFrame:
    """The first mention (by offset) of one key in each unit that contains it."""
    which = np.flatnonzero(inc.mention_key == code)
    rows = inc.mention_row[which]
    idx, units = _expand(inc.layout.lo[rows], inc.layout.hi[rows])
    picked = mentions.iloc[which[idx]]
    frame = pd.DataFrame(
        {
            "unit_id": units,
            "start": picked["start"].to_numpy(np.int64),
            "end": picked["end"].to_numpy(np.int64),
            "text": picked["text"].astype("string").to_numpy(),
        }
    )
    return frame.sort_values(["unit_id", "start", "end"], kind="stable").drop_duplicates("unit_id")


def evidence(
    mentions: pd.DataFrame,
    sentences: pd.DataFrame,
    documents: pd.DataFrame,
    a_key: str,
    b_key: str,
    unit: str = "sentence",
    level: str = "actor",
    limit: int | None = None,
    *,
    names: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """The passages behind a pair's count, with both mentions located and highlighted.

    One row per unit containing both keys (so the row count equals the pair's count),
    sorted by date (undated last), doc_id, unit. Offsets are relative to the passage;
    `html` is the escaped passage with <mark class="a"> / <mark class="b"> around the
    first mention of each key in the unit.
    """
    limit = _positive_int(limit, "limit", allow_none=True)
    _require(mentions, ("start", "end", "text"), "mentions")
    inc = _build(mentions, sentences, unit, level, names)
    keys = pd.Index(inc.keys["key"])
    codes = []
    for key in (a_key, b_key):
        code = keys.get_indexer([key])[0] if isinstance(key, str) else -1
        if code < 0:
            few = list(keys[:10])
            raise ValueError(
                f"unknown key {key!r} at level {level!r}; valid keys include {few}"
                + (f" ({len(keys)} in all)" if len(keys) > 10 else "")
            )
        codes.append(int(code))
    if codes[0] == codes[1]:
        raise ValueError(f"a_key and b_key are the same key {a_key!r}; expected two keys")
    first_a = _first_in_unit(inc, mentions, codes[0])
    first_b = _first_in_unit(inc, mentions, codes[1])
    both = first_a.merge(first_b, on="unit_id", suffixes=("_a", "_b"))
    if both.empty:
        return empty_frame(EVIDENCE_COLUMNS)
    layout = inc.layout
    uid = both["unit_id"].to_numpy(np.int64)
    doc_code = layout.unit_doc[uid]
    doc_ids = layout.doc_ids.take(doc_code)
    docs = _doc_lookup(documents, layout.doc_ids.take(np.unique(doc_code)), ["date", "text"])
    span_start = layout.row_start[layout.first[uid]]
    span_end = layout.row_end[layout.last[uid]]
    texts = docs["text"].reindex(doc_ids).to_numpy(dtype=object)
    passages = [str(t)[s:e] for t, s, e in zip(texts, span_start, span_end, strict=True)]
    a_start = both["start_a"].to_numpy() - span_start
    a_end = both["end_a"].to_numpy() - span_start
    b_start = both["start_b"].to_numpy() - span_start
    b_end = both["end_b"].to_numpy() - span_start
    frame = pd.DataFrame(
        {
            "doc_id": np.asarray(doc_ids, dtype=object),
            "date": pd.to_datetime(docs["date"].reindex(doc_ids), errors="coerce").to_numpy(),
            "unit": layout.unit_label[uid],
            "passage": passages,
            "a_text": both["text_a"].to_numpy(),
            "b_text": both["text_b"].to_numpy(),
            "a_start": a_start,
            "a_end": a_end,
            "b_start": b_start,
            "b_end": b_end,
            "html": [
                _highlight(p, (s1, e1), (s2, e2))
                for p, s1, e1, s2, e2 in zip(passages, a_start, a_end, b_start, b_end, strict=True)
            ],
        }
    )
    frame = frame.sort_values(["date", "doc_id", "unit"], na_position="last", kind="stable")
    if limit is not None:
        frame = frame.head(limit)
    return frame.reset_index(drop=True).astype(EVIDENCE_COLUMNS)


# --------------------------------------------------------------------------- graphs


def to_graph(
    pair_table: pd.DataFrame,
    mentions: pd.DataFrame | None = None,
    *,
    level: str = "actor",
) -> nx.Graph:
    """A network of the pairs, for Gephi or networkx: keys as nodes, measures on edges.

    Nodes carry name, label (= name, which Gephi shows) and category, plus kind and the
    number of mention rows when `mentions` is given (counted at `level`, so that rolled-up
    affiliation keys count their members' mentions). Edges carry every value column, with
    NaN replaced by 0, and weight = count. GraphML and GEXF need plain Python values,
    so that is what is stored.
    """
    _choice(level, LEVELS, "level")
    _require(pair_table, ["a_key", "a_name", "a_category", "b_key", "b_name", "b_category"], "pair")
    if pair_table.duplicated(["a_key", "b_key"]).any():
        raise ValueError(
            "pair table lists a pair more than once (a table by period?); "
            "select one period before building a graph"
        )
    nodes = pd.concat(
        [
            pair_table[[f"{side}_key", f"{side}_name", f"{side}_category"]].set_axis(
                ["key", "name", "category"], axis=1
            )
            for side in ("a", "b")
        ]
    ).drop_duplicates("key")
    nodes = nodes.astype("string").fillna("")
    graph = nx.Graph()
    counts: dict[str, int] = {}
    kinds: dict[str, str] = {}
    if mentions is not None:
        effective = _effective_keys(mentions, level)
        counts = {str(k): int(v) for k, v in effective.value_counts().items()}
        kinds = {
            str(k): str(v)
            for k, v in mentions.drop_duplicates("key").set_index("key")["kind"].items()
        }
    for key, name, category in nodes.itertuples(index=False):
        attrs: dict[str, object] = {
            "name": str(name),
            "label": str(name),
            "category": str(category),
        }
        if mentions is not None:
            attrs["kind"] = kinds.get(str(key), "actor")
            attrs["mentions"] = counts.get(str(key), 0)
        graph.add_node(str(key), **attrs)
    present = [c for c in VALUE_COLUMNS if c in pair_table.columns]
    values = pair_table[present].astype("float64").fillna(0.0)
    ints = {"count", "a_units", "b_units", "n_units"}
    records = [
        {c: (int(v) if c in ints else float(v)) for c, v in zip(present, row, strict=True)}
        for row in values.itertuples(index=False)
    ]
    for a, b, attrs in zip(pair_table["a_key"], pair_table["b_key"], records, strict=True):
        if "count" in attrs:
            attrs["weight"] = attrs["count"]
        graph.add_edge(str(a), str(b), **attrs)
    return graph


def write_graph(graph: nx.Graph, path: str | Path) -> Path:
    """Write GraphML (.graphml) or GEXF (.gexf), chosen by suffix so the caller cannot mismatch."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".graphml":
        nx.write_graphml(graph, path)
    elif suffix == ".gexf":
        nx.write_gexf(graph, path)
    else:
        raise ValueError(
            f"unknown graph file suffix {path.suffix!r} of {str(path)!r}; "
            "expected one of ['.graphml', '.gexf']"
        )
    return path
