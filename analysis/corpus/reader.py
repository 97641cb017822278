"""Read a corpus into the `documents` table, listing every problem instead of skipping silently.

Two input shapes:

* a folder of `.txt` files in the seed format: an optional first-line header
  `` date YYYY-MM-DD`` followed on the same line by the body or by ``Source: <outlet>``;
  or a headline line followed by a dateline (``3 June 2021, BISHKEK – ...``); wire
  boilerplate (``* * *``, ``To be continued.``, ``MIL OSI``, ``Source:`` lines);
* a `.jsonl` or `.csv` file with columns ``id``, ``text`` and optional ``date``,
  ``title``, ``source``, so users can bring their own news dataset.

The body is normalised once (BOM, CRLF, non-breaking spaces, curly quotes, hard-wrapped
lines) and every character offset downstream points into that normalised `text`.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import datetime as dt
import hashlib
import itertools
import json
import os
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple, TextIO

import pandas as pd

from analysis.corpus.compact import DigestMap, StringList
from analysis.corpus.datelines import match_dateline
from analysis.corpus.detect import with_languages
from analysis.corpus.lookalikes import remove_lookalikes
from analysis.errors import AnalysisError
from analysis.schema import DOCUMENT_COLUMNS, conform, empty_frame

TEXT_SUFFIXES = (".txt",)
TABLE_SUFFIXES = (".jsonl", ".csv")
# A news article is kilobytes; a multi-megabyte "document" is a dump or a mistake, and would
# dominate every count (and take minutes and gigabytes to annotate). Larger .txt files and
# larger table rows are listed as problems (`--max-bytes` / `max_bytes` raises the limit).
DEFAULT_MAX_BYTES = 5_000_000
# Annotation feeds spaCy paragraphs cut into pieces of at most this many characters (at a
# space); a stretch this long without a sentence end becomes "sentences" of this length.
MAX_PIECE_CHARS = 50_000
# Documents per batch of `iter_corpus`: the texts a reader holds at once (one cache part's worth).
DEFAULT_BATCH_DOCUMENTS = 500
_CHUNK_BYTES = 1 << 18  # bytes decoded at a time when checking the encoding of a table file
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_SENTENCE_MARK = re.compile(r"[.!?]|\n\n")  # sentence ends, and paragraph breaks
PROBLEM_COLUMNS = {"file": "string", "line": "Int64", "reason": "string", "action": "string"}

# Characters replaced one for one, so the cleaned text stays aligned with what a reader sees.
_CHARACTER_MAP = str.maketrans(
    {
        "\u00a0": " ",  # no-break space
        "\u202f": " ",  # narrow no-break space
        "\u2007": " ",  # figure space
        "\u2009": " ",  # thin space
        "\u200b": "",  # zero-width space
        "\ufeff": "",  # BOM / zero-width no-break space inside text
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u2032": "'",
    }
)

HEADER_PATTERN = re.compile(r"^\s*date\s+(?P<date>\S+)\s*(?P<rest>.*)$")
SOURCE_PATTERN = re.compile(r"^\s*Source\s*:\s*(?P<source>.+?)\s*$", re.IGNORECASE)
# "3 June 2021, BISHKEK – " or "June 3, 2021, BISHKEK - " at the start of the first paragraph.
DATELINE_PATTERN = re.compile(
    r"^(?P<date>\d{1,2}\s+[A-Z][a-z]+\s+\d{4}|[A-Z][a-z]+\.?\s+\d{1,2},\s+\d{4})"
    r"(?:\s*,\s*(?P<place>[A-Z][A-Za-z .'-]{1,40}?))?\s*[–—-]{1,2}\s+"
)
BOILERPLATE_PATTERNS = tuple(
    re.compile(pattern, re.IGNORECASE)
    for pattern in (
        r"^[*\s]{3,}$",  # * * *
        r"^(-{3,}|_{3,}|={3,})$",
        r"^to be continued\.?$",
        r"^mil[ -]osi\.?$",
        r"^source\s*:.*$",
        r"^\(?end\)?\.?$",
        r"^(advertisement|share this article|read more)\.?$",
    )
)
# Attributions inside the body: "Trend reports citing Kabar", "Presidential press service reported."
ATTRIBUTION_PATTERNS = (
    re.compile(
        r"(?:^|[,.] +)(?P<source>[A-Z][\w'.-]*(?: [A-Z][\w'.-]*){0,3}) reports? citing "
        r"(?P<origin>[A-Z][\w'-]*(?: [A-Z][\w'-]*){0,3})"
    ),
    re.compile(
        r"(?:^|(?<=[.!?] ))(?:The )?(?P<source>[A-Z][\w'-]*(?: (?:of the |of )?[\w'-]+){0,7})"
        r" (?:reported|reports|informs|informed) *\. *$",
        re.MULTILINE,
    ),
)
# A byline paragraph: "SomeNews / Agency - 12th April, 2021", "Kabar — April 12, 2021": outlets
# (one or more, "/"-separated) and a date. It names the source and date, never actors.
BYLINE_PATTERN = re.compile(
    r"^(?P<source>[A-Z0-9][\w.&'-]*(?: [A-Z0-9][\w.&'-]*){0,4}(?: ?/ ?[A-Z0-9][\w.&'-]*(?: [A-Z0-9][\w.&'-]*){0,4})*)"
    r"\s*[-–—|,]\s*(?P<date>\d{1,2}(?:st|nd|rd|th)?\s+[A-Z][a-z]+\.?,?\s+\d{4}"
    r"|[A-Z][a-z]+\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}|\d{1,2}[./]\d{1,2}[./]\d{4})\.?$"
)
# A dateline that credits the outlet in brackets: "BISHKEK (UrduPoint News / Sputnik - 24th
# February, 2021) ...", "Tashkent, Uzbekistan (UzDaily.com) - ...".
CREDIT_DATELINE_PATTERN = re.compile(
    r"^(?:[A-Z][A-Z.'-]+(?: [A-Z][A-Z.'-]+)*|[A-Z][a-z]+(?:, [A-Z][a-z]+)?)\s*"
    r"\((?P<inner>[^()\n]{2,80})\)\s*(?:[-–—]\s+)?"
)
_OUTLET = re.compile(r"^[\w&'-]+(?:[./][\w&'-]+)+$|^[\w&' -]+ ?/ ?[\w&' -]+$")
_ORDINAL = re.compile(r"(?<=\d)(?:st|nd|rd|th)\b")
_SENTENCE_END = re.compile(r"""[.!?:;»"')\]]\s*$""")
_DATE_FORMATS = ("%d %B %Y", "%d %b %Y", "%B %d, %Y", "%b %d, %Y", "%b. %d, %Y", "%d %B, %Y", "%d %b, %Y",
                 "%B %d %Y", "%d.%m.%Y", "%d/%m/%Y")


