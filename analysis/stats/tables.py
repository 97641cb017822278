"""The columns of the tables the co-occurrence model returns, in one place: pair tables (whose
columns follow the chosen measure and interval), key and unit-count tables, evidence, and the
numeric columns a matrix or a graph edge can carry."""

from __future__ import annotations

import pandas as pd

from analysis.stats import units
from analysis.stats.measures import MEASURES
from analysis.stats.measures import measure as registered_measure

_LEAD_COLUMNS = ("a_key", "a_name", "b_key", "b_name", "count", "documents", "expected")
_STRING_COLUMNS = ("a_key", "a_name", "a_category", "b_key", "b_name", "b_category")
_SUPPORT_COLUMNS = ("weighted_count", "stories", "roster_share",  # analysis.stats.weighting
                    "a_category", "b_category", "a_units", "b_units", "n_units", "a_mentions", "b_mentions")
INT_COLUMNS = ("count", "documents", "stories", "a_units", "b_units", "n_units", "a_mentions", "b_mentions")
require = units.require


def pair_columns(measure: str = "count", with_interval: bool = False) -> dict[str, str]:
    """Columns of a pair table, in order: who, how often, in how many documents and how often
    by chance; then the chosen measure with its interval, then margins, the other measures
    and the q-value."""
    registered_measure(measure)
    names = list(_LEAD_COLUMNS)
    if measure not in names:
        names.append(measure)
    if with_interval:
        at = names.index(measure) + 1
        names[at:at] = [f"{measure}_low", f"{measure}_high"]
    names += [c for c in (*_SUPPORT_COLUMNS, *MEASURES, "q_value") if c not in names]
    return {c: "string" if c in _STRING_COLUMNS else "int64" if c in INT_COLUMNS else "float64" for c in names}


PAIR_COLUMNS: dict[str, str] = pair_columns()
PERIOD_PAIR_COLUMNS: dict[str, str] = {"period": "string", **PAIR_COLUMNS}
KEY_COLUMNS: dict[str, str] = {"key": "string", "name": "string", "kind": "string", "category": "string"}
UNIT_COUNT_COLUMNS: dict[str, str] = {**KEY_COLUMNS, "units": "int64", "mentions": "int64", "documents": "int64"}
# `start` and `end` locate the unit in its document; the mention offsets are relative to the passage
EVIDENCE_COLUMNS: dict[str, str] = {
    "doc_id": "string",
    "date": "datetime64[s]",
    "unit": "int64",
    "sentence": "int64",  # the sentence (sentences table) of the earlier mention: where a link lands
    "actors": "int64",  # actors the unit names: fewer is more informative about the pair
    "start": "int64",
    "end": "int64",
    "passage": "string",
    "a_text": "string",
    "b_text": "string",
    "a_start": "int64",
    "a_end": "int64",
    "b_start": "int64",
    "b_end": "int64",
    # why a theme mention counts (mentions.rule, mentions.trigger); null for actors
    "a_rule": "string",
    "a_trigger": "string",
    "b_rule": "string",
    "b_trigger": "string",
}
# Numeric columns of a pair table: what a matrix or a graph edge can carry.
VALUE_COLUMNS: tuple[str, ...] = (
    *INT_COLUMNS,
    *(m for m in MEASURES if m != "count"),
    "q_value",
    *(f"{m}_{end}" for m in MEASURES for end in ("low", "high")),
)


def doc_lookup(documents: pd.DataFrame, doc_ids: pd.Index, columns: list[str]) -> pd.DataFrame:
    """Rows of `documents` for the given doc ids; a document missing there is an error."""
    require(documents, ["doc_id", *columns], "documents")
    table = documents.drop_duplicates("doc_id").set_index("doc_id")[columns]
    table.index = table.index.astype("string")
    missing = doc_ids.difference(table.index)
    if len(missing):
        raise ValueError(
            f"{len(missing)} documents of the sentences table are missing from the documents "
            f"table, e.g. {list(missing[:5])}"
        )
    return table.reindex(doc_ids)
