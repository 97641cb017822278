"""Datelines in the languages whose folder has a `dates.yaml` (month names and dateline
patterns; Russian: "3 июня 2021, БИШКЕК – ", "БИШКЕК, 26 фев — Sputnik. "), tried in the
order of the language registry.

The corpus reader tries the English dateline first (its own pattern); these come next. A
dateline is removed from the text either way, so its place is not counted as a mention; its
date (when it has a year and is a real date) dates the document, its outlet is the source.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from analysis.lang.registry import DATES_FILE, get_language, languages_with
from analysis.lang.words import LanguageError
from analysis.yamlfile import safe_load_unique


@dataclass(frozen=True)
class DateData:
    code: str
    months: dict[str, int]
    datelines: tuple[re.Pattern, ...]


class Dateline(NamedTuple):
    end: int  # where the body starts after the dateline
    date: dt.date | None
    source: str | None
    problem: str | None  # an impossible date, said as the English reader says it


@lru_cache(maxsize=8)
def load_dates(code: str) -> DateData:
    path = get_language(code).dates_file
    data = safe_load_unique(path.read_text(encoding="utf-8"))
    months = data.get("months") if isinstance(data, dict) else None
    patterns = data.get("datelines") if isinstance(data, dict) else None
    if not isinstance(months, dict) or not all(isinstance(v, int) and 1 <= v <= 12 for v in months.values()):
        raise LanguageError(f"{path}: 'months' must map month names to numbers 1-12")
    if not isinstance(patterns, list) or not all(isinstance(p, str) for p in patterns):
        raise LanguageError(f"{path}: 'datelines' must be a list of regular expressions")
    try:
        compiled = tuple(re.compile(pattern) for pattern in patterns)
    except re.error as error:
        raise LanguageError(f"{path}: a dateline pattern is not a regular expression: {error}") from None
    return DateData(code, {str(k).lower(): v for k, v in months.items()}, compiled)


def _date(match: re.Match, months: dict[str, int]) -> tuple[dt.date | None, str | None]:
    month = months.get(match.group("month").lower().rstrip("."))
    year = match.groupdict().get("year")
    if month is None or not year:
        return None, None
    try:
        return dt.date(int(year), month, int(match.group("day"))), None
    except ValueError:
        written = f"{match.group('day')} {match.group('month')} {year}"
        return None, (f"malformed dateline date {written!r}; the dateline was removed and the document "
                      "kept undated")


def match_dateline(body: str) -> Dateline | None:
    """The dateline at the start of `body` in one of the registered languages with a
    `dates.yaml`, or None."""
    for code in languages_with(DATES_FILE):
        data = load_dates(code)
        for pattern in data.datelines:
            match = pattern.match(body)
            if match and match.group("month").lower().rstrip(".") in data.months:
                date, problem = _date(match, data.months)
                source = (match.groupdict().get("source") or "").strip() or None
                return Dateline(match.end(), date, source, problem)
    return None
