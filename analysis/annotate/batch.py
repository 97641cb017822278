"""Annotate one batch of documents into the keyed `mentions` and `sentences` tables: the work
every engine does, in whichever process it runs (engines only decide where).

Documents are processed paragraph by paragraph (so no text exceeds spaCy's length limit and a
sentence never crosses a paragraph); actor candidates are resolved per document.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import NamedTuple

import pandas as pd

from analysis.annotate.actors import ACTOR_LABELS, Candidate
from analysis.annotate.pipeline import Annotator, LanguageAnnotator
from analysis.annotate.themes import (
    ThemeMatch,
    association_contexts,
    cue_mentions,
    heading_places,
    month_spans,
    outside_spans,
    themes_about,
)
from analysis.corpus.reader import MAX_PIECE_CHARS
from analysis.lang.registry import DEFAULT_LANGUAGE, supported_languages
from analysis.schema import MENTION_COLUMNS, SENTENCE_COLUMNS, conform, empty_frame

MAX_CHUNK_CHARS = MAX_PIECE_CHARS  # one constant: the corpus reader warns about longer runs
PIPE_BATCH = 256  # paragraphs per spaCy batch
# What the cache holds per document key; `section` depends on where the document's body starts,
# so it is added when keys are joined back to documents (`annotate._with_doc_ids`).
_NOT_KEYED = {"doc_id", "section"}
KEYED_MENTIONS = {"doc_key": "string", **{k: v for k, v in MENTION_COLUMNS.items() if k not in _NOT_KEYED}}
KEYED_SENTENCES = {"doc_key": "string", **{k: v for k, v in SENTENCE_COLUMNS.items() if k not in _NOT_KEYED}}


class Batch(NamedTuple):
    """Documents to annotate: their cache keys, texts, dates (a date decides who a bare
    surname is) and languages (which pipeline reads each; None: all English), in order."""

    keys: list[str]
    texts: list[str]
    dates: list
    languages: list | None = None

    def language_list(self) -> list[str]:
        return list(self.languages) if self.languages is not None else [DEFAULT_LANGUAGE] * len(self.keys)


class BatchTables(NamedTuple):
    """What annotating a batch gives back: no spaCy Docs, only the two keyed tables."""

    keys: list[str]
    mentions: pd.DataFrame
    sentences: pd.DataFrame


@dataclass
class _DocumentResult:
    candidates: list[Candidate]
    themes: list[ThemeMatch]
    sentences: list[tuple[int, int, int]]  # paragraph, start, end
    language: str = DEFAULT_LANGUAGE


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


def headline_cased(casing: Callable[[str], str], text: str) -> str:
    """`text` with its first paragraph (the headline, when there is one) as the language's
    `casing` reads it (English: in sentence case if written in Title Case,
    `analysis.annotate.casing`): what spaCy and the resolution rules read. Same length, so
    offsets and the surfaces sliced from `text` stay right."""
    first = text.split("\n\n", 1)[0]
    cased = casing(first)
    return text if cased == first else cased + text[len(first):]


def _run_pipeline(
    annotator: Annotator, documents: Iterable[tuple[str, str]], batch_size: int = PIPE_BATCH
) -> Iterator[_DocumentResult]:
    """One result per text, in order. Consecutive texts of one language go through that
    language's pipeline as one lazy stream (an English corpus is a single stream);
    a text in a language without a pipeline gets an empty result (the corpus reader lists it)."""
    runs = itertools.groupby(documents, key=lambda item: item[1])
    for language, run in runs:
        run_texts = (text for text, _ in run)
        if language not in annotator.config.languages or language not in supported_languages():
            for _ in run_texts:
                yield _DocumentResult([], [], [], language)
            continue
        path = annotator.for_language(language)
        for result in _run_language(annotator, path, run_texts, batch_size):
            result.language = language
            yield result


def _cased(annotator: Annotator, path: LanguageAnnotator, text: str) -> str:
    """What the language's pipeline and rules read: the headline as the language reads it
    (English Title-Case headlines in sentence case); a language without a headline casing
    reads its headlines as written."""
    return headline_cased(path.headline_casing, text) if path.headline_casing is not None else text


def _run_language(annotator: Annotator, path: LanguageAnnotator, texts: Iterable[str],
                  batch_size: int) -> Iterator[_DocumentResult]:
    """One result per text from one language's pipeline; spaCy sees each paragraph once."""
    count = 0

    def pieces() -> Iterator[tuple[str, tuple[int, int, int, str]]]:
        nonlocal count
        for index, text in enumerate(texts):
            count = index + 1
            cased = _cased(annotator, path, text)
            for paragraph, offset, chunk in _chunks(cased):
                yield chunk, (index, paragraph, offset, text[offset:offset + len(chunk)])

    current = 0
    result = _DocumentResult([], [], [])
    docs = path.nlp.pipe(pieces(), as_tuples=True, batch_size=batch_size)
    for doc, (index, paragraph, offset, chunk) in docs:
        while index > current:
            yield result
            current += 1
            result = _DocumentResult([], [], [])
        result.candidates.extend(
            Candidate(offset + e.start_char, offset + e.end_char, chunk[e.start_char:e.end_char], e.label_,
                      e.ent_id_ or None)
            for e in doc.ents
            if e.label_ in ACTOR_LABELS
        )
        result.themes.extend(
            ThemeMatch(offset + s.start_char, offset + s.end_char, chunk[s.start_char:s.end_char], s.label_,
                       s.kb_id_)
            for s in doc.spans["themes"]
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

    # cues need no single trigger, so a document with sentences is read even without matches
    path = annotator.for_language(result.language) if result.candidates or result.themes or result.sentences else None
    if path is None:
        return [], sentences
    theme_names = {theme.key: theme.name for theme in path.themes}
    original, text = text, _cased(annotator, path, text)  # rules read what spaCy read
    rows = []
    for m in path.resolver.resolve(result.candidates, text, date):
        paragraph, sentence = locate(m.start)
        rows.append(
            {
                "doc_key": key, "paragraph": paragraph, "sentence": sentence, "start": m.start,
                "end": m.end, "text": m.text, "kind": "actor", "label": m.label, "key": m.key,
                "name": m.name, "category": m.category, "affiliation": m.affiliation, "via": m.via,
            }
        )
    actor_spans = [(row["start"], row["end"]) for row in rows]
    actors = [(row["start"], row["end"], row["key"]) for row in rows]
    contexts = association_contexts(text, actors, path.themes, path.language)
    sentence_spans = [(row["start"], row["end"]) for row in sentences]
    place_spans = [(row["start"], row["end"]) for row in rows if row["category"] in ("place", "facility")]
    cues = cue_mentions(text, sentence_spans, actors, path.themes,
                        dates=month_spans(text, sentence_spans, path.language.code), places=place_spans)
    places = heading_places(result.themes, place_spans)
    matches = sorted(set(outside_spans(result.themes, actor_spans)) | set(places) | set(contexts) | set(cues))
    theme_matches = themes_about(matches, text, path.themes, path.theme_rules, path.language)
    if path.theme_model is not None:  # themes told without their words, read from all of them
        found = {match.key for match in theme_matches}
        theme_matches += path.theme_model.mentions(text, sentence_spans, found, actor_spans)
    for match in theme_matches:
        paragraph, sentence = locate(match.start)
        rows.append(
            {
                "doc_key": key, "paragraph": paragraph, "sentence": sentence, "start": match.start,
                "end": match.end, "text": match.text, "kind": "theme", "label": "THEME", "key": match.key,
                "name": theme_names.get(match.key, match.key), "category": match.key, "affiliation": None,
                "trigger": match.trigger, "rule": match.rule,
            }
        )
    if original is not text:  # surfaces as written in documents.text
        for row in rows:
            row["text"] = original[row["start"]:row["end"]]
    return rows, sentences


def _frame(rows: list[dict], columns: dict[str, str]) -> pd.DataFrame:
    return conform(pd.DataFrame(rows), columns) if rows else empty_frame(columns)


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
    return _frame(mention_rows, KEYED_MENTIONS), _frame(sentence_rows, KEYED_SENTENCES)


def annotate_batch(annotator: Annotator, batch: Batch) -> BatchTables:
    """Mentions and sentences (keyed by document key) of one batch of documents: what every
    engine computes, in whichever process it runs."""
    results = _run_pipeline(annotator, zip(batch.texts, batch.language_list(), strict=True))
    return BatchTables(batch.keys, *_batch_tables(annotator, batch.keys, batch.texts, batch.dates, results))
