"""Run the pipeline over `documents` once, into the `mentions` and `sentences` tables, with an
on-disk cache so that unchanged documents are never annotated twice.

Documents (a table, or tables read one batch at a time by `analysis.corpus.reader.iter_corpus`) are
streamed in batches to an engine (`analysis.annotate.engines`: this process, worker processes, Dask),
which annotates each (`analysis.annotate.batch`) and gives back its tables; each batch is written to
the cache as its own Parquet part as soon as it is done, so memory does not grow with the
corpus (`annotate_to_cache`); `annotate` then reads the parts back into two in-memory tables.

The cache is keyed by the annotator's fingerprint (pipeline, versions, lexicons, this
package's annotation code) and, within it, by each document's text and date: adding documents
annotates only the new ones.

Each part is a pair of Parquet files and a manifest (`part-*.json`, written last: a part
without one was never finished) that lists the part's document keys and the sha256 of both
files. The files are checked against it when the cache is indexed and again when a part is
read: a part whose bytes changed (a bad disk, a copy cut short, an edit) would otherwise be
read as data, since Parquet's own footer does not cover the values (five changed bytes turn
one actor's key into another's). A part that fails the check, or cannot be read, is deleted,
listed in `AnnotatedParts.problems`, and its documents are annotated again in the same run.
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
import warnings
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from tqdm import TqdmWarning

from analysis.annotate.batch import KEYED_MENTIONS, KEYED_SENTENCES, Batch, BatchTables
from analysis.annotate.engines import EngineConfig, run_engine
from analysis.annotate.pipeline import DEFAULT_PIPELINE, Annotator, build_annotator
from analysis.corpus.compact import DigestMap
from analysis.errors import AnalysisError
from analysis.lang.registry import DEFAULT_LANGUAGE
from analysis.schema import MENTION_COLUMNS, SENTENCE_COLUMNS, conform, empty_frame

with warnings.catch_warnings():
    # Without ipywidgets, tqdm.auto falls back to the text bar and warns once on import; that
    # warning (with a path of this machine) would land in every rendered report.
    warnings.simplefilter("ignore", TqdmWarning)
    from tqdm.auto import tqdm

log = logging.getLogger(__name__)
DEFAULT_CACHE_DIR = Path(".cache") / "annotations"
_MANIFEST_VERSION = 1


class CacheError(AnalysisError):
    """The annotation cache cannot be used: a part changed or became unreadable after it was
    indexed (it is deleted, so the next run annotates its documents again), or the folder
    cannot be written."""


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


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _temporary(path: Path) -> Path:
    return path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")


def _write_atomic(table: pd.DataFrame, path: Path) -> str:
    """Write `table` to `path` (complete or not at all); returns the file's sha256."""
    temporary = _temporary(path)
    pq.write_table(pa.Table.from_pandas(table, preserve_index=False), temporary)
    checksum = _sha256(temporary)
    os.replace(temporary, path)
    return checksum


def _part_files(folder: Path, part: str) -> tuple[Path, Path]:
    return folder / f"{part}.mentions.parquet", folder / f"{part}.sentences.parquet"


def _manifest_file(folder: Path, part: str) -> Path:
    return folder / f"{part}.json"


class Checksums(NamedTuple):
    """sha256 of a part's mentions and sentences files, as written."""

    mentions: str
    sentences: str


def _write_part(
    folder: Path, keys: list[str], mentions: pd.DataFrame, sentences: pd.DataFrame
) -> tuple[str, Checksums]:
    """Write one batch as a pair of Parquet files, then its manifest (keys and checksums),
    last, so a part without a manifest was never finished."""
    part = "part-" + hashlib.sha256("".join(keys).encode()).hexdigest()[:16]
    mention_file, sentence_file = _part_files(folder, part)
    checksums = Checksums(_write_atomic(mentions, mention_file), _write_atomic(sentences, sentence_file))
    manifest = _manifest_file(folder, part)
    temporary = _temporary(manifest)
    temporary.write_text(json.dumps({"version": _MANIFEST_VERSION, "keys": keys, "sha256": checksums._asdict()}),
                         encoding="utf-8")
    os.replace(temporary, manifest)
    return part, checksums


