"""Run the pipeline over `documents` once, into the `mentions` and `sentences` tables, with an
on-disk cache so that unchanged documents are never annotated twice.

Documents are processed paragraph by paragraph (so no text exceeds spaCy's length limit and a
sentence never crosses a paragraph), streamed in batches, and each batch is written to the cache
as its own Parquet part as soon as it is done, so memory does not grow with the corpus
(`annotate_to_cache`); `annotate` then reads the parts back into two in-memory tables.

The cache is keyed by the annotator's fingerprint (pipeline, versions, lexicons, this
package's annotation code) and, within it, by each document's text and date: adding documents
annotates only the new ones. A part that cannot be read is deleted and its documents are
annotated again, never trusted.
"""

from __future__ import annotations

import bisect
import contextlib
import datetime as dt
import hashlib
import json
import logging
import os
import sys
import tempfile
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from tqdm import tqdm

from analysis.actors import ACTOR_LABELS, Candidate
from analysis.corpus import MAX_PIECE_CHARS
from analysis.language import load_language
from analysis.nlp import DEFAULT_PIPELINE, Annotator, build_annotator
from analysis.schema import MENTION_COLUMNS, SENTENCE_COLUMNS, conform, empty_frame
from analysis.themes import association_contexts, outside_spans, themes_about

log = logging.getLogger(__name__)
MAX_CHUNK_CHARS = MAX_PIECE_CHARS  # one constant: the corpus reader warns about longer runs
DEFAULT_CACHE_DIR = Path(".cache") / "annotations"
ENGINES = ("local", "dask")
_KEYED_MENTIONS = {"doc_key": "string", **{k: v for k, v in MENTION_COLUMNS.items() if k != "doc_id"}}
_KEYED_SENTENCES = {"doc_key": "string", **{k: v for k, v in SENTENCE_COLUMNS.items() if k != "doc_id"}}
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


@dataclass
class _DocumentResult:
    candidates: list[Candidate]
    themes: list[tuple[int, int, str, str]]
    sentences: list[tuple[int, int, int]]  # paragraph, start, end


def document_key(text: str, date: object) -> str:
    """What an annotation depends on besides the annotator: the text and the date (offices
    held on that date decide who a bare surname is)."""
    day = "" if pd.isna(date) else pd.Timestamp(date).date().isoformat()
    return hashlib.sha256(f"{day}\0{text}".encode()).hexdigest()


def _chunks(text: str) -> Iterator[tuple[int, int, str]]:
    """(paragraph index, offset, text) pieces no longer than MAX_CHUNK_CHARS."""
    offset = 0
    for paragraph_index, paragraph in enumerate(text.split("\n\n")):
        position = 0
        while position < len(paragraph):
            end = min(position + MAX_CHUNK_CHARS, len(paragraph))
            if end < len(paragraph):
                cut = paragraph.rfind(" ", position, end)
                end = cut + 1 if cut > position else end
            yield paragraph_index, offset + position, paragraph[position:end]
            position = end
        offset += len(paragraph) + 2


def _run_pipeline(
    annotator: Annotator, texts: Iterable[str], n_process: int, batch_size: int
) -> Iterator[_DocumentResult]:
    """One result per text, in order; spaCy sees each paragraph once. `texts` is consumed
    lazily, so a caller can stream them without holding them all."""
    count = 0

    def pieces() -> Iterator[tuple[str, tuple[int, int, int]]]:
        nonlocal count
        for index, text in enumerate(texts):
            count = index + 1
            for paragraph, offset, chunk in _chunks(text):
                yield chunk, (index, paragraph, offset)

    current = 0
    result = _DocumentResult([], [], [])
    docs = annotator.nlp.pipe(pieces(), as_tuples=True, n_process=n_process, batch_size=batch_size)
    for doc, (index, paragraph, offset) in docs:
        while index > current:
            yield result
            current += 1
            result = _DocumentResult([], [], [])
        result.candidates.extend(
            Candidate(offset + e.start_char, offset + e.end_char, e.text, e.label_, e.ent_id_ or None)
            for e in doc.ents
            if e.label_ in ACTOR_LABELS
        )
        result.themes.extend(
            (offset + s.start_char, offset + s.end_char, s.text, s.label_) for s in doc.spans["themes"]
        )
        result.sentences.extend(
            (paragraph, offset + s.start_char, offset + s.end_char) for s in doc.sents
        )
    while current < count:  # the input is exhausted once spaCy's output is
        yield result
        current += 1
        result = _DocumentResult([], [], [])


