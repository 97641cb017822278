"""Run the pipeline over `documents` once, into the `mentions` and `sentences` tables, with an
on-disk cache so that unchanged documents are never annotated twice.

Documents (a table, or tables read one batch at a time by `analysis.corpus.reader.iter_corpus`) are
streamed in batches to an engine (`analysis.annotate.engines`: this process, worker processes, Dask),
which annotates each (`analysis.annotate.batch`) and gives back its tables; each batch is written to
the cache as its own Parquet part as soon as it is done, so memory does not grow with the
corpus (`annotate_to_cache`); `annotate` then reads the parts back into two in-memory tables.

The cache is keyed by the annotator's fingerprint (pipeline, versions, lexicons, this
package's annotation code) and, within it, by each document's text and date: adding documents
annotates only the new ones. A part that cannot be read is deleted and its documents are
annotated again, never trusted.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import json
import logging
import os
import sys
import tempfile
import uuid
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from tqdm import tqdm

from analysis.annotate.batch import KEYED_MENTIONS, KEYED_SENTENCES, Batch, BatchTables
from analysis.annotate.engines import EngineConfig, run_engine
from analysis.annotate.pipeline import DEFAULT_PIPELINE, Annotator, build_annotator
from analysis.corpus.compact import DigestMap
from analysis.errors import AnalysisError
from analysis.lang.registry import DEFAULT_LANGUAGE
from analysis.schema import MENTION_COLUMNS, SENTENCE_COLUMNS, conform, empty_frame

log = logging.getLogger(__name__)
DEFAULT_CACHE_DIR = Path(".cache") / "annotations"
_KEYS_METADATA = b"kg_cooccurrence.doc_keys"


class CacheError(AnalysisError):
    """The annotation cache cannot be used: a part cannot be read after it was indexed, or
    the folder cannot be written."""


def _unwritable(folder: Path, error: OSError) -> CacheError:
    return CacheError(
        f"annotation cache folder {folder} is not writable ({error.strerror or error}); "
        "choose another folder with --cache (or $KG_COOCCURRENCE_CACHE), or fix its permissions"
    )


def check_writable(folder: Path) -> None:
    """Create `folder` and write a probe file in it, before any annotation: finding out after
    the first batch would throw that batch's work away."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".write-check-"):
            pass
    except OSError as error:
        raise _unwritable(folder, error) from None


class Annotations(NamedTuple):
    mentions: pd.DataFrame
    sentences: pd.DataFrame


def document_key(text: str, date: object, language: object = DEFAULT_LANGUAGE) -> str:
    """What an annotation depends on besides the annotator: the text, the date (offices
    held on that date decide who a bare surname is) and the language (which pipeline reads
    it; English documents keep the keys they had before languages were told apart)."""
    day = "" if pd.isna(date) else pd.Timestamp(date).date().isoformat()
    language = DEFAULT_LANGUAGE if language is None or pd.isna(language) else str(language)
    suffix = "" if language == DEFAULT_LANGUAGE else f"\0{language}"
    return hashlib.sha256(f"{day}\0{text}{suffix}".encode()).hexdigest()


def _write_atomic(table: pd.DataFrame, path: Path, metadata: dict[bytes, bytes] | None = None) -> None:
    arrow_table = pa.Table.from_pandas(table, preserve_index=False)
    if metadata:
        arrow_table = arrow_table.replace_schema_metadata({**(arrow_table.schema.metadata or {}), **metadata})
    temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    pq.write_table(arrow_table, temporary)
    os.replace(temporary, path)


def _part_files(folder: Path, part: str) -> tuple[Path, Path]:
    return folder / f"{part}.mentions.parquet", folder / f"{part}.sentences.parquet"


def _write_part(folder: Path, keys: list[str], mentions: pd.DataFrame, sentences: pd.DataFrame) -> str:
    """Write one batch as a pair of Parquet files; the sentences file, written last, lists the
    batch's document keys in its metadata, so a part without it was never finished."""
    part = "part-" + hashlib.sha256("".join(keys).encode()).hexdigest()[:16]
    mention_file, sentence_file = _part_files(folder, part)
    _write_atomic(mentions, mention_file)
    _write_atomic(sentences, sentence_file, {_KEYS_METADATA: json.dumps(keys).encode()})
    return part


class _PartIndex:
    """Which cache part holds each document key: the parts found in the cache, then those this
    run writes; a key sent to the engine and not yet written is queued. Kept compact
    (`analysis.corpus.compact.DigestMap`), as it has an entry per document."""

    QUEUED = -2

    def __init__(self) -> None:
        self._numbers = DigestMap()  # key -> position of its part in `parts`, or QUEUED
        self.parts: list[str] = []

    def __len__(self) -> int:
        return len(self._numbers)

    def holds(self, key: str) -> bool:
        """Whether `key` is in a part, or queued for one."""
        return self._numbers.get(key) != DigestMap.MISSING

    def queue(self, key: str) -> None:
        self._numbers.set(key, self.QUEUED)

    def add(self, part: str, keys: Iterable[str], replace: bool = True) -> None:
        """`part` holds `keys`; with `replace` False a key already in a part stays there."""
        self.parts.append(part)
        for key in keys:
            if replace or not self.holds(key):
                self._numbers.set(key, len(self.parts) - 1)

    def parts_of(self, keys: Sequence[str]) -> pd.api.extensions.ExtensionArray:
        numbers = self._numbers.get_many(keys)
        if (numbers < 0).any():
            raise RuntimeError(f"the annotation engine returned no tables for {int((numbers < 0).sum())} document(s)")
        return pd.array(np.asarray(self.parts, dtype=object)[numbers], dtype="string")