class _PartIndex:
    """Which cache part holds each document key: the parts found in the cache, then those this
    run writes; a key sent to the engine and not yet written is queued. Kept compact
    (`analysis.corpus.compact.DigestMap`), as it has an entry per document."""

    QUEUED = -2

    def __init__(self) -> None:
        self._numbers = DigestMap()  # key -> position of its part in `parts`, or QUEUED
        self.parts: list[str] = []
        self.checksums: dict[str, Checksums] = {}
        self.problems: list[tuple[str, str]] = []  # (part, what was wrong): damaged parts, deleted

    def __len__(self) -> int:
        return len(self._numbers)

    def holds(self, key: str) -> bool:
        """Whether `key` is in a part, or queued for one."""
        return self._numbers.get(key) != DigestMap.MISSING

    def queue(self, key: str) -> None:
        self._numbers.set(key, self.QUEUED)

    def add(self, part: str, keys: Iterable[str], checksums: Checksums, replace: bool = True) -> None:
        """`part` holds `keys`; with `replace` False a key already in a part stays there."""
        self.parts.append(part)
        self.checksums[part] = checksums
        for key in keys:
            if replace or not self.holds(key):
                self._numbers.set(key, len(self.parts) - 1)

    def parts_of(self, keys: Sequence[str]) -> pd.api.extensions.ExtensionArray:
        numbers = self._numbers.get_many(keys)
        if (numbers < 0).any():
            raise RuntimeError(f"the annotation engine returned no tables for {int((numbers < 0).sum())} document(s)")
        return pd.array(np.asarray(self.parts, dtype=object)[numbers], dtype="string")


def _delete_part(folder: Path, part: str) -> None:
    for file in (_manifest_file(folder, part), *_part_files(folder, part)):
        with contextlib.suppress(OSError):  # a read-only cache: skipped, not deleted
            file.unlink(missing_ok=True)


def _checked_manifest(folder: Path, part: str) -> tuple[list[str], Checksums]:
    """The keys and checksums of a part whose files match its manifest; ValueError or
    OSError saying what is wrong otherwise."""
    manifest = json.loads(_manifest_file(folder, part).read_text(encoding="utf-8"))
    keys, checksums = manifest["keys"], Checksums(**manifest["sha256"])
    if manifest.get("version") != _MANIFEST_VERSION or not all(isinstance(key, str) for key in keys):
        raise ValueError("its manifest is not one this version writes")
    for file, expected in zip(_part_files(folder, part), checksums, strict=True):
        if _sha256(file) != expected:
            raise ValueError(f"{file.name} does not match the checksum recorded when it was written")
    return keys, checksums


def _index_cache(folder: Path) -> _PartIndex:
    """Document key -> part, from the manifest of every complete part whose files match their
    checksums. A part that fails the check is deleted and listed, so its documents are
    annotated again in this run."""
    index = _PartIndex()
    for manifest in sorted(folder.glob("part-*.json")):
        part = manifest.name.removesuffix(".json")
        try:
            keys, checksums = _checked_manifest(folder, part)
        except (OSError, ValueError, KeyError, TypeError) as error:
            reason = " ".join(f"{type(error).__name__}: {error}".split())  # one line
            index.problems.append((str(folder / part), f"annotation cache part unreadable or damaged ({reason})"))
            log.warning("annotation cache part %s is unreadable or damaged (%s); annotating its documents again",
                        part, reason)
            _delete_part(folder, part)
            continue
        index.add(part, keys, checksums, replace=False)
    return index


def _read_checked(folder: Path, part: str, file: Path, expected: str, columns: dict[str, str],
                  kind: str | None = None) -> pd.DataFrame:
    """`columns` of one of a part's files, read from bytes checked against its checksum (only
    the rows of mention `kind` when given): a part that changed since it was indexed is
    deleted (the next run annotates its documents again) and the run stops, rather than count
    what it holds."""
    try:
        data = file.read_bytes()
        if hashlib.sha256(data).hexdigest() != expected:
            raise ValueError(f"{file.name} does not match the checksum recorded when it was written")
        table = pq.read_table(pa.BufferReader(data), columns=list(columns))
        if kind is not None:
            table = table.filter(pc.equal(table["kind"], kind))
        return conform(table.to_pandas(), columns)
    except (OSError, ValueError, pa.ArrowException) as error:
        _delete_part(folder, part)
        raise CacheError(
            f"annotation cache part {folder / part} changed while it was in use ({error}); it was deleted, "
            "and the next run annotates its documents again"
        ) from error


