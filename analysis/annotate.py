"""Run the pipeline over `documents` once, into the `mentions` and `sentences` tables, with an
on-disk cache so that unchanged documents are never annotated twice.

Documents are processed paragraph by paragraph (so no text exceeds spaCy's length limit and a
sentence never crosses a paragraph), streamed in batches, and each batch is written to the cache
as its own Parquet part. The cache is keyed by the annotator's fingerprint (pipeline, versions,
lexicons, this package's annotation code) and, within it, by each document's text and date:
adding documents annotates only the new ones. A part that cannot be read is deleted and its
documents are annotated again, never trusted.
"""

from __future__ import annotations

import bisect
import datetime as dt
import hashlib
import logging
import os
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from tqdm import tqdm

from analysis.actors import ACTOR_LABELS, Candidate, resolve_document
from analysis.nlp import DEFAULT_PIPELINE, Annotator, build_annotator
from analysis.schema import MENTION_COLUMNS, SENTENCE_COLUMNS, conform, empty_frame

log = logging.getLogger(__name__)
MAX_CHUNK_CHARS = 50_000
DEFAULT_CACHE_DIR = Path(".cache") / "annotations"
ENGINES = ("local", "dask")
_KEYED_MENTIONS = {"doc_key": "string", **{k: v for k, v in MENTION_COLUMNS.items() if k != "doc_id"}}
_KEYED_SENTENCES = {"doc_key": "string", **{k: v for k, v in SENTENCE_COLUMNS.items() if k != "doc_id"}}


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
    annotator: Annotator, texts: list[str], n_process: int, batch_size: int
) -> Iterator[_DocumentResult]:
    """One result per text, in order; spaCy sees each paragraph once."""
    def pieces() -> Iterator[tuple[str, tuple[int, int, int]]]:
        for index, text in enumerate(texts):
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
    while current < len(texts):
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
    for m in resolve_document(result.candidates, text, annotator.lexicon, annotator.institutions, date):
        paragraph, sentence = locate(m.start)
        rows.append(
            {
                "doc_key": key, "paragraph": paragraph, "sentence": sentence, "start": m.start,
                "end": m.end, "text": m.text, "kind": "actor", "label": m.label, "key": m.key,
                "name": m.name, "category": m.category, "affiliation": m.affiliation,
            }
        )
    for start, end, surface, theme in result.themes:
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


def _write_atomic(table: pd.DataFrame, path: Path) -> None:
    temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    pq.write_table(pa.Table.from_pandas(table, preserve_index=False), temporary)
    os.replace(temporary, path)


def _read_cache(folder: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Every readable part of the cache; unreadable or incomplete parts are deleted."""
    mentions, sentences = [], []
    for sentence_file in sorted(folder.glob("part-*.sentences.parquet")):
        mention_file = sentence_file.with_name(sentence_file.name.replace(".sentences.", ".mentions."))
        try:
            part_sentences = pq.read_table(sentence_file).to_pandas()
            part_mentions = pq.read_table(mention_file).to_pandas()
            part_sentences = conform(part_sentences, _KEYED_SENTENCES)
            part_mentions = conform(part_mentions, _KEYED_MENTIONS)
        except (OSError, ValueError, pa.ArrowException) as error:
            log.warning("cache part %s is unreadable (%s); rebuilding it", sentence_file.name, error)
            for file in (sentence_file, mention_file):
                file.unlink(missing_ok=True)
            continue
        sentences.append(part_sentences)
        mentions.append(part_mentions)
    return (
        pd.concat(mentions, ignore_index=True) if mentions else empty_frame(_KEYED_MENTIONS),
        pd.concat(sentences, ignore_index=True) if sentences else empty_frame(_KEYED_SENTENCES),
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


def _local_engine(
    annotator: Annotator, todo: pd.DataFrame, batch_size: int, n_process: int
) -> Iterator[tuple[list[str], pd.DataFrame, pd.DataFrame]]:
    """One spaCy stream over every document (worker processes start once), cut into
    batches of `batch_size` documents for the cache."""
    keys, texts, dates = todo["doc_key"].tolist(), todo["text"].tolist(), todo["date"].tolist()
    results = _run_pipeline(annotator, texts, n_process, 256)
    for begin in range(0, len(keys), batch_size):
        end = begin + batch_size
        batch_results = (next(results) for _ in keys[begin:end])
        yield keys[begin:end], *_batch_tables(annotator, keys[begin:end], texts[begin:end], dates[begin:end],
                                              batch_results)


def _batches(todo: pd.DataFrame, batch_size: int) -> Iterator[tuple[list[str], list[str], list]]:
    for begin in range(0, len(todo), batch_size):
        batch = todo.iloc[begin : begin + batch_size]
        yield batch["doc_key"].tolist(), batch["text"].tolist(), batch["date"].tolist()


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
    """`mentions` (actors and themes) and `sentences` for `documents`; spaCy runs only on
    documents the cache does not hold. `cache_dir=None` disables the cache.

    `engine="dask"` runs the batches as tasks on dask.distributed (the cluster at
    `scheduler`, or a local one), one pipeline per worker; the results are the same."""
    if engine not in ENGINES:
        raise ValueError(f"engine {engine!r} is not one of {list(ENGINES)}")
    annotator = annotator or build_annotator(DEFAULT_PIPELINE)
    keys = [document_key(t, d) for t, d in zip(documents["text"], documents["date"], strict=True)]
    folder = Path(cache_dir) / annotator.fingerprint if cache_dir is not None else None
    if folder is not None:
        folder.mkdir(parents=True, exist_ok=True)
        cached_mentions, cached_sentences = _read_cache(folder)
    else:
        cached_mentions, cached_sentences = empty_frame(_KEYED_MENTIONS), empty_frame(_KEYED_SENTENCES)
    done = set(cached_sentences["doc_key"])
    todo = documents.assign(doc_key=keys).drop_duplicates("doc_key")
    todo = todo[~todo["doc_key"].isin(done)]
    new_mentions, new_sentences = [], []
    show = sys.stderr.isatty() if progress is None else progress
    if engine == "dask":
        from analysis.distributed import dask_engine

        parts = dask_engine(annotator, _batches(todo, batch_size), scheduler)
    else:
        parts = _local_engine(annotator, todo, batch_size, n_process)
    with tqdm(total=len(todo), desc="annotating", unit="doc", disable=not show) as bar:
        for batch_keys, part_mentions, part_sentences in parts:
            if folder is not None:
                name = hashlib.sha256("".join(batch_keys).encode()).hexdigest()[:16]
                _write_atomic(part_mentions, folder / f"part-{name}.mentions.parquet")
                _write_atomic(part_sentences, folder / f"part-{name}.sentences.parquet")
            new_mentions.append(part_mentions)
            new_sentences.append(part_sentences)
            bar.update(len(batch_keys))
    all_mentions = pd.concat([cached_mentions, *new_mentions], ignore_index=True)
    all_sentences = pd.concat([cached_sentences, *new_sentences], ignore_index=True)
    index = pd.DataFrame({"doc_id": documents["doc_id"].astype("string"), "doc_key": pd.array(keys, dtype="string")})
    mentions = index.merge(all_mentions, on="doc_key").drop(columns="doc_key")
    sentences = index.merge(all_sentences, on="doc_key").drop(columns="doc_key")
    mentions = conform(mentions.sort_values(["doc_id", "start", "end", "kind", "key"]), MENTION_COLUMNS)
    sentences = conform(sentences.sort_values(["doc_id", "sentence"]), SENTENCE_COLUMNS)
    return Annotations(mentions, sentences)
