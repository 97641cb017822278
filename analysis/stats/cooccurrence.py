"""Who appears with whom: one co-occurrence model, built once, asked for pairs, periods, evidence.

`Cooccurrence.build(mentions, sentences, unit, level)` lays out the units (`analysis.stats.units`),
builds the 0/1 units x keys incidence once, and reduces it to additive counts per document
(`DocumentCounts`: units with each key, units with each pair, units in all). Every number of
a pair table is a sum over documents of those counts, which is what makes three things cheap
and exact: document support (in how many documents a pair co-occurs), a document bootstrap
(a replicate is weights x counts, `analysis.stats.resampling`), and partitions (documents counted
apart and added, `analysis.stats.partitions`, `analysis.annotate.distributed`). Measures are a registry
(`analysis.stats.measures`), so are units (`analysis.stats.units`); rankings follow `analysis.stats.ranking`.

Everything is computed on integer codes; strings are only attached to the (small) final
tables, which keeps a million-mention corpus to a few seconds.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
from scipy import sparse

from analysis.reports.presentation import highlight
from analysis.schema import ACTOR_CATEGORIES, empty_frame
from analysis.stats import ranking, resampling, units
from analysis.stats.measures import MEASURES as MEASURE_REGISTRY
from analysis.stats.measures import compute_all
from analysis.stats.measures import measure as registered_measure
from analysis.stats.resampling import Bootstrap
from analysis.stats.units import Layout, parse_unit

UNITS: tuple[str, ...] = units.UNIT_CHOICES
LEVELS: tuple[str, ...] = ("actor", "affiliation")
PAIRS: tuple[str, ...] = ("actor-actor", "actor-theme")
MEASURES: tuple[str, ...] = tuple(MEASURE_REGISTRY)
FREQS: tuple[str, ...] = ("month", "quarter")
KINDS: tuple[str, ...] = ("actor", "theme")
UNDATED = "undated"

_LEAD_COLUMNS = ("a_key", "a_name", "b_key", "b_name", "count", "documents", "expected")
_STRING_COLUMNS = ("a_key", "a_name", "a_category", "b_key", "b_name", "b_category")
_SUPPORT_COLUMNS = ("a_category", "b_category", "a_units", "b_units", "n_units", "a_mentions", "b_mentions")
_INT_COLUMNS = ("count", "documents", "a_units", "b_units", "n_units", "a_mentions", "b_mentions")


def pair_columns(measure: str = "count", with_interval: bool = False) -> dict[str, str]:
    """Columns of a pair table, in order: the lead the issue tracker fixed, then the chosen
    measure with its interval, then margins, the other measures and the q-value."""
    registered_measure(measure)
    names = list(_LEAD_COLUMNS)
    if measure not in names:
        names.append(measure)
    if with_interval:
        at = names.index(measure) + 1
        names[at:at] = [f"{measure}_low", f"{measure}_high"]
    names += [c for c in (*_SUPPORT_COLUMNS, *MEASURE_REGISTRY, "q_value") if c not in names]
    return {c: "string" if c in _STRING_COLUMNS else "int64" if c in _INT_COLUMNS else "float64" for c in names}


PAIR_COLUMNS: dict[str, str] = pair_columns()
PERIOD_PAIR_COLUMNS: dict[str, str] = {"period": "string", **PAIR_COLUMNS}
KEY_COLUMNS: dict[str, str] = {"key": "string", "name": "string", "kind": "string", "category": "string"}
UNIT_COUNT_COLUMNS: dict[str, str] = {**KEY_COLUMNS, "units": "int64", "mentions": "int64", "documents": "int64"}
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
    # why a theme mention counts (mentions.rule, mentions.trigger); null for actors
    "a_rule": "string",
    "a_trigger": "string",
    "b_rule": "string",
    "b_trigger": "string",
}
# Numeric columns of a pair table: what a matrix or a graph edge can carry.
VALUE_COLUMNS: tuple[str, ...] = (
    *_INT_COLUMNS,
    *(m for m in MEASURE_REGISTRY if m != "count"),
    "q_value",
    *(f"{m}_{end}" for m in MEASURE_REGISTRY for end in ("low", "high")),
)
_MENTION_NEEDS = ("doc_id", "sentence", "kind", "key", "name", "category")
_require = units.require


# --------------------------------------------------------------------------- validation


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
        raise ValueError(f"unknown actor categories {bad}; expected values from {list(ACTOR_CATEGORIES)}")
    return values


def _check_mentions(mentions: pd.DataFrame) -> None:
    _require(mentions, _MENTION_NEEDS, "mentions")
    if mentions["key"].isna().any():
        raise ValueError("mentions table has rows with a null key")
    kinds = set(mentions["kind"].dropna().unique()) - set(KINDS)
    if kinds or mentions["kind"].isna().any():
        bad = sorted(map(str, kinds)) or [None]
        raise ValueError(f"unknown mention kind {bad}; expected one of {list(KINDS)}")


# --------------------------------------------------------------------------- incidence


def _expand(lo: np.ndarray, hi: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
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
    _choice(level, LEVELS, "level")
    _check_mentions(mentions)
    layout = units.layout(sentences, unit)
    rows = _mention_rows(layout, mentions)
    codes, uniques = pd.factorize(_effective_keys(mentions, level), sort=True)
    codes = codes.astype(np.int64)
    keys = _key_table(mentions, pd.Index(uniques, dtype="string"), names)
    idx, unit_index = _expand(layout.lo[rows], layout.hi[rows])
    matrix = sparse.csr_matrix(
        (np.ones(len(unit_index), dtype=np.int64), (unit_index, codes[idx])),
        shape=(layout.n_units, len(keys)), dtype=np.int64,
    )
    matrix.sum_duplicates()
    matrix.data[:] = 1  # presence, not counts
    return Incidence(matrix, keys, layout, codes, rows)


# --------------------------------------------------------------------------- counts per document


def _pairs_within_rows(matrix: sparse.csr_matrix) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every (row, i, j) with i < j both present in the row, vectorised over the CSR arrays."""
    per_row = np.diff(matrix.indptr)
    row_of = np.repeat(np.arange(matrix.shape[0], dtype=np.int64), per_row)
    local = np.arange(matrix.nnz, dtype=np.int64) - matrix.indptr[row_of]
    partners = per_row[row_of] - local - 1
    first = np.repeat(np.arange(matrix.nnz, dtype=np.int64), partners)
    step = np.arange(int(partners.sum()), dtype=np.int64) - np.repeat(np.cumsum(partners) - partners, partners) + 1
    second = first + step
    return row_of[first], matrix.indices[first].astype(np.int64), matrix.indices[second].astype(np.int64)


