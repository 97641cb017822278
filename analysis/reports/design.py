"""Report helpers for weighting, stories, document selection and comparison: the parameter
checks of those names, what a page says about them, and the tables they add.

One place for the sentences a reader needs ("counts use fractional weighting ...", "116
undated documents are outside any date range"), so every report says them the same way.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from IPython.display import HTML

from analysis.corpus.stories import story_copies
from analysis.reports.presentation import note
from analysis.stats.compare import Comparison, compare, group_labels
from analysis.stats.cooccurrence import Cooccurrence
from analysis.stats.weighting import ROSTER_ACTORS

UNIT_LEVELS = ("sentence", "paragraph", "document")


def weighting_sentence(weighting: str) -> str:
    if weighting == "fractional":
        return ("Counts use fractional weighting: a unit naming k actors adds 1/(k−1) to each of its pairs, so a "
                "list of ten countries weighs what one bilateral sentence does; measures and intervals are "
                "computed on these weighted counts, `units` stays the plain count.")
    return "Counts are unweighted: every unit adds 1 to each pair it contains, however many actors it names."


def design_note(weighting: str, documents: pd.DataFrame, selection_notes: tuple[str, ...] = ()) -> HTML:
    """What a count page says about its weighting, the stories and the documents it left out."""
    parts = [weighting_sentence(weighting)]
    if "story" in documents.columns:
        stories = documents["story"].nunique()
        if stories < len(documents):
            parts.append(f"{len(documents) - stories} documents are near-copies of another and count with it as "
                         f"one story ({stories} stories in {len(documents)} documents); intervals resample "
                         "stories.")
    parts += list(selection_notes)
    return note(" ".join(parts))


def design_view(pairs: pd.DataFrame) -> pd.DataFrame:
    """The weighting and story columns of a pair table, for the rows shown beside `pair_view`."""
    columns = {"weighted_count": "weighted", "stories": "stories", "roster_share": "in lists"}
    present = [c for c in columns if c in pairs.columns]
    return pairs[present].rename(columns=columns).round(3)


def roster_sentence() -> str:
    return (f"`in lists`: the share of the pair's units that name {ROSTER_ACTORS} or more actors (guest "
            "lists, signatories, summit rosters); `stories`: in how many distinct stories, near-copies counted once.")


def pairs_at_every_unit(mentions: pd.DataFrame, sentences: pd.DataFrame, documents: pd.DataFrame, pairs: str,
                        level: str, weighting: str, n: int, measure: str = "npmi", **options) -> pd.DataFrame:
    """The first `n` pairs of the sentence, paragraph and document rankings together, each
    measured at all three levels side by side (one row a pair), so a pair visible only when
    whole documents are the unit is not lost. Rows: sentence-level rank first, then the pairs
    only the wider units rank."""
    tables = {}
    for unit in UNIT_LEVELS:
        model = Cooccurrence.build(mentions, sentences, unit, level, weighting=weighting, documents=documents)
        tables[unit] = model.pairs(pairs, measure=measure, **options)
    keys = pd.concat([t.head(n)[["a_key", "a_name", "b_key", "b_name"]] for t in tables.values()])
    keys = keys.drop_duplicates(["a_key", "b_key"]).reset_index(drop=True)
    index = pd.MultiIndex.from_frame(keys[["a_key", "b_key"]])
    columns = [keys[["a_name", "b_name"]].rename(columns={"a_name": "actor", "b_name": "with"})]
    for unit, table in tables.items():
        wanted = [c for c in (measure, f"{measure}_low", f"{measure}_high", "count") if c in table.columns]
        part = table.set_index(["a_key", "b_key"])[wanted].reindex(index).reset_index(drop=True)
        part["count"] = part["count"].fillna(0).astype("int64")
        columns.append(part.rename(columns={"count": "units"}).add_prefix(f"{unit} "))
    out = pd.concat(columns, axis=1)
    floats = out.select_dtypes("float").columns
    return out.assign(**{c: out[c].round(3) for c in floats})


def partners_with_support(model: Cooccurrence, actor: str, pairs: str, **interval) -> tuple[pd.DataFrame, int]:
    """The pairs one actor is part of, as every pair table has them (NPMI with its interval,
    documents, stories, weighted count), ranked by the lower end of the interval; and the
    number of pairs the q-values were adjusted over (the whole table, not the actor's rows).
    `model` is built once for the profile, so its partners, themes and evidence share it."""
    table = model.pairs(pairs, measure="npmi", **interval)
    involved = table["a_key"] == actor
    if pairs == "actor-actor":
        involved |= table["b_key"] == actor
    return table[involved].reset_index(drop=True), len(table)


def q_sentence(adjusted: int, pairs: str, unit: str) -> str:
    return (f"q-values are adjusted (Benjamini-Hochberg) over all {adjusted} {pairs} pairs of the corpus at {unit} "
            "level, not over this actor's rows; a page that adjusts over another table says so.")


def comparison_view(table: pd.DataFrame, measure: str = "npmi") -> pd.DataFrame:
    """The comparison table as a reader wants it: pair, group, the measure with its interval,
    the difference with its interval and the verdict."""
    columns = {"a_name": "actor", "b_name": "with", "group": "group", "documents": "documents",
               "stories": "stories", "count": "units", measure: measure, f"{measure}_low": f"{measure} low",
               f"{measure}_high": f"{measure} high", "difference": "difference",
               "difference_low": "difference low", "difference_high": "difference high", "verdict": "verdict"}
    view = table[list(columns)].rename(columns=columns)
    floats = view.select_dtypes("float").columns
    return view.assign(**{c: view[c].round(3) for c in floats}).reset_index(drop=True)


def differing(table: pd.DataFrame) -> pd.DataFrame:
    """Rows whose difference's interval excludes 0, largest difference first."""
    rows = table[table["verdict"].isin(["higher", "lower"])]
    order = np.argsort(-rows["difference"].abs().to_numpy(), kind="stable")
    return rows.iloc[order]


def comparison_sentence(table: pd.DataFrame, by: str) -> str:
    told = int(table["verdict"].isin(["higher", "lower"]).sum())
    rows = int((table["verdict"] != "reference").sum())
    pairs = len(table[["a_key", "b_key"]].drop_duplicates())
    return (f"{told} of {rows} group-and-pair rows ({pairs} pairs) differ from the other groups beyond chance "
            f"(the 95% interval of the difference excludes 0); in the other {rows - told} the groups of "
            f"{by.replace('_', ' ')} cannot be told apart with these documents.")


def outlet_groups(documents: pd.DataFrame, unknown: pd.DataFrame | None) -> pd.DataFrame:
    """Documents per outlet group and outlet, most first; the unknown labels as their own rows
    (group 'unknown outlet'), so every document is counted once."""
    if "source_group" not in documents.columns:
        return pd.DataFrame({"outlet group": [], "outlet": [], "documents": []})
    known = documents[documents["source_group"].notna()]
    table = known.groupby(["source_group", "outlet"]).size().rename("documents").reset_index()
    if unknown is not None and len(unknown):
        table = pd.concat([table, unknown.rename(columns={"source": "outlet"}).assign(source_group="unknown outlet")])
    no_source = int(documents["source"].isna().sum()) if "source" in documents.columns else len(documents)
    if no_source:
        table = pd.concat([table, pd.DataFrame({"source_group": ["no source"], "outlet": [""],
                                                "documents": [no_source]})])
    table = table.sort_values(["documents", "source_group", "outlet"], ascending=[False, True, True], kind="stable")
    return table.rename(columns={"source_group": "outlet group"})[["outlet group", "outlet", "documents"]]


def outlet_reading(documents: pd.DataFrame, unknown: pd.DataFrame | None) -> str:
    known = int(documents["source_group"].notna().sum()) if "source_group" in documents.columns else 0
    labels = 0 if unknown is None else len(unknown)
    return (f"{known} of {len(documents)} documents come from outlets the outlet table knows; "
            f"{labels} source label(s) are unknown and listed below as 'unknown outlet'.")


def story_copies_view(documents: pd.DataFrame) -> pd.DataFrame:
    """The stories told by more than one document, each copy a row, for the Corpus overview."""
    if "story" not in documents.columns:
        return pd.DataFrame()
    copies = story_copies(documents)
    if "date" in copies.columns:
        copies = copies.assign(date=pd.to_datetime(copies["date"]).dt.strftime("%Y-%m-%d").fillna("undated"))
    return copies.astype("string").fillna("")


def comparison_title(by: str) -> str:
    return {"language": "Coverage compared by language", "source_group": "Coverage compared by outlet group",
            "outlet": "Coverage compared by outlet", "period": "Coverage compared by period"}[by]


def comparison_or_reason(model: Cooccurrence, documents: pd.DataFrame, by: str, pairs: str,
                         **options) -> tuple[Comparison | None, str]:
    """The comparison, or None and the sentence saying why there is nothing to compare (fewer
    than two groups, or no pair seen often enough)."""
    labels = group_labels(documents, model.counts.doc_ids, by, options.get("freq", "quarter")).dropna()
    found = sorted(set(labels) - {""})
    if len(found) < 2:
        what = by.replace("_", " ")
        return None, (f"The documents fall into {len(found)} {what} group(s) ({', '.join(found) or 'none known'}): "
                      "there is nothing to compare them with.")
    result = compare(model, documents, by, pairs, **options)
    if result.table.empty:
        return result, f"No {pairs} pair is seen often enough to compare (min_count {options.get('min_count', 2)})."
    return result, comparison_sentence(result.table, by) + (" " + " ".join(result.notes) if result.notes else "")
