"""Sentence repair: a spaCy component that undoes sentence breaks the statistical sentence
recogniser puts where no sentence can end.

Sentence-level co-occurrence counts depend on boundaries. Inside one annotated text (a
paragraph), a sentence can only begin after a sentence-final mark ('.', '!', '?', a closing
quote, ...; the language's `sentence_final` list) or after a line break. A break after a
bracket or a name ("... Organization (SCO) | Observer Mission, Trend reports") is removed.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from analysis.lang.words import load_language
from analysis.schema import DEFAULT_LANGUAGE

SENTENCE_REPAIR = "sentence_repair"


def repair_sentences(doc: Doc, final: frozenset[str]) -> Doc:
    """Clear every sentence start not preceded by a sentence-final mark or a line break."""
    for token in doc[1:]:
        if not token.is_sent_start:
            continue
        previous = doc[token.i - 1]
        ends = previous.text in final or previous.text[-1:] in final or "\n" in previous.whitespace_
        if not ends and not previous.is_space and token.text[:1] not in "\n":
            token.is_sent_start = False
    return doc


@Language.factory(SENTENCE_REPAIR, default_config={"language": DEFAULT_LANGUAGE})
def make_sentence_repair(nlp: Language, name: str, language: str):
    """Factory for ``nlp.add_pipe("sentence_repair", after="senter")``."""
    final = load_language(language).sentence_final

    def component(doc: Doc) -> Doc:
        return repair_sentences(doc, final)

    return component
