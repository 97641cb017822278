"""The Russian annotation path: spaCy's Russian tokenizer, pymorphy3 lemmas, the lexicon
matched on normal forms, slovnet's news NER, and the shared theme matcher, resolver and
tables.

Why this stack (checked on Python 3.11, PyPI only, nothing downloaded at run time):
- spaCy publishes no Russian pipeline on PyPI (`ru-core-news-sm` there is an empty 999.9.9
  placeholder, and spaCy's own download host is unreachable), so spaCy gives the Russian
  tokenizer (`spacy.blank("ru")`) and the component machinery only;
- natasha 1.6.0 depends on pymorphy2, which fails on Python 3.11; its wheel carries slovnet's
  news NER model and navec's embeddings, which slovnet (numpy only) runs directly;
- pymorphy3 (the maintained fork of pymorphy2) with pymorphy3-dicts-ru gives lemmas, the
  normal forms names are matched on, and names back in the nominative.

The rest of the package sees what it sees for English: Candidate spans with ruler keys,
theme spans, sentences, and a `Resolver` whose rules compare words through the Russian
normaliser (`analysis.morphology.normalise`).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Iterator

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from analysis import morphology
from analysis.actors import (
    CONTEXT_RULES,
    Candidate,
    DocumentContext,
    Mention,
    Naming,
    ResolutionRule,
    Resolver,
    RuleResult,
    _holders,
    _mention,
)
from analysis.language import LanguageData, load_language
from analysis.lexicon import slugify
from analysis.lexicon_ruler import LEXICON_RULER, LexiconRuler
from analysis.names import load_names, localise
from analysis.sentences import SENTENCE_REPAIR
from analysis.slovnet_ner import SLOVNET_NER
from analysis.spans import Candidate as SpanCandidate
from analysis.spans import (
    SpanContext,
    SpanRule,
    extend_persons_left,
    join_initials,
    trim_function_words,
)
from analysis.themes import THEME_MATCHER_NAME, THEME_RULES, Theme, ThemeRule, add_theme_matcher, read_theme_file

CODE = "ru"
MORPH_LEMMAS = "morph_lemmas"
_WORD = re.compile(r"[\w-]+")


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


# ----------------------------------------------------------------------------- span rules


def merge_genitive_owner(candidates: list[SpanCandidate], context: SpanContext) -> list[SpanCandidate]:
    """'МИД' + 'Киргизии', 'Министерство иностранных дел' + 'Кыргызской Республики': Russian
    puts the owner after the body in the genitive, with no 'of'; an organisation right
    followed by a country or organisation is one organisation's name."""
    out: list[SpanCandidate] = []
    for candidate in sorted(candidates, key=lambda c: (c.start, -c.end)):
        previous = out[-1] if out else None
        if (previous is not None and previous.label == "ORG" and previous.key is None
                and candidate.label in ("ORG", "GPE") and context.text[previous.end:candidate.start] == " "):
            owner = context.lexicon.actors.get(candidate.key) if candidate.key else context.lexicon.lookup(
                candidate.text)
            if owner is not None and owner.category in ("country", "organization"):
                merged = context.text[previous.start:candidate.end]
                out[-1] = SpanCandidate(previous.start, candidate.end, merged, "ORG")
                continue
        out.append(candidate)
    return out


RUSSIAN_SPAN_RULES: tuple[SpanRule, ...] = (
    SpanRule("join_initials", join_initials, "an initial before a surname is part of the name"),
    SpanRule("merge_genitive_owner", merge_genitive_owner, "'<body> <country in the genitive>'"),
    SpanRule("extend_persons_left", extend_persons_left, "a given name the NER left out"),
    SpanRule("trim_function_words", trim_function_words, "no name ends in a function word"),
)


# ----------------------------------------------------------------------------- resolution


def genitive_owner(piece: Candidate, context: DocumentContext, resolver: Resolver) -> RuleResult:
    """'Совет глав государств ШОС', 'Миссия наблюдателей СНГ': a body followed by an
    organisation in the genitive is that organisation's body, as '... of the SCO' is in
    English (where `contained_actor` reads the 'of')."""
    if piece.label != "ORG":
        return None
    words = context.lexicon.normalise(piece.text).split()
    for begin in range(1, len(words)):  # the longest owner that ends the span
        actor = context.lexicon.lookup(" ".join(words[begin:]))
        if actor is not None and actor.category == "organization":
            return _mention(piece, actor)
    return None