def _read_part(folder: Path, part: str, checksums: Checksums) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A part's tables (mentions, sentences), checked (`_read_checked`)."""
    mention_file, sentence_file = _part_files(folder, part)
    return (_read_checked(folder, part, mention_file, checksums.mentions, KEYED_MENTIONS),
            _read_checked(folder, part, sentence_file, checksums.sentences, KEYED_SENTENCES))


@dataclass(frozen=True)
class AnnotatedParts:
    """Where the annotations of a corpus are: Parquet parts of the cache, one per batch, and
    which part holds each document. Reading it one part at a time keeps memory bounded by
    the largest part, whatever the size of the corpus."""

    folder: Path
    index: pd.DataFrame  # doc_id, doc_key, body_start, part: one row per document, in corpus order
    checksums: dict[str, Checksums]  # part -> the sha256 of its files, as written
    problems: tuple[tuple[str, str], ...] = ()  # (part, what was wrong): damaged parts found, deleted, redone

    def partitions(self) -> Iterator[Annotations]:
        """(mentions, sentences) of the documents of one part at a time, sorted by document.
        Each document is in exactly one partition, so unit counts add up over partitions."""
        for part, members in self.index.groupby("part", sort=False)[["doc_id", "doc_key", "body_start"]]:
            mentions, sentences = _read_part(self.folder, str(part), self.checksums[str(part)])
            yield _with_doc_ids(members, mentions, sentences)

    def mention_columns(self, columns: Iterable[str], kind: str) -> Iterator[tuple[pd.DataFrame, pd.Series | None]]:
        """`columns` of the mentions of `kind`, one part at a time, each row's document named by
        its `doc_key`, in no particular order and without the sentences: a pass that only counts
        (linking's actor counts) reads a fraction of each part. With each table, how many
        documents each doc_key stands for (a text shared by several documents is held once), or
        None when every one stands for one."""
        wanted = {"doc_key": "string", **{name: KEYED_MENTIONS[name] for name in columns if name != "doc_id"}}
        for part, members in self.index.groupby("part", sort=False)["doc_key"]:
            mention_file = _part_files(self.folder, str(part))[0]
            table = _read_checked(self.folder, str(part), mention_file, self.checksums[str(part)].mentions,
                                  {**wanted, "kind": "string"}, kind)
            # a part is shared by every corpus annotated alike: only this corpus's documents count
            table = table[table["doc_key"].isin(members.unique())]
            copies = members.value_counts()
            yield table, (copies if (copies > 1).any() else None)

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


def _interactive() -> bool:
    """Whether someone watches: a terminal, or a Jupyter kernel (whose stderr is no terminal;
    `tqdm.auto` draws a widget there). A papermill run is a kernel too but nobody watches it,
    so reports pass `progress=False`."""
    if sys.stderr.isatty():
        return True
    shell = sys.modules.get("IPython")
    return shell is not None and getattr(shell.get_ipython(), "kernel", None) is not None


def _write_parts(folder: Path, tables: Iterable[BatchTables], known: _PartIndex, progress: bool | None) -> None:
    """Write each batch's tables as a cache part as soon as the engine gives them back."""
    show = _interactive() if progress is None else progress
    with tqdm(desc="annotating", unit="doc", disable=not show) as bar:
        for batch_keys, part_mentions, part_sentences in tables:
            try:
                part, checksums = _write_part(folder, batch_keys, part_mentions, part_sentences)
            except OSError as error:  # e.g. the disk filled up, or permissions changed mid-run
                raise _unwritable(folder, error) from None
            known.add(part, batch_keys, checksums)
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
    return AnnotatedParts(folder, _located(index, known), known.checksums, tuple(known.problems))


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
