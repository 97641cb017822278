"""Counting helpers over `mentions`: who is mentioned how often, in how many documents, under
which surface forms. Pure group-bys, so every number traces back to rows of `mentions`."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from analysis.schema import ACTOR_CATEGORIES

KINDS = ("actor", "theme")


def filter_mentions(
    mentions: pd.DataFrame,
    documents: pd.DataFrame | None = None,
    kind: str | None = "actor",
    categories: Iterable[str] | None = None,
    start: str | pd.Timestamp | None = None,
    end: str | pd.Timestamp | None = None,
) -> pd.DataFrame:
    """Mentions of one kind, of some categories, in documents dated within [start, end].

    A date range keeps only dated documents: undated ones cannot be placed in it."""
    if kind is not None and kind not in KINDS:
        raise ValueError(f"kind {kind!r} is not one of {list(KINDS)}")
    selected = mentions if kind is None else mentions[mentions["kind"] == kind]
    if categories is not None:
        categories = list(categories)
        if kind == "actor":
            unknown = sorted(set(categories) - set(ACTOR_CATEGORIES))
            if unknown:
                raise ValueError(f"unknown categories {unknown}; valid: {list(ACTOR_CATEGORIES)}")
        selected = selected[selected["category"].isin(categories)]
    if start is not None or end is not None:
        if documents is None:
            raise ValueError("a date range needs the documents table (for documents.date)")
        dates = documents.set_index("doc_id")["date"]
        mention_dates = selected["doc_id"].map(dates)
        keep = mention_dates.notna()
        if start is not None:
            keep &= mention_dates >= pd.Timestamp(start)
        if end is not None:
            keep &= mention_dates <= pd.Timestamp(end)
        selected = selected[keep]
    return selected.reset_index(drop=True)


def _most_mentioned_first(table: pd.DataFrame) -> pd.DataFrame:
    return table.sort_values(["mentions", "documents", "key"], ascending=[False, False, True]).reset_index(drop=True)


def actor_counts(mentions: pd.DataFrame) -> pd.DataFrame:
    """Per actor (or theme): mentions and documents in the corpus, most mentioned first."""
    grouped = mentions.groupby(["key", "name", "category"], dropna=False, observed=True)
    return _most_mentioned_first(
        grouped.agg(mentions=("doc_id", "size"), documents=("doc_id", "nunique")).reset_index()
    )


def combine_actor_counts(tables: Iterable[pd.DataFrame]) -> pd.DataFrame:
    """`actor_counts` of a whole corpus from the `actor_counts` of partitions that each hold
    whole documents (so document counts add up), in the same order."""
    tables = list(tables)
    if not tables:
        return pd.DataFrame({name: pd.Series(dtype=dtype) for name, dtype in (
            ("key", "string"), ("name", "string"), ("category", "string"), ("mentions", "int64"),
            ("documents", "int64"))})
    combined = pd.concat(tables).groupby(["key", "name", "category"], dropna=False, observed=True)
    return _most_mentioned_first(combined[["mentions", "documents"]].sum().reset_index())


def counts_by_document(mentions: pd.DataFrame) -> pd.DataFrame:
    """Per document and actor: number of mentions (long form)."""
    table = mentions.groupby(["doc_id", "key", "name", "category"], observed=True).size()
    return table.rename("mentions").reset_index().sort_values(["doc_id", "mentions", "key"],
                                                              ascending=[True, False, True],
                                                              ignore_index=True)


def category_counts(mentions: pd.DataFrame) -> pd.DataFrame:
    """Per category: mentions, distinct actors, documents."""
    table = mentions.groupby("category", observed=True).agg(
        mentions=("key", "size"), actors=("key", "nunique"), documents=("doc_id", "nunique")
    )
    return table.sort_values("mentions", ascending=False).reset_index()


def document_actor_matrix(mentions: pd.DataFrame, top: int | None = None) -> pd.DataFrame:
    """Documents x actors, mention counts; columns limited to the `top` most mentioned."""
    keys = actor_counts(mentions)
    if top is not None:
        keys = keys.head(top)
    selected = mentions[mentions["key"].isin(keys["key"])]
    matrix = pd.crosstab(selected["doc_id"], selected["name"])
    return matrix.reindex(columns=keys["name"].drop_duplicates().tolist(), fill_value=0)


def surface_forms(mentions: pd.DataFrame) -> pd.DataFrame:
    """Per actor: how many different surface forms resolution merged, and which."""
    forms = mentions.assign(form=mentions["text"].str.replace(r"\s+", " ", regex=True))
    grouped = forms.groupby(["key", "name", "category"], observed=True, dropna=False)  # every key a row, named or not
    table = grouped.agg(
        mentions=("form", "size"),
        surface_forms=("form", "nunique"),
        forms=("form", lambda values: " | ".join(sorted(set(values)))),
    ).reset_index()
    return table.sort_values(["surface_forms", "mentions", "key"], ascending=[False, False, True],
                             ignore_index=True)