def _sparse(rows: np.ndarray, columns: np.ndarray, values: np.ndarray, shape: tuple[int, int]) -> sparse.csr_matrix:
    matrix = sparse.csr_matrix((values.astype(np.int64), (rows, columns)), shape=shape, dtype=np.int64)
    matrix.sum_duplicates()
    return matrix


def _pair_codes(
    doc: np.ndarray, a: np.ndarray, b: np.ndarray, values: np.ndarray, n_docs: int, n_keys: int
) -> tuple[np.ndarray, np.ndarray, sparse.csr_matrix]:
    """Distinct (a, b) key pairs and the documents x pairs matrix of their summed values."""
    code = a * max(n_keys, 1) + b
    uniq, index = np.unique(code, return_inverse=True)
    matrix = _sparse(doc, index.ravel(), values, (n_docs, len(uniq)))
    return uniq // max(n_keys, 1), uniq % max(n_keys, 1), matrix


@dataclass(frozen=True)
class DocumentCounts:
    """Additive counts of a corpus per document: every pair-table number is a sum of these.

    Pairs are unordered key pairs (a < b by key) of any kinds; a pair table picks its kinds.
    """

    keys: pd.DataFrame  # key, name, kind, category; row = key code, sorted by key
    doc_ids: pd.Index  # sorted
    doc_units: np.ndarray  # units per document
    key_units: sparse.csr_matrix  # documents x keys: units of the document containing the key
    key_mentions: sparse.csr_matrix  # documents x keys: mention rows
    pair_a: np.ndarray  # key code of each pair's first key
    pair_b: np.ndarray
    pair_units: sparse.csr_matrix  # documents x pairs: units containing both keys

    @property
    def n_units(self) -> int:
        return int(self.doc_units.sum())

    @staticmethod
    def from_incidence(incidence: Incidence) -> DocumentCounts:
        layout, matrix = incidence.layout, incidence.matrix
        n_docs, n_keys = len(layout.sentences.doc_ids), matrix.shape[1]
        unit_doc = layout.unit_doc
        to_doc = sparse.csr_matrix(
            (np.ones(layout.n_units, dtype=np.int64), (unit_doc, np.arange(layout.n_units))),
            shape=(n_docs, layout.n_units),
        )
        mention_doc = layout.sentences.doc[incidence.mention_row]
        row, a, b = _pairs_within_rows(matrix)
        pair_a, pair_b, pair_units = _pair_codes(unit_doc[row], a, b, np.ones(len(row)), n_docs, n_keys)
        return DocumentCounts(
            keys=incidence.keys,
            doc_ids=layout.sentences.doc_ids,
            doc_units=np.bincount(unit_doc, minlength=n_docs).astype(np.int64),
            key_units=(to_doc @ matrix).tocsr(),
            key_mentions=_sparse(mention_doc, incidence.mention_key, np.ones(len(mention_doc)), (n_docs, n_keys)),
            pair_a=pair_a,
            pair_b=pair_b,
            pair_units=pair_units,
        )

    @staticmethod
    def combine(parts: Iterable[DocumentCounts]) -> DocumentCounts:
        """The counts of the union of partitions that hold disjoint sets of whole documents."""
        parts = list(parts)
        keys = _combined_keys([p.keys for p in parts])
        doc_ids = pd.Index([d for p in parts for d in p.doc_ids], dtype="string")
        if doc_ids.has_duplicates:
            raise ValueError(f"partitions share documents, e.g. {list(doc_ids[doc_ids.duplicated()][:5])}; "
                             "a partition must hold whole documents, each in one partition only")
        doc_ids = doc_ids.sort_values()
        n_docs, n_keys = len(doc_ids), len(keys)
        doc_codes = [doc_ids.get_indexer(p.doc_ids).astype(np.int64) for p in parts]
        key_codes = [pd.Index(keys["key"]).get_indexer(p.keys["key"]).astype(np.int64) for p in parts]
        pair_codes = [k[p.pair_a] * max(n_keys, 1) + k[p.pair_b] for p, k in zip(parts, key_codes, strict=True)]
        all_pairs = np.unique(np.concatenate(pair_codes)) if parts else np.zeros(0, dtype=np.int64)
        doc_units = np.zeros(n_docs, dtype=np.int64)
        for part, docs in zip(parts, doc_codes, strict=True):
            doc_units[docs] = part.doc_units
        recoded = list(zip(parts, doc_codes, key_codes, strict=True))
        return DocumentCounts(
            keys=keys,
            doc_ids=doc_ids,
            doc_units=doc_units,
            key_units=_stack([(p.key_units, d, k) for p, d, k in recoded], (n_docs, n_keys)),
            key_mentions=_stack([(p.key_mentions, d, k) for p, d, k in recoded], (n_docs, n_keys)),
            pair_a=all_pairs // max(n_keys, 1),
            pair_b=all_pairs % max(n_keys, 1),
            pair_units=_stack([(p.pair_units, d, np.searchsorted(all_pairs, c))
                               for (p, d, _), c in zip(recoded, pair_codes, strict=True)], (n_docs, len(all_pairs))),
        )

    def subset(self, documents: np.ndarray) -> DocumentCounts:
        """The counts of some documents only (a boolean mask or codes over `doc_ids`)."""
        rows = np.flatnonzero(documents) if np.asarray(documents).dtype == bool else np.asarray(documents)
        return DocumentCounts(self.keys, self.doc_ids.take(rows), self.doc_units[rows], self.key_units[rows],
                              self.key_mentions[rows], self.pair_a, self.pair_b, self.pair_units[rows])