class CorpusError(AnalysisError):
    """The corpus cannot be read as asked (missing path, no documents, strict mode)."""


class CorpusResult(NamedTuple):
    """`documents` table and the problems met while reading (file, line, reason, action)."""

    documents: pd.DataFrame
    problems: pd.DataFrame


class CorpusBatch(NamedTuple):
    """Documents read in one batch of `iter_corpus` (reading order) and the problems met
    while reading them."""

    documents: pd.DataFrame
    problems: pd.DataFrame


@dataclass(frozen=True)
class Problem:
    file: str
    reason: str
    action: str = "skipped"  # skipped: the document is not in the table; loaded: it is
    line: int | None = None


@dataclass(frozen=True)
class ParsedText:
    """What the seed-format parser finds in one file's text."""

    text: str
    date: dt.date | None
    date_source: str
    source: str | None
    title: str | None
    problems: tuple[tuple[int | None, str], ...] = ()  # (line, reason) of caveats met


def normalise_text(raw: str) -> tuple[str, list[str]]:
    """Unicode NFC, no BOM, LF line endings, plain spaces and straight quotes, no invisible
    format characters and no word mixing Latin and Cyrillic look-alikes
    (`analysis.corpus.lookalikes`); and a note for each kind of invisible change made, so the
    document is listed."""
    text = unicodedata.normalize("NFC", raw)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return remove_lookalikes(text.translate(_CHARACTER_MAP))


