"""The two tables everything hangs on, as column lists and dtypes.

Keeping the schema in one place lets every module (and every test) build an empty
table with the right columns, so "no data" is an empty frame, never a missing column.
"""

from __future__ import annotations

import pandas as pd

DOCUMENT_COLUMNS: dict[str, str] = {
    "doc_id": "string",
    "path": "string",
    "date": "datetime64[s]",
    "date_source": "string",  # header | dateline | byline | field | none
    "source": "string",
    "source_from": "string",  # given (the corpus says it) | credit (the report's text credits it) | null
    "title": "string",
    "text": "string",  # the title (when known) as its own first paragraph, then the clean body
    "body_start": "int64",  # offset in text where the body begins: 0 without a title
    "n_chars": "int64",
    "sha256": "string",
    "duplicate_of": "string",  # doc_id of the first document with the same text, or null
    "language": "string",  # ISO 639-1 code, given in the corpus or detected (analysis.corpus.detect)
}

MENTION_COLUMNS: dict[str, str] = {
    "doc_id": "string",
    "paragraph": "int64",  # index of the paragraph within the document
    "sentence": "int64",  # index of the sentence within the document
    "start": "int64",  # character offset into documents.text
    "end": "int64",
    "text": "string",  # surface form exactly as in documents.text[start:end]
    "kind": "string",  # actor | theme
    "label": "string",  # spaCy label (PERSON, ORG, GPE, ...) or THEME
    "key": "string",  # canonical id after linking and the user's merges: un, kgz, sadyr-japarov, elections
    "name": "string",  # canonical display name
    "category": "string",  # person | organization | country | place | facility | <theme key>
    "affiliation": "string",  # key of the country/organisation a person or body belongs to
    "via": "string",  # text (named in the text) | role ("the head of state" standing for the person)
    "section": "string",  # title (in the headline) | body
    "trigger": "string",  # themes: the trigger as matched (lemmas) or a cue's words; null for actors
    "rule": "string",  # themes: the rule that accepted it (trigger, weak, cue:<name>, association, model)
}
# The configuration defaults for languages, the one place outside `analysis/lang/` that names a
# language code: the language of a document that says none (tables written before documents
# had a language, hand-built test tables), and the languages a run annotates unless told.
DEFAULT_LANGUAGE = "en"
DEFAULT_LANGUAGES = ("en", "ru")
# Columns a producer may leave out, and the value they then take (tables written before the
# column existed, hand-built test tables): named in the text, in the body, no title, the default language,
# no recorded reason.
OPTIONAL_DEFAULTS: dict[str, object] = {"via": "text", "section": "body", "body_start": 0, "source_from": None,
                                        "language": DEFAULT_LANGUAGE, "trigger": None, "rule": None}

SENTENCE_COLUMNS: dict[str, str] = {
    "doc_id": "string",
    "paragraph": "int64",
    "sentence": "int64",
    "start": "int64",
    "end": "int64",
    "section": "string",  # title | body
}
# The headline is annotated as the first paragraph and sentence of its document, marked by the
# `section` column, so counts can include it (the default) or leave it out (`sections`).
SECTIONS = ("title", "body")

ACTOR_CATEGORIES = ("person", "organization", "country", "place", "facility")


def empty_frame(columns: dict[str, str]) -> pd.DataFrame:
    """An empty table with the given columns and dtypes."""
    return pd.DataFrame({name: pd.Series(dtype=dtype) for name, dtype in columns.items()})


def conform(frame: pd.DataFrame, columns: dict[str, str]) -> pd.DataFrame:
    """Select and order `columns`, cast to their dtypes; a missing column is an error."""
    defaults = {name: value for name, value in OPTIONAL_DEFAULTS.items() if name in columns and name not in frame}
    if defaults:
        frame = frame.assign(**defaults)
    missing = [name for name in columns if name not in frame.columns]
    if missing:
        raise ValueError(f"table is missing columns {missing}; expected {list(columns)}")
    return frame[list(columns)].astype(columns).reset_index(drop=True)
