"""Rules and finders of the Russian path, which differ from English in what the language does,
not in what they decide: an owner follows a body in the genitive with no "of" ("МИД Киргизии")
(a span rule and a resolution rule in the same registries as English: `SpanRule`,
`ResolutionRule`); roles are found on lemmas, areas of cooperation are listed on either side of
the word of cooperation, association contexts come before the name (the `FINDERS`, whose finds
the shared rules of `analysis.annotate` decide about). `analysis.lang.ru.pipeline` assembles
them into the Russian path.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from analysis.annotate.actors import (
    CONTEXT_RULES,
    Candidate,
    DocumentContext,
    Mention,
    ResolutionRule,
    Resolver,
    RoleMatch,
    RuleResult,
    mention_of,
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
from analysis.lang.ru import morphology
from analysis.lang.words import Finders, LanguageData

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
            return mention_of(piece, actor)
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


def _plural(words: list[tuple[int, int, str]], head: int) -> bool:
    """'министры', 'главы государств': the role's head word has only a plural reading, or may be
    plural and the word it heads has only a plural one ('главы государства' is one head)."""
    head_numbers = morphology.numbers(words[head][2])
    if "sing" not in head_numbers:
        return bool(head_numbers)
    following = morphology.numbers(words[head + 1][2]) if head + 1 < len(words) else frozenset()
    return "plur" in head_numbers and following == {"plur"}


def find_roles(text: str, resolved: list[Mention], context: DocumentContext) -> Iterator[RoleMatch]:
    """'президент Киргизии', 'киргизский лидер', 'главы государства': each role (its lemmas,
    from lang/ru/words.yaml `roles`) that may stand for a person, with the country named right
    after or before it; a one-word role ("президент") needs a country beside it."""
    language = context.language
    phrases = sorted(((tuple(phrase.split()), office) for phrase, office in language.roles.items()),
                     key=lambda item: -len(item[0]))
    words = _words(text)
    lemmas = [morphology.lemma(word) for *_, word in words]
    starts = {m.start: m for m in resolved}
    ends = {m.end: m for m in resolved}
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
        country, begin, following = None, start, end
        after = starts.get(end + 1) if text[end:end + 1] == " " else None
        if after is not None and after.category == "country":
            country, following = context.lexicon.actors.get(after.key), after.end
        before = ends.get(start - 1) if text[start - 1:start] == " " else None
        if country is None and before is not None and before.category == "country":
            country, begin = context.lexicon.actors.get(before.key), before.start
        if country is None and len(phrase) == 1:
            continue  # "президент" alone: whose?
        yield RoleMatch(begin, start, end, office, country, following, _plural(words, index - len(phrase)))


def _stems(words) -> str:
    return "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))


def cooperation_lists(text: str, language: LanguageData) -> list[tuple[int, int]]:
    """'сотрудничество в политической, экономической и культурной сферах', 'по торгово-
    экономическому, научно-техническому и гуманитарному сотрудничеству': the spans of areas
    listed in passing around a word of cooperation."""
    cooperation = rf"(?:{_stems(language.cooperation_words)})\w*"
    item, adjective = r"[\w-]+(?: (?:и )?[\w-]+){0,2}", r"[\w-]+"
    area = r"(?:(?:област|сфер|направлени)\w*\s+)?"
    after = re.compile(rf"{cooperation}\s+(?:в|во|по)\s+{area}(?P<list>{item}(?:,\s+{item})+,?\s+(?:и|а также)\s+"
                       rf"{item})", re.IGNORECASE)
    before = re.compile(rf"(?P<list>{adjective}(?:,\s+{adjective})+,?\s+(?:и|а также)\s+{adjective})\s+{cooperation}",
                        re.IGNORECASE)
    starts = (word.start() for word in re.finditer(rf"\b{cooperation}", text, re.IGNORECASE))
    spans = [m.span("list") for m in (after.match(text, start) for start in starts) if m]  # lists may overlap
    return spans + [m.span("list") for m in before.finditer(text)]


def association_words(text: str, start: int, end: int, language: LanguageData) -> list[tuple[int, int, str]]:
    """'сотрудничество в рамках ШОС', 'саммит ОДКБ', 'государства-члены ЕАЭС', 'заседание совета
    лидеров стран СНГ': the word of cooperation, membership or a meeting of the association's organs
    before an association's name at text[start:end]."""
    cooperation = rf"(?:{_stems(language.cooperation_words)})\w*"
    # "государств-членов" is also written "государств — членов"
    membership = rf"(?:{_stems(language.membership_words).replace(chr(92) + '-', r'[ —–-]+')})[\w-]*"
    alternatives = [rf"(?P<word>{cooperation})\s+(?:в\s+рамках|внутри|в\s+формате)\s+$",
                    # "членство Туркменистана в ОТГ": the member may stand between the word and "в"
                    rf"(?P<member>{membership})(?:(?:\s+[\w-]+){{0,2}}?\s+(?:в|во))?\s+$"]
    if language.meeting_words:
        # "заседание совета лидеров стран СНГ": a meeting of the association's organ
        links = rf"(?:{_stems(language.meeting_links)})[\w-]*" if language.meeting_links else r"(?!)"
        alternatives.append(rf"(?P<meeting>(?:{_stems(language.meeting_words)})\w*)(?:\s+{links}){{0,5}}\s+$")
    pattern = re.compile("|".join(alternatives), re.IGNORECASE)
    match = pattern.search(text, max(0, start - 100), start)
    if not match:
        return []
    group = next(name for name in ("word", "member", "meeting") if match.groupdict().get(name))
    return [(match.start(group), match.end(group), match.group(group))]