def _with_rule(rules: tuple[ResolutionRule, ...], rule: ResolutionRule, before: str) -> tuple[ResolutionRule, ...]:
    position = [existing.name for existing in rules].index(before)
    return (*rules[:position], rule, *rules[position:])


RUSSIAN_CONTEXT_RULES = _with_rule(
    CONTEXT_RULES, ResolutionRule("genitive_owner", genitive_owner, "'<body> <organisation in the genitive>'"),
    before="contained_actor",
)


def _words(text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group()) for m in _WORD.finditer(text)]


def russian_role_mentions(resolved: list[Mention], context: DocumentContext) -> list[Mention]:
    """'президент Киргизии', 'киргизский лидер', 'главы государства': a role (its lemmas, from
    lang/ru/words.yaml `roles`) that stands for a person is that person when the document makes
    the holder clear, as `analysis.actors.role_mentions` decides in English. A one-word role
    ("президент") needs a country beside it; a role right before a name is a title."""
    language, text = context.language, context.text
    if not language.roles:
        return []
    phrases = sorted(((tuple(phrase.split()), office) for phrase, office in language.roles.items()),
                     key=lambda item: -len(item[0]))
    words = _words(text)
    lemmas = [morphology.lemma(word) for *_, word in words]
    starts = {m.start: m for m in resolved}
    ends = {m.end: m for m in resolved}
    spans = [(m.start, m.end) for m in resolved]
    named = list({m.key: context.lexicon.actors[m.key] for m in resolved
                  if m.category == "person" and m.key in context.lexicon.actors}.values())
    out: list[Mention] = []
    index = 0
    while index < len(words):
        found = next(((phrase, office) for phrase, office in phrases
                      if tuple(lemmas[index:index + len(phrase)]) == phrase), None)
        if found is None:
            index += 1
            continue
        phrase, office = found
        start, end = words[index][0], words[index + len(phrase) - 1][1]
        index += len(phrase)
        if any(s < end and start < e for s, e in spans):
            continue
        country, begin, following = None, start, end
        after = starts.get(end + 1) if text[end:end + 1] == " " else None
        if after is not None and after.category == "country":
            country, following = context.lexicon.actors.get(after.key), after.end
        before = ends.get(start - 1) if text[start - 1:start] == " " else None
        if country is None and before is not None and before.category == "country":
            country, begin = context.lexicon.actors.get(before.key), before.start
        if country is None and len(phrase) == 1:
            continue  # "президент" alone: whose?
        rest = text[following:following + 3].lstrip(" ,")
        if rest[:1].isupper() or any(m.category == "person" and 0 <= m.start - following <= 2 for m in resolved):
            continue  # a title before a name
        holders = _holders(named, office, country, context.date)
        if not holders and country is not None and context.date is not None:
            holders = _holders(list(context.lexicon.actors.values()), office, country, context.date)
        if len(holders) == 1:
            piece = Candidate(begin, end, text[begin:end], "PERSON")
            out.append(dataclasses.replace(_mention(piece, holders[0]), via="role"))
    return out


def _stems(words) -> str:
    return "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))


def russian_cooperation_lists(matches: list, text: str, themes, language) -> list:
    """'сотрудничество в политической, экономической и культурной сферах', 'по торгово-
    экономическому, научно-техническому и гуманитарному сотрудничеству': areas listed in
    passing around a word of cooperation are not themes (as `in_cooperation_list` in English)."""
    cooperation = rf"(?:{_stems(language.cooperation_words)})\w*"
    item, adjective = r"[\w-]+(?: (?:и )?[\w-]+){0,2}", r"[\w-]+"
    area = r"(?:(?:област|сфер|направлени)\w*\s+)?"
    after = re.compile(rf"{cooperation}\s+(?:в|во|по)\s+{area}(?P<list>{item}(?:,\s+{item})+,?\s+(?:и|а также)\s+"
                       rf"{item})", re.IGNORECASE)
    before = re.compile(rf"(?P<list>{adjective}(?:,\s+{adjective})+,?\s+(?:и|а также)\s+{adjective})\s+{cooperation}",
                        re.IGNORECASE)
    starts = (word.start() for word in re.finditer(rf"\b{cooperation}", text, re.IGNORECASE))
    spans = [m.span("list") for m in (after.match(text, start) for start in starts) if m]  # lists may overlap
    spans += [m.span("list") for m in before.finditer(text)]
    return [m for m in matches if not any(start <= m[0] and m[1] <= end for start, end in spans)]


