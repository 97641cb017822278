"""Span rules: repair the entity spans of one document before they are resolved to actors.

The statistical NER and the lexicon's entity ruler cut names in typical ways (an organisation
cut before its country, a person glued to the body before the name, a name broken at "and",
an initial split from its surname). Each repair is one small named rule, a function of
(candidates, context) -> candidates, applied in the order of `SPAN_RULES`; like spaCy's
pluggable `ents_filter`, the list is data and a caller may pass another.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Protocol

from analysis.annotate.lexicon import Actor, Lexicon
from analysis.lang.words import LanguageData

_WORD = re.compile(r"[\w][\w.'’-]*|&")
_INITIAL = re.compile(r"^[A-ZА-ЯЁ][a-zа-яё]?\.?$")


@dataclass(frozen=True)
class Candidate:
    """An entity span as the pipeline found it (offsets into the document text)."""

    start: int
    end: int
    text: str
    label: str
    key: str | None = None  # set when the lexicon's entity ruler matched the span


class SpanContext(Protocol):
    """What span rules may read: the document text, the lexicon, the language's words and
    whether a word is an ordinary word of the language."""

    text: str
    lexicon: Lexicon
    language: LanguageData

    def is_ordinary(self, word: str) -> bool: ...


@dataclass(frozen=True)
class SpanRule:
    name: str
    apply: Callable[[list[Candidate], SpanContext], list[Candidate]]
    why: str


def words_of(text: str, begin: int, end: int) -> list[tuple[int, int, str]]:
    """Word tokens (start, end, word) of text[begin:end], offsets into `text`."""
    return [(begin + m.start(), begin + m.end(), m.group()) for m in _WORD.finditer(text[begin:end])]


def _span(context: SpanContext, start: int, end: int, label: str, key: str | None = None) -> Candidate:
    return Candidate(start, end, context.text[start:end], label, key)


def _known(candidate: Candidate, lexicon: Lexicon) -> Actor | None:
    if candidate.key and candidate.key in lexicon.actors:
        return lexicon.actors[candidate.key]
    return lexicon.lookup(candidate.text)


def _capitalised(word: str) -> bool:
    return word[:1].isupper()


def _name_word(word: str, context: SpanContext) -> bool:
    """A capitalised word that is not an ordinary word, title or body word: part of a name."""
    lower = word.lower().strip(".")
    return (
        _capitalised(word)
        and not context.is_ordinary(lower)
        and lower not in context.language.titles
        and lower not in context.language.body_words
        and context.lexicon.lookup(word) is None
    )


def _sentence_initial(text: str, start: int) -> bool:
    """A word at the start of the text, of a line or after a sentence end is capitalised
    whatever it is, so its capital says nothing about a name."""
    before = text[:start].rstrip(" ")
    return not before or before[-1] in ".!?\n:;\"«»"


# ----------------------------------------------------------------------------- rules


def join_initials(candidates: list[Candidate], context: SpanContext) -> list[Candidate]:
    """'Zh.Kulubaev', 'S. Japarov': an initial (one or two letters) right before a person's
    name is part of the name, never an entity of its own."""
    text = context.text
    out: list[Candidate] = []
    for candidate in sorted(candidates, key=lambda c: (c.start, -c.end)):
        previous = out[-1] if out else None
        gap = text[previous.end : candidate.start] if previous else ""
        if (
            previous is not None
            and _INITIAL.match(previous.text)
            and re.fullmatch(r"\.? ?", gap)
            and candidate.label == "PERSON"
            and _known(previous, context.lexicon) is None
        ):
            out[-1] = _span(context, previous.start, candidate.end, "PERSON", candidate.key)
            continue
        out.append(candidate)
    return out


def merge_body_of_owner(candidates: list[Candidate], context: SpanContext) -> list[Candidate]:
    """'State Tax Service of' + 'Kyrgyzstan', 'Executive Committee of the' + 'CIS': a body
    followed by 'of (the)' and a country or organisation is one organisation's name."""
    text, of_words = context.text, context.language.of_words
    out: list[Candidate] = []
    for candidate in sorted(candidates, key=lambda c: (c.start, -c.end)):
        previous = out[-1] if out else None
        if previous is not None and previous.label == "ORG" and candidate.label in ("ORG", "GPE", "NORP"):
            gap = text[previous.end : candidate.start]
            words = [w.lower() for w in previous.text.split()]
            dangling = bool(words) and (
                words[-1] in of_words or (len(words) > 1 and words[-1] in context.language.determiners
                                          and words[-2] in of_words)
            )
            gap_words = [w.lower() for w in gap.split()]
            joined_by_of = bool(gap_words) and gap_words[0] in of_words and all(
                w in context.language.determiners for w in gap_words[1:]
            )
            owner = _known(candidate, context.lexicon)
            owner_ok = owner is None or owner.category in ("country", "organization")
            joined = (dangling and gap.strip() == "") or (not dangling and joined_by_of)
            if owner_ok and joined and "\n" not in gap:
                out[-1] = _span(context, previous.start, candidate.end, "ORG")
                continue
        out.append(candidate)
    return out