def _stack(pieces: list[tuple[sparse.csr_matrix, np.ndarray, np.ndarray]], shape: tuple[int, int]) -> sparse.csr_matrix:
    """One matrix from several whose rows and columns are renumbered by the given code arrays."""
    rows, columns, values = [], [], []
    for matrix, row_code, column_code in pieces:
        coo = matrix.tocoo()
        rows.append(row_code[coo.row])
        columns.append(column_code[coo.col])
        values.append(coo.data)
    if not pieces:
        return sparse.csr_matrix(shape, dtype=np.int64)
    return _sparse(np.concatenate(rows), np.concatenate(columns), np.concatenate(values), shape)


def _combined_keys(tables: list[pd.DataFrame]) -> pd.DataFrame:
    """One key table from several; a name equal to its key is a fallback, so a real name wins."""
    if not tables:
        return empty_frame(KEY_COLUMNS)
    keys = pd.concat(tables, ignore_index=True)
    keys = keys.assign(_fallback=keys["name"] == keys["key"]).sort_values(["key", "_fallback"], kind="stable")
    return keys.drop_duplicates("key").drop(columns="_fallback").reset_index(drop=True).astype(KEY_COLUMNS)


def _column_sums(matrix: sparse.csr_matrix) -> np.ndarray:
    return np.bincount(matrix.indices, weights=matrix.data, minlength=matrix.shape[1]).astype(np.int64)


