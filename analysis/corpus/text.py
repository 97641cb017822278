"""The characters of a document: decoding a file's bytes, the one normalisation every offset
downstream points into (BOM, CRLF, non-breaking spaces, curly quotes, invisible characters,
look-alikes), paragraphs from hard-wrapped lines, and the caveats a text's shape calls for (a
future date, a very long run without a sentence end)."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from analysis.corpus.lookalikes import remove_lookalikes

UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
# Annotation feeds spaCy paragraphs cut into pieces of at most this many characters (at a
# space); a stretch this long without a sentence end becomes "sentences" of this length.
MAX_PIECE_CHARS = 50_000
_SENTENCE_MARK = re.compile(r"[.!?]|\n\n")  # sentence ends, and paragraph breaks
SENTENCE_END = re.compile(r"""[.!?:;»"')\]]\s*$""")
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


def normalise_text(raw: str) -> tuple[str, list[str]]:
    """Unicode NFC, no BOM, LF line endings, plain spaces and straight quotes, no invisible
    format characters and no word mixing Latin and Cyrillic look-alikes
    (`analysis.corpus.lookalikes`); and a note for each kind of invisible change made, so the
    document is listed."""
    text = unicodedata.normalize("NFC", raw)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return remove_lookalikes(text.translate(_CHARACTER_MAP))


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
        if SENTENCE_END.search(stripped):
            paragraphs.append(" ".join(current))
            current = []
    if current:
        paragraphs.append(" ".join(current))
    return paragraphs


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


def looks_like_utf16(head: bytes) -> bool:
    """Mostly-ASCII UTF-16 without a byte order mark: NUL in every other byte."""
    even, odd = head[0::2], head[1::2]
    return len(head) >= 4 and (even.count(0) >= 0.9 * len(even) or odd.count(0) >= 0.9 * len(odd))


def decode_bytes(data: bytes) -> tuple[str, list[str]]:
    """Text of a file (UTF-8, or UTF-16 with a byte order mark) and caveats about its
    encoding; ValueError saying why it is not readable text."""
    if data.startswith(UTF16_BOMS):
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
        if looks_like_utf16(data[:8192]):
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