def _left_extension(candidate: Candidate, context: SpanContext, floor: int) -> int:
    """Where an organisation's name really starts: back over '<Body> of|on|for|and' and
    capitalised words until a body word ('Commission on Elections and' + 'Referenda')."""
    tokens = words_of(context.text, floor, candidate.start)
    language = context.language
    best = candidate.start
    index = len(tokens) - 1
    while index >= 0:
        start, _, word = tokens[index]
        following = tokens[index + 1][0] if index + 1 < len(tokens) else candidate.start
        between = context.text[tokens[index][1] : following]
        if between.strip():  # punctuation between words ends the name
            break
        lower = word.lower()
        if lower in language.connectors - language.determiners:
            index -= 1
            continue
        if not _capitalised(word) or lower in language.titles - language.body_words:
            break
        if lower in language.body_words:
            best = start
        index -= 1
    if best < candidate.start:  # capitalised modifiers right before the body word ("State")
        for start, _, word in reversed([t for t in tokens if t[0] < best]):
            lower = word.lower()
            if _capitalised(word) and lower not in language.titles and lower not in language.determiners:
                tail = context.text[start:best]
                if re.fullmatch(r"[\w.'’-]+ ", tail):
                    best = start
                    continue
            break
    return best


def extend_organisations_left(candidates: list[Candidate], context: SpanContext) -> list[Candidate]:
    """'Referenda' after 'Commission on Elections and ', 'Biological Products Co. Ltd' after
    'Institute of ': an organisation's name runs back to its head body word; and a place or
    nationality right before it is part of it ('Beijing Institute', 'American University'), and
    so is an organisation whose body it is ('SCO' + 'Council of Heads of State')."""
    ordered = sorted(candidates, key=lambda c: (c.start, -c.end))
    out: list[Candidate] = []
    for candidate in ordered:
        if candidate.label != "ORG":
            out.append(candidate)
            continue
        floor = out[-1].end if out else 0
        floor = max(floor, context.text.rfind("\n", 0, candidate.start) + 1)
        start = _left_extension(candidate, context, floor)
        previous = out[-1] if out else None
        if (
            previous is not None
            and previous.label in ("GPE", "LOC", "NORP", "ORG")
            and context.text[previous.end : start] == " "
            and _capitalised(context.text[start:start + 1])
            and (_known(previous, context.lexicon) is None
                 or _known(previous, context.lexicon).category != "person")
            and start < candidate.start  # only where the body's head word was found
        ):
            out[-1] = _span(context, previous.start, candidate.end, "ORG")
            continue
        if previous is not None and previous.label in ("GPE", "LOC", "NORP", "ORG") and context.text[
            previous.end : candidate.start
        ] == " " and candidate.text.split()[0].lower() in context.language.body_words:
            out[-1] = _span(context, previous.start, candidate.end, "ORG")
            continue
        out.append(_span(context, start, candidate.end, "ORG") if start < candidate.start else candidate)
    return out


@lru_cache(maxsize=16)
def _conjoined_capitals(language: LanguageData) -> re.Pattern:
    """' and Referenda', ' & Exchanges': one of the language's conjunctions and up to four
    capitalised words."""
    conjunctions = "|".join(re.escape(word) for word in sorted(language.conjunctions, key=len, reverse=True))
    if not conjunctions:
        return re.compile(r"(?!)")  # a language without conjunctions joins nothing
    return re.compile(rf" ({conjunctions}) ((?:[A-Z][\w'’-]*)(?: [A-Z][\w'’-]*){{0,3}})\b")