def _column_support(matrix: sparse.csr_matrix) -> np.ndarray:
    return np.bincount(matrix.indices[matrix.data > 0], minlength=matrix.shape[1]).astype(np.int64)


# --------------------------------------------------------------------------- the model


class Cooccurrence:
    """A corpus's co-occurrence for one unit and level: built once, then asked for pair tables,
    tables per period, unit counts and the evidence behind any pair."""

    def __init__(self, counts: DocumentCounts, unit: str = "sentence", level: str = "actor",
                 incidence: Incidence | None = None, mentions: pd.DataFrame | None = None):
        parse_unit(unit)
        self.counts, self.unit, self.level = counts, unit, _choice(level, LEVELS, "level")
        self._incidence, self._mentions = incidence, mentions

    @classmethod
    def build(cls, mentions: pd.DataFrame, sentences: pd.DataFrame, unit: str = "sentence", level: str = "actor",
              *, names: Mapping[str, str] | None = None) -> Cooccurrence:
        """The model of in-memory tables (it can also show evidence)."""
        incidence = build_incidence(mentions, sentences, unit, level, names)
        return cls(DocumentCounts.from_incidence(incidence), unit, level, incidence, mentions)

    # ---- pairs

    def pairs(
        self,
        pairs: str = "actor-actor",
        *,
        min_count: int = 1,
        measure: str = "count",
        top: int | None = None,
        categories: Iterable[str] | str | None = None,
        ci: float | None = None,
        bootstrap: int = 1000,
        seed: int = 0,
    ) -> pd.DataFrame:
        """Co-occurring pairs with support, margins, every measure and, with `ci`, an interval.

        'actor-actor' lists each unordered pair once (a_key < b_key); 'actor-theme' has the
        actor in a and the theme in b. `documents` is the number of documents in which the
        pair co-occurs. With `ci` (e.g. 0.95) a document bootstrap of `bootstrap` replicates
        (seeded by `seed`) adds `<measure>_low` and `<measure>_high`. `q_value` is the
        Benjamini-Hochberg adjustment of `p_value` over the rows kept by `min_count` and
        `categories`. Rows follow `analysis.stats.ranking.rank`; `top` keeps the first rows.
        """
        pairs = _choice(pairs, PAIRS, "pairs")
        min_count = _positive_int(min_count, "min_count")
        entry = registered_measure(measure)
        top = _positive_int(top, "top", allow_none=True)
        cats = _categories(categories)
        resample = Bootstrap(ci, bootstrap, seed) if ci is not None else None
        counts = self.counts
        columns = pair_columns(measure, resample is not None)
        kind = counts.keys["kind"].to_numpy(dtype=object)
        actor = kind == "actor"
        if cats is not None:
            actor &= counts.keys["category"].isin(cats).fillna(False).to_numpy(bool)
        theme = kind == "theme"
        a, b = counts.pair_a, counts.pair_b
        keep = actor[a] & actor[b] if pairs == "actor-actor" else (actor[a] & theme[b]) | (theme[a] & actor[b])
        total = _column_sums(counts.pair_units)
        keep &= total >= min_count
        selected = np.flatnonzero(keep)
        if len(selected) == 0 or counts.n_units == 0:
            return empty_frame(columns)
        swap = theme[a[selected]]  # actor-theme: the actor goes first
        ai = np.where(swap, b[selected], a[selected])
        bi = np.where(swap, a[selected], b[selected])
        key_units = _column_sums(counts.key_units)
        key_mentions = _column_sums(counts.key_mentions)
        count = total[selected]
        values = compute_all(count, key_units[ai], key_units[bi], counts.n_units)
        values["q_value"] = resampling.q_values(values["p_value"])
        if resample is not None:
            values[f"{measure}_low"], values[f"{measure}_high"] = resampling.percentile_intervals(
                entry.function, values[measure], counts.pair_units.tocsc()[:, selected], ai, bi,
                counts.key_units, counts.doc_units, resample,
            )
        keys = counts.keys
        frame = pd.DataFrame(
            {
                **{f"{side}_{field}": keys[field].array.take(index)
                   for side, index in (("a", ai), ("b", bi)) for field in ("key", "name", "category")},
                "documents": _column_support(counts.pair_units)[selected],
                "a_units": key_units[ai],
                "b_units": key_units[bi],
                "n_units": np.full(len(selected), counts.n_units, dtype=np.int64),
                "a_mentions": key_mentions[ai],
                "b_mentions": key_mentions[bi],
                **values,
            }
        )
        frame = ranking.rank(frame[list(columns)].astype(columns), measure, resample is not None)
        return frame.head(top) if top is not None else frame

    def pair_languages(self, documents: pd.DataFrame, table: pd.DataFrame) -> pd.Series:
        """For each row of a pair table of this model, the languages of the documents in which
        the pair co-occurs ("en", "ru", "en, ru"): whether Russian coverage, English coverage
        or both carry it. Documents without a `language` column count as English."""
        counts = self.counts
        languages = (documents.drop_duplicates("doc_id").set_index("doc_id")["language"]
                     if "language" in documents else pd.Series(dtype="string"))
        doc_language = languages.reindex(counts.doc_ids).fillna("en").astype(str).to_numpy()
        codes = pd.Index(counts.keys["key"])
        column = {(a, b): index for index, (a, b) in enumerate(zip(counts.pair_a, counts.pair_b, strict=True))}
        matrix = counts.pair_units.tocsc()
        out = []
        for a_key, b_key in zip(table["a_key"], table["b_key"], strict=True):
            a, b = codes.get_loc(a_key), codes.get_loc(b_key)
            index = column.get((a, b), column.get((b, a)))
            rows = matrix[:, index].nonzero()[0] if index is not None else []
            out.append(", ".join(sorted(set(doc_language[rows]))))
        return pd.Series(out, index=table.index, dtype="string", name="languages")

    def by_period(self, documents: pd.DataFrame, freq: str = "month", pairs: str = "actor-actor",
                  **options: object) -> pd.DataFrame:
        """`pairs` per month ('2021-02') or quarter ('2021Q1'), with a leading period column.

        N and the margins are those of the period, so measures compare like with like; an
        interval resamples the period's documents. Undated documents form their own
        'undated' period (last) rather than vanishing; `top` applies within each period.
        """
        freq = _choice(freq, FREQS, "freq")
        dates = _doc_lookup(documents, self.counts.doc_ids, ["date"])["date"]
        labels = period_labels(dates, freq).to_numpy(dtype=object)
        found = set(labels)
        periods = sorted(found - {UNDATED}) + ([UNDATED] if UNDATED in found else [])
        frames = []
        for period in periods:
            model = Cooccurrence(self.counts.subset(labels == period), self.unit, self.level)
            frame = model.pairs(pairs, **options)
            if len(frame):
                frames.append(frame.assign(period=period))
        measure = str(options.get("measure", "count"))
        columns = {"period": "string", **pair_columns(measure, options.get("ci") is not None)}
        if not frames:
            return empty_frame(columns)
        return pd.concat(frames, ignore_index=True)[list(columns)].astype(columns)

    # ---- keys and units

    def unit_counts(self) -> pd.DataFrame:
        """How many units each key appears in, its mention rows and documents, most units first.

        These are the margins (a_units, b_units) of every pair table, so a reader can check
        a measure against them."""
        table = self.counts.keys.copy()
        table["units"] = _column_sums(self.counts.key_units)
        table["mentions"] = _column_sums(self.counts.key_mentions)
        table["documents"] = _column_support(self.counts.key_units)
        order = np.lexsort((np.arange(len(table)), -table["units"].to_numpy()))
        return table.iloc[order].reset_index(drop=True).astype(UNIT_COUNT_COLUMNS)

    def incidence(self) -> tuple[sparse.csr_matrix, pd.DataFrame, pd.DataFrame]:
        """The 0/1 units x keys matrix with its unit index and key index."""
        incidence = self._built("the incidence matrix")
        return incidence.matrix, incidence.layout.table(), incidence.keys

    def _built(self, what: str) -> Incidence:
        if self._incidence is None or self._mentions is None:
            raise ValueError(f"{what} needs the mentions and sentences tables: build the model with "
                             "Cooccurrence.build(mentions, sentences, ...), not from partition counts")
        return self._incidence

    # ---- evidence

    def evidence(self, documents: pd.DataFrame, a_key: str, b_key: str, limit: int | None = None) -> pd.DataFrame:
        """The passages behind a pair's count, with both mentions located and highlighted.

        One row per unit containing both keys (so the row count equals the pair's count),
        sorted by date (undated last), doc_id, unit. Offsets are relative to the passage;
        `html` is the escaped passage with <mark class="a"> / <mark class="b"> around the
        first mention of each key in the unit.
        """
        limit = _positive_int(limit, "limit", allow_none=True)
        incidence = self._built("evidence")
        mentions = self._mentions
        _require(mentions, ("start", "end", "text"), "mentions")
        keys = pd.Index(incidence.keys["key"])
        codes = []
        for key in (a_key, b_key):
            code = keys.get_indexer([key])[0] if isinstance(key, str) else -1
            if code < 0:
                few = list(keys[:10])
                raise ValueError(
                    f"unknown key {key!r} at level {self.level!r}; valid keys include {few}"
                    + (f" ({len(keys)} in all)" if len(keys) > 10 else "")
                )
            codes.append(int(code))
        if codes[0] == codes[1]:
            raise ValueError(f"a_key and b_key are the same key {a_key!r}; expected two keys")
        first_a = _first_in_unit(incidence, mentions, codes[0])
        first_b = _first_in_unit(incidence, mentions, codes[1])
        both = first_a.merge(first_b, on="unit_id", suffixes=("_a", "_b"))
        if both.empty:
            return empty_frame(EVIDENCE_COLUMNS)
        layout = incidence.layout
        s = layout.sentences
        uid = both["unit_id"].to_numpy(np.int64)
        doc_code = layout.unit_doc[uid]
        doc_ids = s.doc_ids.take(doc_code)
        docs = _doc_lookup(documents, s.doc_ids.take(np.unique(doc_code)), ["date", "text"])
        span_start = s.start[layout.first[uid]]
        span_end = s.end[layout.last[uid]]
        texts = docs["text"].reindex(doc_ids).to_numpy(dtype=object)
        passages = [str(t)[lo:hi] for t, lo, hi in zip(texts, span_start, span_end, strict=True)]
        a_start = both["start_a"].to_numpy() - span_start
        a_end = both["end_a"].to_numpy() - span_start
        b_start = both["start_b"].to_numpy() - span_start
        b_end = both["end_b"].to_numpy() - span_start
        frame = pd.DataFrame(
            {
                "doc_id": np.asarray(doc_ids, dtype=object),
                "date": pd.to_datetime(docs["date"].reindex(doc_ids), errors="coerce").to_numpy(),
                "unit": layout.label[uid],
                "passage": passages,
                "a_text": both["text_a"].to_numpy(),
                "b_text": both["text_b"].to_numpy(),
                "a_start": a_start,
                "a_end": a_end,
                "b_start": b_start,
                "b_end": b_end,
                "html": [
                    highlight(p, [(s1, e1, "a"), (s2, e2, "b")])
                    for p, s1, e1, s2, e2 in zip(passages, a_start, a_end, b_start, b_end, strict=True)
                ],
                **{f"{side}_{column}": both[f"{column}_{side}"].to_numpy()
                   for side in ("a", "b") for column in ("rule", "trigger")},
            }
        )
        frame = frame.sort_values(["date", "doc_id", "unit"], na_position="last", kind="stable")
        if limit is not None:
            frame = frame.head(limit)
        return frame.reset_index(drop=True).astype(EVIDENCE_COLUMNS)


