"""Dates, datelines and bylines in the languages whose folder has a `dates.yaml` (month names,
the shapes of a written date, dateline, byline and credit-dateline patterns; English: "3 June
2021, BISHKEK – ", "Kabar — April 12, 2021"; Russian: "3 июня 2021, БИШКЕК – ", "БИШКЕК, 26 фев —
Sputnik. "), tried in the order of the language registry.

A dateline is removed from the text, so its place is not counted as a mention; its date (when
it has a year and is a real date) dates the document, its outlet is the source.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from analysis.lang.registry import DATES_FILE, get_language, languages_with, registered_languages
from analysis.lang.words import LanguageError
from analysis.yamlfile import safe_load_unique

# Numeric dates, the same in every language (tried after ISO and the languages' own shapes).
_NUMERIC_FORMATS = ("%d.%m.%Y", "%d/%m/%Y")
_PATTERN_LISTS = ("datelines", "dates", "bylines", "credit_datelines")


@dataclass(frozen=True)
class DateData:
    code: str
    months: dict[str, int]
    datelines: tuple[re.Pattern, ...]
    dates: tuple[re.Pattern, ...] = ()  # a whole written date: groups day, month, year
    ordinals: re.Pattern | None = None  # a day number's suffix ("12th"), removed before parsing
    bylines: tuple[re.Pattern, ...] = ()  # groups source, date
    credit_datelines: tuple[re.Pattern, ...] = ()  # group inner


class Dateline(NamedTuple):
    end: int  # where the body starts after the dateline
    date: dt.date | None
    source: str | None
    problem: str | None  # an impossible date, said as the reader lists it


def _patterns(data: dict, name: str, path: Path) -> tuple[re.Pattern, ...]:
    patterns = data.get(name, [])
    if not isinstance(patterns, list) or not all(isinstance(p, str) for p in patterns):
        raise LanguageError(f"{path}: {name!r} must be a list of regular expressions")
    try:
        return tuple(re.compile(pattern) for pattern in patterns)
    except re.error as error:
        raise LanguageError(f"{path}: a {name!r} pattern is not a regular expression: {error}") from None


@lru_cache(maxsize=16)
def read_dates(path: Path, code: str) -> DateData:
    """One dates.yaml, checked (read once per file: a language registered again from another
    folder is read again)."""
    data = safe_load_unique(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise LanguageError(f"{path}: expected a mapping with 'months' and 'datelines'")
    months = data.get("months")
    if not isinstance(months, dict) or not all(isinstance(v, int) and 1 <= v <= 12 for v in months.values()):
        raise LanguageError(f"{path}: 'months' must map month names to numbers 1-12")
    if "datelines" not in data:
        raise LanguageError(f"{path}: 'datelines' must be a list of regular expressions")
    lists = {name: _patterns(data, name, path) for name in _PATTERN_LISTS}
    ordinals = data.get("ordinals")
    if ordinals is not None and not isinstance(ordinals, str):
        raise LanguageError(f"{path}: 'ordinals' must be a regular expression")
    try:
        ordinal = re.compile(ordinals) if ordinals else None
    except re.error as error:
        raise LanguageError(f"{path}: 'ordinals' is not a regular expression: {error}") from None
    return DateData(code, {str(k).lower(): v for k, v in months.items()}, ordinals=ordinal, **lists)


def load_dates(code: str) -> DateData:
    """The dates.yaml of registered language `code`."""
    return read_dates(get_language(code).dates_file, code)


def all_dates() -> tuple[DateData, ...]:
    """The dates.yaml of every registered language that has one, in registry order."""
    return _dates_of(tuple((code, defaults.folder) for code, defaults in registered_languages().items()))


@lru_cache(maxsize=4)
def _dates_of(languages: tuple[tuple[str, Path | None], ...]) -> tuple[DateData, ...]:
    """Looked up once per set of registered languages (their folders): dates are parsed for
    every header, byline and dateline."""
    del languages  # the cache key: the registry itself is read below
    return tuple(load_dates(code) for code in languages_with(DATES_FILE))


def _day_month_year(match: re.Match, months: dict[str, int]) -> dt.date | None:
    """The date of a match with groups day, month, year; None when the month is none of the
    language's; ValueError when the day does not exist."""
    month = months.get(match.group("month").lower().rstrip("."))
    return None if month is None else dt.date(int(match.group("year")), month, int(match.group("day")))


def parse_date(value: str) -> dt.date:
    """An ISO date, a date as a registered language writes it ("3 June 2021", "June 3, 2021",
    "12th April, 2021") or a numeric one (03.06.2021, 03/06/2021); ValueError otherwise."""
    languages = all_dates()
    for language in languages:
        if language.ordinals is not None:
            value = language.ordinals.sub("", value)
    value = " ".join(value.split())
    try:
        return dt.date.fromisoformat(value)
    except ValueError as iso_error:
        for language in languages:
            for pattern in language.dates:
                match = pattern.fullmatch(value)
                if match:
                    try:
                        found = _day_month_year(match, language.months)
                    except ValueError:
                        continue
                    if found is not None:
                        return found
        for date_format in _NUMERIC_FORMATS:
            try:
                return dt.datetime.strptime(value, date_format).date()
            except ValueError:
                continue
        raise ValueError(f"{value!r} is not a date (expected YYYY-MM-DD): {iso_error}") from None


def _malformed(written: str) -> str:
    return f"malformed dateline date {written!r}; the dateline was removed and the document kept undated"


def _dateline_date(match: re.Match, months: dict[str, int]) -> tuple[dt.date | None, str | None]:
    """The date a dateline gives and the problem of an impossible one. A `date` group is read
    as `parse_date` reads a date; else groups day, month and optional year (no year: undated)."""
    written = match.groupdict().get("date")
    if written is not None:
        try:
            return parse_date(written), None
        except ValueError:
            return None, _malformed(written)
    year = match.groupdict().get("year")
    if not year:
        return None, None
    try:
        return _day_month_year(match, months), None
    except ValueError:
        return None, _malformed(f"{match.group('day')} {match.group('month')} {year}")


def match_dateline(body: str) -> Dateline | None:
    """The dateline at the start of `body` in one of the registered languages with a
    `dates.yaml`, or None. A pattern with a `month` group matches only a month of its language."""
    for data in all_dates():
        for pattern in data.datelines:
            match = pattern.match(body)
            if not match:
                continue
            if "month" in pattern.groupindex and match.group("month").lower().rstrip(".") not in data.months:
                continue
            date, problem = _dateline_date(match, data.months)
            source = (match.groupdict().get("source") or "").strip() or None
            return Dateline(match.end(), date, source, problem)
    return None


def match_byline(text: str) -> tuple[str, dt.date] | None:
    """The outlets ("A / B") and date of a byline that is the whole of `text` ("SomeNews /
    Agency - 12th April, 2021"), or None (also when its date is no date)."""
    for data in all_dates():
        for pattern in data.bylines:
            match = pattern.match(text)
            if not match:
                continue
            try:
                found = parse_date(match.group("date"))
            except ValueError:
                continue
            return " / ".join(part.strip() for part in match.group("source").split("/")), found
    return None


def match_credit_dateline(paragraph: str) -> re.Match | None:
    """A dateline crediting its outlet in brackets at the start of `paragraph` (group inner:
    "BISHKEK (UrduPoint News / Sputnik - 24th February, 2021) "), or None."""
    for data in all_dates():
        for pattern in data.credit_datelines:
            match = pattern.match(paragraph)
            if match:
                return match
    return None