def _is_boilerplate(line: str) -> bool:
    stripped = line.strip()
    return any(pattern.match(stripped) for pattern in BOILERPLATE_PATTERNS)


def split_paragraphs(text: str) -> list[str]:
    """Paragraphs of a body: blank lines separate them, and so does a line break after a
    sentence end; a line break inside a sentence is a hard wrap and becomes a space."""
    paragraphs: list[str] = []
    current: list[str] = []
    for line in text.split("\n"):
        stripped = " ".join(line.split())
        if not stripped:
            if current:
                paragraphs.append(" ".join(current))
                current = []
            continue
        current.append(stripped)
        if _SENTENCE_END.search(stripped):
            paragraphs.append(" ".join(current))
            current = []
    if current:
        paragraphs.append(" ".join(current))
    return paragraphs


def clean_body(text: str) -> tuple[str, str | None]:
    """Body paragraphs without boilerplate, joined by blank lines; and a `Source:` if met."""
    source = None
    kept = []
    for paragraph in split_paragraphs(text):
        match = SOURCE_PATTERN.match(paragraph)
        if match and source is None:
            source = match.group("source")
        if not _is_boilerplate(paragraph):
            kept.append(paragraph)
    return "\n\n".join(kept), source


def parse_date(value: str) -> dt.date:
    """An ISO date or a dateline date ("3 June 2021", "June 3, 2021"); ValueError otherwise."""
    value = " ".join(_ORDINAL.sub("", value.strip()).split())  # "12th April, 2021" -> "12 April, 2021"
    try:
        return dt.date.fromisoformat(value)
    except ValueError as iso_error:
        for date_format in _DATE_FORMATS:
            try:
                return dt.datetime.strptime(value, date_format).date()
            except ValueError:
                continue
        raise ValueError(f"{value!r} is not a date (expected YYYY-MM-DD): {iso_error}") from None


def find_attribution(text: str) -> str | None:
    """The outlet or press service a wire report credits ("Trend, citing Kabar")."""
    for pattern in ATTRIBUTION_PATTERNS:
        match = pattern.search(text)
        if match:
            source = match.group("source").strip()
            origin = match.groupdict().get("origin")
            return f"{source}, citing {origin.strip()}" if origin else source
    return None


def _take_credit_dateline(paragraph: str) -> tuple[str, str | None, dt.date | None]:
    """'BISHKEK (Agency / Wire - 24th February, 2021) Text' -> 'Text', source and date."""
    credit = CREDIT_DATELINE_PATTERN.match(paragraph)
    if not credit:
        return paragraph, None, None
    inner = credit.group("inner").strip()
    byline = BYLINE_PATTERN.match(inner)
    try:
        found = parse_date(byline.group("date")) if byline else None
    except ValueError:
        found = None
    if byline and found is not None:
        return paragraph[credit.end() :], " / ".join(p.strip() for p in byline.group("source").split("/")), found
    if _OUTLET.match(inner):
        return paragraph[credit.end() :], inner, None
    return paragraph, None, None


def take_byline(body: str) -> tuple[str, str | None, dt.date | None]:
    """The body without its byline paragraphs ("SomeNews / Agency - 12th April, 2021"), and
    the source and date the first of them gives. A byline is the document's source and date,
    not text: its outlets would otherwise be counted as actors."""
    source: str | None = None
    date: dt.date | None = None
    kept = []
    for number, paragraph in enumerate(body.split("\n\n")):
        if number < 2 and source is None:  # the lead, or the lead after a headline-like line
            paragraph, source, date = _take_credit_dateline(paragraph)
        match = BYLINE_PATTERN.match(paragraph.strip())
        if match:
            try:
                found = parse_date(match.group("date"))
            except ValueError:
                found = None
            if found is not None:
                if source is None:
                    source, date = " / ".join(p.strip() for p in match.group("source").split("/")), found
                continue
        kept.append(paragraph)
    return "\n\n".join(kept), source, date


