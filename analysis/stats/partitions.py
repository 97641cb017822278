"""Co-occurrence over partitioned data: count each partition, add the counts, then measure.

Units (sentences, paragraphs, documents, windows) never cross a document, so as long as a
partition holds whole documents, the counts of a corpus per document are the union of the
counts of its partitions (`DocumentCounts.combine`). Pair tables, document support and the
document bootstrap are then the same code as for in-memory tables. This keeps memory
bounded by the largest partition. Counting a partition is a plain function that any engine
maps (`analysis.annotate.engines`: this process, worker processes, Dask); adding is the reduce.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

import pandas as pd

from analysis.annotate.engines import EngineConfig, get_engine
from analysis.stats.document_counts import DocumentCounts
from analysis.stats.incidence import build_incidence
from analysis.stats.model import Cooccurrence

Partition = tuple[pd.DataFrame, pd.DataFrame]  # (mentions, sentences) of whole documents


def count_partition(
    mentions: pd.DataFrame, sentences: pd.DataFrame, unit: str = "sentence", level: str = "actor"
) -> DocumentCounts:
    """The additive counts of one partition of whole documents."""
    return DocumentCounts.from_incidence(build_incidence(mentions, sentences, unit, level))


def _count(partition: Partition, *, unit: str, level: str) -> DocumentCounts:
    return count_partition(*partition, unit, level)


def count_partitions(partitions: Iterable[Partition], unit: str = "sentence", level: str = "actor",
                     engine: EngineConfig | None = None) -> DocumentCounts:
    """Map: count each partition on `engine` (default: this process); reduce: add the counts."""
    engine = engine or EngineConfig()
    counted = get_engine(engine.name).map(functools.partial(_count, unit=unit, level=level), partitions, engine)
    return DocumentCounts.combine(counted)


def model_over_partitions(partitions: Iterable[Partition], unit: str = "sentence", level: str = "actor",
                          engine: EngineConfig | None = None) -> Cooccurrence:
    """The co-occurrence model of the union of the partitions, one partition in memory at a time."""
    return Cooccurrence(count_partitions(partitions, unit, level, engine), unit, level)


def pair_table_over_partitions(
    partitions: Iterable[Partition], pairs: str = "actor-actor", unit: str = "sentence",
    level: str = "actor", **options: object,
) -> pd.DataFrame:
    """`cooccurrence.pair_table` of the union of the partitions (same options, same result)."""
    return model_over_partitions(partitions, unit, level).pairs(pairs, **options)