def _first_in_unit(incidence: Incidence, mentions: pd.DataFrame, code: int) -> pd.DataFrame:
    """The first mention (by offset) of one key in each unit that contains it."""
    which = np.flatnonzero(incidence.mention_key == code)
    rows = incidence.mention_row[which]
    idx, unit_ids = _expand(incidence.layout.lo[rows], incidence.layout.hi[rows])
    picked = mentions.iloc[which[idx]]
    frame = pd.DataFrame(
        {
            "unit_id": unit_ids,
            "start": picked["start"].to_numpy(np.int64),
            "end": picked["end"].to_numpy(np.int64),
            "text": picked["text"].astype("string").to_numpy(),
            **{column: (picked[column] if column in picked else pd.Series(pd.NA, index=picked.index))
               .astype("string").to_numpy() for column in ("rule", "trigger")},
        }
    )
    return frame.sort_values(["unit_id", "start", "end"], kind="stable").drop_duplicates("unit_id")


# --------------------------------------------------------------------------- convenience calls


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
    **interval: object,
) -> pd.DataFrame:
    """`Cooccurrence.build(...).pairs(...)` in one call, for a table asked for once."""
    model = Cooccurrence.build(mentions, sentences, unit, level, names=names)
    return model.pairs(pairs, min_count=min_count, measure=measure, top=top, categories=categories, **interval)


