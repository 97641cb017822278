"""Documents from a .jsonl or .csv file (columns id, text and optional date, title, source,
language), read a row at a time after the whole file is checked to decode; each row a document
or the problem that keeps it out."""

from __future__ import annotations

import codecs
import contextlib
import csv
import itertools
import json
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from analysis.corpus.datelines import parse_date
from analysis.corpus.formats import DEFAULT_MAX_BYTES, document_row, too_large
from analysis.corpus.headers import ParsedText, clean_body, find_credit
from analysis.corpus.problems import Problem, Row
from analysis.corpus.text import UTF16_BOMS, date_notes, long_run_notes, looks_like_utf16, normalise_text
from analysis.errors import AnalysisError

_CHUNK_BYTES = 1 << 18  # bytes decoded at a time when checking the encoding of a table file
TABLE_FIELDS = ("id", "text", "date", "title", "source", "language")
_JSON_KINDS = {bool: "a boolean", int: "a number", float: "a number", list: "a list", dict: "an object"}


class UnreadableTableError(AnalysisError):
    """None of a .jsonl/.csv corpus file's rows can be read: it does not decode, or (a .csv)
    it lacks the required columns. Listed in a folder; an error when the file is the corpus."""


class TableHeaderError(UnreadableTableError):
    """A .csv corpus file lacks the required columns (so none of its rows can be read)."""


def _decode_failure(file: Path, encoding: str, start: int) -> str | None:
    """Why `file` does not decode as `encoding` from byte `start` on (the message names the byte
    offset as decoding the whole file at once would), or None; one pass in chunks, so a table
    is checked whole before any of its rows is read, without holding it in memory."""
    decoder = codecs.getincrementaldecoder(encoding)()
    consumed = start  # bytes fed to the decoder so far, counted from the start of the file
    with file.open("rb") as handle:
        handle.seek(start)
        while True:
            chunk = handle.read(_CHUNK_BYTES)
            buffered = len(decoder.getstate()[0])  # an incomplete character held from the last chunk
            try:
                decoder.decode(chunk, final=not chunk)
            except UnicodeDecodeError as error:
                first, last = consumed - buffered + error.start, consumed - buffered + error.end
                if "UTF-16" not in error.reason:
                    return f"not UTF-8: invalid byte at offset {first - start}"
                if last - first == 1:
                    return (f"{error.encoding!r} codec can't decode byte 0x{error.object[error.start]:02x} "
                            f"in position {first}: {error.reason}")
                return f"{error.encoding!r} codec can't decode bytes in position {first}-{last - 1}: {error.reason}"
            if not chunk:
                return None
            consumed += len(chunk)


def _table_encoding(file: Path) -> tuple[str, list[str]]:
    """The encoding a .jsonl/.csv file is read with (UTF-8, or UTF-16 with a byte order mark)
    and caveats about it; ValueError saying why it cannot be read as text."""
    with file.open("rb") as handle:
        head = handle.read(8192)
    if head.startswith(UTF16_BOMS):
        encoding, start, notes = "utf-16", 0, ["UTF-16 text (byte order mark); decoded, but save it as UTF-8"]
    elif b"\x00" in head and looks_like_utf16(head):
        raise ValueError("looks like UTF-16 without a byte order mark; save it as UTF-8")
    else:  # a UTF-8 byte order mark is skipped, and offsets count from after it
        encoding, start, notes = "utf-8", 3 if head.startswith(codecs.BOM_UTF8) else 0, []
    failure = _decode_failure(file, encoding, start)
    if failure:
        raise ValueError(failure)
    return ("utf-8-sig" if encoding == "utf-8" else encoding), notes


def _csv_header_error(file: Path, fieldnames: list[str] | None) -> str:
    missing = sorted({"id", "text"} - set(fieldnames or ()))
    hint = ""
    if fieldnames and len(fieldnames) == 1 and ";" in fieldnames[0]:
        hint = " (the header looks ';'-delimited: save the file with commas)"
    elif fieldnames and len(fieldnames) == 1 and "\t" in fieldnames[0]:
        hint = " (the header looks tab-delimited: save the file with commas)"
    return (f"CSV header {fieldnames} lacks required column(s) {missing}{hint}; "
            "expected id, text and optional date, title, source")


@contextlib.contextmanager
def _csv_field_limit() -> Iterator[None]:
    """No csv field limit while a row is read: the row check, not the csv module, refuses large
    rows (with their line). Restored between rows, as other code may read CSV meanwhile."""
    previous = csv.field_size_limit(2**31 - 1)
    try:
        yield
    finally:
        csv.field_size_limit(previous)