def parse_seed_text(raw: str) -> ParsedText:
    """Split one seed-format file into header fields and a clean body."""
    text, notes = normalise_text(raw)
    problems: list[tuple[int | None, str]] = [(None, note) for note in notes]
    date: dt.date | None = None
    date_source = "none"
    source: str | None = None
    title: str | None = None

    first_line, _, rest = text.lstrip("\n").partition("\n")
    header = HEADER_PATTERN.match(first_line)
    if header:
        try:
            date = parse_date(header.group("date"))
            date_source = "header"
        except ValueError as error:
            problems.append((1, f"malformed header date {header.group('date')!r}: {error}"))
        remainder = header.group("rest")
        source_match = SOURCE_PATTERN.match(remainder)
        if source_match:
            source = source_match.group("source")
            remainder = ""
        text = remainder + "\n" + rest
    elif rest.strip() and not _SENTENCE_END.search(first_line.strip()) and len(first_line) < 300:
        title = " ".join(first_line.split()) or None
        text = rest

    body, body_source = clean_body(text)
    body, byline_source, byline_date = take_byline(body)
    body_source = body_source or byline_source
    dateline = DATELINE_PATTERN.match(body)
    if dateline:  # a dateline is never body text, even when its date is impossible
        body = body[dateline.end() :]
        try:
            dateline_date = parse_date(dateline.group("date"))
        except ValueError:
            dateline_date = None
            problems.append((None, f"malformed dateline date {dateline.group('date')!r}; "
                                   "the dateline was removed and the document kept undated"))
        if dateline_date is not None and date is None:
            date, date_source = dateline_date, "dateline"
    elif local := match_dateline(body):  # a dateline in another language (analysis.corpus.datelines)
        body = body[local.end :]
        problems.extend([(None, local.problem)] if local.problem else [])
        body_source = body_source or local.source
        if local.date is not None and date is None:
            date, date_source = local.date, "dateline"
    if byline_date is not None and date is None:
        date, date_source = byline_date, "byline"
    problems.extend((None, note) for note in date_notes(date) + long_run_notes(body))
    source = source or body_source or find_attribution(body)
    return ParsedText(body, date, date_source, source, title, tuple(problems))


def date_notes(date: dt.date | None, today: dt.date | None = None) -> list[str]:
    """A caveat for a date after today: no news report can have been written then, so it is
    most likely a typo (2031 for 2021); the date is kept as written, for the reader to check."""
    if date is None or date <= (today or dt.date.today()):
        return []
    return [f"date {date.isoformat()} is in the future; kept as written (a typo?)"]


def long_run_notes(text: str, limit: int = MAX_PIECE_CHARS) -> list[str]:
    """A caveat when the text has a stretch longer than `limit` characters with no sentence end
    ('.', '!', '?') or paragraph break: annotation cuts it into pieces of up to `limit`
    characters, and a "sentence" there can be as long as a piece, so sentence-level counts
    over it mean little."""
    longest, previous = 0, 0
    for match in _SENTENCE_MARK.finditer(text):
        longest, previous = max(longest, match.start() - previous), match.end()
    longest = max(longest, len(text) - previous)
    if longest <= limit:
        return []
    return [f"{longest:,} characters without a sentence end ('.', '!' or '?'); annotated in pieces of "
            f"at most {limit:,} characters, so a 'sentence' there can be that long"]


def _looks_like_utf16(head: bytes) -> bool:
    """Mostly-ASCII UTF-16 without a byte order mark: NUL in every other byte."""
    even, odd = head[0::2], head[1::2]
    return len(head) >= 4 and (even.count(0) >= 0.9 * len(even) or odd.count(0) >= 0.9 * len(odd))