def pair_table_by_period(
    mentions: pd.DataFrame,
    sentences: pd.DataFrame,
    documents: pd.DataFrame,
    freq: str = "month",
    pairs: str = "actor-actor",
    unit: str = "sentence",
    level: str = "actor",
    *,
    names: Mapping[str, str] | None = None,
    **options: object,
) -> pd.DataFrame:
    """`Cooccurrence.build(...).by_period(...)` in one call."""
    freq = _choice(freq, FREQS, "freq")
    return Cooccurrence.build(mentions, sentences, unit, level, names=names).by_period(documents, freq, pairs,
                                                                                      **options)


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
    """`Cooccurrence.build(...).evidence(...)` in one call (build the model once for many pairs)."""
    limit = _positive_int(limit, "limit", allow_none=True)
    return Cooccurrence.build(mentions, sentences, unit, level, names=names).evidence(documents, a_key, b_key, limit)


def unit_counts(mentions: pd.DataFrame, sentences: pd.DataFrame, unit: str = "sentence", level: str = "actor",
                *, names: Mapping[str, str] | None = None) -> pd.DataFrame:
    """`Cooccurrence.build(...).unit_counts()` in one call."""
    return Cooccurrence.build(mentions, sentences, unit, level, names=names).unit_counts()


def incidence(mentions: pd.DataFrame, sentences: pd.DataFrame, unit: str = "sentence", level: str = "actor",
              *, names: Mapping[str, str] | None = None) -> tuple[sparse.csr_matrix, pd.DataFrame, pd.DataFrame]:
    """The 0/1 units x keys matrix behind every co-occurrence number, with its two indexes.

    Rows follow the unit index (doc_id, unit, first_sentence, last_sentence, start, end),
    which lists every unit of `sentences`, mentioned or not; columns follow the key index
    (key, name, kind, category), sorted by key. At level 'affiliation' an actor mention
    with an affiliation counts for the affiliation key; themes are never rolled up.
    """
    built = build_incidence(mentions, sentences, unit, level, names)
    return built.matrix, built.layout.table(), built.keys


def association_measures(count: np.ndarray, a_units: np.ndarray, b_units: np.ndarray,
                         n_units: int | np.ndarray) -> dict[str, np.ndarray]:
    """Every registered measure of the 2x2 tables (see `analysis.stats.measures`)."""
    return compute_all(count, a_units, b_units, n_units)


# --------------------------------------------------------------------------- periods


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


# --------------------------------------------------------------------------- graphs


def to_graph(
    pair_table: pd.DataFrame,
    mentions: pd.DataFrame | None = None,
    *,
    level: str = "actor",
    nodes: pd.DataFrame | None = None,
) -> nx.Graph:
    """A network of the pairs, for Gephi or networkx: keys as nodes, measures on edges.

    Nodes carry name, label (= name, which Gephi shows) and category, plus kind and the
    number of mention rows when `mentions` is given (counted at `level`, so that rolled-up
    affiliation keys count their members' mentions). `nodes` (key, name, category) adds
    nodes that have no pair in the table, and names them first. Edges carry every value column, with
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
    chosen = [] if nodes is None else [nodes[["key", "name", "category"]]]
    nodes = pd.concat(
        chosen + [
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
    ints = set(_INT_COLUMNS)
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
