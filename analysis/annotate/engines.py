"""Engines: where work runs. An engine does one thing: it maps a function over items, with a
bound on the tasks in flight (so items are read only as fast as they are processed, and
memory stays flat), and yields the results in any order. What runs is a plain function:
annotating a batch here (`run_engine`), counting a partition in `analysis.stats.partitions`.

Engines are a registry by name, so the cache, the workflow and the command line import no
engine (papermill's `engines.py` is the model). An engine is registered by a call
(`register_engine`) or by an entry point of the group `kg_cooccurrence.engines` in any
installed package ("name = module:Class"); the built-in Dask engine is named the same way, so
it is imported only when used and imports nothing of this module.

An engine's own settings (processes, scheduler address, timeout) are a mapping in
`EngineConfig.options`, each checked against `analysis.parameters`.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import multiprocessing
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Protocol, TypeVar

import pandas as pd

from analysis import parameters
from analysis.annotate.batch import Batch, BatchTables, annotate_batch
from analysis.annotate.pipeline import Annotator, AnnotatorConfig

Item = TypeVar("Item")
Result = TypeVar("Result")
ENTRY_POINT_GROUP = "kg_cooccurrence.engines"


@dataclass(frozen=True, init=False)
class EngineConfig:
    """How to run: the engine's name, documents per batch (one cache part) and the engine's
    own options, e.g. `EngineConfig("local", n_process=2)` or
    `EngineConfig("dask", options={"scheduler": "tcp://host:8786", "timeout": 10})`."""

    name: str
    batch_size: int
    options: Mapping[str, object]

    def __init__(self, name: str = "local", batch_size: int = 500, options: Mapping[str, object] | None = None,
                 **more_options: object) -> None:
        given = {**(options or {}), **more_options}
        checked = {key: parameters.check(key, value) for key, value in given.items()}
        object.__setattr__(self, "name", parameters.check("engine", name))
        object.__setattr__(self, "batch_size", parameters.check("batch_size", batch_size))
        object.__setattr__(self, "options", MappingProxyType(checked))

    def __reduce__(self) -> tuple:  # a mapping proxy does not pickle; the plain options do
        return (EngineConfig, (self.name, self.batch_size, dict(self.options)))

    def __hash__(self) -> int:
        return hash((self.name, self.batch_size, tuple(sorted(self.options.items()))))

    def option(self, name: str) -> object:
        """An option's value, or its default from the parameter table."""
        return self.options.get(name, parameters.TABLE[name].default)


class Engine(Protocol):
    def map(self, function: Callable[[Item], Result], items: Iterable[Item], config: EngineConfig) -> Iterator[Result]:
        """`function` of every item, in any order, with a bounded number of tasks in flight."""
        ...


# --------------------------------------------------------------------------- local

class LocalEngine:
    """This machine. One process (`n_process` 1, the default): the function runs here, item by
    item. More: a pool of worker processes with at most two tasks per process in flight, so
    the parent holds few items. A function with a `prepare` method has it called here first:
    where the platform can fork, workers are forked after it and share what it loaded."""

    def map(self, function: Callable[[Item], Result], items: Iterable[Item], config: EngineConfig) -> Iterator[Result]:
        n_process = int(config.option("n_process"))
        if n_process == 1:
            yield from map(function, items)
            return
        if "fork" in multiprocessing.get_all_start_methods():
            context = multiprocessing.get_context("fork")
            prepare = getattr(function, "prepare", None)
            if prepare is not None:
                prepare()
        else:
            context = multiprocessing.get_context("spawn")
        with context.Pool(n_process) as pool:
            window: deque = deque()
            for item in items:
                window.append(pool.apply_async(function, (item,)))
                while len(window) > 2 * n_process:
                    yield window.popleft().get()
            while window:
                yield window.popleft().get()


# --------------------------------------------------------------------------- registry

_ENGINES: dict[str, Engine | str] = {"local": LocalEngine()}
# engines of this package named as entry points are, until it is reinstalled with its entry points
_BUILT_IN: dict[str, str] = {"dask": "analysis.annotate.distributed:DaskEngine"}