def extend_organisations_right(candidates: list[Candidate], context: SpanContext) -> list[Candidate]:
    """'Commission on Elections' + ' and Referenda': a name with a connector ('of', 'on',
    'for') goes on over 'and <Capitalised words>' that name no known actor and no person."""
    language = context.language
    ordered = sorted(candidates, key=lambda c: (c.start, -c.end))
    out: list[Candidate] = []
    for number, candidate in enumerate(ordered):
        following = ordered[number + 1].start if number + 1 < len(ordered) else len(context.text)
        words = candidate.text.lower().split()
        if candidate.label == "ORG" and set(words[1:]) & (language.connectors - language.conjunctions):
            match = _conjoined_capitals(language).match(context.text[candidate.end :])
            if match and candidate.end + match.end() <= following:
                tail = match.group(2).split()
                unknown = all(context.lexicon.lookup(word) is None for word in tail) and (
                    context.lexicon.lookup(match.group(2)) is None
                )
                if unknown and (
                    any(context.is_ordinary(word) or word.lower() in language.body_words for word in tail)
                    or (len(tail) == 1 and not _name_word(tail[0], context))
                ):
                    candidate = _span(context, candidate.start, candidate.end + match.end(), "ORG")
        out.append(candidate)
    return out


def join_headless_continuation(candidates: list[Candidate], context: SpanContext) -> list[Candidate]:
    """'Union of Chambers' + ' and ' + 'Commodity Exchanges of Turkey': after a name with a
    connector ('of', 'on', 'for') and 'and', an organisation span without a body word of its
    own cannot be a second organisation ('the Ministry of Education and the Defence Ministry'
    can): it is the rest of the first name."""
    language = context.language
    out: list[Candidate] = []
    for candidate in sorted(candidates, key=lambda c: (c.start, -c.end)):
        previous = out[-1] if out else None
        if (
            previous is not None
            and previous.label == "ORG" and candidate.label == "ORG"
            and context.text[previous.end : candidate.start].lower() in {f" {word} " for word in language.conjunctions}
            and set(previous.text.lower().split()[1:]) & (language.connectors - language.conjunctions)
            and not any(word.lower().strip(".,") in language.body_words for word in candidate.text.split())
            and _known(candidate, context.lexicon) is None
        ):
            out[-1] = _span(context, previous.start, candidate.end, "ORG")
            continue
        out.append(candidate)
    return out


_SPACED_DASH = re.compile(r" [-–—] ")


def split_at_spaced_dash(candidates: list[Candidate], context: SpanContext) -> list[Candidate]:
    """'Acting President - Ministry' (a headline's credit after a dash): a spaced dash never
    sits inside a name ('Kyrgyz-Tajik' has no spaces), so a span across one is split there."""
    out: list[Candidate] = []
    for candidate in candidates:
        cuts = list(_SPACED_DASH.finditer(candidate.text))
        if not cuts:
            out.append(candidate)
            continue
        bounds = [0, *(edge for cut in cuts for edge in (cut.start(), cut.end())), len(candidate.text)]
        for begin, end in zip(bounds[::2], bounds[1::2], strict=True):
            if candidate.text[begin:end].strip():
                out.append(_span(context, candidate.start + begin, candidate.start + end, candidate.label))
    return out


def split_trailing_person(candidates: list[Candidate], context: SpanContext) -> list[Candidate]:
    """'the State Committee for Ecology Azamat Bekov' (one ORG): trailing name words after a
    body's name are a person, split off; a lexicon person at the end is split off too."""
    out: list[Candidate] = []
    for candidate in candidates:
        if candidate.label not in ("ORG", "GPE", "LOC", "NORP") or candidate.key:
            out.append(candidate)
            continue
        tokens = words_of(context.text, candidate.start, candidate.end)
        cut = len(tokens)
        for size in range(min(4, len(tokens) - 1), 1, -1):  # a known person at the end
            tail = context.text[tokens[-size][0] : tokens[-1][1]]
            actor = context.lexicon.lookup(tail)
            if actor and actor.category == "person":
                cut = len(tokens) - size
                break
        else:
            while cut > 0 and tokens[cut - 1][2].lower().strip(".") not in context.language.body_words and (
                _name_word(tokens[cut - 1][2], context) or _INITIAL.match(tokens[cut - 1][2])
            ):
                cut -= 1
            head = tokens[:cut]
            if not (len(tokens) - cut >= 2 and any(
                context.is_ordinary(w) or w.lower() in context.language.body_words for *_, w in head
            )):
                cut = len(tokens)
        if 0 < cut < len(tokens):
            out.append(_span(context, candidate.start, tokens[cut - 1][1], candidate.label))
            out.append(_span(context, tokens[cut][0], candidate.end, "PERSON"))
        else:
            out.append(candidate)
    return out


