"""Comparison as a table: the same pair measured in each group of documents (language, outlet
group, period), and the difference from the other groups with an interval.

Why one resampling for all groups: a wire story reprinted by a Russian and a Kyrgyz outlet
is one observation that both groups share, so the groups are not independent samples. One
story bootstrap of the whole corpus (`analysis.stats.weighting.story_weights`) gives every
group its replicate in the same draw; the difference of the two measures in each replicate
is then a draw of the difference, and its percentile interval accounts for what the groups
share. As in `analysis.stats.resampling`, an interval is widened to contain the observed
value when a skewed resampling distribution would leave it outside.

Each group's measure uses the group's own margins and number of units (N), so the measure
answers "within this group's coverage, how much more often than chance are a and b together".
By default a group is compared with all other documents pooled ("the rest"); `reference`
names one group to compare every other group with instead.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse

from analysis.parameters import BY  # noqa: E402  (declared once, with the other parameters)
from analysis.stats import weighting
from analysis.stats.measures import measure as registered_measure

REST = "rest"
# a group must name each key of a pair in this many stories before its difference is called
MIN_STORIES = 5
_BLOCK_PAIRS = 10_000


def comparison_columns(measure: str) -> dict[str, str]:
    return {
        "a_key": "string", "a_name": "string", "b_key": "string", "b_name": "string",
        "group": "string", "reference": "string",
        "count": "int64", "weighted_count": "float64", "documents": "int64", "stories": "int64",
        "n_units": "float64",
        measure: "float64", f"{measure}_low": "float64", f"{measure}_high": "float64",
        "difference": "float64", "difference_low": "float64", "difference_high": "float64",
        "verdict": "string",
    }


@dataclass(frozen=True)
class Comparison:
    """The comparison table and what it left out (documents without a group), one sentence each."""

    table: pd.DataFrame
    notes: tuple[str, ...]
    groups: pd.DataFrame  # group, documents, stories


def group_labels(documents: pd.DataFrame, doc_ids: pd.Index, by: str, freq: str = "quarter") -> pd.Series:
    """The group of each document of `doc_ids` (null: no group), from `documents`."""
    if by not in BY:
        raise ValueError(f"unknown comparison 'by' {by!r}; expected one of {list(BY)}")
    column = "date" if by == "period" else by
    if column not in documents.columns:
        raise ValueError(f"comparing by {by!r} needs documents.{column}"
                         + (" (analysis.corpus.outlets)" if by in ("source_group", "outlet") else ""))
    table = documents.drop_duplicates("doc_id").set_index("doc_id")[column]
    table.index = table.index.astype("string")
    values = table.reindex(doc_ids)
    if by == "period":
        from analysis.stats.cooccurrence import period_labels  # one definition of a period label

        return period_labels(values, freq).reset_index(drop=True)
    return values.astype("string").reset_index(drop=True)


def _order(labels: Iterable[str]) -> list[str]:
    from analysis.stats.cooccurrence import UNDATED

    found = set(labels)
    return sorted(found - {UNDATED}) + ([UNDATED] if UNDATED in found else [])


def _interval(values: np.ndarray, point: np.ndarray, level: float) -> tuple[np.ndarray, np.ndarray]:
    alpha = 1.0 - level
    low, high = np.quantile(values, [alpha / 2, 1 - alpha / 2], axis=1, method="inverted_cdf")
    return np.minimum(low, point), np.maximum(high, point)


def compare(model, documents: pd.DataFrame, by: str = "source_group", pairs: str = "actor-actor", *,
            measure: str = "npmi", reference: str | None = None, groups: Iterable[str] | None = None,
            freq: str = "quarter", min_count: int = 2, top: int | None = None,
            categories: Iterable[str] | str | None = None, ci: float = 0.95, bootstrap: int = 1000,
            seed: int = 0, min_stories: int = MIN_STORIES) -> Comparison:
    """For each of the `top` pairs seen in the most stories (then the largest weighted count) of
    `model.pairs(pairs, min_count=...)`, and each group: the measure
    with its interval, and its difference from the rest of the corpus (or from `reference`)
    with an interval, all from one story bootstrap. `verdict` is 'higher' or 'lower' where the
    difference's interval excludes 0, else 'cannot tell'. A group that never names a or b has no
    measure for the pair ('absent'); one that names either in fewer than `min_stories` stories
    gets its numbers but no verdict ('too few stories'): a pair never seen together in a group
    gives the same value in every replicate, so its interval would look certain while
    resting on a handful of articles."""
    from analysis.stats.cooccurrence import Cooccurrence  # the model's own checks and pair selection
    from analysis.stats.resampling import Bootstrap

    assert isinstance(model, Cooccurrence)
    entry = registered_measure(measure)
    resample = Bootstrap(ci, bootstrap, seed)
    counts, design = model.counts, model.design
    labels = group_labels(documents, counts.doc_ids, by, freq)
    notes = []
    missing = int((labels.fillna("") == "").sum())
    if missing:
        what = {"source_group": "outlets the outlet table does not know", "outlet": "unknown outlets",
                "language": "no language"}.get(by, "no group")
        notes.append(f"{missing:,} documents have {what} and are in no group (they still count in 'rest').")
    found = _order(labels.dropna()[labels.dropna() != ""].unique())
    chosen = found if groups is None else [g for g in groups]
    unknown = [g for g in chosen if g not in found]
    if reference is not None and reference not in found:
        unknown.append(reference)
    if unknown:
        raise ValueError(f"unknown {by} groups {unknown}; the corpus has {found}")
    if reference is not None:
        chosen = [g for g in chosen if g != reference]
    columns = comparison_columns(measure)
    # compare the pairs with the broadest support: a pair seen in few stories cannot differ by group
    table = model.pairs(pairs, min_count=min_count, measure=measure, categories=categories)
    table = table.sort_values(["stories", "weighted_count", "a_key", "b_key"], ascending=[False, False, True, True],
                              kind="stable").head(top if top is not None else len(table)).reset_index(drop=True)
    keys = pd.Index(counts.keys["key"])
    ai = keys.get_indexer(table["a_key"])
    bi = keys.get_indexer(table["b_key"])
    width = max(len(keys), 1)
    codes = counts.pair_a * width + counts.pair_b
    lo, hi = np.minimum(ai, bi), np.maximum(ai, bi)
    selected = np.searchsorted(codes, lo * width + hi)
    label_array = labels.fillna("").to_numpy(dtype=object)  # "" is no group: never a group's label
    summary = pd.DataFrame({
        "group": found,
        "documents": [int((label_array == g).sum()) for g in found],
        "stories": [design.subset(np.flatnonzero(label_array == g)).n_stories for g in found],
    })
    if len(table) == 0 or not chosen:
        return Comparison(pd.DataFrame({c: pd.Series(dtype=t) for c, t in columns.items()}), tuple(notes), summary)
    weights = weighting.story_weights(design.story, resample.replicates, resample.seed)  # replicates x docs
    used = np.unique(np.concatenate([ai, bi]))
    a_local, b_local = np.searchsorted(used, ai), np.searchsorted(used, bi)
    pair_units = design.pair_units.tocsc()[:, selected].tocsr()
    raw_units = counts.pair_units.tocsc()[:, selected].tocsr()
    key_units = design.key_units.tocsc()[:, used].tocsr()

    def totals(rows: np.ndarray) -> dict[str, np.ndarray]:
        """Point and replicate totals of the pair cells, the margins and N over some documents."""
        w = np.ascontiguousarray(weights[:, rows].T)  # docs x replicates
        return {
            "pair": weighting.column_sums(pair_units[rows]),
            "pair_r": np.asarray(pair_units[rows].T @ w),  # pairs x replicates
            "key": weighting.column_sums(key_units[rows]),
            "key_r": np.asarray(key_units[rows].T @ w),
            "n": float(design.doc_units[rows].sum()),
            "n_r": design.doc_units[rows] @ w,
        }

    def pair_support(sub: weighting.Design, rows: np.ndarray) -> np.ndarray:
        """Per pair, the fewer of the stories (among `rows`) naming a and naming b."""
        key_stories = sub.story_support(key_units[rows])
        return np.minimum(key_stories[a_local], key_stories[b_local])

    def measured(t: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
        point = entry.function(t["pair"], t["key"][a_local], t["key"][b_local], t["n"])
        reps = entry.function(t["pair_r"], t["key_r"][a_local], t["key_r"][b_local], t["n_r"][None, :])
        return point, reps

    everything = totals(np.arange(len(label_array)))
    fixed = None
    if reference is not None:
        fixed = measured(totals(np.flatnonzero(label_array == reference)))
    frames = []
    for group in ([reference] if reference is not None else []) + chosen:
        rows = np.flatnonzero(label_array == group)
        own = totals(rows)
        point, reps = measured(own)
        low, high = _interval(reps, point, resample.level)
        if group == reference:
            diff = np.full(len(point), np.nan)
            d_low = d_high = diff
            other = ""
        else:
            if fixed is None:
                rest = {k: everything[k] - own[k] for k in own}
                rest_point, rest_reps = measured(rest)
                other = REST
            else:
                (rest_point, rest_reps), other = fixed, str(reference)
            diff = point - rest_point
            d_low, d_high = _interval(reps - rest_reps, diff, resample.level)
        sub = design.subset(rows)
        support = pair_support(sub, rows)
        other_rows = (np.flatnonzero(label_array == reference) if reference is not None
                      else np.setdiff1d(np.arange(len(label_array)), rows))
        other_support = pair_support(design.subset(other_rows), other_rows)
        absent = support == 0
        diff, d_low, d_high = (np.where(other_support == 0, np.nan, x) for x in (diff, d_low, d_high))
        support = np.minimum(support, np.where(group == reference, support, other_support))
        point, low, high = (np.where(absent, np.nan, x) for x in (point, low, high))
        diff, d_low, d_high = (np.where(absent, np.nan, x) for x in (diff, d_low, d_high))
        called = np.where(d_low > 0, "higher", np.where(d_high < 0, "lower", "cannot tell"))
        verdict = np.where(support < min_stories, "too few stories", called)
        verdict = np.where(absent, "absent", verdict)
        if group == reference:
            verdict = np.full(len(point), "reference")
        frames.append(pd.DataFrame({
            "a_key": table["a_key"].to_numpy(), "a_name": table["a_name"].to_numpy(),
            "b_key": table["b_key"].to_numpy(), "b_name": table["b_name"].to_numpy(),
            "group": group, "reference": other,
            "count": np.asarray(raw_units[rows].sum(axis=0)).ravel().astype(np.int64),
            "weighted_count": own["pair"],
            "documents": np.diff(sparse.csc_matrix(raw_units[rows]).indptr).astype(np.int64),
            "stories": sub.story_support(raw_units[rows]),
            "n_units": np.full(len(point), own["n"]),
            measure: point, f"{measure}_low": low, f"{measure}_high": high,
            "difference": diff, "difference_low": d_low, "difference_high": d_high,
            "verdict": verdict,
        }))
    result = pd.concat(frames, ignore_index=True)
    # pairs in the order of the corpus-wide table, groups in their order under each pair
    result["_pair"] = np.tile(np.arange(len(table)), len(frames))
    result = result.sort_values(["_pair"], kind="stable").drop(columns="_pair").reset_index(drop=True)
    return Comparison(result.astype(columns), tuple(notes), summary)
