"""Rules of the Russian path that differ from English in what the language does, not in
what they decide: an owner follows a body in the genitive with no "of" ("МИД Киргизии"), roles
and themes are found on lemmas, areas of cooperation are listed on either side of the word of
cooperation. Each is a small named rule in the same registries as English (`SpanRule`,
`ResolutionRule`, `ThemeRule`); `analysis.lang.ru.pipeline` assembles them into the Russian path.
"""

from __future__ import annotations

import dataclasses
import re

from analysis.annotate.actors import (
    CONTEXT_RULES,
    Candidate,
    DocumentContext,
    Mention,
    ResolutionRule,
    Resolver,
    RuleResult,
    _holders,
    _mention,
)
from analysis.annotate.spans import Candidate as SpanCandidate
from analysis.annotate.spans import (
    SpanContext,
    SpanRule,
    extend_persons_left,
    join_initials,
    split_at_spaced_dash,
    trim_function_words,
)
from analysis.annotate.themes import THEME_RULES, ThemeMatch, ThemeRule, _sentence_before
from analysis.lang.ru import morphology

_WORD = re.compile(r"[\w-]+")


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
    SpanRule("split_at_spaced_dash", split_at_spaced_dash, "no name runs across ' — '"),
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
    the holder clear, as `analysis.annotate.actors.role_mentions` decides in English. A one-word role
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


def _genitive_link(word: str) -> bool:
    """A word that can continue a title's genitive chain ("министр энергетики и экономической
    безопасности"): 'и', a preposition of the title ('по'), or a form that can be genitive."""
    lower = word.lower()
    return lower in {"и", ","} or any("gent" in str(parse.tag) for parse in morphology.parses(lower))


def russian_in_title(matches: list, text: str, themes, language) -> list:
    """'министр экономики и коммерции', 'замминистра энергетики и экономической безопасности',
    'Совет безопасности', 'комитет по вопросам безопасности': a trigger in the genitive chain
    after a title head (lang/ru/words.yaml `title_heads`, as lemmas) names an office or a body,
    not the theme, as `in_title` decides in English. The chain runs back over genitive forms,
    'и' and the title's links ('по', 'по вопросам'), at most four words."""
    if not language.title_heads:
        return matches
    links = {word for phrase in language.title_links for word in phrase.split()}
    kept = []
    for m in matches:
        if m.rule != "trigger":  # a cue's or an association's words are not a title's
            kept.append(m)
            continue
        words = re.findall(r"[\w-]+|,", _sentence_before(text, m[0]))
        titled = False
        for step, word in enumerate(reversed(words[-6:])):
            if morphology.lemma(word) in language.title_heads or word.lower() in language.title_heads:
                titled = True
                break
            if step >= 4 or not (word.lower() in links or _genitive_link(word)):
                break
        if not titled:
            kept.append(m)
    return kept


RUSSIAN_THEME_RULES = (
    ThemeRule("in_cooperation_list", russian_cooperation_lists, "areas of cooperation listed in passing"),
    ThemeRule("in_title", russian_in_title, "a trigger inside a job title or a name"),
    *(rule for rule in THEME_RULES if rule.name not in ("in_cooperation_list", "in_title")),
)


def russian_association_contexts(text: str, actors, themes, language) -> list:
    """'сотрудничество в рамках ШОС', 'саммит ОДКБ', 'государства-члены ЕАЭС': the words right
    before an association's name make a mention of its theme; the name stays the actor's."""
    owner = {key: theme.key for theme in themes for key in theme.associations}
    if not owner:
        return []
    cooperation = rf"(?:{_stems(language.cooperation_words)})\w*"
    # "государств-членов" is also written "государств — членов"
    membership = rf"(?:{_stems(language.membership_words).replace(chr(92) + '-', r'[ —–-]+')})[\w-]*"
    pattern = re.compile(rf"(?P<word>{cooperation})\s+(?:в\s+рамках|внутри|в\s+формате)\s+$|"
                         rf"(?P<member>{membership})(?:\s+(?:в|во))?\s+$", re.IGNORECASE)
    found = []
    for start, _, key in actors:
        if key not in owner:
            continue
        match = pattern.search(text, max(0, start - 60), start)
        if match:
            group = "word" if match.group("word") else "member"
            found.append(ThemeMatch(match.start(group), match.end(group), match.group(group), owner[key],
                                    match.group(group).lower(), "association"))
    return sorted(set(found))