_CHAIN_BREAKERS = frozenset({"PREP", "CONJ", "PRCL"})  # "и" aside, function words are no title's link


def _genitive_link(word: str, cases: tuple[str, ...] = ("gent",)) -> bool:
    """A word that can continue a title's genitive chain ("министр энергетики и экономической
    безопасности"): 'и', a comma, or a form that can be genitive (or dative, in the list a
    'по' governs: "комитет по международным делам, обороне, безопасности и миграции")."""
    lower = word.lower()
    if lower in {"и", ","}:
        return True
    parses = morphology.parses(lower)
    # a preposition ends the chain ("представители судебной системы | в коррупционные схемы"), though
    # pymorphy also reads "в" and "с" as abbreviations in every case
    if parses and parses[0].tag.POS in _CHAIN_BREAKERS:
        return False
    return any(case in str(parse.tag) for parse in parses for case in cases)


PREDICATES = frozenset({"VERB", "INFN", "GRND", "PRTS"})  # verb forms that predicate, never a title's word


def in_title(text: str, start: int, end: int, language: LanguageData) -> bool:
    """'министр экономики и коммерции', 'замминистра энергетики и экономической безопасности',
    'комитет по вопросам безопасности': a trigger in the genitive chain after a title head
    (words.yaml `title_heads`, as lemmas) names an office or a body. The chain runs back over
    genitive forms, 'и' and the title's links ('по', 'вопросам'), at most four words; after a
    'по', over the dative items of its list too, at most seven ('комитет по международным делам,
    обороне, безопасности и миграции'). The trigger itself must be in such a case ('управление
    водными ресурсами' is managing water, not a body); a `member_heads` word in the plural names
    members of a group ('представители гражданского общества'), not an office."""
    if not language.title_heads:
        return False
    links = {word for phrase in language.title_links for word in phrase.split()}
    before = text[max(0, start - 160):start]
    cut = max(before.rfind(mark) for mark in (". ", "\n", "! ", "? ", "; "))
    words = re.findall(r"[\w-]+|,", before[cut + 1:] if cut >= 0 else before)
    # a 'по' before the list lets its dative items chain; the items themselves do not count
    # towards the four words
    governed = "по" in {word.lower() for word in words[-10:]}
    cases = ("gent", "datv") if governed else ("gent",)
    # a verb after a title head is what the office holder does («акиму вменяется превышение
    # полномочий», «мэр арестован»), not part of the title
    trigger = re.findall(r"[\w-]+", text[start:end])
    if trigger and all(parse.tag.POS in PREDICATES for parse in morphology.parses(trigger[0].lower())):
        return False
    # the trigger continues the chain only in its case: a body's name holds its field in the genitive
    # («Министр водных ресурсов»), while managing water in the instrumental is the act («управление
    # водными ресурсами»); after a comma a participle opens a clause about the body's people
    # («сотрудники комитета, пытавшие их»)
    if trigger and not _genitive_link(trigger[0], cases):
        return False
    if trigger and words and words[-1] == "," and all(
            parse.tag.POS == "PRTF" for parse in morphology.parses(trigger[0].lower())):
        return False
    step = 0
    for word in reversed(words[-10:]):
        forms = {morphology.lemma(word), word.lower()}
        if forms & language.title_heads:
            # only plural readings («представителями»), as `_plural` reads a role's head
            if forms & language.member_heads and morphology.numbers(word.lower()) == {"plur"}:
                return False
            return not (word[0].islower() and forms & language.common_heads)
        if step >= (7 if governed else 4) or not (word.lower() in links or _genitive_link(word, cases)):
            return False
        step += word != ","
    return False


# a name with one of these words is an outlet's ("Радио Свобода", "Настоящее время", "ИА Кабар")
_OUTLET_WORD = re.compile(r"(?:^|\s)(?:информагентств\w*|агентств\w*|ИА|радио|телеканал\w*|газет\w*|издани\w*|"
                          r"портал\w*|СМИ|радиостанци\w*|служб\w*\s+новостей|новост\w*|свобода|время)(?:\s|$)",
                          re.IGNORECASE)
# "передает КирТАГ": conveying a report is what an outlet does, whoever it is
_CONVEYS_BEFORE = re.compile(r"\b(?:переда[её]т|передал[аи]?|переда[ею]т)\s+$", re.IGNORECASE)
_REPORTS_BEFORE = re.compile(r"\b(?:сообща[ею]т|сообщил[аи]?|пиш[еу]т|писал[аи]?|информиру[ею]т|по\s+данным|"
                             r"по\s+информации|со\s+ссылкой\s+на)\s+$", re.IGNORECASE)
_REPORTS_AFTER = re.compile(r"^\s+(?:сообща[ею]т|сообщил[аи]?|пиш[еу]т|передал[аи]?|переда[её]т)\b", re.IGNORECASE)


def source_credit(text: str, start: int, end: int) -> bool:
    """'..., передает КирТАГ.', 'сообщает Радио Азаттык', 'как пишет газета ...': an outlet
    named as the one that reports. After "передает" any name is the outlet; after "сообщает",
    "пишет", "по данным" only an outlet's name ('сообщил МИД' is the ministry speaking)."""
    before, after = text[max(0, start - 40):start], text[end:end + 40]
    if _CONVEYS_BEFORE.search(before):
        return True
    if not _OUTLET_WORD.search(text[start:end]) and not _OUTLET_WORD.search(before[-25:]):
        return False
    return bool(_REPORTS_BEFORE.search(before) or _REPORTS_AFTER.match(after))


FINDERS = Finders(roles=find_roles, cooperation_lists=cooperation_lists, association_words=association_words,
                  in_title=in_title, source_credit=source_credit)
