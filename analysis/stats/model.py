"""Who appears with whom: one co-occurrence model, built once, asked for pairs, periods, evidence.

`Cooccurrence.build(mentions, sentences, unit, level)` lays out the units
(`analysis.stats.units`), builds the 0/1 units x keys incidence once
(`analysis.stats.incidence`) and reduces it to additive counts per document
(`analysis.stats.document_counts`). A pair table is asked for with a `PairQuery` (or the
same fields as keywords); measures are a registry (`analysis.stats.measures`), so are units
(`analysis.stats.units`); rankings follow `analysis.stats.ranking`.

Everything is computed on integer codes; strings are only attached to the (small) final
tables, which keeps a million-mention corpus to a few seconds.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse

from analysis import parameters
from analysis.schema import DEFAULT_LANGUAGE, empty_frame
from analysis.stats import evidence as evidence_module
from analysis.stats import ranking, resampling
from analysis.stats import weighting as _weighting
from analysis.stats.answers import Answer, answer
from analysis.stats.document_counts import DocumentCounts, column_sums, column_support
from analysis.stats.incidence import Incidence, build_incidence
from analysis.stats.measures import compute_all
from analysis.stats.measures import measure as registered_measure
from analysis.stats.periods import period_labels, period_order
from analysis.stats.resampling import Bootstrap
from analysis.stats.tables import UNIT_COUNT_COLUMNS, doc_lookup, pair_columns
from analysis.stats.units import parse_unit


@dataclass(frozen=True)
class PairQuery:
    """What pair table to compute: which pairs, ranked by which measure, which rows kept and,
    with `ci` (e.g. 0.95), a document bootstrap of `bootstrap` replicates seeded by `seed`.
    Every field is checked against `analysis.parameters` when the query is made."""

    pairs: str = "actor-actor"
    min_count: int = 1
    measure: str = "count"
    top: int | None = None
    categories: tuple[str, ...] | None = None
    ci: float | None = None
    bootstrap: int = 1000
    seed: int = 0

    def __post_init__(self) -> None:
        for field in dataclasses.fields(self):
            value = parameters.check(field.name, getattr(self, field.name))
            object.__setattr__(self, field.name, tuple(value) if isinstance(value, list) else value)

    def resample(self) -> Bootstrap | None:
        return Bootstrap(self.ci, self.bootstrap, self.seed) if self.ci is not None else None

    def columns(self) -> dict[str, str]:
        """The columns of the table this query gives."""
        return pair_columns(self.measure, self.ci is not None)


def _query(pairs: str | PairQuery, options: Mapping[str, object]) -> PairQuery:
    """A query from a `PairQuery` or from its fields as keywords (not both)."""
    if isinstance(pairs, PairQuery):
        if options:
            raise TypeError(f"give a PairQuery or keyword options, not both (got {sorted(options)})")
        return pairs
    return PairQuery(pairs, **options)  # type: ignore[arg-type]


class Cooccurrence:
    """A corpus's co-occurrence for one unit and level: built once, then asked for pair tables,
    tables per period, unit counts and the evidence behind any pair."""

    def __init__(self, counts: DocumentCounts, unit: str = "sentence", level: str = "actor",
                 incidence: Incidence | None = None, mentions: pd.DataFrame | None = None,
                 design: _weighting.Design | None = None):
        parse_unit(unit)
        self.counts, self.unit, self.level = counts, unit, parameters.check("level", level)
        self._incidence, self._mentions = incidence, mentions
        # weighted counts and stories (analysis.stats.weighting): what measures and draws use
        self.design = design if design is not None else _weighting.plain_design(counts)

    @classmethod
    def build(cls, mentions: pd.DataFrame, sentences: pd.DataFrame, unit: str = "sentence", level: str = "actor",
              *, names: Mapping[str, str] | None = None, weighting: str = "none",
              documents: pd.DataFrame | None = None) -> Cooccurrence:
        """The model of in-memory tables (it can also show evidence). `weighting` 'fractional'
        measures on fractional counts; `documents` with a `story` column makes the bootstrap
        draw stories (see `analysis.stats.weighting`)."""
        incidence = build_incidence(mentions, sentences, unit, level, names)
        counts = DocumentCounts.from_incidence(incidence)
        design = _weighting.build_design(incidence, counts, weighting, documents)
        return cls(counts, unit, level, incidence, mentions, design)

    def subset_documents(self, rows: np.ndarray) -> Cooccurrence:
        """The model of some documents only (a boolean mask or codes over `counts.doc_ids`)."""
        rows = np.flatnonzero(rows) if np.asarray(rows).dtype == bool else np.asarray(rows)
        return Cooccurrence(self.counts.subset(rows), self.unit, self.level, design=self.design.subset(rows))

    # ---- pairs

    def pairs(self, pairs: str | PairQuery = "actor-actor", **options: object) -> pd.DataFrame:
        """Co-occurring pairs with support, margins, every measure and, with `ci`, an interval.

        Takes a `PairQuery`, or its fields as keywords (`pairs("actor-theme", measure="npmi")`).
        'actor-actor' lists each unordered pair once (a_key < b_key); 'actor-theme' has the
        actor in a and the theme in b. `documents` is the number of documents in which the
        pair co-occurs. With `ci` (e.g. 0.95) a document bootstrap of `bootstrap` replicates
        (seeded by `seed`) adds `<measure>_low` and `<measure>_high`. `q_value` is the
        Benjamini-Hochberg adjustment of `p_value` over the rows kept by `min_count` and
        `categories`. Rows follow `analysis.stats.ranking.rank`; `top` keeps the first rows.
        """
        query = _query(pairs, options)
        measure, cats, resample = query.measure, query.categories, query.resample()
        entry = registered_measure(measure)
        counts = self.counts
        columns = query.columns()
        kind = counts.keys["kind"].to_numpy(dtype=object)
        actor = kind == "actor"
        if cats is not None:
            actor &= counts.keys["category"].isin(cats).fillna(False).to_numpy(bool)
        theme = kind == "theme"
        a, b = counts.pair_a, counts.pair_b
        keep = actor[a] & actor[b] if query.pairs == "actor-actor" else (actor[a] & theme[b]) | (theme[a] & actor[b])
        total = column_sums(counts.pair_units)
        keep &= total >= query.min_count
        selected = np.flatnonzero(keep)
        if len(selected) == 0 or counts.n_units == 0:
            return empty_frame(columns)
        swap = theme[a[selected]]  # actor-theme: the actor goes first
        ai = np.where(swap, b[selected], a[selected])
        bi = np.where(swap, a[selected], b[selected])
        key_units = column_sums(counts.key_units)
        key_mentions = column_sums(counts.key_mentions)
        count = total[selected]
        design = self.design  # measures, margins and draws on the (possibly weighted) units
        extra = _weighting.pair_design_columns(design, selected, count)
        weighted_keys = _weighting.column_sums(design.key_units)
        values = compute_all(extra["weighted_count"], weighted_keys[ai], weighted_keys[bi], design.n_units)
        values["count"] = count  # the raw units; the measures are of the weighted table
        values["q_value"] = resampling.q_values(values["p_value"])
        if resample is not None:
            values[f"{measure}_low"], values[f"{measure}_high"] = resampling.percentile_intervals(
                entry.function, values[measure], design.pair_units.tocsc()[:, selected], ai, bi,
                design.key_units, design.doc_units, resample,
                _weighting.story_weights(design.story, resample.replicates, resample.seed),
            )
        keys = counts.keys
        frame = pd.DataFrame(
            {
                **{f"{side}_{field}": keys[field].array.take(index)
                   for side, index in (("a", ai), ("b", bi)) for field in ("key", "name", "category")},
                "documents": column_support(counts.pair_units)[selected],
                **extra,
                "a_units": key_units[ai],
                "b_units": key_units[bi],
                "n_units": np.full(len(selected), counts.n_units, dtype=np.int64),
                "a_mentions": key_mentions[ai],
                "b_mentions": key_mentions[bi],
                **values,
            }
        )
        frame = ranking.rank(frame[list(columns)].astype(columns), measure, resample is not None)
        return frame.head(query.top) if query.top is not None else frame

    def pair_languages(self, documents: pd.DataFrame, table: pd.DataFrame) -> pd.Series:
        """For each row of a pair table of this model, the languages of the documents in which
        the pair co-occurs ("en", "ru", "en, ru"): whether Russian coverage, English coverage
        or both carry it. Documents without a `language` column count as the default language."""
        counts = self.counts
        languages = (documents.drop_duplicates("doc_id").set_index("doc_id")["language"]
                     if "language" in documents else pd.Series(dtype="string"))
        doc_language = languages.reindex(counts.doc_ids).fillna(DEFAULT_LANGUAGE).astype(str).to_numpy()
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

    def by_period(self, documents: pd.DataFrame, freq: str = "month", pairs: str | PairQuery = "actor-actor",
                  **options: object) -> pd.DataFrame:
        """`pairs` per month ('2021-02') or quarter ('2021Q1'), with a leading period column.

        N and the margins are those of the period, so measures compare like with like; an
        interval resamples the period's documents. Undated documents form their own
        'undated' period (last) rather than vanishing; `top` applies within each period.
        """
        freq = parameters.check("freq", freq)
        query = _query(pairs, options)
        dates = doc_lookup(documents, self.counts.doc_ids, ["date"])["date"]
        labels = period_labels(dates, freq).to_numpy(dtype=object)
        frames = []
        for period in period_order(labels):
            model = self.subset_documents(labels == period)
            frame = model.pairs(query)
            if len(frame):
                frames.append(frame.assign(period=period))
        columns = {"period": "string", **query.columns()}
        if not frames:
            return empty_frame(columns)
        return pd.concat(frames, ignore_index=True)[list(columns)].astype(columns)

    # ---- keys and units

    def unit_counts(self) -> pd.DataFrame:
        """How many units each key appears in, its mention rows and documents, most units first.

        These are the margins (a_units, b_units) of every pair table, so a reader can check
        a measure against them."""
        table = self.counts.keys.copy()
        table["units"] = column_sums(self.counts.key_units)
        table["mentions"] = column_sums(self.counts.key_mentions)
        table["documents"] = column_support(self.counts.key_units)
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

    def evidence(self, documents: pd.DataFrame, a_key: str, b_key: str, limit: int | None = None) -> Answer:
        """The passages behind a pair's count (`analysis.stats.evidence.evidence`): one row per
        unit containing both keys, with the unit's and both mentions' offsets. The keys may be
        given in either order (the same rows come back); a pair that never co-occurs gives an
        empty table whose `message` (and display) says so."""
        incidence = self._built("evidence")
        table = evidence_module.evidence(incidence, self._mentions, documents, a_key, b_key, self.level, limit)
        keys = incidence.keys
        a, b = evidence_module.pair_order(keys, *(evidence_module.key_code(keys, key, self.level)
                                                  for key in (a_key, b_key)))
        names = (str(keys["name"].iloc[a]), str(keys["name"].iloc[b])) if "name" in keys else None
        return answer(table, "evidence", "" if len(table) else self._never(a_key, b_key), names)

    def pairs_evidence(self, documents: pd.DataFrame, table: pd.DataFrame) -> pd.DataFrame:
        """The evidence of every pair of `table` (a pair table of this model) in one frame: one
        row per pair and unit, `a_key` and `b_key` first, then the columns of `evidence`
        (`analysis.stats.evidence.pairs_evidence`)."""
        return evidence_module.pairs_evidence(self._built("evidence"), self._mentions, documents, table)

    def pair(self, a_key: str, b_key: str, **options: object) -> Answer:
        """The row of one pair, whichever order its keys are given in (an actor and a theme
        look in the actor-theme table). `options` are those of `pairs` (measure, ci ...);
        a pair that never co-occurs gives an empty table whose `message` says so."""
        a, b = evidence_module.pair_order(self.counts.keys, *(evidence_module.key_code(self.counts.keys, key,
                                                                                        self.level)
                                                              for key in (a_key, b_key)))
        keys = self.counts.keys["key"]
        kinds = self.counts.keys["kind"]
        kind = "actor-theme" if kinds.iloc[a] != kinds.iloc[b] else "actor-actor"
        table = self.pairs(kind, **options)
        row = table[(table["a_key"] == keys.iloc[a]) & (table["b_key"] == keys.iloc[b])].reset_index(drop=True)
        return answer(row, "pairs", "" if len(row) else self._never(a_key, b_key))

    def partners(self, key: str, pairs: str | PairQuery = "actor-actor", **options: object) -> Answer:
        """Every pair one key is part of, ranked as `pairs` ranks them: either side of an
        actor-actor pair, the actor side of an actor-theme pair (`pairs="actor-theme"`)."""
        code = evidence_module.key_code(self.counts.keys, key, self.level)
        name = self.counts.keys["key"].iloc[code]
        table = self.pairs(pairs, **options)
        rows = table[(table["a_key"] == name) | (table["b_key"] == name)].reset_index(drop=True)
        return answer(rows, "pairs", "" if len(rows) else f"{name!r} co-occurs with nothing in one {self.unit}")

    def _never(self, a_key: str, b_key: str) -> str:
        """The sentence for a pair that never co-occurs, with how often each key occurs alone."""
        units = column_sums(self.counts.key_units)
        found = [units[evidence_module.key_code(self.counts.keys, key, self.level)] for key in (a_key, b_key)]
        return (f"{a_key!r} and {b_key!r} never co-occur in one {self.unit} "
                f"({a_key!r} is in {found[0]} {self.unit}s, {b_key!r} in {found[1]})")