def _tables_for(
    annotator: Annotator, key: str, text: str, date: dt.date | None, result: _DocumentResult
) -> tuple[list[dict], list[dict]]:
    sentences = [
        {"doc_key": key, "paragraph": p, "sentence": i, "start": s, "end": e}
        for i, (p, s, e) in enumerate(sorted(result.sentences, key=lambda item: item[1]))
    ]
    starts = [row["start"] for row in sentences]
    paragraphs = [row["paragraph"] for row in sentences]

    def locate(start: int) -> tuple[int, int]:
        index = max(bisect.bisect_right(starts, start) - 1, 0)
        return paragraphs[index] if paragraphs else 0, index

    theme_names = {theme.key: theme.name for theme in annotator.themes}
    rows = []
    for m in annotator.resolver.resolve(result.candidates, text, date):
        paragraph, sentence = locate(m.start)
        rows.append(
            {
                "doc_key": key, "paragraph": paragraph, "sentence": sentence, "start": m.start,
                "end": m.end, "text": m.text, "kind": "actor", "label": m.label, "key": m.key,
                "name": m.name, "category": m.category, "affiliation": m.affiliation, "via": m.via,
            }
        )
    actor_spans = [(row["start"], row["end"]) for row in rows]
    contexts = association_contexts(text, [(row["start"], row["end"], row["key"]) for row in rows], annotator.themes,
                                    load_language())
    matches = sorted(set(outside_spans(result.themes, actor_spans)) | set(contexts))
    for start, end, surface, theme in themes_about(matches, text, annotator.themes):
        paragraph, sentence = locate(start)
        rows.append(
            {
                "doc_key": key, "paragraph": paragraph, "sentence": sentence, "start": start,
                "end": end, "text": surface, "kind": "theme", "label": "THEME", "key": theme,
                "name": theme_names.get(theme, theme), "category": theme, "affiliation": None,
            }
        )
    return rows, sentences


def _frame(rows: list[dict], columns: dict[str, str]) -> pd.DataFrame:
    return conform(pd.DataFrame(rows), columns) if rows else empty_frame(columns)


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
        mentions = conform(pq.read_table(mention_file).to_pandas(), _KEYED_MENTIONS)
        sentences = conform(pq.read_table(sentence_file).to_pandas(), _KEYED_SENTENCES)
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
    index: pd.DataFrame  # doc_id, doc_key, part: one row per document, in corpus order

    def partitions(self) -> Iterator[Annotations]:
        """(mentions, sentences) of the documents of one part at a time, sorted by document.
        Each document is in exactly one partition, so unit counts add up over partitions."""
        for part, members in self.index.groupby("part", sort=False)[["doc_id", "doc_key"]]:
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
    """Rows of the documents in `members` (doc_id, doc_key); a key shared by two documents
    (same text and date) gives each of them the rows."""
    return _sorted(
        members.merge(mentions, on="doc_key").drop(columns="doc_key"),
        members.merge(sentences, on="doc_key").drop(columns="doc_key"),
    )


