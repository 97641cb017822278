"""Headlines in Title Case ("Japarov To Make First Visit To Russia, Meet With Putin") read to a
statistical NER like a run of names: it returns "Japarov To Make First" as a person and "With
Putin" as another. English news often capitalises every word of a headline, so before a
Title-Case headline goes to spaCy its ordinary words are put in lower case, as in a sentence.

Names survive: a word is lowered only when it is a small word of headlines ("To", "With", "Of":
language data) or an ordinary word of the language (the pipeline's own vocabulary) that no
lexicon alias uses ("Foreign Ministry", "Turkey" keep their capitals). The first word keeps its
case. Lowering never changes a word's length, so every offset found in
the lowered copy points at the same characters of the original, which stays the text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
MINIMUM_WORDS = 4  # shorter lines ("Kyrgyz Republic", "Press Release") are names or labels
TITLE_CASE_SHARE = 0.8  # of words with a capital first letter; a sentence's share is far lower


def _capitalised(word: str) -> bool:
    return word[:1].isupper() and (len(word) == 1 or word[1:].islower())


def is_title_case(line: str) -> bool:
    """A line whose words nearly all start with a capital, as in 'Kyrgyz Leader Meets With
    OSCE Chief' (a sentence-case line with many names, like 'Head of the OSCE Programme
    Office in Bishkek met with ...', has its small words in lower case)."""
    words = WORD.findall(line)
    if len(words) < MINIMUM_WORDS:
        return False
    upper = sum(1 for word in words if word[:1].isupper())
    return upper >= TITLE_CASE_SHARE * len(words)


@dataclass(frozen=True)
class HeadlineCasing:
    """Puts a Title-Case line in sentence case, keeping names."""

    is_ordinary: Callable[[str], bool]
    small_words: frozenset[str]  # lower case: the language's headline_small_words
    name_words: frozenset[str]  # every word of every lexicon alias, as written

    @classmethod
    def from_forms(cls, is_ordinary: Callable[[str], bool], small_words: Iterable[str],
                   forms: Iterable[str]) -> HeadlineCasing:
        name_words = frozenset(word for form in forms for word in WORD.findall(form))
        return cls(is_ordinary, frozenset(small_words), name_words)

    def _lowers(self, word: str) -> bool:
        return word.lower() in self.small_words or (word not in self.name_words and self.is_ordinary(word))

    def __call__(self, line: str) -> str:
        """`line` in sentence case if it is in Title Case, else `line` itself; same length."""
        if not is_title_case(line):
            return line
        pieces = []
        position = 0
        for number, match in enumerate(WORD.finditer(line)):
            word = match.group()
            lowered = word.lower()
            if number > 0 and _capitalised(word) and len(lowered) == len(word) and self._lowers(word):
                pieces.append(line[position:match.start()] + lowered)
                position = match.end()
        pieces.append(line[position:])
        return "".join(pieces)
