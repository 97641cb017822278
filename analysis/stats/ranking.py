"""Honest ranking of pairs: one rule a report can state in a sentence, and cuts that own up to ties.

Pairs are ranked by the chosen measure's pessimistic end (the interval's lower bound, or its
upper bound for a measure where lower is stronger, when an interval was computed; else the
measure itself), then by support: distinct documents, units, and mentions of the two keys.
Only when all of those tie do keys decide, alphabetically, and a cut through such a tie says
how many rows it left out.
"""

from __future__ import annotations

import pandas as pd

from analysis.stats.measures import measure as registered_measure

_SUPPORT = ("documents", "count", "mentions")


def rank_key(measure: str, with_interval: bool) -> tuple[str, bool]:
    """The column that ranks first and whether larger is better."""
    entry = registered_measure(measure)
    if not with_interval:
        return measure, entry.higher_is_stronger
    return (f"{measure}_low", True) if entry.higher_is_stronger else (f"{measure}_high", False)


def _support(table: pd.DataFrame) -> pd.DataFrame:
    return table.assign(mentions=table["a_mentions"] + table["b_mentions"])


def rank(table: pd.DataFrame, measure: str, with_interval: bool) -> pd.DataFrame:
    """The pair table in ranking order (reproducible: keys break the last ties)."""
    first, larger_first = rank_key(measure, with_interval)
    ranked = _support(table).sort_values(
        [first, *_SUPPORT, "a_key", "b_key"],
        ascending=[not larger_first, False, False, False, True, True],
        kind="stable",
        na_position="last",
    )
    return ranked.drop(columns="mentions").reset_index(drop=True)


def tied_with_last(table: pd.DataFrame, n: int, measure: str, with_interval: bool) -> int:
    """How many rows after the first `n` of a ranked table tie with row n on every ranking column."""
    if n >= len(table) or n <= 0:
        return 0
    first, _ = rank_key(measure, with_interval)
    columns = [first, *_SUPPORT]
    values = _support(table)[columns]
    last = values.iloc[n - 1]
    rest = values.iloc[n:]
    same = (rest == last) | (rest.isna() & pd.isna(last))
    return int(same.all(axis=1).sum())


def rule(measure: str, with_interval: bool, level: float | None = None) -> str:
    """The ranking rule in one sentence, for the page."""
    first, larger_first = rank_key(measure, with_interval)
    if with_interval:
        bound = "lower" if larger_first else "upper"
        percent = f"{level:.0%} " if level is not None else ""
        head = (f"Pairs are ranked by the {bound} end of the {percent}interval of {measure} (the value we can "
                "be fairly sure of, so a pair resting on one document cannot rank first by luck)")
    else:
        head = f"Pairs are ranked by {measure}, {'largest' if larger_first else 'smallest'} first"
    return head + ", then by the number of documents, of units and of mentions behind them."


def top_keys_with_ties(counts: pd.DataFrame, n: int, by: str = "mentions") -> pd.DataFrame:
    """The first `n` rows of a table sorted by `by` (descending), plus every row tied with the nth."""
    if n <= 0 or counts.empty:
        return counts.head(0)
    ordered = counts.sort_values(by, ascending=False, kind="stable")
    if n >= len(ordered):
        return ordered
    threshold = ordered[by].iloc[n - 1]
    return ordered[ordered[by] >= threshold]
