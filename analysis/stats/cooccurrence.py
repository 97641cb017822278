"""Who appears with whom, in one call: the co-occurrence model's conveniences and its names.

The model is split by job: `analysis.stats.incidence` (which keys each unit contains),
`analysis.stats.document_counts` (additive counts per document), `analysis.stats.model`
(`Cooccurrence`, built once and asked with a `PairQuery`), `analysis.stats.evidence` (the
passages behind a pair, as offsets), `analysis.stats.periods`, `analysis.stats.matrices` and
`analysis.stats.graphs`; column schemas are in `analysis.stats.tables`, parameters and their
checks in `analysis.parameters`. This module gives each of them in one call from the mention
and sentence tables (`pair_table`, `evidence`, ...), for a table asked for once, and keeps
their names together for notebooks.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pandas as pd
from scipy import sparse

from analysis.parameters import FREQS, LEVELS, PAIRS
from analysis.stats.document_counts import DocumentCounts
from analysis.stats.graphs import to_graph, write_graph
from analysis.stats.incidence import KINDS, Incidence, build_incidence
from analysis.stats.matrices import cross_matrix, square_matrix
from analysis.stats.measures import MEASURES
from analysis.stats.model import Cooccurrence, PairQuery
from analysis.stats.periods import UNDATED, period_labels, period_order
from analysis.stats.tables import (
    EVIDENCE_COLUMNS,
    KEY_COLUMNS,
    PAIR_COLUMNS,
    PERIOD_PAIR_COLUMNS,
    UNIT_COUNT_COLUMNS,
    VALUE_COLUMNS,
    pair_columns,
)
from analysis.stats.units import UNITS, parse_unit

__all__ = [
    "EVIDENCE_COLUMNS", "FREQS", "KEY_COLUMNS", "KINDS", "LEVELS", "MEASURES", "PAIRS", "PAIR_COLUMNS",
    "PERIOD_PAIR_COLUMNS", "UNDATED", "UNITS", "UNIT_COUNT_COLUMNS", "VALUE_COLUMNS", "Cooccurrence",
    "DocumentCounts", "Incidence", "PairQuery", "build_incidence", "cross_matrix", "evidence", "incidence",
    "pair_columns", "pair_table", "pair_table_by_period", "parse_unit", "period_labels", "period_order",
    "square_matrix", "to_graph", "unit_counts", "write_graph",
]


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
    """`Cooccurrence.build(...).pairs(PairQuery(...))` in one call, for a table asked for once."""
    query = PairQuery(pairs, min_count=min_count, measure=measure, top=top, categories=categories, **interval)
    return Cooccurrence.build(mentions, sentences, unit, level, names=names).pairs(query)


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
