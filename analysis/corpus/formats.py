"""One document from one .txt file in the seed format (`analysis.corpus.headers`), and the
documents-table row of a parsed document, its headline as its first paragraph."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd

from analysis.corpus.headers import ParsedText, parse_seed_text
from analysis.corpus.problems import Problem
from analysis.corpus.text import decode_bytes

TEXT_SUFFIXES = (".txt",)
TABLE_SUFFIXES = (".jsonl", ".csv")
# A news article is kilobytes; a multi-megabyte "document" is a dump or a mistake, and would
# dominate every count (and take minutes and gigabytes to annotate). Larger .txt files and
# larger table rows are listed as problems (`--max-bytes` / `max_bytes` raises the limit).
DEFAULT_MAX_BYTES = 5_000_000


def too_large(size: int, max_bytes: int, what: str) -> str:
    return (f"{what} too large ({size / 1e6:.1f} MB > {max_bytes / 1e6:.1f} MB limit); split it into "
            "documents, or raise the limit (--max-bytes on the command line, max_bytes in Python)")


def with_title(title: str | None, body: str) -> tuple[str, int]:
    """The text to annotate and where its body starts: the headline as its own first paragraph
    (an actor named only there is a mention too), then the body."""
    if not title:
        return body, 0
    return f"{title}\n\n{body}", len(title) + 2


def document_row(doc_id: str, path: str, parsed: ParsedText) -> dict:
    text, body_start = with_title(parsed.title, parsed.text)
    return {
        "doc_id": doc_id,
        "path": path,
        "date": pd.Timestamp(parsed.date) if parsed.date else pd.NaT,
        "date_source": parsed.date_source,
        "source": parsed.source,
        "source_from": parsed.source_from,
        "title": parsed.title,
        "text": text,
        "body_start": body_start,
        "n_chars": len(text),
        "sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
        "duplicate_of": None,
    }


def read_text_file(
    file: Path, doc_id: str, shown: str, max_bytes: int = DEFAULT_MAX_BYTES
) -> tuple[dict | None, list[Problem]]:
    try:
        size = file.stat().st_size
        if size > max_bytes:
            raise ValueError(too_large(size, max_bytes, "file"))
        raw, notes = decode_bytes(file.read_bytes())
    except (OSError, ValueError) as error:
        return None, [Problem(shown, str(error))]
    parsed = parse_seed_text(raw)
    problems = [Problem(shown, note, action="loaded") for note in notes]
    problems += [Problem(shown, reason, action="loaded", line=line) for line, reason in parsed.problems]
    if not parsed.text.strip():
        return None, [*problems, Problem(shown, "no body text left after removing header and boilerplate")]
    return document_row(doc_id, shown, parsed), problems