def _index_cache(folder: Path) -> _PartIndex:
    """Document key -> part, from the metadata of every complete part (nothing else is read).
    A part that cannot be read, or lacks either file, is deleted so its documents are redone."""
    index = _PartIndex()
    for sentence_file in sorted(folder.glob("part-*.sentences.parquet")):
        part = sentence_file.name.removesuffix(".sentences.parquet")
        mention_file, _ = _part_files(folder, part)
        try:
            keys = json.loads(pq.read_schema(sentence_file).metadata[_KEYS_METADATA])
            pq.read_schema(mention_file)
        except (OSError, ValueError, KeyError, TypeError, pa.ArrowException) as error:
            log.warning("cache part %s is unreadable (%s); rebuilding it", part, error)
            for file in (sentence_file, mention_file):
                with contextlib.suppress(OSError):  # a read-only cache: skipped, not deleted
                    file.unlink(missing_ok=True)
            continue
        index.add(part, keys, replace=False)
    return index


def _read_part(folder: Path, part: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    mention_file, sentence_file = _part_files(folder, part)
    try:
        mentions = conform(pq.read_table(mention_file).to_pandas(), KEYED_MENTIONS)
        sentences = conform(pq.read_table(sentence_file).to_pandas(), KEYED_SENTENCES)
    except (OSError, ValueError, pa.ArrowException) as error:
        raise CacheError(
            f"annotation cache part {mention_file.parent / part} cannot be read ({error}); "
            "run the annotation again to rebuild it"
        ) from error
    return mentions, sentences


@dataclass(frozen=True)
class AnnotatedParts:
    """Where the annotations of a corpus are: Parquet parts of the cache, one per batch, and
    which part holds each document. Reading it one part at a time keeps memory bounded by
    the largest part, whatever the size of the corpus."""

    folder: Path
    index: pd.DataFrame  # doc_id, doc_key, body_start, part: one row per document, in corpus order

    def partitions(self) -> Iterator[Annotations]:
        """(mentions, sentences) of the documents of one part at a time, sorted by document.
        Each document is in exactly one partition, so unit counts add up over partitions."""
        for part, members in self.index.groupby("part", sort=False)[["doc_id", "doc_key", "body_start"]]:
            mentions, sentences = _read_part(self.folder, str(part))
            yield _with_doc_ids(members, mentions, sentences)

    def load(self) -> Annotations:
        """The whole `mentions` and `sentences` tables in memory (what notebooks use)."""
        parts = list(self.partitions())
        mentions = pd.concat([p.mentions for p in parts], ignore_index=True) if parts else empty_frame(
            MENTION_COLUMNS)
        sentences = pd.concat([p.sentences for p in parts], ignore_index=True) if parts else empty_frame(
            SENTENCE_COLUMNS)
        return _sorted(mentions, sentences)


def _sorted(mentions: pd.DataFrame, sentences: pd.DataFrame) -> Annotations:
    mentions = conform(mentions.sort_values(["doc_id", "start", "end", "kind", "key"]), MENTION_COLUMNS)
    sentences = conform(sentences.sort_values(["doc_id", "sentence"]), SENTENCE_COLUMNS)
    return Annotations(mentions, sentences)


def _with_doc_ids(members: pd.DataFrame, mentions: pd.DataFrame, sentences: pd.DataFrame) -> Annotations:
    """Rows of the documents in `members` (doc_id, doc_key, body_start), each marked as in the
    title or the body; a key shared by two documents (same text and date) gives each of them
    the rows."""
    def joined(table: pd.DataFrame) -> pd.DataFrame:
        table = members.merge(table, on="doc_key")
        section = np.where(table["start"].to_numpy() < table["body_start"].to_numpy(), "title", "body")
        return table.assign(section=section).drop(columns=["doc_key", "body_start"])

    return _sorted(joined(mentions), joined(sentences))


def _fresh(keys: list[str], known: _PartIndex) -> list[int]:
    """Positions of the keys neither cached nor queued (a key repeated in `keys` counts once);
    they are queued in `known`."""
    fresh = []
    for position, key in enumerate(keys):
        if not known.holds(key):
            known.queue(key)
            fresh.append(position)
    return fresh


def _column(frame: pd.DataFrame, name: str, default: object) -> list:
    return frame[name].tolist() if name in frame else [default] * len(frame)


def _batches(
    frames: Iterable[pd.DataFrame], known: _PartIndex, index: list[pd.DataFrame], batch_size: int
) -> Iterator[Batch]:
    """Batches of `batch_size` documents the cache does not hold (each text, date and language
    once), cut from the document tables as they stream past, one language to a batch so that
    each language's pipeline sees full batches (a corpus in one language is cut in reading
    order). Each table's doc_ids, keys and body starts go to `index`: beyond the batches being
    filled, only keys stay in memory, never texts."""
    filling: dict[str, Batch] = {}  # language -> the batch being filled
    for frame in frames:
        texts, dates = frame["text"].tolist(), frame["date"].tolist()
        languages = _column(frame, "language", DEFAULT_LANGUAGE)
        keys = [document_key(t, d, lang) for t, d, lang in zip(texts, dates, languages, strict=True)]
        index.append(pd.DataFrame({"doc_id": frame["doc_id"].astype("string").to_numpy(),
                                   "doc_key": pd.array(keys, dtype="string"),
                                   "body_start": np.asarray(_column(frame, "body_start", 0), dtype="int64")}))
        for position in _fresh(keys, known):
            code = str(languages[position])
            batch = filling.setdefault(code, Batch([], [], [], []))
            for values, value in zip(batch, (keys, texts, dates, languages), strict=True):
                values.append(value[position])
            if len(batch.keys) == batch_size:
                yield filling.pop(code)
    for code in sorted(filling, key=lambda code: (code != DEFAULT_LANGUAGE, code)):
        yield filling[code]


def _write_parts(folder: Path, tables: Iterable[BatchTables], known: _PartIndex, progress: bool | None) -> None:
    """Write each batch's tables as a cache part as soon as the engine gives them back."""
    show = sys.stderr.isatty() if progress is None else progress
    with tqdm(desc="annotating", unit="doc", disable=not show) as bar:
        for batch_keys, part_mentions, part_sentences in tables:
            try:
                part = _write_part(folder, batch_keys, part_mentions, part_sentences)
            except OSError as error:  # e.g. the disk filled up, or permissions changed mid-run
                raise _unwritable(folder, error) from None
            known.add(part, batch_keys)
            bar.update(len(batch_keys))


def _located(index: list[pd.DataFrame], known: _PartIndex) -> pd.DataFrame:
    """doc_id, doc_key, body_start and the part holding it, one row per document in corpus order."""
    for frame in index:  # a table of the batch read at a time: no copy of every key at once
        frame["part"] = known.parts_of(frame["doc_key"].tolist())
    if not index:
        return empty_frame({"doc_id": "string", "doc_key": "string", "body_start": "int64", "part": "string"})
    return pd.concat(index, ignore_index=True)


def annotate_to_cache(
    documents: pd.DataFrame | Iterable[pd.DataFrame],
    annotator: Annotator | None = None,
    cache_dir: str | Path = DEFAULT_CACHE_DIR,
    engine: EngineConfig | None = None,
    progress: bool | None = None,
) -> AnnotatedParts:
    """Annotate the documents the cache does not hold, batch by batch, writing each batch as a
    Parquet part as soon as it is done. `documents` is a table, or tables one after the other
    (the batches of `corpus.iter_corpus`), read once and lazily: beyond the batches in flight
    only document keys are kept, never texts. Returns where every document's annotations are.
    `engine` says where the batches run (`analysis.annotate.engines`; default: this process); the
    parts are the same."""
    engine = engine or EngineConfig()
    annotator = annotator or build_annotator(DEFAULT_PIPELINE)
    folder = Path(cache_dir) / annotator.fingerprint
    known = _index_cache(folder) if folder.is_dir() else _PartIndex()
    index: list[pd.DataFrame] = []
    frames = [documents] if isinstance(documents, pd.DataFrame) else documents
    batches = _batches(frames, known, index, engine.batch_size)
    first = next(batches, None)
    if first is not None:  # a fully cached corpus may be read from a read-only cache
        check_writable(folder)
        _write_parts(folder, run_engine(annotator, itertools.chain([first], batches), engine), known, progress)
    return AnnotatedParts(folder, _located(index, known))


def annotate(
    documents: pd.DataFrame,
    annotator: Annotator | None = None,
    cache_dir: str | Path | None = DEFAULT_CACHE_DIR,
    engine: EngineConfig | None = None,
    progress: bool | None = None,
) -> Annotations:
    """`mentions` (actors and themes) and `sentences` for `documents`, in memory; spaCy runs
    only on documents the cache does not hold. `cache_dir=None` uses a throw-away cache.

    For corpora whose tables should not be held in memory, use `annotate_to_cache` and read
    its parts one at a time."""
    options = dict(engine=engine, progress=progress)
    if cache_dir is None:
        with tempfile.TemporaryDirectory(prefix="kg-annotations-") as temporary:
            return annotate_to_cache(documents, annotator, temporary, **options).load()
    return annotate_to_cache(documents, annotator, cache_dir, **options).load()
