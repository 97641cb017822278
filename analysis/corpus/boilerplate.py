"""Wire copy that is not the report's text, in the languages whose folder has a `reading.yaml`:
boilerplate paragraphs ("To be continued.", "MIL OSI"), a line naming the source ("Source:
Kabar"), and a sentence crediting an outlet ("Trend reports citing Kabar"). Each rule is tried
for every registered language, in registry order; a separator line ("* * *", "-----") is
boilerplate in any language."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from analysis.lang.registry import READING_FILE, get_language, languages_with, registered_languages
from analysis.lang.words import LanguageError
from analysis.yamlfile import safe_load_unique

# Lines of separators only, in any language: "* * *", "-----", "_____", "=====".
SEPARATORS = (re.compile(r"^[*\s]{3,}$"), re.compile(r"^(-{3,}|_{3,}|={3,})$"))
_FIELDS = ("boilerplate", "source_lines", "attributions")


@dataclass(frozen=True)
class ReadingRules:
    code: str
    boilerplate: tuple[re.Pattern, ...] = ()  # a whole paragraph to drop
    source_lines: tuple[re.Pattern, ...] = ()  # group source
    attributions: tuple[re.Pattern, ...] = ()  # groups source and optional origin


@lru_cache(maxsize=16)
def read_rules(path: Path, code: str) -> ReadingRules:
    """One reading.yaml, checked (read once per file)."""
    data = safe_load_unique(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise LanguageError(f"{path}: expected a mapping with lists {list(_FIELDS)}")
    unknown = sorted(set(data) - {*_FIELDS, "version"})
    if unknown:
        raise LanguageError(f"{path}: unknown field(s) {unknown}; expected {list(_FIELDS)}")
    lists = {}
    for name in _FIELDS:
        patterns = data.get(name, [])
        if not isinstance(patterns, list) or not all(isinstance(p, str) for p in patterns):
            raise LanguageError(f"{path}: {name!r} must be a list of regular expressions")
        try:
            lists[name] = tuple(re.compile(pattern) for pattern in patterns)
        except re.error as error:
            raise LanguageError(f"{path}: a {name!r} pattern is not a regular expression: {error}") from None
    for pattern in lists["source_lines"] + lists["attributions"]:
        if "source" not in pattern.groupindex:
            raise LanguageError(f"{path}: pattern {pattern.pattern!r} needs a group named 'source'")
    return ReadingRules(code, **lists)


def all_rules() -> tuple[ReadingRules, ...]:
    """The reading.yaml of every registered language that has one, in registry order."""
    return _rules_of(tuple((code, defaults.folder) for code, defaults in registered_languages().items()))


@lru_cache(maxsize=4)
def _rules_of(languages: tuple[tuple[str, Path | None], ...]) -> tuple[ReadingRules, ...]:
    """Looked up once per set of registered languages (their folders): the rules are asked for
    every paragraph."""
    del languages  # the cache key: the registry itself is read below
    return tuple(read_rules(get_language(code).file(READING_FILE), code) for code in languages_with(READING_FILE))


def is_boilerplate(paragraph: str, languages: tuple[ReadingRules, ...] | None = None) -> bool:
    """Whether `paragraph` is no text of the report (`languages`: `all_rules()`, given by a
    caller asking for many paragraphs)."""
    stripped = paragraph.strip()
    return any(pattern.match(stripped) for pattern in SEPARATORS) or any(
        pattern.match(stripped) for rules in languages or all_rules() for pattern in rules.boilerplate)


def source_line(line: str, languages: tuple[ReadingRules, ...] | None = None) -> str | None:
    """The source a line names ("Source: Kabar" -> "Kabar"), or None."""
    for rules in languages or all_rules():
        for pattern in rules.source_lines:
            match = pattern.match(line)
            if match:
                return match.group("source")
    return None


def find_attribution(text: str) -> str | None:
    """The outlet or press service a wire report credits ("Trend, citing Kabar")."""
    for rules in all_rules():
        for pattern in rules.attributions:
            match = pattern.search(text)
            if match:
                source = match.group("source").strip()
                origin = match.groupdict().get("origin")
                return f"{source}, citing {origin.strip()}" if origin else source
    return None
