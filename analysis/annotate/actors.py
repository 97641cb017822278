"""Resolve entity spans to canonical actors: a resolver built once, a context per document,
and ordered lists of small named rules.

`Resolver` holds what is the same for every document (lexicon, institution index, language
word lists, the ordinary-word vocabulary). `Resolver.resolve` makes a `DocumentContext` for one
document and runs, in order:

1. the span rules of `analysis.annotate.spans.SPAN_RULES` (repair cut, glued and broken spans);
2. `clean_candidate` (leading determiners and titles go; a person span glued to a neighbour is
   split at words a name never contains, or at a known place that precedes the name);
3. `DIRECT_RULES` on every piece (the lexicon's own answer: ruler match, alias);
4. the document context is completed from those (home country, full person names);
5. `CONTEXT_RULES` on the pieces left, each returning a mention, `DROP`, or None (not mine:
   the next rule decides). The order is the precedence: within-document name linking first,
   then institutions, known non-actors, ordinary words, sub-bodies, and last a stable key
   made from the name.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import NamedTuple

from analysis.annotate.lexicon import (
    APOSTROPHES,
    LEXICON_DIR,
    Actor,
    Lexicon,
    LexiconError,
    normalise_name,
    slugify,
)
from analysis.annotate.spans import SPAN_RULES, Candidate, SpanRule, apply_span_rules
from analysis.annotate.vocabulary import Vocabulary, pipeline_vocabulary
from analysis.lang.words import LanguageData, load_language
from analysis.yamlfile import safe_load_unique

__all__ = ["Candidate", "Mention", "Resolver", "DocumentContext", "RoleMatch", "resolve_document", "clean_candidate",
           "mention_of"]

DEFAULT_INSTITUTIONS_PATH = LEXICON_DIR / "institutions.yaml"
ACTOR_LABELS = ("PERSON", "ORG", "GPE", "LOC", "NORP", "FAC")
LABEL_FOR_CATEGORY = {"person": "PERSON", "organization": "ORG", "country": "GPE", "place": "LOC", "facility": "FAC"}
_TOKEN = re.compile(r"[^\s]+")
# the most words a qualifier of an institution may have and still be only a country's name
# ("Ministry of Foreign Affairs of the Kyrgyz Republic": 3 words); longer is another body
MAX_COUNTRY_QUALIFIER_WORDS = 4
# the longest alias looked up inside a span (in words): the lexicon's longest names
MAX_ALIAS_WORDS = 8


@dataclass(frozen=True)
class Mention:
    """A resolved actor mention."""

    start: int
    end: int
    text: str
    label: str
    key: str
    name: str
    category: str
    affiliation: str | None
    via: str = "text"  # text | role ("the head of state" standing for the person) | unresolved


@dataclass(frozen=True)
class Institution:
    suffix: str
    name: str
    synonyms: tuple[str, ...]


def load_institutions(path: str | Path | None = None) -> tuple[Institution, ...]:
    """Generic national institution types; a malformed file names its entry."""
    path = Path(path) if path else DEFAULT_INSTITUTIONS_PATH
    data = safe_load_unique(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not isinstance(data.get("institutions"), list):
        raise LexiconError(f"{path}: expected a mapping with an 'institutions' list")
    institutions = []
    for number, entry in enumerate(data["institutions"]):
        if not isinstance(entry, dict) or not {"suffix", "name", "synonyms"} <= set(entry):
            raise LexiconError(f"{path}: entry {number} needs suffix, name and synonyms")
        unknown = set(entry) - {"suffix", "name", "synonyms", "roles"}
        if unknown:
            raise LexiconError(f"{path}: entry {number} has unknown field(s) {sorted(unknown)}")
        forms = tuple(entry["synonyms"]) + tuple(entry.get("roles") or ())
        institutions.append(Institution(entry["suffix"], entry["name"], forms))
    return tuple(institutions)


def _tokens(text: str, offset: int) -> list[tuple[int, int, str]]:
    return [(offset + m.start(), offset + m.end(), m.group()) for m in _TOKEN.finditer(text)]


def _piece(tokens: list[tuple[int, int, str]], document_text: str, label: str) -> Candidate | None:
    if not tokens:
        return None
    start, end = tokens[0][0], tokens[-1][1]
    text = document_text[start:end]
    # unbalanced brackets and quotes, trailing punctuation and possessives
    while text and (text[-1] in ",.;:!?'\"»«(" or (text[-1] == ")" and "(" not in text)):
        end -= 1
        text = text[:-1]
    if len(text) > 2 and text[-1] == "s" and text[-2] in APOSTROPHES:
        end -= 2
        text = text[:-2]
    while text and (text[0] in "\"'«»(" or (text[0] == ")")):
        start += 1
        text = text[1:]
    if "(" in text and ")" not in text:
        cut = text.index("(")
        text = text[:cut].rstrip()
        end = start + len(text)
    return Candidate(start, end, text, label) if text else None


def _strip_leading(tokens: list, words: frozenset[str]) -> list:
    while tokens and tokens[0][2].lower().strip(".,") in words:
        tokens = tokens[1:]
    return tokens


def _leading_known(tokens: list, lexicon: Lexicon) -> int:
    """How many leading tokens form a known non-person alias (longest match), 0 if none."""
    for size in range(min(len(tokens) - 1, 6), 0, -1):
        actor = lexicon.lookup(" ".join(token[2] for token in tokens[:size]))
        if actor and actor.category != "person":
            return size
    return 0


def _strip_leading_title(tokens: list, language: LanguageData, institutions: dict) -> list:
    """'Chairman of the State Committee for Ecology' -> 'State Committee for Ecology': a title
    and 'of the' before an organisation's name go, unless the whole is an institution's role
    ('Minister of Foreign Affairs' speaks for the ministry)."""
    words = [normalise_name(token[2]) for token in tokens]
    for size in range(len(words), 1, -1):
        if " ".join(words[:size]) in institutions:
            return tokens
    begin = 0
    while begin < len(tokens) and words[begin] in language.titles - language.body_words:
        begin += 1
    if begin == 0 or begin == len(tokens) or words[begin] not in language.of_words:
        return tokens  # "State Tax Service": a title word used as a modifier stays
    while begin < len(tokens) and words[begin] in language.of_words | language.determiners:
        begin += 1
    rest = tokens[begin:]
    return rest if rest and rest[0][2][:1].isupper() else tokens


def clean_candidate(
    candidate: Candidate,
    document_text: str,
    lexicon: Lexicon,
    language: LanguageData | None = None,
    institutions: dict | None = None,
) -> list[Candidate]:
    """Split and trim one span into the pieces that may name actors."""
    language = language or load_language()
    tokens = _tokens(candidate.text, candidate.start)
    tokens = _strip_leading(tokens, language.determiners)
    if candidate.label != "PERSON":
        if candidate.label == "ORG":
            tokens = _strip_leading_title(tokens, language, institutions or {})
        piece = _piece(tokens, document_text, candidate.label)
        if piece and candidate.key and piece.text == candidate.text:
            piece = replace(piece, key=candidate.key)
        return [piece] if piece else []
    # a person's name never contains lower-case words other than particles
    groups: list[list] = [[]]
    for token in tokens:
        word = token[2]
        if word[:1].islower() and word not in language.name_particles and word.lower() not in language.titles:
            groups.append([])
        else:
            groups[-1].append(token)
    pieces: list[Candidate] = []
    for group in groups:
        group = _strip_leading(group, language.titles | language.of_words | language.determiners)
        known = _leading_known(group, lexicon)
        if known:  # "Bishkek Alexey Rogov", "Russia Vladimir Putin"
            head = _piece(group[:known], document_text, "GPE")
            pieces.extend([head] if head else [])
            group = _strip_leading(group[known:], language.titles)
        piece = _piece(group, document_text, "PERSON")
        if piece and piece.text.lower() not in language.titles and any(c.isupper() for c in piece.text):
            if candidate.key and piece.text == candidate.text:
                piece = replace(piece, key=candidate.key)
            pieces.append(piece)
    return pieces


def mention_of(candidate: Candidate, actor: Actor) -> Mention:
    return Mention(
        candidate.start,
        candidate.end,
        candidate.text,
        candidate.label,
        actor.key,
        actor.name,
        actor.category,
        actor.affiliation,
    )


def _as_written(text: str, category: str, before: str = "", after: str = "") -> str:
    return text


# how much text around a name its naming sees: enough for the words that show its case
NAMING_CONTEXT_CHARS = 60


@dataclass(frozen=True)
class Naming:
    """How an actor the lexicon does not know is named: a display name made from the surface
    form (English: as written; Russian: back in the nominative, so every case of a name gives
    one key) and a stable key made from that name. `display` gets (surface, category, the
    text right before it, the text right after it): in Russian the words around a name may
    show its case and gender."""

    display: Callable[[str, str, str, str], str] = _as_written
    key: Callable[[str], str] = slugify


AS_WRITTEN = Naming()


def _generated(candidate: Candidate, category: str, name: str | None = None, naming: Naming = AS_WRITTEN,
               text: str = "") -> Mention:
    """A mention of an actor the lexicon does not know; `text` is the document's (for the
    words around the name)."""
    before = text[max(0, candidate.start - NAMING_CONTEXT_CHARS):candidate.start]
    after = text[candidate.end:candidate.end + NAMING_CONTEXT_CHARS]
    name = name or naming.display(candidate.text, category, before, after)
    return Mention(
        candidate.start, candidate.end, candidate.text, candidate.label, naming.key(name), name, category, None
    )


def _surname(text: str, normalise: Callable[[str], str] = normalise_name) -> str:
    """The last word of a name, initials and dots aside ('Zh.Kulubaev' -> 'kulubaev')."""
    return normalise(text.replace(".", ". ")).split()[-1]


def _has_initial(text: str) -> bool:
    """'S. Japarov', 'Zh.Kulubaev', 'С. Жапаров': a name with initials is not a full name to
    link others to."""
    return bool(re.search(r"(?:^|\s)[A-ZА-ЯЁ][a-zа-яё]?\.", text))


# ----------------------------------------------------------------------------- context


@dataclass
class DocumentContext:
    """What one document has named so far: read by the rules, filled in by the resolver."""

    text: str
    date: dt.date | None
    lexicon: Lexicon
    language: LanguageData
    vocabulary: Vocabulary | None
    home: Actor | None = None  # the most mentioned country
    lead: Actor | None = None  # the country of the first actor with one: usually the publisher's side
    people: dict[str, Mention] = field(default_factory=dict)
    # every mention resolved so far, in text order: what qualifies a generic body
    resolved: list[Mention] = field(default_factory=list)

    def is_ordinary(self, word: str) -> bool:
        return self.vocabulary is not None and self.vocabulary.is_ordinary(word)


DROP = object()  # a rule's answer: this piece names no actor
RuleResult = Mention | object | None


@dataclass(frozen=True)
class ResolutionRule:
    """One named step: (piece, context, resolver) -> a mention, DROP, or None (not mine)."""

    name: str
    apply: Callable[[Candidate, DocumentContext, Resolver], RuleResult]
    why: str


# ----------------------------------------------------------------------------- rules


# credit positions (no words of any language): "BISHKEK (UrduPoint News / Sputnik - 12th
# October)" (inside the parenthesis of a capitalised dateline at a paragraph's start), "... —
# Kabar" or "... said. (AKIpress)" closing a paragraph (a parenthesis right after a name,
# "the Shanghai Cooperation Organisation (SCO).", is the name's abbreviation), and a name
# that is a line of its own at the end of the text (a byline)
_DATELINE_BEFORE = re.compile(r"(?:^|\n)[^\S\n]*[^\W\d_][^\W\d_a-zа-яё]+(?:[ ,.-]+[^\W\d_a-zа-яё]+)*[^\S\n]*"
                              r"\([^()\n]*$")
_CLOSING_BEFORE = re.compile(r"(?:[-–—/]|[.!?…»\"”][^\S\n]*\()[^\S\n]*$")
_CLOSING_AFTER = re.compile(r"^[^\S\n]*\)?[^\S\n]*[.]?[^\S\n]*(?:\n|$)")
_LINE_PUNCTUATION = " \t\"'«»“”()[].,:;-–—/|"


def credit_position(text: str, start: int, end: int) -> bool:
    """Whether the name at text[start:end] stands where a report credits its source (see the
    patterns above); a credit names who reports, not who acts."""
    if _DATELINE_BEFORE.search(text, max(0, start - 120), start):
        return True
    if _CLOSING_BEFORE.search(text, max(0, start - 4), start) and _CLOSING_AFTER.match(text[end:end + 6]):
        return True
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    own_line = not (text[line_start:start] + text[end:line_end]).strip(_LINE_PUNCTUATION)
    first_or_last = not text[:line_start].strip() or not text[line_end:].strip()
    return own_line and first_or_last and line_start > 0  # the first line is the headline


def source_credit(piece: Candidate, context: DocumentContext, resolver: Resolver) -> RuleResult:
    """A byline, an agency credit, or an outlet named as the one that reports ('UrduPoint News /
    Sputnik', '— Kabar', 'передает КирТАГ') is the report's source, not an actor in it."""
    if piece.label not in ("ORG", "PERSON", "GPE", "NORP", "FAC", "LOC"):
        return None
    credited = context.language.finders.source_credit
    if credited is not None and credited(context.text, piece.start, piece.end):
        return DROP
    if piece.label in ("ORG", "PERSON") and credit_position(context.text, piece.start, piece.end):
        return DROP
    return None


def ruler_match(piece: Candidate, context: DocumentContext, resolver: Resolver) -> RuleResult:
    """A span the lexicon's entity ruler matched is that actor."""
    actor = context.lexicon.actors.get(piece.key) if piece.key else None
    return mention_of(piece, actor) if actor else None


def lexicon_alias(piece: Candidate, context: DocumentContext, resolver: Resolver) -> RuleResult:
    """A span equal to an alias of the lexicon is that actor."""
    actor = context.lexicon.lookup(piece.text)
    return mention_of(piece, actor) if actor else None


def linked_person(piece: Candidate, context: DocumentContext, resolver: Resolver) -> RuleResult:
    """A surname or a given name alone is the one full name of this document that it ends or
    starts ('Kazakbaev' -> Ruslan Kazakbaev, 'Natalia' -> Natalia Gherman)."""
    normalised = context.lexicon.normalise(piece.text)
    people = context.people
    linked = people.get(normalised)
    if linked is None:
        words = normalised.replace(".", " ").split()
        if not words:
            return None
        matches = {
            m.key: m for full, m in people.items()
            if len(full.split()) > len(words) and full.split()[-len(words):] == words
        }
        if len(matches) != 1 and len(words) == 1:
            matches = {m.key: m for full, m in people.items() if full.split()[0] == words[0]}
        if len(matches) != 1 and piece.label == "PERSON" and len(words) > 1:  # "S. Japarov"
            surname = _surname(piece.text, context.lexicon.normalise)
            matches = {m.key: m for full, m in people.items() if full.split()[-1] == surname}
        linked = next(iter(matches.values())) if len(matches) == 1 else None
    if linked is None:
        return None
    return replace(linked, start=piece.start, end=piece.end, text=piece.text, label=piece.label)


_SENTENCE_END = re.compile(r"[.!?…][\"'»”)]*\s+|\n")


def _sentence_span(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence around text[start:end], cut at a full stop, ! or ? before a space, or at a
    line break (the resolver sees no parse; an abbreviation may cut a sentence short, which
    only makes the rule look further back)."""
    begin = 0
    for match in _SENTENCE_END.finditer(text, 0, start):
        begin = match.end()
    after = _SENTENCE_END.search(text, end)
    return begin, after.start() if after else len(text)


def _country_of(mention: Mention, lexicon: Lexicon, named_only: bool = True) -> Actor | None:
    """The country a mention names (`named_only`), or also the one the body, person or place it
    names belongs to ("Председатель ЦИК Нуржан Шайлдабекова ... В ЦИК заявили")."""
    key = mention.key if mention.category == "country" else None if named_only else mention.affiliation
    actor = lexicon.actors.get(key) if key else None
    return actor if actor is not None and actor.category == "country" else None


def _adjacent_country(piece: Candidate, context: DocumentContext) -> Actor | None:
    """A country named right beside the body, only a possessive or 'of (the)' between
    ("Kyrgyzstan's Cabinet of Ministers", "парламента Киргизии", "Tajik MFA"): its own."""
    language, text = context.language, context.text
    joining = language.of_words | language.determiners | {"'s", "’s"}
    for mention in context.resolved:
        if mention.end <= piece.start:
            gap = text[mention.end:piece.start]
        elif mention.start >= piece.end:
            gap = text[piece.end:mention.start]
        else:
            continue
        if len(gap) <= 12 and "\n" not in gap and all(word.lower() in joining for word in gap.split()) and \
                (country := _country_of(mention, context.lexicon)) is not None:
            return country
    return None


# the most characters of title words between a body and the named person whose title it is in
# ("Deputy Chairman of the Cabinet of Ministers Kamchybek Tashiev", "CEC Chairperson ...")
MAX_TITLE_GAP = 40
# how far either side of a body a noun standing for its country is looked for ("the republic's",
# "of the country", "страны")
COUNTRY_NOUN_WINDOW = 40


class CountryStep(NamedTuple):
    """One named way a bare generic body gets its country: (piece, institution suffix,
    context) -> the country, or None (not known this way: the next step asks)."""

    name: str
    apply: Callable[[Candidate, str, DocumentContext], Actor | None]
    why: str


def _beside(piece: Candidate, suffix: str, context: DocumentContext) -> Actor | None:
    """A country right beside the body, a possessive or 'of (the)' between (`_adjacent_country`)."""
    return _adjacent_country(piece, context)


def _country_noun(piece: Candidate, suffix: str, context: DocumentContext) -> Actor | None:
    """A noun for a country beside the body, in lower case ("the republic's Health Ministry",
    "the Parliament of the country", "в парламенте страны"), stands for the country the text
    named last: that country's body. Capitalised ("Republic of Kazakhstan") it is a name's."""
    language, text, normalise = context.language, context.text, context.lexicon.normalise
    before = text[max(0, piece.start - COUNTRY_NOUN_WINDOW):piece.start].split()
    owner = (before[-1] if before and len(before[-1]) > 2 and before[-1][-1] == "s"
             and before[-1][-2] in APOSTROPHES else "")  # "the republic's"
    after = text[piece.end:piece.end + COUNTRY_NOUN_WINDOW].split()
    while after and normalise(after[0]) in language.of_words | language.determiners:
        after = after[1:]
    candidates = [owner[:-2], *(after[:1] if len(after) < 2 or not after[1][:1].isupper() else [])]
    if not any(word.strip(",.;:") and word.islower() and normalise(word.strip(",.;:")) in language.country_nouns
               for word in candidates):
        return None
    for mention in sorted(context.resolved, key=lambda m: m.start, reverse=True):
        if mention.start < piece.start and (country := _country_of(mention, context.lexicon)) is not None:
            return country
    return None


def _same_institution(piece: Candidate, suffix: str, context: DocumentContext) -> Actor | None:
    """The country of the nearest earlier mention of the same institution the text gave a
    country ("Kyrgyzstan's Ministry of Justice ... the Ministry of Justice", "Jogorku Kenesh
    ... the parliament"): the text's own coreference."""
    for mention in sorted(context.resolved, key=lambda m: m.start, reverse=True):
        if mention.start < piece.start and mention.key.endswith(f"-{suffix}") and mention.via == "text" \
                and mention.affiliation:
            country = context.lexicon.actors.get(mention.affiliation)
            if country is not None and country.category == "country":
                return country
    return None


def _title_of_person(piece: Candidate, suffix: str, context: DocumentContext) -> Actor | None:
    """The body inside the title of the person named right after it ("Deputy Chairman of the
    Cabinet of Ministers Kamchybek Tashiev", "главы кабмина Акылбека Жапарова"): that
    person's country, when the lexicon knows it."""
    text, language = context.text, context.language
    for mention in context.resolved:
        gap = text[piece.end:mention.start]
        if mention.category != "person" or mention.start < piece.end or len(gap) > MAX_TITLE_GAP or "\n" in gap:
            continue
        words = context.lexicon.normalise(gap).split()
        # only title words between ("Chairperson", "'s first deputy chairman"), no sentence end
        if all(word in language.titles or word in ("'s", "s") for word in words) and not re.search(r"[.!?;:]", gap):
            return _country_of(mention, context.lexicon, named_only=False)
    return None


def _sentence_subject(piece: Candidate, suffix: str, context: DocumentContext) -> Actor | None:
    """The one country of a sentence the body opens (its subject: only determiners and
    punctuation before it); None when the sentence names none or several."""
    begin, end = _sentence_span(context.text, piece.start, piece.end)
    opening = context.text[begin:piece.start].strip(_LINE_PUNCTUATION).split()
    if any(word.lower() not in context.language.determiners for word in opening):
        return None
    own = {country.key: country for mention in context.resolved if begin <= mention.start < end
           and mention.start != piece.start and (country := _country_of(mention, context.lexicon)) is not None}
    return next(iter(own.values())) if len(own) == 1 else None


def _one_country_before(piece: Candidate, suffix: str, context: DocumentContext) -> Actor | None:
    """The one country everything before the body points to (the countries named, and those
    the people, places and bodies named belong to): a text that has spoken only of Kyrgyzstan
    means Kyrgyzstan's parliament; one that has also named Russia's law does not say whose
    "Ministry of Justice" it is."""
    countries = {country.key: country for mention in context.resolved if mention.start < piece.start
                 and (country := _country_of(mention, context.lexicon, named_only=False)) is not None}
    return next(iter(countries.values())) if len(countries) == 1 else None


# The order is the precedence: what the body's own phrase says, then the text's coreference,
# then its sentence, then the text before it taken whole. A dateline's place is no step: it is
# where the agency files from ("ISTANBUL (AA) – Kazakhstan's ...", "VIENNA ... OSCE"), which on
# the development corpus named the wrong country every time it alone decided (bench/RESULTS.md).
COUNTRY_STEPS: tuple[CountryStep, ...] = (
    CountryStep("beside", _beside, "a country right beside the body: 'Kyrgyzstan's Cabinet', 'парламента Киргизии'"),
    CountryStep("country_noun", _country_noun, "'the republic's Health Ministry': the country named last"),
    CountryStep("same_institution", _same_institution, "an earlier mention of the same institution with a country"),
    CountryStep("title_of_person", _title_of_person, "the body in the title of the person named after it"),
    CountryStep("sentence_subject", _sentence_subject, "the one country of a sentence the body opens"),
    CountryStep("one_country_before", _one_country_before, "the one country the text before the body points to"),
)


def context_country(piece: Candidate, suffix: str, context: DocumentContext,
                    steps: tuple[CountryStep, ...] = COUNTRY_STEPS) -> Actor | None:
    """The country a bare generic body ('the Government', 'МИД') belongs to, from what in the
    text qualifies it (`COUNTRY_STEPS`, in order), never from the document's most mentioned
    country (a story about a protest in Kyrgyzstan may mention China most) nor from the nearest
    country named (a Kyrgyz story quoting "Russia's law" before "the Ministry of Justice").
    None: the caller lists it unresolved rather than guess (a headline's bare "ЦИК")."""
    for step in steps:
        country = step.apply(piece, suffix, context)
        if country is not None:
            return country
    return None


def institution(piece: Candidate, context: DocumentContext, resolver: Resolver) -> RuleResult:
    """A national institution named generically is that country's body: the country its own
    name gives ('Ministry of Foreign Affairs of Russia', 'Russian Foreign Ministry'), else the
    country of its context (`context_country`). With neither it stays unresolved: a mention
    listed under a key of its own (`unresolved-<suffix>`, via "unresolved") that no count
    includes, rather than a guess."""
    if piece.label != "ORG":
        return None
    found = resolver.institution_of(piece)
    if found is None:
        return None
    kind, country = found
    country = country or context_country(piece, kind.suffix, context)
    if country is None and resolver.organisation_in(context.lexicon.normalise(piece.text).split()):
        return None  # the lexicon knows the name itself (a lexicon without generic forms): not mine
    if country is None:
        return Mention(piece.start, piece.end, piece.text, piece.label, f"unresolved-{kind.suffix}", kind.name,
                       "organization", None, via="unresolved")
    return mention_of(piece, resolver.institution_actor(kind, country))


def press_credit(piece: Candidate, context: DocumentContext, resolver: Resolver) -> RuleResult:
    """'The Information Department of the Presidential Office reports.': a press-service
    credit (found by the language's `Finders.press_credit`) names the publishing side, the
    country the report leads with, not the foreign counterpart the story may mention more often."""
    credited = context.language.finders.press_credit
    if piece.label != "ORG" or context.lead is None or credited is None or not credited(context.text, piece.end):
        return None
    return resolver.institution_mention(piece, context.lead)


def known_non_actor(piece: Candidate, context: DocumentContext, resolver: Resolver) -> RuleResult:
    """Latin phrases, wire codes, outlets, diseases, generic words name no actor."""
    return DROP if context.lexicon.is_non_actor(piece.text) else None


def generic_phrase(piece: Candidate, context: DocumentContext, resolver: Resolver) -> RuleResult:
    """Only titles and generic nouns ('Heads of Government', 'Member States')."""
    if piece.label != "ORG":
        return None
    language = context.language
    words = [w for w in context.lexicon.normalise(piece.text).split() if w not in language.connectors]
    generic = language.titles | language.generic_words | language.body_words
    return DROP if words and all(w in generic for w in words) else None


def person_by_surname(piece: Candidate, context: DocumentContext, resolver: Resolver) -> RuleResult:
    """A surname alone is the one lexicon person of that surname (holding an office at the
    document's date, when several share it)."""
    if piece.label != "PERSON":
        return None
    people = context.lexicon.persons_with_surname(_surname(piece.text, context.lexicon.normalise))
    initials = [w[0] for w in piece.text.replace(".", ". ").split()[:-1] if w[:1].isupper()]
    if len(people) > 1 and initials:  # "S. Japarov": the one whose given name starts with S
        people = tuple(p for p in people if p.name[:1].upper() == initials[0]) or people
    if len(people) > 1 and context.date:
        people = tuple(p for p in people if any(o.held_on(context.date) for o in p.offices))
    return mention_of(piece, people[0]) if len(people) == 1 else None


def ordinary_word(piece: Candidate, context: DocumentContext, resolver: Resolver) -> RuleResult:
    """A one-word span that is an ordinary word of the language ('Citizens', 'Defense',
    'Verbal' at a sentence start) and not in the lexicon names no actor; so does an initial."""
    words = piece.text.split()
    if len(words) != 1:
        return None
    word = words[0].strip(".")
    if len(word) <= 2 and word[:1].isupper() and not word.isupper():
        return DROP  # "Zh", "Mr" alone
    return DROP if context.is_ordinary(word) else None


def _countries_joined(words: list[str], context: DocumentContext, resolver: Resolver) -> set[str]:
    """The countries named by the parts of a span joined by a conjunction ("and", "и")."""
    parts: list[list[str]] = [[]]
    for word in words:
        if word in context.language.conjunctions:
            parts.append([])
        else:
            parts[-1].append(word)
    countries = (resolver.country_in(part) for part in parts if part)
    return {country.key for country in countries if country is not None}


def contained_actor(piece: Candidate, context: DocumentContext, resolver: Resolver) -> RuleResult:
    """'OSCE Programme Office in Bishkek' -> OSCE; 'State Tax Service of Kyrgyzstan' -> a body
    affiliated to Kyrgyzstan. An organisation named inside the span wins over a country when it
    opens the span or follows 'of (the)'; 'American University of Central Asia' is not UCA."""
    if piece.label != "ORG":
        return None
    words = context.lexicon.normalise(piece.text).split()
    if len(_countries_joined(words, context, resolver)) > 1:
        return DROP  # "(the foreign ministers of) Russia and Kyrgyzstan": several, not one body
    found: dict[str, tuple[int, Actor]] = {}
    heads: list[tuple[int, Actor]] = []  # organisations opening the span or following "of (the)"
    for size in range(min(len(words) - 1, MAX_ALIAS_WORDS), 0, -1):
        for begin in range(0, len(words) - size + 1):
            actor = context.lexicon.lookup(" ".join(words[begin : begin + size]))
            if actor and actor.category != "person" and actor.category not in found:
                found[actor.category] = (begin, actor)
            if actor and actor.category == "organization":
                before = words[:begin]
                while before and before[-1] in context.language.determiners:
                    before.pop()
                if begin == 0 or (before and before[-1] in context.language.of_words):
                    heads.append((begin, actor))
    if heads:  # the most specific: "State Duma of the Federal Assembly" is the State Duma
        return mention_of(piece, min(heads, key=lambda head: head[0])[1])
    if "country" in found:
        country = found["country"][1]
        return Mention(piece.start, piece.end, piece.text, piece.label,
                       f"{country.key}-{resolver.naming.key(piece.text)}", piece.text, "organization", country.key)
    return None


def generated_person(piece: Candidate, context: DocumentContext, resolver: Resolver) -> RuleResult:
    """Any other person keeps a stable key made from the name."""
    return _generated(piece, "person", naming=resolver.naming, text=context.text) if piece.label == "PERSON" else None


def generated_organization(piece: Candidate, context: DocumentContext, resolver: Resolver) -> RuleResult:
    """Any other capitalised organisation keeps a stable key made from the name."""
    if piece.label != "ORG":
        return None
    ok = piece.text[:1].isupper() and any(w[:1].isupper() for w in piece.text.split())
    return _generated(piece, "organization", naming=resolver.naming, text=context.text) if ok else DROP


def generated_place(piece: Candidate, context: DocumentContext, resolver: Resolver) -> RuleResult:
    """Any other capitalised place or facility (spaCy's FAC: mines, dams, airports) keeps a stable
    key; an unknown nationality (NORP) names no one."""
    if piece.label in ("GPE", "LOC", "FAC") and piece.text[:1].isupper():
        return _generated(piece, "facility" if piece.label == "FAC" else "place", naming=resolver.naming,
                          text=context.text)
    return DROP


class RoleMatch(NamedTuple):
    """A role that may stand for a person, as a language's `Finders.roles` finds it: the
    surface runs from `begin` to `end` (a country's name before the role included), the role
    itself from `start` to `end`; `office` is the lexicon's office role, `country` the country
    the text gives it (or None), and `following` where a name would follow (then the role is
    a title); `plural` says the role names several holders ("the heads of state")."""

    begin: int
    start: int
    end: int
    office: str
    country: Actor | None
    following: int
    plural: bool = False


def _holders(people: list[Actor], role: str, country: Actor | None, date: dt.date | None) -> list[Actor]:
    return [
        person for person in people
        if any(office.role == role and (country is None or office.of == country.key)
               and (date is None or office.held_on(date)) for office in person.offices)
    ]


def role_mentions(resolved: list[Mention], context: DocumentContext) -> list[Mention]:
    """'the head of state', 'the Kyrgyz leader', 'президент Киргизии': a role (found by the
    language's `Finders.roles`) that stands for a person is that person when the document
    makes the holder clear: exactly one person named in the document holds the office (at the
    document's date, when it has one), or, for a role with a country in a dated document, the
    lexicon's one holder then. A role inside a resolved span, or right before a name (then it
    is a title), is no mention of its own; nor is a plural role ("главы государств"): several
    holders are never one person."""
    language, text = context.language, context.text
    finder = language.finders.roles
    if not language.roles or finder is None:
        return []
    spans = [(m.start, m.end) for m in resolved]
    named = [context.lexicon.actors[m.key] for m in resolved
             if m.category == "person" and m.key in context.lexicon.actors]
    named = list({actor.key: actor for actor in named}.values())
    out: list[Mention] = []
    for role in finder(text, resolved, context):
        if role.plural or any(s < role.end and role.start < e for s, e in spans):
            continue
        rest = text[role.following:role.following + 3].lstrip(" ,")
        if rest[:1].isupper() or any(
            m.category == "person" and 0 <= m.start - role.following <= 2 for m in resolved
        ):
            continue  # a title before a name
        holders = _holders(named, role.office, role.country, context.date)
        if not holders and role.country is not None and context.date is not None:
            holders = _holders(list(context.lexicon.actors.values()), role.office, role.country, context.date)
        if len(holders) == 1:
            piece = Candidate(role.begin, role.end, text[role.begin:role.end], "PERSON")
            out.append(replace(mention_of(piece, holders[0]), via="role"))
    return out


DIRECT_RULES: tuple[ResolutionRule, ...] = (
    ResolutionRule("source_credit", source_credit, "bylines, agency credits and the outlet that reports"),
    ResolutionRule("ruler_match", ruler_match, "the lexicon's entity ruler matched the span"),
    ResolutionRule("lexicon_alias", lexicon_alias, "the span is a lexicon alias"),
)
CONTEXT_RULES: tuple[ResolutionRule, ...] = (
    ResolutionRule("linked_person", linked_person, "within-document name linking"),
    ResolutionRule("press_credit", press_credit, "a press-service credit is the publisher's side"),
    ResolutionRule("institution", institution, "generic national institutions"),
    ResolutionRule("known_non_actor", known_non_actor, "lexicons/non_actors.yaml"),
    ResolutionRule("generic_phrase", generic_phrase, "titles and generic nouns only"),
    ResolutionRule("person_by_surname", person_by_surname, "one lexicon person of that surname"),
    ResolutionRule("ordinary_word", ordinary_word, "one ordinary word is not a name"),
    ResolutionRule("contained_actor", contained_actor, "sub-bodies and country bodies"),
    ResolutionRule("generated_person", generated_person, "unknown persons"),
    ResolutionRule("generated_organization", generated_organization, "unknown organisations"),
    ResolutionRule("generated_place", generated_place, "unknown places"),
)


# ----------------------------------------------------------------------------- resolver


class Resolver:
    """Built once per annotator (lexicon, institution index, language data, vocabulary);
    `resolve` runs the rules over one document at a time."""

    def __init__(
        self,
        lexicon: Lexicon,
        institutions: tuple[Institution, ...],
        vocabulary: Vocabulary | None = None,
        language: LanguageData | None = None,
        span_rules: tuple[SpanRule, ...] = SPAN_RULES,
        direct_rules: tuple[ResolutionRule, ...] = DIRECT_RULES,
        context_rules: tuple[ResolutionRule, ...] = CONTEXT_RULES,
        roles: bool = True,
        naming: Naming = AS_WRITTEN,
        home_by_affiliation: bool = False,
        role_rule: Callable[[list[Mention], DocumentContext], list[Mention]] | None = None,
    ) -> None:
        # roles standing for a person: the shared decision over the language's Finders.roles
        self.role_rule = role_rule or role_mentions
        self.naming = naming
        # the home country counts the countries named people and bodies belong to, too (Russian
        # names a ministry's country inside its name, "МИД Киргизии", and often names no
        # country alone: "председатель кабмина Акылбек Жапаров ... послом в США")
        self.home_by_affiliation = home_by_affiliation
        self.roles = roles  # add role mentions ("the head of state") of named office holders
        self.lexicon = lexicon
        self.language = language or (vocabulary.language if vocabulary else load_language())
        self.vocabulary = vocabulary
        self.span_rules = span_rules
        self.direct_rules = direct_rules
        self.context_rules = context_rules
        self.institution_index = {
            lexicon.normalise(synonym): inst for inst in institutions for synonym in inst.synonyms
        }

    # -- helpers the rules share -----------------------------------------------------------
    def country_in(self, words: list[str]) -> Actor | None:
        for size in range(min(len(words), 5), 0, -1):
            for begin in range(0, len(words) - size + 1):
                actor = self.lexicon.lookup(" ".join(words[begin : begin + size]))
                if actor and actor.category == "country":
                    return actor
        return None

    def organisation_in(self, words: list[str]) -> Actor | None:
        for size in range(min(len(words), MAX_ALIAS_WORDS), 0, -1):
            for begin in range(0, len(words) - size + 1):
                actor = self.lexicon.lookup(" ".join(words[begin : begin + size]))
                if actor and actor.category == "organization":
                    return actor
        return None

    def institution_mention(self, candidate: Candidate, home: Actor | None) -> Mention | None:
        """'Kyrgyz Foreign Ministry', 'Ministry of Foreign Affairs of Russia', 'the CEC' (the
        country `home` when the name gives none)."""
        found = self.institution_of(candidate)
        if found is None or (found[1] or home) is None:
            return None
        return mention_of(candidate, self.institution_actor(found[0], found[1] or home))

    def institution_actor(self, kind: Institution, country: Actor) -> Actor:
        """The lexicon's actor for a country's institution, else one named after both."""
        key = f"{country.key}-{kind.suffix}"
        return self.lexicon.actors.get(key) or Actor(
            key, f"{kind.name} of {country.name}", "organization", affiliation=country.key
        )

    def institution_of(self, candidate: Candidate) -> tuple[Institution, Actor | None] | None:
        """The institution a span names and the country its own words give it (None: a bare
        name); None when it names no institution or one qualified by something else."""
        language = self.language
        words = self.lexicon.normalise(candidate.text).split()
        for size in range(len(words), 0, -1):
            for begin in range(0, len(words) - size + 1):
                found = self.institution_index.get(" ".join(words[begin : begin + size]))
                if not found:
                    continue
                before, after = words[:begin], words[begin + size :]
                if self.organisation_in(before + after):
                    return None  # "SCO Council of Heads of Government" is the SCO's body
                while before and before[-1] in language.determiners:
                    before = before[:-1]
                if before and before[-1] in language.of_words and language.body_words & set(before):
                    before = []  # "Information Policy Department of the Presidential Administration"
                rest = before + after
                country = self.country_in(rest) if rest else None
                if rest and (country is None or len(rest) > MAX_COUNTRY_QUALIFIER_WORDS):
                    return None  # qualified by something other than a country
                return found, country
        return None

    def _looks_like_person(self, piece: Candidate, surnames: set[str]) -> bool:
        """'Alexey Rogov' labelled ORG while 'Rogov' is a person elsewhere in the text."""
        words = piece.text.split()
        return (
            1 < len(words) <= 4
            and all(w[:1].isupper() for w in words)
            and self.lexicon.normalise(words[-1]) in surnames
            and not self.language.body_words & {w.lower() for w in words}
            and self.institution_mention(piece, None) is None
        )

    def _lead_country(self, resolved: list[Mention]) -> Actor | None:
        for mention in sorted(resolved, key=lambda m: m.start):
            key = mention.key if mention.category == "country" else mention.affiliation
            actor = self.lexicon.actors.get(key) if key else None
            if actor is not None and actor.category == "country":
                return actor
        return None

    @staticmethod
    def _first(rules: tuple[ResolutionRule, ...], piece: Candidate, context: DocumentContext,
               resolver: Resolver) -> RuleResult:
        for rule in rules:
            result = rule.apply(piece, context, resolver)
            if result is not None:
                return result
        return None

    # -- the document -----------------------------------------------------------------------
    def resolve(self, candidates: list[Candidate], text: str, date: dt.date | None = None) -> list[Mention]:
        """All actor mentions of one document, resolved to canonical actors."""
        context = DocumentContext(text, date, self.lexicon, self.language, self.vocabulary)
        normalise = self.lexicon.normalise
        pieces = [
            piece
            for candidate in apply_span_rules(candidates, context, self.span_rules)
            for piece in (
                [candidate] if candidate.key in self.lexicon.actors
                else clean_candidate(candidate, text, self.lexicon, self.language, self.institution_index)
            )
        ]
        resolved: list[Mention] = []
        pending: list[Candidate] = []
        for piece in pieces:
            result = self._first(self.direct_rules, piece, context, self)
            if isinstance(result, Mention):
                resolved.append(result)
            elif result is None and (not self.lexicon.is_non_actor(piece.text) or piece.label == "ORG"):
                pending.append(piece)
        countries = Counter(m.key for m in resolved if m.category == "country")
        if self.home_by_affiliation:
            countries.update(m.affiliation for m in resolved if m.affiliation
                             and getattr(self.lexicon.actors.get(m.affiliation), "category", None) == "country")
        context.home = self.lexicon.actors.get(countries.most_common(1)[0][0]) if countries else None
        context.lead = self._lead_country(resolved)
        for mention in resolved:  # full person names in this document, known or not
            if mention.category == "person":
                context.people.setdefault(normalise(mention.text), mention)
        for piece in pending:
            if piece.label == "PERSON" and len(piece.text.split()) > 1 and not _has_initial(piece.text):
                context.people.setdefault(normalise(piece.text), _generated(piece, "person", naming=self.naming,
                                                                                   text=text))
        surnames = {normalise(m.text).split()[-1] for m in context.people.values()} | {
            normalise(p.text).split()[-1] for p in pending if p.label == "PERSON"
        }
        relabelled = []
        for piece in pending:
            if piece.label in ("ORG", "GPE") and self._looks_like_person(piece, surnames):
                piece = replace(piece, label="PERSON")
                context.people.setdefault(normalise(piece.text), _generated(piece, "person", naming=self.naming,
                                                                                   text=text))
            relabelled.append(piece)
        context.resolved = sorted(resolved, key=lambda m: m.start)
        for piece in relabelled:
            result = self._first(self.context_rules, piece, context, self)
            if isinstance(result, Mention):
                resolved.append(result)
                context.resolved.append(result)
        if self.roles:
            resolved.extend(self.role_rule(resolved, context))
        return sorted(resolved, key=lambda m: (m.start, m.end))


def resolve_document(
    candidates: list[Candidate],
    document_text: str,
    lexicon: Lexicon,
    institutions: tuple[Institution, ...],
    date: dt.date | None = None,
    vocabulary: Vocabulary | None = None,
) -> list[Mention]:
    """All actor mentions of one document (builds a Resolver: for many documents, build one
    `Resolver` and call its `resolve`)."""
    from analysis.annotate.pipeline import DEFAULT_PIPELINE  # the configured pipeline's word index

    vocabulary = vocabulary or pipeline_vocabulary(DEFAULT_PIPELINE)
    return Resolver(lexicon, institutions, vocabulary).resolve(candidates, document_text, date)
