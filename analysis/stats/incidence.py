"""The 0/1 units x keys incidence of a corpus: which keys (at a level) each unit contains.

Everything is computed on integer codes: mentions are placed in their sentence rows by
arithmetic, each mention marks every unit that contains its sentence (a sentence lies in up
to K windows), and keys are factorised once, sorted, so column i of the matrix is row i of
the key table.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse

from analysis import parameters
from analysis.stats import units
from analysis.stats.tables import KEY_COLUMNS, require
from analysis.stats.units import Layout

KINDS: tuple[str, ...] = ("actor", "theme")
_MENTION_NEEDS = ("doc_id", "sentence", "kind", "key", "name", "category")


def _check_mentions(mentions: pd.DataFrame) -> None:
    require(mentions, _MENTION_NEEDS, "mentions")
    if mentions["key"].isna().any():
        raise ValueError("mentions table has rows with a null key")
    kinds = set(mentions["kind"].dropna().unique()) - set(KINDS)
    if kinds or mentions["kind"].isna().any():
        bad = sorted(map(str, kinds)) or [None]
        raise ValueError(f"unknown mention kind {bad}; expected one of {list(KINDS)}")


def expand(lo: np.ndarray, hi: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """All (i, u) with lo[i] <= u <= hi[i], vectorised (a mention lies in up to K windows)."""
    counts = hi - lo + 1
    idx = np.repeat(np.arange(len(lo), dtype=np.int64), counts)
    offset = np.arange(int(counts.sum()), dtype=np.int64) - np.repeat(np.cumsum(counts) - counts, counts)
    return idx, lo[idx] + offset


def _mention_rows(layout: Layout, mentions: pd.DataFrame) -> np.ndarray:
    """The sentence row of every mention; a mention outside `sentences` is an error.

    Doc ids are factorised on the mention side and only the distinct ones are looked up,
    and a sentence row is found by arithmetic (documents number their sentences
    contiguously), with a binary search only for the rows where that guess misses.
    """
    s = layout.sentences
    codes, uniques = pd.factorize(mentions["doc_id"])
    mdoc = s.doc_ids.get_indexer(uniques).astype(np.int64)
    mdoc = np.where(codes >= 0, mdoc[np.maximum(codes, 0)] if len(mdoc) else -1, -1)
    msent = mentions["sentence"].to_numpy(np.int64)
    n = len(s.sentence)
    ok = mdoc >= 0
    pos = np.zeros(len(msent), dtype=np.int64)
    if n:
        length, doc_first = s.doc_length, s.doc_first
        safe = np.where(ok, mdoc, 0)
        local = msent - s.sentence[np.minimum(doc_first[safe], n - 1)]
        pos = np.clip(doc_first[safe] + local, 0, n - 1)
        hit = ok & (local >= 0) & (local < length[safe]) & (s.sentence[pos] == msent)
        miss = np.flatnonzero(ok & ~hit)
        if len(miss):  # a document with gaps in its sentence numbers
            width = int(max(s.sentence.max(), msent[miss].max())) + 1
            skey = s.doc * width + s.sentence
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


def effective_keys(mentions: pd.DataFrame, level: str) -> pd.Series:
    """The key each mention counts for at `level`: affiliation for affiliated actors."""
    key = mentions["key"].astype("string")
    if level == "affiliation":
        require(mentions, ("affiliation",), "mentions")
        aff = mentions["affiliation"].astype("string")
        roll = (
            (mentions["kind"] == "actor").fillna(False).to_numpy(bool)
            & aff.notna().to_numpy(bool)
            & (aff != "").fillna(False).to_numpy(bool)
        )
        key = key.mask(roll, aff)
    return key


def _key_table(mentions: pd.DataFrame, keys: pd.Index, names: Mapping[str, str] | None) -> pd.DataFrame:
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
class Incidence:
    """The 0/1 units x keys matrix and where each mention sits in it."""

    matrix: sparse.csr_matrix  # units x keys, 0/1, sorted indices
    keys: pd.DataFrame  # key, name, kind, category; row i is column i, sorted by key
    layout: Layout
    mention_key: np.ndarray  # key code per mention
    mention_row: np.ndarray  # sentence row per mention


def build_incidence(
    mentions: pd.DataFrame, sentences: pd.DataFrame, unit: str = "sentence", level: str = "actor",
    names: Mapping[str, str] | None = None,
) -> Incidence:
    """Lay out the units and mark which keys each contains (at `level`)."""
    parameters.check("level", level)
    _check_mentions(mentions)
    layout = units.layout(sentences, unit)
    rows = _mention_rows(layout, mentions)
    codes, uniques = pd.factorize(effective_keys(mentions, level), sort=True)
    codes = codes.astype(np.int64)
    keys = _key_table(mentions, pd.Index(uniques, dtype="string"), names)
    idx, unit_index = expand(layout.lo[rows], layout.hi[rows])
    matrix = sparse.csr_matrix(
        (np.ones(len(unit_index), dtype=np.int64), (unit_index, codes[idx])),
        shape=(layout.n_units, len(keys)), dtype=np.int64,
    )
    matrix.sum_duplicates()
    matrix.data[:] = 1  # presence, not counts
    return Incidence(matrix, keys, layout, codes, rows)