RUSSIAN_THEME_RULES = (
    ThemeRule("in_cooperation_list", russian_cooperation_lists, "areas of cooperation listed in passing"),
    *(rule for rule in THEME_RULES if rule.name != "in_cooperation_list"),
)


def russian_association_contexts(text: str, actors, themes, language) -> list:
    """'сотрудничество в рамках ШОС', 'саммит ОДКБ', 'государства-члены ЕАЭС': the words right
    before an association's name make a mention of its theme; the name stays the actor's."""
    owner = {key: theme.key for theme in themes for key in theme.associations}
    if not owner:
        return []
    cooperation = rf"(?:{_stems(language.cooperation_words)})\w*"
    membership = rf"(?:{_stems(language.membership_words)})[\w-]*"
    pattern = re.compile(rf"(?P<word>{cooperation})\s+(?:в\s+рамках|внутри|в\s+формате)\s+$|"
                         rf"(?P<member>{membership})(?:\s+(?:в|во))?\s+$", re.IGNORECASE)
    found = []
    for start, _, key in actors:
        if key not in owner:
            continue
        match = pattern.search(text, max(0, start - 60), start)
        if match:
            group = "word" if match.group("word") else "member"
            found.append((match.start(group), match.end(group), match.group(group), owner[key]))
    return sorted(set(found))


# ----------------------------------------------------------------------------- naming


def _display(text: str, category: str) -> str:
    """A name the lexicon does not know, in the nominative ("Садыра Жапарова" -> "Садыр
    Жапаров", "Министерства образования" -> "Министерство образования")."""
    if category == "person":
        return " ".join(morphology.nominative_name(text.split()))
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
    """The same theme keys with their Russian triggers (lang/ru/themes.yaml); a theme without
    Russian triggers is not matched in Russian text."""
    from analysis.language import LANG_DIR

    local = {theme.key: theme for theme in read_theme_file(path or LANG_DIR / CODE / "themes.yaml")}
    return tuple(
        dataclasses.replace(theme, triggers=local[theme.key].triggers, exclude=local[theme.key].exclude,
                            weak=local[theme.key].weak)
        for theme in themes if theme.key in local
    )


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
    add_theme_matcher(nlp, themes)
    ruler: LexiconRuler = nlp.add_pipe(LEXICON_RULER, before=THEME_MATCHER_NAME)
    ruler.set_lexicon(lexicon, morphology.key_form, _word_forms, morphology.inflections, morphology.is_ordinary,
                      generic)
    nlp.add_pipe(SLOVNET_NER, before=THEME_MATCHER_NAME)
    return nlp


def _word_forms(word: str) -> frozenset[str]:
    return morphology.normal_forms(word) | {morphology.key_form(word)}


def russian_annotator(annotator):
    """The Russian `LanguageAnnotator` for an `analysis.nlp.Annotator` (its lexicon, themes,
    institutions), built once per annotator."""
    from analysis.nlp import LanguageAnnotator

    names = load_names(CODE)
    lexicon, institutions = localise(annotator.lexicon, names, morphology.normalise, annotator.institutions)
    language = russian_language()
    themes = russian_themes(annotator.themes)
    resolver = Resolver(lexicon, institutions, MorphVocabulary(language), language,
                        span_rules=RUSSIAN_SPAN_RULES, context_rules=RUSSIAN_CONTEXT_RULES, naming=RUSSIAN_NAMING,
                        home_by_affiliation=True, role_rule=russian_role_mentions)
    generic = tuple(name for forms in names.institutions.values() for name in forms)
    return LanguageAnnotator(CODE, russian_pipeline(lexicon, themes, generic), resolver, themes, language,
                             theme_rules=RUSSIAN_THEME_RULES, association_contexts=russian_association_contexts)
