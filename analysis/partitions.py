"""Co-occurrence over partitioned data: count each partition, add the counts, then measure.

Units (sentences, paragraphs, documents, windows) never cross a document, so as long as a
partition holds whole documents, the pair counts, the per-key unit counts and the number of
units of a corpus are the sums over its partitions. This keeps memory bounded by the largest
partition, and is the map (count) and reduce (add) that `analysis.distributed` runs on Dask.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis import cooccurrence
from analysis.schema import empty_frame

_PAIR_COUNT_COLUMNS = {"a_key": "string", "b_key": "string", "count": "int64"}
_UNIT_COLUMNS = {"key": "string", "name": "string", "kind": "string", "category": "string", "units": "int64"}


@dataclass
class PartitionCounts:
    """Additive counts of one partition (or of several, once combined)."""

    pairs: pd.DataFrame  # a_key, b_key, count
    units: pd.DataFrame  # key, name, kind, category, units
    n_units: int

    @staticmethod
    def combine(parts: Iterable[PartitionCounts]) -> PartitionCounts:
        parts = list(parts)
        if not parts:
            return PartitionCounts(empty_frame(_PAIR_COUNT_COLUMNS), empty_frame(_UNIT_COLUMNS), 0)
        pairs = pd.concat([p.pairs for p in parts]).groupby(["a_key", "b_key"], as_index=False)["count"].sum()
        units = pd.concat([p.units for p in parts])
        # a name equal to the key is a fallback; prefer a real name seen in another partition
        units = units.assign(_fallback=units["name"] == units["key"]).sort_values(["key", "_fallback"])
        labels = units.groupby("key").first()[["name", "kind", "category"]]
        totals = units.groupby("key")["units"].sum()
        table = labels.join(totals).reset_index()
        return PartitionCounts(pairs, table.astype(_UNIT_COLUMNS)[list(_UNIT_COLUMNS)],
                               sum(p.n_units for p in parts))

    def pair_table(self, min_count: int = 1, measure: str = "count", top: int | None = None) -> pd.DataFrame:
        """The same table as `cooccurrence.pair_table` over the whole data."""
        if measure not in cooccurrence.MEASURES:
            raise ValueError(f"measure {measure!r} is not one of {list(cooccurrence.MEASURES)}")
        pairs = self.pairs[self.pairs["count"] >= min_count]
        if pairs.empty:
            return empty_frame(cooccurrence.PAIR_COLUMNS)
        units = self.units.set_index("key")
        a, b = units.loc[pairs["a_key"]], units.loc[pairs["b_key"]]
        count = pairs["count"].to_numpy(np.int64)
        values = cooccurrence.association_measures(count, a["units"].to_numpy(), b["units"].to_numpy(), self.n_units)
        table = pd.DataFrame({
            "a_key": pairs["a_key"].to_numpy(), "a_name": a["name"].to_numpy(),
            "a_category": a["category"].to_numpy(), "b_key": pairs["b_key"].to_numpy(),
            "b_name": b["name"].to_numpy(), "b_category": b["category"].to_numpy(), "count": count,
            "a_units": a["units"].to_numpy(), "b_units": b["units"].to_numpy(),
            "n_units": np.full(len(count), self.n_units, dtype=np.int64),
            **{m: values[m] for m in cooccurrence.PAIR_COLUMNS if m in values and m != "count"},
        })
        table = table.sort_values([measure, "a_key", "b_key"], ascending=[False, True, True], kind="stable")
        if top is not None:
            table = table.head(top)
        return table.astype(cooccurrence.PAIR_COLUMNS).reset_index(drop=True)


def count_partition(
    mentions: pd.DataFrame, sentences: pd.DataFrame, pairs: str = "actor-actor", unit: str = "sentence",
    level: str = "actor",
) -> PartitionCounts:
    """The additive counts of one partition of whole documents."""
    table = cooccurrence.pair_table(mentions, sentences, pairs=pairs, unit=unit, level=level)
    units = cooccurrence.unit_counts(mentions, sentences, unit=unit, level=level)
    matrix, _, _ = cooccurrence.incidence(mentions, sentences, unit=unit, level=level)
    return PartitionCounts(
        table[list(_PAIR_COUNT_COLUMNS)].astype(_PAIR_COUNT_COLUMNS),
        units[list(_UNIT_COLUMNS)].astype(_UNIT_COLUMNS),
        int(matrix.shape[0]),
    )


def pair_table_over_partitions(
    partitions: Iterable[tuple[pd.DataFrame, pd.DataFrame]], pairs: str = "actor-actor", unit: str = "sentence",
    level: str = "actor", min_count: int = 1, measure: str = "count", top: int | None = None,
) -> pd.DataFrame:
    """`cooccurrence.pair_table` of the union of the partitions, one partition in memory at a time."""
    counts = PartitionCounts.combine(count_partition(m, s, pairs, unit, level) for m, s in partitions)
    return counts.pair_table(min_count=min_count, measure=measure, top=top)