def _decode(data: bytes) -> tuple[str, list[str]]:
    """Text of a file (UTF-8, or UTF-16 with a byte order mark) and caveats about its
    encoding; ValueError saying why it is not readable text."""
    if data.startswith(_UTF16_BOMS):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as error:
            raise ValueError(f"UTF-16 (byte order mark) but undecodable at byte {error.start}; "
                             "save it as UTF-8") from None
        if not text.strip():
            raise ValueError("empty file")
        return text, ["UTF-16 text (byte order mark); decoded, but save it as UTF-8"]
    if not data.strip():
        raise ValueError("empty file")
    if b"\x00" in data[:8192]:
        if _looks_like_utf16(data[:8192]):
            raise ValueError("looks like UTF-16 without a byte order mark; save it as UTF-8")
        raise ValueError("binary file (contains NUL bytes)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ValueError(
            f"not UTF-8: invalid byte 0x{data[error.start]:02x} at byte offset {error.start}"
        ) from None
    control = sum(1 for character in text[:8192] if ord(character) < 32 and character not in "\n\r\t\f")
    if control > 0.1 * min(len(text), 8192):
        raise ValueError("binary file (mostly control characters)")
    return text, []


def _too_large(size: int, max_bytes: int, what: str) -> str:
    return (f"{what} too large ({size / 1e6:.1f} MB > {max_bytes / 1e6:.1f} MB limit); split it into "
            "documents, or raise the limit (--max-bytes on the command line, max_bytes in Python)")


def with_title(title: str | None, body: str) -> tuple[str, int]:
    """The text to annotate and where its body starts: the headline as its own first paragraph
    (an actor named only there is a mention too), then the body."""
    if not title:
        return body, 0
    return f"{title}\n\n{body}", len(title) + 2


def _document_row(doc_id: str, path: str, parsed: ParsedText) -> dict:
    text, body_start = with_title(parsed.title, parsed.text)
    return {
        "doc_id": doc_id,
        "path": path,
        "date": pd.Timestamp(parsed.date) if parsed.date else pd.NaT,
        "date_source": parsed.date_source,
        "source": parsed.source,
        "title": parsed.title,
        "text": text,
        "body_start": body_start,
        "n_chars": len(text),
        "sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
        "duplicate_of": None,
    }


def _read_text_file(
    file: Path, doc_id: str, shown: str, max_bytes: int = DEFAULT_MAX_BYTES
) -> tuple[dict | None, list[Problem]]:
    try:
        size = file.stat().st_size
        if size > max_bytes:
            raise ValueError(_too_large(size, max_bytes, "file"))
        raw, notes = _decode(file.read_bytes())
    except (OSError, ValueError) as error:
        return None, [Problem(shown, str(error))]
    parsed = parse_seed_text(raw)
    problems = [Problem(shown, note, action="loaded") for note in notes]
    problems += [Problem(shown, reason, action="loaded", line=line) for line, reason in parsed.problems]
    if not parsed.text.strip():
        return None, [*problems, Problem(shown, "no body text left after removing header and boilerplate")]
    return _document_row(doc_id, shown, parsed), problems


Row = tuple[dict | None, list[Problem]]  # a document (or None when none was read) and the problems met


class UnreadableTableError(AnalysisError):
    """None of a .jsonl/.csv corpus file's rows can be read: it does not decode, or (a .csv)
    it lacks the required columns. Listed in a folder; an error when the file is the corpus."""


class TableHeaderError(UnreadableTableError):
    """A .csv corpus file lacks the required columns (so none of its rows can be read)."""


TABLE_FIELDS = ("id", "text", "date", "title", "source", "language")
_JSON_KINDS = {bool: "a boolean", int: "a number", float: "a number", list: "a list", dict: "an object"}


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
    if head.startswith(_UTF16_BOMS):
        encoding, start, notes = "utf-16", 0, ["UTF-16 text (byte order mark); decoded, but save it as UTF-8"]
    elif b"\x00" in head and _looks_like_utf16(head):
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
        return None, [Problem(shown, _too_large(size, max_bytes, f"document {doc_id!r}: text"), line=number)]
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
    source = source.strip() or body_source
    parsed = ParsedText(body, date, date_source, source, title)
    return {**_document_row(doc_id, f"{shown}:{number}", parsed), "language": record.get("language")}, problems


