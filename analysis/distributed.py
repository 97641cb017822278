"""Annotation and co-occurrence on dask.distributed, for corpora that outgrow one machine.

Annotation: each batch of documents is one task; a worker builds the spaCy pipeline once
(from the annotator's options) and reuses it for every batch it gets. The driver writes the
returned parts to the same Parquet cache as the local engine, so the two are interchangeable.

Co-occurrence: documents never share a unit, so the counts of a corpus are the sums of the
counts of its partitions: each partition is counted as one task (map) and the counts added
(reduce, `DocumentCounts.combine`) before the measures and intervals are computed once.

Install with `pip install .[dask]`; without a scheduler address a LocalCluster is started.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import pandas as pd

from analysis.cooccurrence import DocumentCounts
from analysis.nlp import Annotator, build_annotator
from analysis.partitions import count_partition

_WORKER_ANNOTATORS: dict[str, Annotator] = {}


def _client(scheduler: str | None):
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError as error:  # pragma: no cover - depends on the installed extras
        raise RuntimeError("the dask engine needs the optional extra: pip install '.[dask]'") from error
    if scheduler:
        return Client(scheduler), None
    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
    return Client(cluster), cluster


def _worker_annotator(options: dict, fingerprint: str) -> Annotator:
    """One pipeline per worker process and annotator configuration."""
    if fingerprint not in _WORKER_ANNOTATORS:
        annotator = build_annotator(**options)
        if annotator.fingerprint != fingerprint:
            raise RuntimeError(
                f"worker built annotator {annotator.fingerprint}, driver has {fingerprint}: "
                "install the same package, lexicons and pipeline on every worker"
            )
        _WORKER_ANNOTATORS[fingerprint] = annotator
    return _WORKER_ANNOTATORS[fingerprint]


def _annotate_task(options: dict, fingerprint: str, keys: list[str], texts: list[str], dates: list):
    from analysis.annotate import annotate_batch

    return keys, *annotate_batch(_worker_annotator(options, fingerprint), keys, texts, dates)


def dask_engine(
    annotator: Annotator, batches: Iterable[tuple[list[str], list[str], list]], scheduler: str | None = None
) -> Iterator[tuple[list[str], pd.DataFrame, pd.DataFrame]]:
    """Annotate batches as Dask tasks; yields (keys, mentions, sentences) as they finish."""
    from dask.distributed import as_completed

    client, cluster = _client(scheduler)
    try:
        futures = [
            client.submit(_annotate_task, annotator.options, annotator.fingerprint, keys, texts, dates, pure=False)
            for keys, texts, dates in batches
        ]
        for future in as_completed(futures):
            yield future.result()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


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
