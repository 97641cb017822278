"""Time periods of documents: labels that sort chronologically, undated documents last."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from analysis import parameters

UNDATED = "undated"


def period_labels(dates: pd.Series, freq: str = "month") -> pd.Series:
    """The period of each date as a string ('2021-02', '2021Q1' or '2021'; 'undated' for NaT).

    Strings sort chronologically and survive CSV round trips; keeping undated rows in a
    named period means a time slice never silently loses documents. The index is kept.
    """
    freq = parameters.check("freq", freq)
    dates = pd.to_datetime(dates, errors="coerce")
    if freq == "month":
        label = dates.dt.strftime("%Y-%m")
    elif freq == "year":
        label = dates.dt.year.astype("Int64").astype("string")
    else:
        label = (
            dates.dt.year.astype("Int64").astype("string")
            + "Q"
            + dates.dt.quarter.astype("Int64").astype("string")
        )
    return label.astype("string").fillna(UNDATED)


def period_order(labels: Iterable[str]) -> list[str]:
    """The distinct period labels in reading order: dated periods sorted, then 'undated'."""
    found = set(labels)
    return sorted(found - {UNDATED}) + ([UNDATED] if UNDATED in found else [])
