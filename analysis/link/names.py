"""Names compared across scripts and spellings: each word of a name becomes a *skeleton*, a
Latin string in which the usual transliteration and spelling variants meet.

"Kolbayev", "Kolbaev" and "Колбаева" (a genitive) all give `kolbaev`; "Qasym-Zhomart" and
"Kassym-Jomart" give `kasim jomart`. Each word is first put in its comparison form by the
language its script says (`LanguageDefaults.key_of`: Russian case endings go, "Пашиняна" ->
"пашинян"), then written in Latin
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
from rapidfuzz.distance import JaroWinkler

from analysis.corpus.detect import script_language
from analysis.lang.registry import get_language

_CYRILLIC = re.compile(r"[а-яёәіңғүұқөһ]", re.IGNORECASE)
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")  # letters and digits: "HPP-1" is not "HPP-2"
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
    word = get_language(script_language(word)).key_of(word)
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
    """A person's name split for comparison: given names, surname, gender where it shows. A
    given name with a patronymic and no surname ("Касым-Жомарт Кемелевич", how Russian addresses
    a person) has an empty surname."""

    given: tuple[str, ...]
    surname: str
    gender: str | None  # "f", "m", or None when the surname does not show it

    @property
    def full(self) -> bool:
        return bool(self.given) and bool(self.surname)

    @property
    def patronymic_only(self) -> bool:
        return bool(self.given) and not self.surname


def _gender(surname_as_written: str) -> str | None:
    latin = anyascii(surname_as_written).lower().replace("y", "i")
    if latin.endswith(FEMININE_ENDINGS):
        return "f"
    if latin.endswith(MASCULINE_ENDINGS):
        return "m"
    return None


@lru_cache(maxsize=200_000)
def person_name(name: str) -> PersonName | None:
    """A display name as given names and surname (the last word, unless it is a patronymic:
    then no surname), or None for no letters."""
    parts = words(name)
    if not parts:
        return None
    if len(parts) >= 2 and (patronymic := get_language(script_language(parts[-1])).patronymic_gender(parts[-1])):
        return PersonName(tuple(skeleton(w) for w in parts[:-1]), "", patronymic)
    return PersonName(tuple(skeleton(w) for w in parts[:-1]), skeleton(parts[-1]), _gender(parts[-1]))


@lru_cache(maxsize=200_000)
def name_skeleton(name: str) -> str:
    """A whole name's skeleton, words joined by one space (organisations, places)."""
    return " ".join(skeleton(w) for w in words(name))


# given names this alike (Jaro-Winkler over skeletons, both at least this long) are one name
# misspelt ("Kamychbek" / "Kamchybek", "Almasbek" / "Almazbek"); shorter names differ by one
# letter too often ("Askar" / "Askat")
GIVEN_NAME_SIMILARITY = 0.94
MIN_FUZZY_GIVEN_NAME = 6
_FINAL_VOWEL = re.compile(r"[aeiou]$")


def _same_given_name(x: str, y: str) -> bool:
    if x == y:
        return True
    short, long = sorted((x, y), key=len)
    if long.startswith(short) and (len(short) == 1 or len(short) >= 4):
        return True  # an initial, or a short form ("Kamchy" for "Kamchybek")
    stem = _FINAL_VOWEL.sub("", short)
    if len(stem) >= 4 and long.startswith(stem):
        return True  # a case ending of a name the dictionary does not know ("Камчи", "Камча", "Камчыбек")
    return len(short) >= MIN_FUZZY_GIVEN_NAME and JaroWinkler.similarity(x, y) >= GIVEN_NAME_SIMILARITY


@lru_cache(maxsize=200_000)
def given_names_agree(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Whether two lists of given names can name one person: either is missing, or each name
    both give is the same name: equal, an initial, a short form, another case ending, or a
    misspelling of a long name."""
    return all(_same_given_name(x, y) for x, y in zip(a, b, strict=False))


def genders_agree(a: str | None, b: str | None) -> bool:
    return a is None or b is None or a == b
