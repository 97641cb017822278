"""What the seed format puts around a report's text: an optional first-line header (`` date
YYYY-MM-DD`` then the body or ``Source: <outlet>``), or a headline line; a byline ("SomeNews /
Agency - 12th April, 2021"), a dateline ("3 June 2021, BISHKEK – ", or one crediting its outlet:
"BISHKEK (Kabar) - "), wire boilerplate and a source line. Every rule that depends on a language
comes from the registered languages' folders (`analysis.corpus.datelines`,
`analysis.corpus.boilerplate`); what is left here is the layout of a file."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from analysis.corpus.boilerplate import all_rules, find_attribution, is_boilerplate, source_line
from analysis.corpus.datelines import match_byline, match_credit_dateline, match_dateline, parse_date
from analysis.corpus.outlets import load_outlets, normalise_label
from analysis.corpus.text import SENTENCE_END, date_notes, long_run_notes, normalise_text, split_paragraphs

# The seed format's header line: " date 2021-06-03 Source: Kabar" or " date 2021-06-03 Body...".
HEADER_PATTERN = re.compile(r"^\s*date\s+(?P<date>\S+)\s*(?P<rest>.*)$")
# What a credit dateline's brackets hold when they name only an outlet: "UzDaily.com", "A / B".
_OUTLET = re.compile(r"^[\w&'-]+(?:[./][\w&'-]+)+$|^[\w&' -]+ ?/ ?[\w&' -]+$")
# A short name in a credit dateline's brackets ("ISTANBUL (AA) -", "BISHKEK (The Times of Central
# Asia) -"), accepted only to name the source, never to cut text, and only when it is an agency's
# acronym or an outlet the outlet table knows: brackets also hold a country ("ALMATY (Kazakhstan)")
# or an edition ("(Update 2)").
_SHORT_OUTLET = re.compile(r"^[^\W\d_][\w.&'-]*(?: [\w.&'-]+){0,4}$")
MAX_ACRONYM = 6


@lru_cache(maxsize=1)
def _known_outlets() -> frozenset[str]:
    table = load_outlets()
    return frozenset(normalise_label(label) for label in [*table["label"], *table["outlet"]])


def _is_short_outlet(text: str) -> bool:
    if not (_SHORT_OUTLET.match(text) and text[0].isupper()):
        return False
    letters = [character for character in text if character.isalpha()]
    acronym = len(text) <= MAX_ACRONYM and " " not in text and all(c.isupper() for c in letters)
    return acronym or normalise_label(text) in _known_outlets()


@dataclass(frozen=True)
class ParsedText:
    """What the seed-format parser finds in one file's text."""

    text: str
    date: dt.date | None
    date_source: str
    source: str | None
    title: str | None
    problems: tuple[tuple[int | None, str], ...] = ()  # (line, reason) of caveats met
    # where `source` comes from: "given" (a corpus field, a header line), "credit" (found in the
    # report's own text: a byline, a dateline, a source line, a sentence crediting an outlet)
    source_from: str | None = None


def clean_body(text: str) -> tuple[str, str | None]:
    """Body paragraphs without boilerplate, joined by blank lines; and a `Source:` if met."""
    source = None
    kept = []
    languages = all_rules()
    for paragraph in split_paragraphs(text):
        if source is None:
            source = source_line(paragraph, languages)
        if not is_boilerplate(paragraph, languages):
            kept.append(paragraph)
    return "\n\n".join(kept), source


def _take_credit_dateline(paragraph: str) -> tuple[str, str | None, dt.date | None]:
    """'BISHKEK (Agency / Wire - 24th February, 2021) Text' -> 'Text', source and date."""
    credit = match_credit_dateline(paragraph)
    if not credit:
        return paragraph, None, None
    inner = credit.group("inner").strip()
    byline = match_byline(inner)
    if byline is not None:
        return paragraph[credit.end() :], *byline
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
        byline = match_byline(paragraph.strip())
        if byline is not None:
            if source is None:
                source, date = byline
            continue
        kept.append(paragraph)
    return "\n\n".join(kept), source, date


def find_credit(body: str) -> str | None:
    """The outlet a report's own text credits, leaving the text as it is (a corpus table's
    text is the user's): a byline or a credit dateline ("BISHKEK (UrduPoint News / Sputnik -
    12th October, 2021)", "ISTANBUL (AA) -"), a dateline naming its outlet ("БИШКЕК, 26 фев —
    Sputnik."), else the first sentence crediting an outlet (the `attributions` of every
    language's reading.yaml: "Trend reports citing Kabar", "..., передает КирТАГ."). None when
    the text credits no one: a source is never guessed."""
    _, source, _ = take_byline(body)
    if source is not None:
        return source
    for paragraph in body.split("\n\n")[:2]:  # the lead, or the lead after a headline-like line
        credit = match_credit_dateline(paragraph)
        if credit and _is_short_outlet(credit.group("inner").strip()):
            return credit.group("inner").strip()
    dateline = match_dateline(body)
    if dateline is not None and dateline.source:
        return dateline.source
    return find_attribution(body)


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
        source = source_line(remainder)
        if source is not None:
            remainder = ""
        text = remainder + "\n" + rest
    elif rest.strip() and not SENTENCE_END.search(first_line.strip()) and len(first_line) < 300:
        title = " ".join(first_line.split()) or None
        text = rest

    body, body_source = clean_body(text)
    body, byline_source, byline_date = take_byline(body)
    body_source = body_source or byline_source
    dateline = match_dateline(body)
    if dateline:  # a dateline is never body text, even when its date is impossible
        body = body[dateline.end :]
        problems.extend([(None, dateline.problem)] if dateline.problem else [])
        body_source = body_source or dateline.source
        if dateline.date is not None and date is None:
            date, date_source = dateline.date, "dateline"
    if byline_date is not None and date is None:
        date, date_source = byline_date, "byline"
    problems.extend((None, note) for note in date_notes(date) + long_run_notes(body))
    given = source is not None
    source = source or body_source or find_credit(body)
    source_from = "given" if given else "credit" if source else None
    return ParsedText(body, date, date_source, source, title, tuple(problems), source_from)
