"""Co-occurrence over partitioned data: count each partition, add the counts, then measure.

Units (sentences, paragraphs, documents, windows) never cross a document, so as long as a
partition holds whole documents, the counts of a corpus per document are the union of the
counts of its partitions (`DocumentCounts.combine`). Pair tables, document support and the
document bootstrap are then the same code as for in-memory tables. This keeps memory
bounded by the largest partition, and is the map (count) and reduce (combine) that
`analysis.annotate.distributed` runs on Dask.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from analysis.stats.cooccurrence import Cooccurrence, DocumentCounts, build_incidence


def count_partition(
    mentions: pd.DataFrame, sentences: pd.DataFrame, unit: str = "sentence", level: str = "actor"
) -> DocumentCounts:
    """The additive counts of one partition of whole documents."""
    return DocumentCounts.from_incidence(build_incidence(mentions, sentences, unit, level))


def model_over_partitions(
    partitions: Iterable[tuple[pd.DataFrame, pd.DataFrame]], unit: str = "sentence", level: str = "actor"
) -> Cooccurrence:
    """The co-occurrence model of the union of the partitions, one partition in memory at a time."""
    counts = DocumentCounts.combine(count_partition(m, s, unit, level) for m, s in partitions)
    return Cooccurrence(counts, unit, level)


def pair_table_over_partitions(
    partitions: Iterable[tuple[pd.DataFrame, pd.DataFrame]], pairs: str = "actor-actor", unit: str = "sentence",
    level: str = "actor", **options: object,
) -> pd.DataFrame:
    """`cooccurrence.pair_table` of the union of the partitions (same options, same result)."""
    return model_over_partitions(partitions, unit, level).pairs(pairs, **options)