def _entry_points() -> dict[str, str]:
    found = {point.name: point.value for point in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP)}
    return {**_BUILT_IN, **found}


def register_engine(name: str, engine: Engine | str) -> None:
    """Make `engine` (an object with `map`, or "module:attribute" of its class) available as
    `name` to `annotate`, the workflow, co-occurrence counting and `--engine`."""
    _ENGINES[name] = engine


def engine_names() -> list[str]:
    return list(dict.fromkeys([*_ENGINES, *_entry_points()]))


parameters.provide("engine", engine_names)


def get_engine(name: str) -> Engine:
    engine = _ENGINES.get(name) or _entry_points().get(parameters.check("engine", name))
    if isinstance(engine, str):
        module, attribute = engine.split(":")
        engine = _ENGINES[name] = getattr(importlib.import_module(module), attribute)()
    return engine


# --------------------------------------------------------------------------- annotation

TASK_DOCUMENTS = 64  # documents per task: small enough to keep every worker busy to the end

_WORKER: dict[str, Annotator] = {}


def worker_annotator(config: AnnotatorConfig, fingerprint: str) -> Annotator:
    """The annotator of this process, built once from `config`; a worker that builds a
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


@dataclass(frozen=True)
class AnnotateTask:
    """Annotate one piece of a batch, in whichever process runs it: only the annotator's frozen
    configuration travels, and only the tables come back. Items are (batch number, piece
    number, piece)."""

    config: AnnotatorConfig
    fingerprint: str

    def __call__(self, item: tuple[int, int, Batch]) -> tuple[int, int, BatchTables]:
        number, piece, batch = item
        return number, piece, annotate_batch(worker_annotator(self.config, self.fingerprint), batch)

    def prepare(self) -> None:
        """Load the pipeline in this process, before workers are forked from it."""
        _ = worker_annotator(self.config, self.fingerprint).nlp


def annotate_in_worker(config: AnnotatorConfig, fingerprint: str, batch: Batch) -> BatchTables:
    """One batch annotated by this process's annotator for `config`."""
    return annotate_batch(worker_annotator(config, fingerprint), batch)


def _pieces(batch: Batch) -> list[Batch]:
    languages = batch.language_list()
    return [Batch(batch.keys[i : i + TASK_DOCUMENTS], batch.texts[i : i + TASK_DOCUMENTS],
                  batch.dates[i : i + TASK_DOCUMENTS], languages[i : i + TASK_DOCUMENTS])
            for i in range(0, len(batch.keys), TASK_DOCUMENTS)]


def _joined(batch: Batch, results: list[BatchTables]) -> BatchTables:
    """One batch's tables from its pieces' tables, in document order."""
    if len(results) == 1:
        return results[0]
    return BatchTables(batch.keys, pd.concat([r.mentions for r in results], ignore_index=True),
                       pd.concat([r.sentences for r in results], ignore_index=True))


def run_engine(annotator: Annotator, batches: Iterable[Batch], config: EngineConfig) -> Iterator[BatchTables]:
    """The tables of every batch, each yielded as soon as all its pieces are done (batches in
    any order). Each batch is cut into pieces of `TASK_DOCUMENTS` documents, which the engine
    maps; the annotator already built here serves this process and the workers forked from it."""
    _WORKER[annotator.fingerprint] = annotator
    open_batches: dict[int, tuple[Batch, dict[int, BatchTables], int]] = {}

    def items() -> Iterator[tuple[int, int, Batch]]:
        for number, batch in enumerate(batches):
            pieces = _pieces(batch)
            open_batches[number] = (batch, {}, len(pieces))
            for index, piece in enumerate(pieces):
                yield number, index, piece

    task = AnnotateTask(annotator.config, annotator.fingerprint)
    for number, index, tables in get_engine(config.name).map(task, items(), config):
        batch, done, expected = open_batches[number]
        done[index] = tables
        if len(done) == expected:
            del open_batches[number]
            yield _joined(batch, [done[i] for i in range(expected)])