def _table_records(file: Path, text: TextIO) -> Iterator[tuple[int, dict | None, str | None]]:
    """(line number, record, error) for each row of a .jsonl or .csv corpus file, read from the
    open `text` one row at a time; a .csv lacking the columns raises before the first row."""
    if file.suffix == ".jsonl":
        for number, line in enumerate(text, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as error:
                yield number, None, f"invalid JSON: {error.msg} at column {error.colno}"
                continue
            if not isinstance(record, dict):
                yield number, None, "expected a JSON object with 'id' and 'text'"
                continue
            yield number, record, None
        return
    lines = _CountedLines(text)
    reader = csv.DictReader(lines)
    with _csv_field_limit():
        fieldnames = reader.fieldnames
    if {"id", "text"} - set(fieldnames or ()):
        raise TableHeaderError(_csv_header_error(file, fieldnames))
    while True:
        lines.first = None
        try:
            with _csv_field_limit():
                record = next(reader, None)
        except csv.Error as error:
            yield lines.first or reader.line_num, None, f"unreadable CSV from here on: {error}"
            return
        if record is None:
            return
        yield lines.first or reader.line_num, record, None


class _CountedLines:
    """The lines of a text, counting them, and noting the first non-blank line fetched since
    `first` was reset: the line a CSV record starts on (a quoted field may run over several
    lines, and the csv module only knows where a record ends; a reader looks where it starts)."""

    def __init__(self, text: TextIO):
        self.text, self.number, self.first = text, 0, None

    def __iter__(self) -> _CountedLines:
        return self

    def __next__(self) -> str:
        line = next(self.text)
        self.number += 1
        if self.first is None and line.strip("\r\n"):
            self.first = self.number
        return line


def _field_types(record: dict) -> str | None:
    """Why a record's fields are not text: JSON numbers, lists or objects are refused rather
    than loaded as their string form ("text": 0 is not a document with text "0")."""
    for name in TABLE_FIELDS:
        value = record.get(name)
        if value is not None and not isinstance(value, str):
            kind = _JSON_KINDS.get(type(value), type(value).__name__)
            return f"{name!r} is {kind} ({json.dumps(value)[:40]}); expected a string"
    return None


def _table_row(record: dict, shown: str, number: int, max_bytes: int) -> tuple[dict | None, list[Problem]]:
    """One document from one table record, or the problem that keeps it out."""
    wrong = _field_types(record)
    if wrong:
        return None, [Problem(shown, wrong, line=number)]
    doc_id = (record.get("id") or "").strip()
    if not doc_id:
        return None, [Problem(shown, "missing 'id'", line=number)]
    raw_text = record.get("text") or ""
    size = len(raw_text.encode("utf-8"))
    if size > max_bytes:
        return None, [Problem(shown, too_large(size, max_bytes, f"document {doc_id!r}: text"), line=number)]
    text, notes = normalise_text(raw_text)
    title, title_notes = normalise_text(record.get("title") or "")
    source, source_notes = normalise_text(record.get("source") or "")
    body, body_source = clean_body(text)
    if not body.strip():
        return None, [Problem(shown, f"document {doc_id!r} has no text", line=number)]
    problems = [Problem(shown, f"{where}{note}", action="loaded", line=number)
                for where, noted in (("", notes), ("title: ", title_notes), ("source: ", source_notes))
                for note in noted]
    date, date_source = None, "none"
    if (record.get("date") or "").strip():
        try:
            date, date_source = parse_date(record["date"][:10]), "field"
        except ValueError as date_error:
            problems.append(Problem(shown, str(date_error), action="loaded", line=number))
    problems += [Problem(shown, note, action="loaded", line=number)
                 for note in date_notes(date) + long_run_notes(body)]
    title = " ".join(title.split()) or None
    # the user's source stands; without one, the outlet the text credits, marked as such
    given = source.strip()
    source = given or body_source or find_credit(body)
    source_from = "given" if given else "credit" if source else None
    parsed = ParsedText(body, date, date_source, source, title, source_from=source_from)
    return {**document_row(doc_id, f"{shown}:{number}", parsed), "language": record.get("language")}, problems


def table_rows(file: Path, shown: str, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Row]:
    """(document or None, problems) for each row of a .jsonl or .csv corpus file, read a row at
    a time; UnreadableTableError, before anything is yielded, when the file does not decode
    (it is refused whole, before any row) or a .csv lacks the required columns."""
    try:
        encoding, notes = _table_encoding(file)
    except ValueError as error:
        hint = "; save it as UTF-8 (a spreadsheet's plain 'CSV' is often Windows-1252)" if str(error).startswith(
            "not UTF-8") else ""
        raise UnreadableTableError(f"{error}{hint}") from None
    except OSError as error:
        yield None, [Problem(shown, f"cannot be read: {error.strerror or error}")]
        return
    try:
        with file.open(encoding=encoding, newline="" if file.suffix == ".csv" else "\n") as text:
            records = _table_records(file, text)
            first = next(records, None)  # a .csv header without the columns raises here
            yield None, [Problem(shown, note, action="loaded") for note in notes]
            for number, record, error in itertools.chain([first] if first else [], records):
                yield (None, [Problem(shown, error, line=number)]) if error else _table_row(
                    record, shown, number, max_bytes)
    except OSError as error:  # e.g. the file was removed while being read
        yield None, [Problem(shown, f"cannot be read: {error.strerror or error}")]
