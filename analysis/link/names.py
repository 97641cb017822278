"""Names compared across scripts and spellings: each word of a name becomes a *skeleton*, a
Latin string in which the usual transliteration and spelling variants meet.

"Kolbayev", "Kolbaev" and "Колбаева" (a genitive) all give `kolbaev`; "Qasym-Zhomart" and
"Kassym-Jomart" give `kasim jomart`. Cyrillic words are first put in their comparison form by
the Russian morphology (so case endings go: "Пашиняна" -> "пашинян"), then written in Latin
letters by `anyascii` (a transliteration table for every script), then folded: the pairs of
letters English and Russian romanisations disagree on (q/k, kh/h, zh/j, y/i, -yev/-ev, double
letters) become one. The fold is deliberately coarse: it only proposes and blocks; what is
merged automatically also needs agreeing given names, category and gender.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from anyascii import anyascii

from analysis.lang.ru import morphology

_CYRILLIC = re.compile(r"[а-яёәіңғүұқөһ]", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
# Ordered: longer spellings first, so "dzh" is folded before "zh" and "zh" before "h".
_FOLDS = (
    ("shch", "sh"), ("sch", "sh"), ("dzh", "j"), ("zh", "j"), ("dj", "j"), ("kh", "h"), ("gh", "g"),
    ("q", "k"), ("ck", "k"), ("yo", "o"), ("yu", "u"), ("ya", "a"), ("ye", "e"), ("yi", "i"), ("iy", "i"),
    ("y", "i"), ("tz", "ts"), ("w", "v"), ("ph", "f"), ("ou", "u"), ("ie", "i"),
)
# an h that is not part of sh/ch/zh is dropped: "Rahmon" and "Rakhmon" (folded to "rahmon") meet
_LONE_H = re.compile(r"(?<![scz])h")
_DOUBLE = re.compile(r"(.)\1+")
# Latin endings of a woman's surname in the Russian pattern, and of a man's
FEMININE_ENDINGS = ("ova", "eva", "ina", "skaya", "ska", "aia")
MASCULINE_ENDINGS = ("ov", "ev", "in", "ski", "skii", "ii")


def is_cyrillic(text: str) -> bool:
    return bool(_CYRILLIC.search(text or ""))


@lru_cache(maxsize=200_000)
def skeleton(word: str) -> str:
    """One word's comparison form in Latin letters (see the module docstring)."""
    if is_cyrillic(word):
        word = morphology.key_form(word)
    text = anyascii(word).lower()
    text = re.sub(r"['’`ʼ]", "", text)
    for spelling, folded in _FOLDS:
        text = text.replace(spelling, folded)
    text = _LONE_H.sub("", text)
    return _DOUBLE.sub(r"\1", text)


def words(name: str) -> list[str]:
    """The words of a name, hyphenated parts apart ("Kassym-Jomart Tokayev": 3 words)."""
    return _WORD.findall((name or "").replace("-", " "))


@dataclass(frozen=True)
class PersonName:
    """A person's name split for comparison: given names, surname, gender where it shows."""

    given: tuple[str, ...]
    surname: str
    gender: str | None  # "f", "m", or None when the surname does not show it

    @property
    def full(self) -> bool:
        return bool(self.given)


def _gender(surname_as_written: str) -> str | None:
    latin = anyascii(surname_as_written).lower().replace("y", "i")
    if latin.endswith(FEMININE_ENDINGS):
        return "f"
    if latin.endswith(MASCULINE_ENDINGS):
        return "m"
    return None


@lru_cache(maxsize=200_000)
def person_name(name: str) -> PersonName | None:
    """A display name as given names and surname (the last word), or None for no letters."""
    parts = words(name)
    if not parts:
        return None
    return PersonName(tuple(skeleton(w) for w in parts[:-1]), skeleton(parts[-1]), _gender(parts[-1]))


@lru_cache(maxsize=200_000)
def name_skeleton(name: str) -> str:
    """A whole name's skeleton, words joined by one space (organisations, places)."""
    return " ".join(skeleton(w) for w in words(name))


@lru_cache(maxsize=200_000)
def given_names_agree(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Whether two lists of given names can name one person: either is missing, or the first
    names are equal, one is the other's initial, or one begins the other ("Kamchy" is short
    for "Kamchybek"), and likewise for every further name both give."""
    for x, y in zip(a, b, strict=False):
        if x == y:
            continue
        short, long = sorted((x, y), key=len)
        if len(short) == 1 and long.startswith(short):
            continue
        if len(short) >= 4 and long.startswith(short):
            continue
        return False
    return True


def genders_agree(a: str | None, b: str | None) -> bool:
    return a is None or b is None or a == b