def split_body_before_person(candidates: list[Candidate], context: SpanContext) -> list[Candidate]:
    """'Chairperson of the ' + 'Mejlis Gulshat Mamedova' (PERSON): right after '<title> of
    (the)', the first word of a longer person span names the body, not the person."""
    out: list[Candidate] = []
    for candidate in candidates:
        tokens = words_of(context.text, candidate.start, candidate.end)
        before = context.text[max(0, candidate.start - 40) : candidate.start].lower().split()
        while before and before[-1] in context.language.determiners:
            before.pop()
        titled = len(before) > 1 and before[-1] in context.language.of_words and before[-2] in context.language.titles
        if candidate.label == "PERSON" and len(tokens) >= 3 and titled:
            out.append(_span(context, candidate.start, tokens[0][1], "ORG"))
            out.append(_span(context, tokens[1][0], candidate.end, "PERSON"))
            continue
        out.append(candidate)
    return out


def extend_persons_left(candidates: list[Candidate], context: SpanContext) -> list[Candidate]:
    """'Anvar' + 'Karimov' (PERSON): a name word right before a person's span, not covered by
    another entity, is the person's given name."""
    ordered = sorted(candidates, key=lambda c: (c.start, -c.end))
    out: list[Candidate] = []
    for candidate in ordered:
        if candidate.label == "PERSON":
            floor = out[-1].end if out else 0
            tokens = words_of(context.text, floor, candidate.start)
            start = candidate.start
            while (tokens and context.text[tokens[-1][1] : start] == " " and _name_word(tokens[-1][2], context)
                   and not _sentence_initial(context.text, tokens[-1][0])):
                start = tokens[-1][0]
                tokens.pop()
            if start < candidate.start:
                candidate = _span(context, start, candidate.end, "PERSON")
        out.append(candidate)
    return out


def trim_function_words(candidates: list[Candidate], context: SpanContext) -> list[Candidate]:
    """No actor span ends in a function word ('Department for International Development and',
    'State Tax Service of'): trailing connectors and determiners are dropped."""
    drop = context.language.connectors | context.language.determiners
    out: list[Candidate] = []
    for candidate in candidates:
        tokens = words_of(context.text, candidate.start, candidate.end)
        count = len(tokens)
        while len(tokens) > 1 and tokens[-1][2].lower() in drop:
            tokens.pop()
        if len(tokens) < count:
            candidate = _span(context, candidate.start, tokens[-1][1], candidate.label, None)
        out.append(candidate)
    return out


SPAN_RULES: tuple[SpanRule, ...] = (
    SpanRule("split_at_spaced_dash", split_at_spaced_dash, "no name runs across ' - '"),
    SpanRule("join_initials", join_initials, "an initial before a surname is part of the name"),
    SpanRule("split_trailing_person", split_trailing_person, "a person glued after a body's name"),
    SpanRule("merge_body_of_owner", merge_body_of_owner, "'<body> of (the) <country|organisation>'"),
    SpanRule("extend_organisations_left", extend_organisations_left, "names cut after their start"),
    SpanRule("extend_organisations_right", extend_organisations_right, "names broken at 'and'"),
    SpanRule("join_headless_continuation", join_headless_continuation, "'<Body> of X and' + a headless rest"),
    SpanRule("split_body_before_person", split_body_before_person, "'<title> of the <Body> <Name>'"),
    SpanRule("extend_persons_left", extend_persons_left, "a given name the NER left out"),
    SpanRule("trim_function_words", trim_function_words, "no name ends in a function word"),
)


def apply_span_rules(
    candidates: list[Candidate], context: SpanContext, rules: tuple[SpanRule, ...] = SPAN_RULES
) -> list[Candidate]:
    """`candidates` after every rule, in order."""
    for rule in rules:
        candidates = rule.apply(list(candidates), context)
    return [replace(c) for c in sorted(candidates, key=lambda c: (c.start, c.end))]
