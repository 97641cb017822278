"""The English finders: where, in English words and word order, the shared rules of
`analysis.annotate` have something to decide (`analysis.lang.words.Finders`).

- roles: "the head of state", "the Kyrgyz leader", "the President of Kyrgyzstan" (a role after
  "the" or a country's name or demonym; "leader" only with a country; "minister" only
  capitalised; a country after "of (the)" is the role's);
- lists of areas of cooperation: "cooperation in the political, trade, economic, cultural and
  humanitarian areas";
- association contexts: "cooperation within the SCO", "SCO member states";
- press credits: "The Information Department of the Presidential Office reports.";
- source credits: an outlet named as the one that reports ("reports Trend", "told Sputnik",
  "Radio Liberty's Kyrgyz service reported", "according to Kyrgyz news agency Kabar").
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from analysis.annotate.actors import DocumentContext, Mention, RoleMatch
from analysis.lang.words import Finders, LanguageData

_CREDIT_AFTER = re.compile(r"^\s+(?:reports?|reported|informs?|informed|said|says)\s*[.:]")
_OF_THE = re.compile(r"\s+of\s+(?:the\s+)?")
# a name with one of these words is an outlet's ("UrduPoint News", "Radio Liberty", "Current Time
# TV"): named as the one reporting, it is the source
_OUTLET_WORD = re.compile(r"\b(?:news|agency|radio|tv|television|channel|times|post|press|media|daily|"
                          r"gazette|herald|journal|service|broadcaster|newspaper|outlet|portal|wire)\b", re.IGNORECASE)
_REPORTS_BEFORE = re.compile(r"(?:\breports?|\breported|\bwrites|\bwrote|\btold|\binformed|\baccording\s+to|"
                             r"\b(?:reported|cited|quoted|published)\s+by)\s+(?:the\s+)?(?:[\w-]+\s+)?"
                             r"(?:(?:service|website|channel)\s+of\s+(?:the\s+)?)?$", re.IGNORECASE)
_REPORTS_AFTER = re.compile(r"^(?:['’]s(?:\s+[\w-]+){0,2}\s+(?:service|website|channel|correspondent))?\s+"
                            r"(?:reports?|reported|writes|wrote|said,?\s+citing|informs?|informed)\b", re.IGNORECASE)
_SENDER_VERB = re.compile(r"\b(?:reports?|reported)\s+$", re.IGNORECASE)
# roles that stand for a person only with a country ("the leader" alone is anyone's)
COUNTRY_ONLY_ROLES = frozenset({"leader"})
# roles that stand for a person only capitalised ("the Minister"; "the minister" is any minister)
CAPITALISED_ONLY_ROLES = frozenset({"minister"})


def _alternation(words) -> str:
    return "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))


@lru_cache(maxsize=4)
def _role_pattern(language: LanguageData) -> re.Pattern:
    return re.compile(
        rf"\b(?:(?P<the>[Tt]he)\s+)?(?:(?P<qualifier>[A-Z][\w-]+)\s+)?(?P<role>{_alternation(language.roles)})\b"
        r"(?![-’'])",
        re.IGNORECASE,
    )


def find_roles(text: str, resolved: list[Mention], context: DocumentContext) -> Iterator[RoleMatch]:
    """Each role of `lang/en/words.yaml` `roles` that may stand for a person (see module)."""
    language, lexicon = context.language, context.lexicon
    starts = {m.start: m for m in resolved}
    for match in _role_pattern(language).finditer(text):
        start, end = match.start("role"), match.end("role")
        phrase = match.group("role").lower()
        qualifier = match.group("qualifier")
        country = lexicon.lookup(qualifier) if qualifier else None
        if qualifier and (country is None or country.category != "country"):
            continue  # "the State Secretary", "the Deputy Minister": not this role
        if not (match.group("the") or country) or (phrase in COUNTRY_ONLY_ROLES and not country):
            continue
        if phrase in CAPITALISED_ONLY_ROLES and not match.group("role")[0].isupper():
            continue
        after = _OF_THE.match(text[end:])
        following = end + (after.end() if after else 0)
        if after and following in starts and starts[following].category == "country":
            country = lexicon.actors.get(starts[following].key)
            following = starts[following].end
        begin = match.start("qualifier") if country and qualifier else start
        yield RoleMatch(begin, start, end, language.roles[phrase], country, following)


@lru_cache(maxsize=4)
def _cooperation_list_pattern(language: LanguageData) -> re.Pattern:
    words = "|".join(re.escape(w) for w in sorted(language.cooperation_words))
    item = r"[\w-]+(?: [\w-]+){0,2}"
    return re.compile(
        rf"\b(?:{words})\s+(?:in|on|within)\s+(?:the\s+)?(?:(?:fields?|areas?|spheres?|sectors?)\s+of\s+)?"
        rf"(?P<list>{item}(?:,\s+{item}){{1,}},?\s+(?:and|as well as)\s+{item})",
        re.IGNORECASE,
    )


def cooperation_lists(text: str, language: LanguageData) -> list[tuple[int, int]]:
    """Spans of enumerations of three or more areas after a word of cooperation."""
    return [match.span("list") for match in _cooperation_list_pattern(language).finditer(text)]


@lru_cache(maxsize=4)
def _association_patterns(language: LanguageData) -> tuple[re.Pattern, ...]:
    cooperation = _alternation(language.cooperation_words)
    membership = _alternation(language.membership_words)
    # cooperation before the name, or membership before it as Russian has it ("the chairmanship of
    # the SCO", "accession to the EAEU")
    before = re.compile(rf"\b({cooperation})\s+(?:with)?in\s+(?:the\s+(?:framework|format)\s+of\s+)?(?:the\s+)?$"
                        rf"|\b({membership})\s+(?:of|in|to)\s+(?:the\s+)?$", re.IGNORECASE)
    after = re.compile(rf"^(?:'s)?\s+({membership})\b", re.IGNORECASE)  # "the alliance's members"
    if not language.meeting_words:
        return before, after
    meeting, links = _alternation(language.meeting_words), _alternation(language.meeting_links or {"of", "the"})
    # "the meeting of the Council of Heads of State of the SCO", "the SCO leaders' meeting"
    meeting_before = re.compile(rf"\b({meeting})\s+(?:(?:{links})\s+){{0,8}}$", re.IGNORECASE)
    meeting_after = re.compile(rf"^(?:'s)?\s+(?:(?:{links})\s+){{0,3}}({meeting})\b", re.IGNORECASE)
    return before, after, meeting_before, meeting_after


def association_words(text: str, start: int, end: int, language: LanguageData) -> list[tuple[int, int, str]]:
    """'cooperation within (the framework of) the' or 'the chairmanship of the' before the name,
    'member states' after it; a meeting of the association's organs on either side ('a summit of
    the', 'leaders' meeting')."""
    before, after, *meetings = _association_patterns(language)
    found = []
    for pattern in (before, *meetings[:1]):
        if match := pattern.search(text, max(0, start - 120), start):
            group = match.lastindex or 1  # the alternative that matched
            found.append((match.start(group), match.end(group), match.group(group)))
    for pattern in (after, *meetings[1:]):
        if match := pattern.match(text[end:end + 60]):
            found.append((end + match.start(1), end + match.end(1), match.group(1)))
    return list(dict.fromkeys(found))


@lru_cache(maxsize=4)
def _title_patterns(language: LanguageData) -> tuple[re.Pattern, re.Pattern] | None:
    if not language.title_heads:
        return None
    heads = _alternation(language.title_heads)
    links = _alternation(language.title_links or language.of_words)
    after_head = re.compile(rf"\b(?i:{heads})\s+(?i:{links})\s+(?:the\s+)?"
                            rf"(?:(?:(?:[A-Z][\w'-]*|and|&),?\s+)*|[a-z][\w-]*\s+)$")
    before_head = re.compile(rf"^(?:[ -]+[A-Z][\w'-]*)*[ ]+(?i:{heads})\b")
    return after_head, before_head


def in_title(text: str, start: int, end: int, language: LanguageData) -> bool:
    """After a title head and 'of' across capitalised words or one lower-case word ('Minister of
    Economy and Commerce', 'head of state security'), or capitalised before a title head on its
    line ('the Democracy Fund'): capitals mark a name in English."""
    patterns = _title_patterns(language)
    if patterns is None:
        return False
    after_head, before_head = patterns
    before = sentence_before(text, start)
    return bool(after_head.search(before)) or (
        text[start:start + 1].isupper() and bool(before.strip()) and bool(before_head.match(text[end:end + 80])))


def sentence_before(text: str, start: int, limit: int = 160) -> str:
    """The text of the sentence up to `start` (at most `limit` characters back)."""
    before = text[max(0, start - limit):start]
    cut = max(before.rfind(mark) for mark in (". ", "\n", "! ", "? ", "; "))
    return before[cut + 1:] if cut >= 0 else before


def press_credit(text: str, end: int) -> bool:
    """'... reports.', '... said:' right after the body's name."""
    return bool(_CREDIT_AFTER.match(text[end:]))


def source_credit(text: str, start: int, end: int) -> bool:
    """'..., reports Trend.', 'told Sputnik', 'Radio Liberty's Kyrgyz service reported',
    'reported by the Kyrgyz service of Radio Liberty': an outlet's name (one with a word of
    `_OUTLET_WORD`, or any name right after 'reports' at the end of a sentence) named as the
    one reporting. 'The Ministry of Health reported' stays an actor: no outlet's name."""
    name = text[start:end]
    before, after = text[max(0, start - 60):start], text[end:end + 60]
    if _SENDER_VERB.search(before) and re.match(r"^\s*(?:[.;]|$)", after):
        return True  # "..., reports Trend." : the credit closes the sentence
    if not _OUTLET_WORD.search(name):
        return False
    return bool(_REPORTS_BEFORE.search(before) or _REPORTS_AFTER.match(after))


FINDERS = Finders(roles=find_roles, cooperation_lists=cooperation_lists, association_words=association_words,
                  press_credit=press_credit, in_title=in_title, source_credit=source_credit)
