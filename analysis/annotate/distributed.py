"""Annotation and co-occurrence on dask.distributed, for corpora that outgrow one machine.

Annotation: each batch of documents is one task; a worker builds the spaCy pipeline once
(from the annotator's frozen configuration) and reuses it for every batch it gets. The driver
writes the returned tables to the same Parquet cache as the local engine: the two are
interchangeable. Registered as the engine "dask" in `analysis.annotate.engines`.

Co-occurrence: documents never share a unit, so the counts of a corpus are the sums of the
counts of its partitions: each partition is counted as one task (map) and the counts added
(reduce, `DocumentCounts.combine`) before the measures and intervals are computed once.

Install with `pip install .[dask]`; without a scheduler address a LocalCluster is started.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import pandas as pd

from analysis.annotate.batch import Batch, BatchTables
from analysis.annotate.engines import EngineConfig, annotate_in_worker
from analysis.annotate.pipeline import Annotator
from analysis.stats.cooccurrence import DocumentCounts
from analysis.stats.partitions import count_partition


def _client(scheduler: str | None):
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError as error:  # pragma: no cover - depends on the installed extras
        raise RuntimeError("the dask engine needs the optional extra: pip install '.[dask]'") from error
    if scheduler:
        return Client(scheduler), None
    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
    return Client(cluster), cluster


class DaskEngine:
    """Each batch is one task; a worker builds the annotator once from its configuration. Two
    tasks per worker thread are in flight at most, so the corpus is read (and its texts sent)
    only as fast as it is annotated."""

    def run(self, annotator: Annotator, batches: Iterator[Batch], config: EngineConfig) -> Iterator[BatchTables]:
        from dask.distributed import as_completed

        client, cluster = _client(config.scheduler)
        try:
            pending = as_completed()
            for batch in batches:
                pending.add(client.submit(annotate_in_worker, annotator.config, annotator.fingerprint, batch,
                                          pure=False))
                while pending.count() >= 2 * max(1, sum(client.nthreads().values())):
                    yield next(pending).result()
            for future in pending:
                yield future.result()
        finally:
            client.close()
            if cluster is not None:
                cluster.close()

    def count(self, partitions: Iterable[tuple[pd.DataFrame, pd.DataFrame]], unit: str, level: str,
              config: EngineConfig) -> DocumentCounts:
        return count_partitions_with_dask(partitions, unit, level, config.scheduler)


def count_partitions_with_dask(
    partitions: Iterable[tuple[pd.DataFrame, pd.DataFrame]],
    unit: str,
    level: str,
    scheduler: str | None = None,
) -> DocumentCounts:
    """Map: count each (mentions, sentences) partition on a worker; reduce: add the counts."""
    client, cluster = _client(scheduler)
    try:
        futures = [
            client.submit(count_partition, mentions, sentences, unit, level, pure=False)
            for mentions, sentences in partitions
        ]
        return DocumentCounts.combine(client.gather(futures))
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
