"""The Russian annotation path: spaCy's Russian tokenizer, pymorphy3 lemmas, the lexicon
matched on normal forms, slovnet's news NER, and the shared theme matcher, resolver and
tables.

Why this stack (checked on Python 3.11, PyPI only, nothing downloaded at run time):
- spaCy publishes no Russian pipeline on PyPI (`ru-core-news-sm` there has a single release,
  999.9.9, with no description: a name placeholder, not spaCy's model; spaCy's download host is
  unreachable), so spaCy gives the Russian
  tokenizer (`spacy.blank("ru")`) and the component machinery only;
- natasha 1.6.0 installs, but its morphology builds a pymorphy2 analyser, which fails on Python
  3.11 (`inspect.getargspec` is gone); its wheel carries slovnet's news NER model and navec's
  embeddings, which slovnet (numpy only) runs directly;
- pymorphy3 (the maintained fork of pymorphy2) with pymorphy3-dicts-ru gives lemmas, the
  normal forms names are matched on, and names back in the nominative.

The rest of the package sees what it sees for English: Candidate spans with ruler keys,
theme spans, sentences, and a `Resolver` whose rules compare words through the Russian
normaliser (`analysis.lang.ru.morphology.normalise`).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Iterator

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from analysis.annotate.actors import Naming, Resolver
from analysis.annotate.lexicon import slugify
from analysis.annotate.lexicon_ruler import LEXICON_RULER, LexiconRuler
from analysis.annotate.names import load_names, localise
from analysis.annotate.sentences import SENTENCE_REPAIR
from analysis.annotate.themes import THEME_MATCHER_NAME, Theme, add_theme_matcher, read_theme_file
from analysis.lang.registry import get_language
from analysis.lang.ru import morphology
from analysis.lang.ru.rules import RUSSIAN_CONTEXT_RULES, RUSSIAN_SPAN_RULES
from analysis.lang.ru.slovnet_ner import SLOVNET_NER
from analysis.lang.words import LanguageData, load_language

CODE = "ru"
MORPH_LEMMAS = "morph_lemmas"


# ----------------------------------------------------------------------------- components


class MorphLemmas:
    """spaCy component: each token's most likely lemma from pymorphy3 (cached per word)."""

    def __init__(self, nlp: Language, name: str = MORPH_LEMMAS):
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        for token in doc:
            token.lemma_ = morphology.lemma(token.text)
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterator[Doc]:
        for doc in docs:
            yield self(doc)


@Language.factory(MORPH_LEMMAS)
def make_morph_lemmas(nlp: Language, name: str) -> MorphLemmas:
    return MorphLemmas(nlp, name)


# ----------------------------------------------------------------------------- naming


def _display(text: str, category: str, before: str = "", after: str = "") -> str:
    """A name the lexicon does not know, in the nominative ("Садыра Жапарова" -> "Садыр
    Жапаров", "Министерства образования" -> "Министерство образования"); the text around it
    may show a person's case and gender ("авторитета Азиза Батукаева": a man's genitive;
    "Дамира Уркуналиева сказала": a woman)."""
    if category == "person":
        return " ".join(morphology.nominative_name(text.split(), before, after))
    return morphology.nominative_phrase(text)


def _key(name: str) -> str:
    """A stable key from a Cyrillic name, keeping й ("Айгуль" -> "айгуль"; slugify would drop
    the breve as an accent)."""
    return re.sub(r"[\W_]+", "-", name.lower().replace("ё", "е")).strip("-") or slugify(name)


RUSSIAN_NAMING = Naming(display=_display, key=_key)


@dataclasses.dataclass(frozen=True)
class MorphVocabulary:
    """Ordinary words from pymorphy3's dictionary, for the resolver's ordinary-word rule."""

    language: LanguageData

    def is_ordinary(self, word: str) -> bool:
        return morphology.is_ordinary(word)


# ----------------------------------------------------------------------------- themes


def russian_themes(themes: Iterable[Theme], path=None) -> tuple[Theme, ...]:
    """The same theme keys with their Russian words: the shipped ones (lang/ru/themes.yaml) and
    those a theme file gives under `languages: {ru: ...}` (a user's own theme adds to, or alone
    makes, its Russian triggers). A theme with no Russian triggers is not matched in Russian text."""
    local = {theme.key: theme for theme in read_theme_file(path or get_language(CODE).themes_file)}
    out = []
    for theme in themes:
        shipped, own = local.get(theme.key), theme.local(CODE)
        parts = [part for part in (shipped, own) if part is not None]
        triggers = tuple(dict.fromkeys(word for part in parts for word in part.triggers))
        if not triggers:
            continue
        out.append(dataclasses.replace(
            theme, triggers=triggers,
            exclude=tuple(dict.fromkeys(word for part in parts for word in part.exclude)),
            weak=tuple(dict.fromkeys(word for part in parts for word in part.weak)),
            cues=tuple(dict.fromkeys(cue for part in parts for cue in part.cues)), languages=()))
    return tuple(out)


# ----------------------------------------------------------------------------- the path


def russian_language() -> LanguageData:
    return dataclasses.replace(load_language(CODE), base_forms=lambda word: [morphology.lemma(word)])


def russian_pipeline(lexicon, themes: tuple[Theme, ...], generic: tuple[str, ...] = ()) -> Language:
    """spaCy's Russian tokenizer, sentences, lemmas, the lexicon ruler, slovnet NER, themes."""
    nlp = spacy.blank(CODE)
    nlp.add_pipe("sentencizer")
    nlp.add_pipe(SENTENCE_REPAIR, config={"language": CODE})
    nlp.add_pipe(MORPH_LEMMAS)
    # the theme matcher lemmatises its triggers with the pipes before it: only lemmas needed
    add_theme_matcher(nlp, themes, language=CODE)
    ruler: LexiconRuler = nlp.add_pipe(LEXICON_RULER, before=THEME_MATCHER_NAME)
    ruler.set_lexicon(lexicon, morphology.key_form, _word_forms, morphology.inflections, morphology.is_ordinary,
                      generic)
    nlp.add_pipe(SLOVNET_NER, before=THEME_MATCHER_NAME)
    return nlp


def _word_forms(word: str) -> frozenset[str]:
    return morphology.normal_forms(word) | {morphology.key_form(word)}


def russian_annotator(annotator):
    """The Russian `LanguageAnnotator` for an `analysis.annotate.pipeline.Annotator` (its lexicon, themes,
    institutions), built once per annotator."""
    from analysis.annotate.pipeline import LanguageAnnotator

    names = load_names(CODE)
    lexicon, institutions = localise(annotator.lexicon, names, morphology.normalise, annotator.institutions)
    language = russian_language()
    themes = russian_themes(annotator.themes)
    resolver = Resolver(lexicon, institutions, MorphVocabulary(language), language,
                        span_rules=RUSSIAN_SPAN_RULES, context_rules=RUSSIAN_CONTEXT_RULES, naming=RUSSIAN_NAMING,
                        home_by_affiliation=True)
    generic = tuple(name for forms in names.institutions.values() for name in forms)
    return LanguageAnnotator(CODE, russian_pipeline(lexicon, themes, generic), resolver, themes, language)
