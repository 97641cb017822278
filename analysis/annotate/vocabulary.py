"""Which words are ordinary words of the language, from the spaCy pipeline's own data.

A single capitalised word such as "Citizens", "Defense" or "Verbal" that the statistical NER
labels as an organisation is usually an ordinary word at a sentence start, not a name. The
English pipelines ship the lemmatizer's word index (WordNet's nouns, verbs, adjectives and
adverbs, about 83,000 words): a word is ordinary when it, or its singular, is in that index.
It is read from the installed pipeline's files without loading the model. A pipeline without
such an index gives an empty vocabulary, so the rule then simply never fires.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import spacy
from spacy.lookups import Lookups

from analysis.lang.words import LanguageData, load_language
from analysis.schema import DEFAULT_LANGUAGE

INDEX_TABLE = "lemma_index"


@dataclass(frozen=True)
class Vocabulary:
    """A set of ordinary lower-case words and the language's plural rules."""

    words: frozenset[str]
    language: LanguageData

    def is_ordinary(self, word: str) -> bool:
        return any(form in self.words for form in self.language.singulars(word))


def _lookups_file(pipeline: str) -> Path | None:
    path = Path(pipeline) if Path(pipeline).exists() else spacy.util.get_package_path(pipeline)
    candidates = sorted(path.glob("**/lemmatizer/lookups/lookups.bin"))
    return candidates[0] if candidates else None


@lru_cache(maxsize=4)
def pipeline_vocabulary(pipeline: str, language: str = DEFAULT_LANGUAGE) -> Vocabulary:
    """The ordinary words of the installed spaCy `pipeline` (a name or a path)."""
    file = _lookups_file(pipeline)
    words: set[str] = set()
    if file is not None:
        lookups = Lookups().from_disk(file.parent)
        if lookups.has_table(INDEX_TABLE):
            table = lookups.get_table(INDEX_TABLE)
            for key in table:
                words.update(word.lower() for word in table[key])
    return Vocabulary(frozenset(words), load_language(language))
