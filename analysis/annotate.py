"""Run the pipeline over `documents` once, into the `mentions` and `sentences` tables, with an
on-disk cache so that unchanged documents are never annotated twice.

Documents are streamed in batches to an engine (`analysis.engines`: this process, worker
processes, Dask), which annotates each (`analysis.batch`) and gives back its tables; each
batch is written to the cache as its own Parquet part as soon as it is done, so memory does
not grow with the corpus (`annotate_to_cache`); `annotate` then reads the parts back into two
in-memory tables.

The cache is keyed by the annotator's fingerprint (pipeline, versions, lexicons, this
package's annotation code) and, within it, by each document's text and date: adding documents
annotates only the new ones. A part that cannot be read is deleted and its documents are
annotated again, never trusted.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import sys
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from tqdm import tqdm

from analysis.batch import KEYED_MENTIONS, KEYED_SENTENCES, Batch
from analysis.engines import EngineConfig, run_engine
from analysis.nlp import DEFAULT_PIPELINE, Annotator, build_annotator
from analysis.pipelines import DEFAULT_LANGUAGE
from analysis.schema import MENTION_COLUMNS, SENTENCE_COLUMNS, conform, empty_frame

log = logging.getLogger(__name__)
DEFAULT_CACHE_DIR = Path(".cache") / "annotations"
_KEYS_METADATA = b"kg_cooccurrence.doc_keys"


class CacheError(RuntimeError):
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


def _index_cache(folder: Path) -> dict[str, str]:
    """Document key -> part, from the metadata of every complete part (nothing else is read).
    A part that cannot be read, or lacks either file, is deleted so its documents are redone."""
    index: dict[str, str] = {}
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
        for key in keys:
            index.setdefault(key, part)
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


def _batches(documents: pd.DataFrame, keys: list[str], todo: np.ndarray, batch_size: int) -> Iterator[Batch]:
    """The documents at positions `todo`, `batch_size` at a time: each batch's texts are copied
    only when an engine asks for it."""
    for begin in range(0, len(todo), batch_size):
        positions = todo[begin : begin + batch_size]
        rows = documents.iloc[positions]
        languages = rows["language"].tolist() if "language" in rows else [DEFAULT_LANGUAGE] * len(rows)
        yield Batch([keys[p] for p in positions], rows["text"].tolist(), rows["date"].tolist(), languages)


def annotate_to_cache(
    documents: pd.DataFrame,
    annotator: Annotator | None = None,
    cache_dir: str | Path = DEFAULT_CACHE_DIR,
    engine: EngineConfig | None = None,
    progress: bool | None = None,
) -> AnnotatedParts:
    """Annotate the documents the cache does not hold, batch by batch, writing each batch as a
    Parquet part as soon as it is done; nothing is kept in memory beyond the batches in
    flight. Returns where every document's annotations are. `engine` says where the batches
    run (`analysis.engines`; default: this process); the parts are the same."""
    engine = engine or EngineConfig()
    annotator = annotator or build_annotator(DEFAULT_PIPELINE)
    languages = documents["language"] if "language" in documents else [DEFAULT_LANGUAGE] * len(documents)
    keys = [document_key(t, d, lang) for t, d, lang in zip(documents["text"], documents["date"], languages,
                                                           strict=True)]
    folder = Path(cache_dir) / annotator.fingerprint
    known = _index_cache(folder) if folder.is_dir() else {}
    key_series = pd.Series(keys, dtype="string")
    todo = np.flatnonzero(~key_series.duplicated().to_numpy() & ~key_series.isin(list(known)).to_numpy())
    # documents of one language together, so each language's pipeline sees full batches
    codes = [str(code) for code in languages]
    todo = np.array(sorted(todo, key=lambda p: (codes[p] != DEFAULT_LANGUAGE, codes[p])), dtype=todo.dtype)
    if len(todo):  # a fully cached corpus may be read from a read-only cache
        check_writable(folder)
    show = sys.stderr.isatty() if progress is None else progress
    parts = run_engine(annotator, _batches(documents, keys, todo, engine.batch_size), engine) if len(todo) else ()
    with tqdm(total=len(todo), desc="annotating", unit="doc", disable=not show) as bar:
        for batch_keys, part_mentions, part_sentences in parts:
            try:
                part = _write_part(folder, batch_keys, part_mentions, part_sentences)
            except OSError as error:  # e.g. the disk filled up, or permissions changed mid-run
                raise _unwritable(folder, error) from None
            known.update(dict.fromkeys(batch_keys, part))
            bar.update(len(batch_keys))
    body_start = documents["body_start"] if "body_start" in documents else pd.Series(0, index=documents.index)
    index = pd.DataFrame({
        "doc_id": documents["doc_id"].astype("string").to_numpy(),
        "doc_key": pd.array(keys, dtype="string"),
        "body_start": body_start.astype("int64").to_numpy(),
        "part": pd.array([known[key] for key in keys], dtype="string"),
    })
    return AnnotatedParts(folder, index)


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