def _batch_tables(
    annotator: Annotator, keys: list[str], texts: list[str], dates: list, results: Iterator[_DocumentResult]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    mention_rows: list[dict] = []
    sentence_rows: list[dict] = []
    for key, text, date, result in zip(keys, texts, dates, results, strict=False):
        day = None if pd.isna(date) else pd.Timestamp(date).date()
        rows, sentence_list = _tables_for(annotator, key, text, day, result)
        mention_rows.extend(rows)
        sentence_rows.extend(sentence_list)
    return _frame(mention_rows, _KEYED_MENTIONS), _frame(sentence_rows, _KEYED_SENTENCES)


def annotate_batch(
    annotator: Annotator, keys: list[str], texts: list[str], dates: list, n_process: int = 1
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Mentions and sentences (keyed by document key) of one batch of documents."""
    results = _run_pipeline(annotator, texts, n_process, min(max(len(texts), 1), 256))
    return _batch_tables(annotator, keys, texts, dates, results)


def _batch(documents: pd.DataFrame, keys: list[str], positions: np.ndarray) -> tuple[list[str], list[str], list]:
    """Keys, texts and dates of the documents at `positions`: copies of one batch only."""
    rows = documents.iloc[positions]
    return [keys[p] for p in positions], rows["text"].tolist(), rows["date"].tolist()


def _local_engine(
    annotator: Annotator, documents: pd.DataFrame, keys: list[str], todo: np.ndarray, batch_size: int,
    n_process: int,
) -> Iterator[tuple[list[str], pd.DataFrame, pd.DataFrame]]:
    """One spaCy stream over the documents at positions `todo` (worker processes start once),
    cut into batches of `batch_size` documents for the cache; texts are taken from
    `documents` one at a time, never copied all at once."""
    texts = documents["text"]
    results = _run_pipeline(annotator, (texts.iat[p] for p in todo), n_process, 256)
    for begin in range(0, len(todo), batch_size):
        batch_keys, batch_texts, batch_dates = _batch(documents, keys, todo[begin : begin + batch_size])
        batch_results = (next(results) for _ in batch_keys)
        yield batch_keys, *_batch_tables(annotator, batch_keys, batch_texts, batch_dates, batch_results)


def _batches(
    documents: pd.DataFrame, keys: list[str], todo: np.ndarray, batch_size: int
) -> Iterator[tuple[list[str], list[str], list]]:
    for begin in range(0, len(todo), batch_size):
        yield _batch(documents, keys, todo[begin : begin + batch_size])


def annotate_to_cache(
    documents: pd.DataFrame,
    annotator: Annotator | None = None,
    cache_dir: str | Path = DEFAULT_CACHE_DIR,
    n_process: int = 1,
    batch_size: int = 500,
    progress: bool | None = None,
    engine: str = "local",
    scheduler: str | None = None,
) -> AnnotatedParts:
    """Annotate the documents the cache does not hold, batch by batch, writing each batch as a
    Parquet part as soon as it is done; nothing is kept in memory beyond one batch. Returns
    where every document's annotations are.

    `engine="dask"` runs the batches as tasks on dask.distributed (the cluster at
    `scheduler`, or a local one), one pipeline per worker; the parts are the same."""
    if engine not in ENGINES:
        raise ValueError(f"engine {engine!r} is not one of {list(ENGINES)}")
    if batch_size < 1:
        raise ValueError(f"batch_size must be a positive number of documents, not {batch_size!r}")
    annotator = annotator or build_annotator(DEFAULT_PIPELINE)
    keys = [document_key(t, d) for t, d in zip(documents["text"], documents["date"], strict=True)]
    folder = Path(cache_dir) / annotator.fingerprint
    known = _index_cache(folder) if folder.is_dir() else {}
    key_series = pd.Series(keys, dtype="string")
    todo = np.flatnonzero(~key_series.duplicated().to_numpy() & ~key_series.isin(list(known)).to_numpy())
    if len(todo):  # a fully cached corpus may be read from a read-only cache
        check_writable(folder)
    show = sys.stderr.isatty() if progress is None else progress
    if engine == "dask":
        from analysis.distributed import dask_engine

        parts = dask_engine(annotator, _batches(documents, keys, todo, batch_size), scheduler)
    else:
        parts = _local_engine(annotator, documents, keys, todo, batch_size, n_process)
    with tqdm(total=len(todo), desc="annotating", unit="doc", disable=not show) as bar:
        for batch_keys, part_mentions, part_sentences in parts:
            try:
                part = _write_part(folder, batch_keys, part_mentions, part_sentences)
            except OSError as error:  # e.g. the disk filled up, or permissions changed mid-run
                raise _unwritable(folder, error) from None
            known.update(dict.fromkeys(batch_keys, part))
            bar.update(len(batch_keys))
    index = pd.DataFrame({
        "doc_id": documents["doc_id"].astype("string").to_numpy(),
        "doc_key": pd.array(keys, dtype="string"),
        "part": pd.array([known[key] for key in keys], dtype="string"),
    })
    return AnnotatedParts(folder, index)


def annotate(
    documents: pd.DataFrame,
    annotator: Annotator | None = None,
    cache_dir: str | Path | None = DEFAULT_CACHE_DIR,
    n_process: int = 1,
    batch_size: int = 500,
    progress: bool | None = None,
    engine: str = "local",
    scheduler: str | None = None,
) -> Annotations:
    """`mentions` (actors and themes) and `sentences` for `documents`, in memory; spaCy runs
    only on documents the cache does not hold. `cache_dir=None` uses a throw-away cache.

    For corpora whose tables should not be held in memory, use `annotate_to_cache` and read
    its parts one at a time."""
    options = dict(n_process=n_process, batch_size=batch_size, progress=progress, engine=engine,
                   scheduler=scheduler)
    if cache_dir is None:
        with tempfile.TemporaryDirectory(prefix="kg-annotations-") as temporary:
            return annotate_to_cache(documents, annotator, temporary, **options).load()
    return annotate_to_cache(documents, annotator, cache_dir, **options).load()