def _table_rows(file: Path, shown: str, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Row]:
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


def _entries(root: Path) -> Iterator[Path | Problem]:
    """The files to read under `root` in path order, and a problem line for everything else
    met: hidden files and folders, symbolic links to folders (not followed), broken links, and
    links to files outside the corpus folder (not read: a corpus is what is inside its
    folder). Lazy: only the names of the folder being walked are held, never the whole list."""
    base, real_root = root.parent, root.resolve()

    def visit(here: Path) -> Iterator[Path | Problem]:
        try:
            names = sorted(os.listdir(here))
        except OSError as error:
            yield Problem(here.relative_to(base).as_posix(), f"folder cannot be read: {error.strerror or error}")
            return
        for name in names:  # files and folders in one sorted list: the order of sorted paths
            path = here / name
            shown = path.relative_to(base).as_posix()
            if path.is_dir():
                if path.is_symlink():
                    yield Problem(shown, "symbolic link to a folder; not followed (copy the files in)")
                elif name.startswith("."):
                    yield Problem(shown, "hidden folder; not read (rename it without the leading '.')")
                else:
                    yield from visit(path)
            elif name.startswith("."):
                yield Problem(shown, "hidden file; not read (rename it without the leading '.')")
            elif path.is_symlink() and not path.exists():
                yield Problem(shown, f"broken symbolic link (to {os.readlink(path)!r})")
            elif path.is_symlink() and not path.resolve().is_relative_to(real_root):
                yield Problem(shown, "symbolic link to a file outside the corpus folder; not read")
            elif path.is_file():
                yield path
            else:
                yield Problem(shown, "not a regular file (a device, pipe or socket); not read")

    return visit(root)


def _problems_frame(problems: list[Problem]) -> pd.DataFrame:
    if not problems:
        return empty_frame(PROBLEM_COLUMNS)
    frame = pd.DataFrame([vars(problem) for problem in problems])
    return frame[list(PROBLEM_COLUMNS)].astype(PROBLEM_COLUMNS).reset_index(drop=True)


class _Admission:
    """Which documents enter the table, decided in reading order while keeping, per document,
    only digests of its id and text and the id itself, compactly (`analysis.corpus.compact`), never
    its text: a repeated id is left out (the first one kept), a repeated text is kept and
    flagged as a duplicate of the first document read with it."""

    def __init__(self) -> None:
        self.ids = DigestMap()  # SHA-256 of the doc_id -> 0
        self.texts = DigestMap()  # SHA-256 of the text -> number of the first document with it
        self.names = StringList()  # doc_id of each document admitted, by number

    def admit(self, row: dict, problems: list[Problem]) -> bool:
        doc_id = row["doc_id"]
        id_digest = hashlib.sha256(doc_id.encode("utf-8", "surrogatepass")).hexdigest()
        if self.ids.get(id_digest) != DigestMap.MISSING:
            problems.append(Problem(row["path"], f"duplicate document id {doc_id!r}; first one kept"))
            return False
        self.ids.set(id_digest, 0)
        first = self.texts.get(row["sha256"])
        if first == DigestMap.MISSING:
            self.texts.set(row["sha256"], len(self.names))
        else:
            original = row["duplicate_of"] = self.names[first]
            problems.append(Problem(row["path"], f"same text as {original!r}; kept and flagged as duplicate",
                                    action="loaded"))
        self.names.append(doc_id)
        return True


