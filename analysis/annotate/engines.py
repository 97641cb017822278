"""Annotation engines: where batches of documents are annotated. A registry by name, so the
cache, the workflow and the command line import no engine (papermill's `engines.py` is the
model): adding an engine is one class with a `run` method and one `register_engine` call.

An engine gets the annotator and an iterator of `Batch`es (consumed lazily, so memory stays
flat) and yields one `BatchTables` per batch, in any order; the caller writes each to the
cache. Only tables come back from a worker, never spaCy Docs.
"""

from __future__ import annotations

import importlib
import multiprocessing
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Protocol

import pandas as pd

from analysis.annotate.batch import Batch, BatchTables, annotate_batch, annotate_stream
from analysis.annotate.pipeline import Annotator, AnnotatorConfig
from analysis.stats.cooccurrence import DocumentCounts
from analysis.stats.partitions import count_partition

Partition = tuple[pd.DataFrame, pd.DataFrame]  # (mentions, sentences) of whole documents


@dataclass(frozen=True)
class EngineConfig:
    """How to run annotation: the engine's name, its processes, documents per batch (one cache
    part, one task) and, for Dask, the scheduler's address (None: a local cluster)."""

    name: str = "local"
    n_process: int = 1
    batch_size: int = 500
    scheduler: str | None = None

    def __post_init__(self) -> None:
        if self.name not in engine_names():
            raise ValueError(f"engine {self.name!r} is not one of {engine_names()}")
        for field, unit in (("n_process", "processes"), ("batch_size", "documents")):
            value = getattr(self, field)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"{field} must be a positive number of {unit}, not {value!r}")


class Engine(Protocol):
    def run(self, annotator: Annotator, batches: Iterator[Batch], config: EngineConfig) -> Iterator[BatchTables]:
        """Annotate every batch; yield the tables of each as it is done."""
        ...

    def count(self, partitions: Iterable[Partition], unit: str, level: str, config: EngineConfig) -> DocumentCounts:
        """Co-occurrence counts of whole-document partitions, added (map and reduce)."""
        ...


# --------------------------------------------------------------------------- local

TASK_DOCUMENTS = 64  # documents per worker task: small enough to keep every worker busy to the end

_WORKER: dict[str, Annotator] = {}


def worker_annotator(config: AnnotatorConfig, fingerprint: str) -> Annotator:
    """The annotator of this worker process, built once from `config`; a worker that builds a
    different one (other package version, lexicons or pipeline) refuses to work."""
    if fingerprint not in _WORKER:
        annotator = config.build()
        if annotator.fingerprint != fingerprint:
            raise RuntimeError(
                f"worker built annotator {annotator.fingerprint}, driver has {fingerprint}: "
                "install the same package, lexicons and pipeline on every worker"
            )
        _WORKER[fingerprint] = annotator
    return _WORKER[fingerprint]


def _worker_start(config: AnnotatorConfig, fingerprint: str) -> None:
    _ = worker_annotator(config, fingerprint).nlp  # load the pipeline before the first batch arrives


def annotate_in_worker(config: AnnotatorConfig, fingerprint: str, batch: Batch) -> BatchTables:
    """A task of a worker process (pool or Dask): only the tables travel back."""
    return annotate_batch(worker_annotator(config, fingerprint), batch)


def _pieces(batch: Batch) -> list[Batch]:
    languages = batch.language_list()
    return [Batch(batch.keys[i : i + TASK_DOCUMENTS], batch.texts[i : i + TASK_DOCUMENTS],
                  batch.dates[i : i + TASK_DOCUMENTS], languages[i : i + TASK_DOCUMENTS])
            for i in range(0, len(batch.keys), TASK_DOCUMENTS)]


def _joined(batch: Batch, results: list[BatchTables]) -> BatchTables:
    """One batch's tables from its tasks' tables, in document order."""
    if len(results) == 1:
        return results[0]
    return BatchTables(batch.keys, pd.concat([r.mentions for r in results], ignore_index=True),
                       pd.concat([r.sentences for r in results], ignore_index=True))


class LocalEngine:
    """This machine. One process: one spaCy stream in this process. n_process > 1: a pool of
    worker processes that send back only the tables of each task (up to `TASK_DOCUMENTS`
    documents, so the workers stay evenly busy to the end); a bounded number of tasks is in
    flight, so the parent holds few texts and writes finished batches while the workers
    annotate the next ones. Where the platform can fork, the workers are forked after the
    parent loaded the pipeline, so they start at once and share its memory pages."""

    def run(self, annotator: Annotator, batches: Iterator[Batch], config: EngineConfig) -> Iterator[BatchTables]:
        if config.n_process == 1:
            yield from annotate_stream(annotator, batches)
            return
        args = (annotator.config, annotator.fingerprint)
        if "fork" in multiprocessing.get_all_start_methods():
            context = multiprocessing.get_context("fork")
            _ = annotator.nlp  # loaded once, here, and inherited by every worker
            _WORKER[annotator.fingerprint] = annotator
        else:
            context = multiprocessing.get_context("spawn")
        with context.Pool(config.n_process, initializer=_worker_start, initargs=args) as pool:
            window: deque = deque()  # (batch, pending results of its tasks)
            in_flight = 0
            for batch in batches:
                tasks = [pool.apply_async(annotate_in_worker, (*args, piece)) for piece in _pieces(batch)]
                window.append((batch, tasks))
                in_flight += len(tasks)
                while in_flight > 2 * config.n_process and len(window) > 1:
                    done, done_tasks = window.popleft()
                    in_flight -= len(done_tasks)
                    yield _joined(done, [task.get() for task in done_tasks])
            while window:
                done, done_tasks = window.popleft()
                yield _joined(done, [task.get() for task in done_tasks])

    def count(self, partitions: Iterable[Partition], unit: str, level: str, config: EngineConfig) -> DocumentCounts:
        return DocumentCounts.combine(count_partition(m, s, unit, level) for m, s in partitions)


# --------------------------------------------------------------------------- registry

# name -> engine, or "module:attribute" of one imported on first use (Dask is an optional extra)
_ENGINES: dict[str, Engine | str] = {
    "local": LocalEngine(),
    "dask": "analysis.annotate.distributed:DaskEngine",
}


def register_engine(name: str, engine: Engine | str) -> None:
    """Make `engine` (an object with `run`, or "module:attribute" of its class) available as
    `name` to `annotate`, the workflow and `--engine`."""
    _ENGINES[name] = engine


def engine_names() -> list[str]:
    return list(_ENGINES)


def get_engine(name: str) -> Engine:
    if name not in _ENGINES:
        raise ValueError(f"engine {name!r} is not one of {engine_names()}")
    engine = _ENGINES[name]
    if isinstance(engine, str):
        module, attribute = engine.split(":")
        engine = _ENGINES[name] = getattr(importlib.import_module(module), attribute)()
    return engine


def run_engine(annotator: Annotator, batches: Iterable[Batch], config: EngineConfig) -> Iterator[BatchTables]:
    return get_engine(config.name).run(annotator, iter(batches), config)
