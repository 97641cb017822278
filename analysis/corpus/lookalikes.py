"""Invisible characters and look-alike letters, removed where text is read, so that a name
is matched as it reads and never split into actors that display identically.

* Format characters (Unicode category Cf: zero-width joiner and non-joiner, soft hyphen,
  word joiner, bidirectional controls such as the right-to-left override, tags) are
  invisible: "Sadyr Ja\\u00adparov" shows as "Sadyr Japarov" but is another string, and an
  override turns a heading around. They are removed from the stored text (offsets index the
  text without them), and the document is listed with how many were removed.
* A word mixing Latin and Cyrillic letters ("Sаdyr" with a Cyrillic а) is almost always a
  look-alike, by accident (a keyboard layout) or by design. Its letters of the other script
  that have a twin in the word's dominant script (the one most of its letters are in) are
  replaced by the twin, one for one, and the word is listed as it was written.

The twins are an explicit table of the Latin/Cyrillic homoglyphs (Unicode's confusables
restricted to these two scripts and to letters that look the same in common fonts), so no
dependency is needed.
"""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata
from collections import Counter

# Cyrillic letter -> the Latin letter it looks like in common fonts (not, say, н and h).
CYRILLIC_TO_LATIN = {
    "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x", "і": "i", "ј": "j", "ѕ": "s",
    "ԁ": "d", "һ": "h", "ԛ": "q", "ԝ": "w",
    "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P", "С": "C", "Т": "T",
    "У": "Y", "Х": "X", "І": "I", "Ј": "J", "Ѕ": "S", "Ԛ": "Q", "Ԝ": "W",
}
# Latin letter -> the Cyrillic letter it looks like (the first twin where there are two).
LATIN_TO_CYRILLIC = {}
for _cyrillic, _latin in CYRILLIC_TO_LATIN.items():
    LATIN_TO_CYRILLIC.setdefault(_latin, _cyrillic)
_LATIN = "A-Za-z\u00c0-\u024f"
_CYRILLIC = "\u0400-\u052f"
_MIXED_WORD = re.compile(rf"[{_LATIN}{_CYRILLIC}]*(?:[{_LATIN}][{_LATIN}{_CYRILLIC}]*[{_CYRILLIC}]|"
                         rf"[{_CYRILLIC}][{_LATIN}{_CYRILLIC}]*[{_LATIN}])[{_LATIN}{_CYRILLIC}]*")
_HAS_LATIN = re.compile(f"[{_LATIN}]")
_HAS_CYRILLIC = re.compile(f"[{_CYRILLIC}]")
_SHOWN_WORDS = 5  # mixed words named per document; the rest are counted


def _is_cyrillic(letter: str) -> bool:
    return "\u0400" <= letter <= "\u052f"


@functools.cache
def _format_character_pattern() -> re.Pattern[str]:
    """Every character of Unicode category Cf, as one character class (built on first use;
    format characters are assigned only in planes 0, 1 and 14, so only those are scanned)."""
    codes = itertools.chain(range(0x20000), range(0xE0000, 0xF0000))
    characters = "".join(chr(code) for code in codes if unicodedata.category(chr(code)) == "Cf")
    return re.compile(f"[{re.escape(characters)}]")


def _remove_format_characters(text: str) -> tuple[str, list[str]]:
    if text.isascii():
        return text, []
    found = Counter(_format_character_pattern().findall(text))
    if not found:
        return text, []
    kept = _format_character_pattern().sub("", text)
    kinds = ", ".join(f"U+{ord(c):04X} {unicodedata.name(c, 'format character')}" for c, _ in found.most_common(3))
    more = ", ..." if len(found) > 3 else ""
    total = sum(found.values())
    return kept, [f"{total} invisible format character(s) removed ({kinds}{more}); the text is stored without them"]


def _respelled(word: str) -> str:
    """`word` in its dominant script: the other script's letters replaced by their twins."""
    cyrillic = sum(_is_cyrillic(letter) for letter in word)
    latin = len(word) - cyrillic
    to_cyrillic = cyrillic > latin
    table = LATIN_TO_CYRILLIC if to_cyrillic else CYRILLIC_TO_LATIN
    return "".join(table.get(letter, letter) if _is_cyrillic(letter) != to_cyrillic else letter for letter in word)


def _letters(word: str, new: str) -> str:
    """The letters that were replaced, named: the two spellings look the same on screen."""
    replaced = dict.fromkeys(old for old, now in zip(word, new, strict=True) if old != now)
    return ", ".join(f"U+{ord(letter):04X} {unicodedata.name(letter, '?')}" for letter in replaced) or "no twin"


def _unmix_words(text: str) -> tuple[str, list[str]]:
    if text.isascii() or not (_HAS_LATIN.search(text) and _HAS_CYRILLIC.search(text)):
        return text, []
    changed: dict[str, str] = {}

    def respell(match: re.Match[str]) -> str:
        word = match.group()
        changed.setdefault(word, _respelled(word))
        return changed[word]

    text = _MIXED_WORD.sub(respell, text)
    if not changed:
        return text, []
    shown = [f"{word!r} ({_letters(word, new)}) as {new!r}" for word, new in list(changed.items())[:_SHOWN_WORDS]]
    more = f" and {len(changed) - _SHOWN_WORDS} more" if len(changed) > _SHOWN_WORDS else ""
    return text, [f"{len(changed)} word(s) mix Latin and Cyrillic letters; look-alike letters read in the word's "
                  f"main script: {', '.join(shown)}{more}"]


def remove_lookalikes(text: str) -> tuple[str, list[str]]:
    """`text` without format characters and with mixed-script words in one script; and a
    note for each kind of change made (none when the text was clean)."""
    text, removed = _remove_format_characters(text)
    text, unmixed = _unmix_words(text)
    return text, removed + unmixed