def _corpus_root(path: str | Path, max_bytes: int) -> Path:
    """`path` as a corpus to read, or CorpusError saying why it is not one."""
    root = Path(path)
    if not root.exists():
        raise CorpusError(f"corpus path {str(path)!r} does not exist")
    if max_bytes < 1:
        raise CorpusError(f"max_bytes = {max_bytes!r}: expected a positive number of bytes")
    if root.is_file() and root.suffix not in TABLE_SUFFIXES + TEXT_SUFFIXES:
        raise CorpusError(f"corpus file {str(path)!r}: expected a folder, .jsonl, .csv or .txt")
    return root


def _file_rows(root: Path, file: Path, max_bytes: int) -> Iterator[Row]:
    """(document or None, problems) for each document of one corpus file."""
    shown = file.relative_to(root.parent).as_posix()
    if file.suffix in TEXT_SUFFIXES:
        doc_id = file.relative_to(root if root.is_dir() else root.parent).with_suffix("").as_posix()
        yield _read_text_file(file, doc_id, shown, max_bytes)
    elif file.suffix in TABLE_SUFFIXES:
        try:
            yield from _table_rows(file, shown, max_bytes)
        except UnreadableTableError as error:
            if file == root:
                raise CorpusError(f"{file}: {error}") from None
            yield None, [Problem(shown, f"{error}; file not read", line=1 if isinstance(error, TableHeaderError)
                                 else None)]
    else:
        yield None, [Problem(shown, f"unsupported file type {file.suffix or '(none)'!r}")]


def _batch(rows: list[dict], problems: list[Problem]) -> CorpusBatch:
    """The batch's table, each document with its language (given, else detected), and its
    problems, a language without a pipeline among them."""
    if not rows:
        return CorpusBatch(empty_frame(DOCUMENT_COLUMNS), _problems_frame(problems))
    documents, language_problems = with_languages(pd.DataFrame(rows))
    problems.extend(Problem(path, reason, action="loaded") for path, reason in language_problems)
    return CorpusBatch(conform(documents, DOCUMENT_COLUMNS), _problems_frame(problems))


def _read_batches(root: Path, given: str, batch_size: int, max_bytes: int) -> Iterator[CorpusBatch]:
    admission = _Admission()
    rows: list[dict] = []
    problems: list[Problem] = []
    files = 0
    for entry in [root] if root.is_file() else _entries(root):
        if isinstance(entry, Problem):
            problems.append(entry)
            continue
        files += 1
        for row, row_problems in _file_rows(root, entry, max_bytes):
            problems.extend(row_problems)
            if row is not None and admission.admit(row, problems):
                rows.append(row)
            if len(rows) >= batch_size:
                yield _batch(rows, problems)
                rows, problems = [], []
    if not files:  # nothing was yielded: no file means no document
        listed = "".join(f"; {problem.file}: {problem.reason}" for problem in problems)
        raise CorpusError(f"corpus folder {given!r} has no files to read: expected .txt, .jsonl "
                          f"or .csv files{listed}")
    if rows or problems:
        yield _batch(rows, problems)


def iter_corpus(
    path: str | Path, batch_size: int = DEFAULT_BATCH_DOCUMENTS, max_bytes: int = DEFAULT_MAX_BYTES
) -> Iterator[CorpusBatch]:
    """The documents of a folder of .txt files or a .jsonl/.csv file, `batch_size` at a time in
    reading order (files in path order, rows in file order), each batch with the problems met
    while reading it: a corpus of any size is read holding one batch of texts.

    What is checked across batches keeps only ids and text digests (`_Admission`): a repeated
    id is listed and left out, a repeated text kept and flagged as duplicate of the first
    document read with it. A bad path raises CorpusError here; a folder with no files to read
    raises it on iteration, before any batch. `read_corpus` is this, gathered whole."""
    if batch_size < 1:
        raise CorpusError(f"batch_size = {batch_size!r}: expected a positive number of documents")
    return _read_batches(_corpus_root(path, max_bytes), str(path), batch_size, max_bytes)


def _problem_error(path: str | Path, problems: pd.DataFrame) -> CorpusError:
    listing = "; ".join(f"{row.file}{'' if pd.isna(row.line) else f':{row.line}'}: {row.reason}"
                        for row in problems.itertuples())
    return CorpusError(f"{len(problems)} problem(s) reading {str(path)!r}: {listing}")


def _gathered(frames: list[pd.DataFrame], columns: dict[str, str]) -> pd.DataFrame:
    return conform(pd.concat(frames, ignore_index=True), columns) if frames else empty_frame(columns)


def read_corpus(path: str | Path, strict: bool = False, max_bytes: int = DEFAULT_MAX_BYTES) -> CorpusResult:
    """Read a folder of .txt files or a .jsonl/.csv file into `documents` (sorted by doc_id),
    plus problems: `iter_corpus` gathered whole, for callers that want the whole table.

    Nothing is dropped silently: every file or row that is not loaded, and every file loaded
    with a caveat (bad date, duplicate), appears in `problems`; so do hidden files and
    folders and symbolic links that are not read (`_entries`). With `strict`, any
    problem raises `CorpusError` instead. A .txt file or a table row over `max_bytes` is
    listed, not read. A folder's .csv without the required columns is listed and the rest
    read; a single such file given as the corpus is an error.
    """
    batches = list(iter_corpus(path, max_bytes=max_bytes))
    documents = _gathered([batch.documents for batch in batches if len(batch.documents)], DOCUMENT_COLUMNS)
    documents = conform(documents.sort_values("doc_id", kind="stable"), DOCUMENT_COLUMNS)
    problems = _gathered([batch.problems for batch in batches if len(batch.problems)], PROBLEM_COLUMNS)
    if strict and len(problems):
        raise _problem_error(path, problems)
    return CorpusResult(documents, problems)


def check_corpus(path: str | Path, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
    """CorpusError listing every problem of reading `path`, as `read_corpus(strict=True)` gives
    it, from one pass that keeps no text: what `--strict` checks before annotating anything."""
    problems = [batch.problems for batch in iter_corpus(path, max_bytes=max_bytes) if len(batch.problems)]
    if problems:
        raise _problem_error(path, _gathered(problems, PROBLEM_COLUMNS))


def _row_digests(frame: pd.DataFrame, kind: str) -> int:
    """The sum of one SHA-256 per row of `frame`, over every column: each value length-prefixed
    (-1 for null), so no two different rows serialise alike."""
    serialised = pd.Series(kind, index=frame.index, dtype="string")
    for column in frame.columns:
        value = frame[column].astype("string")
        length = value.str.len().fillna(-1).astype("int64").astype("string")
        serialised = serialised + "\x1f" + length + ":" + value.fillna("")
    return sum(int.from_bytes(hashlib.sha256(row.encode()).digest(), "big") for row in serialised)


class CorpusFingerprint:
    """The identity of a corpus for deciding whether a report is current: every document row
    (each column, the text through its sha256, so dates, titles and sources count too) and
    every problem row, one SHA-256 each, added modulo 2**256. Added up batch by batch as the
    corpus streams past, it does not depend on the order rows arrive in, so the batches of
    `iter_corpus` and the sorted table of `read_corpus` give the same value."""

    _MODULUS = 2**256

    def __init__(self) -> None:
        self._total = 0

    def add(self, documents: pd.DataFrame, problems: pd.DataFrame | None = None) -> CorpusFingerprint:
        described = documents[[column for column in DOCUMENT_COLUMNS if column != "text"]]
        self._total = (self._total + _row_digests(described, "document")) % self._MODULUS
        if problems is not None and len(problems):
            self._total = (self._total + _row_digests(problems[list(PROBLEM_COLUMNS)], "problem")) % self._MODULUS
        return self

    def hexdigest(self) -> str:
        return hashlib.sha256(self._total.to_bytes(32, "big")).hexdigest()[:16]


def corpus_fingerprint(documents: pd.DataFrame, problems: pd.DataFrame | None = None) -> str:
    """A short hash of a whole documents table (and its problems): the identity of a corpus."""
    return CorpusFingerprint().add(documents, problems).hexdigest()
