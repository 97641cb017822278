"""Language data for one language: its word lists, read from the `words.yaml` of its folder
(`analysis/lang/<code>/`, or a folder registered elsewhere), and its finders.

The resolver, the span and theme rules, the sentence repair and the ordinary-word test take
their words from here rather than from constants in code, and the shared decisions (who holds
an office, which areas of cooperation are listed in passing, which words around an
association's name are about it) take the places to decide about from the language's
`Finders`, so supporting another language is adding a folder. A malformed file is an error
naming the file and the field.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from analysis.errors import AnalysisError
from analysis.schema import DEFAULT_LANGUAGE
from analysis.yamlfile import safe_load_unique, short

# The one list every language gives: without its sentence-final marks the sentence repair
# would join every sentence of a paragraph.
WORD_LISTS = ("sentence_final",)
# Lists a language may leave out (empty then: the rules that read them find nothing), so a new
# language starts from a few words: one without articles needs no determiners, one whose
# headlines are not in Title Case no small words to put back in lower case.
OPTIONAL_WORD_LISTS = (
    "determiners", "titles", "honorifics", "name_particles", "body_words", "generic_words",
    "connectors", "conjunctions", "of_words", "cooperation_words", "membership_words", "meeting_words",
    "meeting_links",
    "headline_small_words", "name_articles", "facility_words", "coordinators", "country_nouns",
    # theme rules (analysis.annotate.themes): heads of titles, their links, goal formulas
    "title_heads", "title_links", "common_heads", "member_heads", "formula_words", "goal_words",
    # triggers named in passing (themes.in_passing): dating, lists, bodies' names, charges, evidence
    "time_words", "area_words", "modifier_endings", "body_heads", "charge_words", "charge_heads",
    "charge_openers", "charge_contexts", "seizure_words", "seized_words", "year_words", "vote_words", "bill_words",
    "disclaimer_words",
)
OTHER_FIELDS = ("version", "plural_rules", "plural_forms", "roles", "name_heads", "noun_modifiers")
# Where a name's head word stands: English puts it last ("Kumtor gold mine"), Russian first or
# last ("рудник Кумтор", "Камбаратинская ГЭС").
NAME_HEADS = ("last", "first", "either")


class LanguageError(AnalysisError):
    """A language data file is missing or malformed; the message names the file and field."""


@dataclass(frozen=True)
class Finders:
    """Where, in a text of one language, the shared rules of `analysis.annotate` have something
    to decide: each finder reads the language's words (its regular expressions, lemmas, word
    order); the decision is written once. A finder left out finds nothing.

    - `roles(text, resolved, context)`: `analysis.annotate.actors.RoleMatch` for each role that
      may stand for a person ("the head of state", "президент Киргизии"); `role_mentions`
      decides whether the document makes its holder clear;
    - `cooperation_lists(text, language)`: (start, end) of each list of areas of cooperation
      ("cooperation in the political, trade and cultural areas"); their theme matches go;
    - `association_words(text, start, end, language)`: (start, end, surface) of the words around
      an association's name at text[start:end] that are about it ("cooperation within the");
    - `press_credit(text, end)`: whether the words after text[:end] credit a press service
      ("... reports."), so the body named is the publishing side's;
    - `in_title(text, start, end, language)`: whether the theme trigger at text[start:end] sits
      inside a job title or a name ("Minister of Economy", "министр экономики"); it goes;
    - `source_credit(text, start, end)`: whether the name at text[start:end] is named in running
      text as the outlet that reports ("reports Trend", "передает КирТАГ"): a source, no actor
      (the credit positions every language shares, bylines and datelines, are decided in
      `analysis.annotate.actors`)."""

    roles: Callable[..., Iterable[Any]] | None = None
    cooperation_lists: Callable[..., list[tuple[int, int]]] | None = None
    association_words: Callable[..., list[tuple[int, int, str]]] | None = None
    press_credit: Callable[[str, int], bool] | None = None
    in_title: Callable[..., bool] | None = None
    source_credit: Callable[[str, int, int], bool] | None = None


NO_FINDERS = Finders()


@dataclass(frozen=True, eq=False)
class LanguageData:
    """The word lists of one language, each a lower-case frozenset, plus plural rules."""

    code: str
    determiners: frozenset[str]
    titles: frozenset[str]
    honorifics: frozenset[str]
    name_particles: frozenset[str]
    body_words: frozenset[str]
    generic_words: frozenset[str]
    connectors: frozenset[str]
    conjunctions: frozenset[str]
    of_words: frozenset[str]
    sentence_final: frozenset[str]
    cooperation_words: frozenset[str]
    membership_words: frozenset[str]
    headline_small_words: frozenset[str]
    name_articles: frozenset[str]  # "the": opens a name, no part of it when names are compared
    facility_words: frozenset[str]  # head words of a facility's name: mine, reservoir, HPP
    coordinators: frozenset[str]  # words joining the items of a list: and, or
    plural_rules: tuple[tuple[str, str], ...]
    roles: dict[str, str]
    # theme rules (analysis.annotate.themes): heads of job titles and names ("minister",
    # "ministry") and the words linking them to their object ("of"); words of set formulas
    # of goals ("peace", "stability")
    # nouns that stand for a country the text has named ("the republic's Health Ministry",
    # "парламент страны"), in their base form
    country_nouns: frozenset[str] = frozenset()
    title_heads: frozenset[str] = frozenset()
    title_links: frozenset[str] = frozenset()
    # title heads that are common nouns too: a body's name only with a capital ("Центр
    # стратегических исследований"), the plain word in lower case ("центром развития терроризма")
    common_heads: frozenset[str] = frozenset()
    # title heads that name members of a group in the plural ("представители гражданского общества"),
    # an office only in the singular ("Верховный представитель ЕС по политике безопасности")
    member_heads: frozenset[str] = frozenset()
    formula_words: frozenset[str] = frozenset()
    goal_words: frozenset[str] = frozenset()  # "ensure", "strengthen" before a formula word
    # a trigger named in passing: after "in accordance with", after "during", in a list of
    # areas or of modifiers (by the endings of an adjective), before the head of a body's name
    time_words: frozenset[str] = frozenset()
    area_words: frozenset[str] = frozenset()
    modifier_endings: frozenset[str] = frozenset()
    body_heads: frozenset[str] = frozenset()
    charge_words: frozenset[str] = frozenset()
    # an offence as a modifier of the charge ("on bribery, extortion, and extremism charges"):
    # the opener before the list, the charge's head after it
    charge_heads: frozenset[str] = frozenset()
    charge_openers: frozenset[str] = frozenset()
    charge_contexts: frozenset[str] = frozenset()  # a case's words in the sentence: "sentenced", "court"
    seizure_words: frozenset[str] = frozenset()
    seized_words: frozenset[str] = frozenset()
    year_words: frozenset[str] = frozenset()
    # a legislature's vote: the vote triggers (as the matcher's lemmas) and what a legislature
    # votes on ("deputies voted for the draft law" is no election)
    vote_words: frozenset[str] = frozenset()
    bill_words: frozenset[str] = frozenset()
    # a legal disclaimer in brackets after a name ("the Taliban (a terrorist organisation banned in
    # Russia)"): the words that make the brackets one
    disclaimer_words: frozenset[str] = frozenset()
    # a meeting of an association's organs ("the meeting of the Council of Heads of State of the
    # SCO", "заседание совета лидеров стран СНГ"): the meeting words and the words of the organ's
    # name that may stand between them and the association's name
    meeting_words: frozenset[str] = frozenset()
    meeting_links: frozenset[str] = frozenset()
    # base forms from morphology, for a language whose words inflect beyond plurals (set by
    # its annotation path: Russian "суда" -> "суд"); None: the plural rules alone
    base_forms: Callable[[str], list[str]] | None = None
    finders: Finders = NO_FINDERS  # set from the language's registry entry by `load_language`
    # how a word's plurals are made ([pattern, replacement], each applied where it matches),
    # for the theme matcher's lower-case fallback; none: the word alone
    plural_forms: tuple[tuple[re.Pattern, str], ...] = ()
    name_heads: str = "last"  # one of NAME_HEADS
    # whether a noun modifies the noun after it, as in English ("the security service"); where it
    # does not (Russian: «служба безопасности»), a noun before a body's head is no part of its name
    # («банкротство компании» is what the sentence reports), only a word with a modifier's ending is
    noun_modifiers: bool = True

    def head_words(self, words: list[str]) -> list[str]:
        """The words of a name (in order) that may be its head."""
        if not words:
            return []
        return {"last": words[-1:], "first": words[:1], "either": [words[0], words[-1]]}[self.name_heads]

    def plurals(self, word: str) -> set[str]:
        """The plurals of `word` its plural forms give ("tax" -> {"taxs", "taxes"}: a form that
        never occurs costs nothing, a missed one loses a match)."""
        return {pattern.sub(replacement, word, count=1) for pattern, replacement in self.plural_forms
                if pattern.search(word)}

    def singulars(self, word: str) -> list[str]:
        """The word and the singulars its plural rules give ("citizens" -> "citizen"), or the
        base forms its morphology gives."""
        word = word.lower()
        if self.base_forms is not None:
            return list(dict.fromkeys([word, *self.base_forms(word)]))
        forms = [word]
        for ending, replacement in self.plural_rules:
            if word.endswith(ending) and len(word) > len(ending) + 1:
                forms.append(word[: -len(ending)] + replacement)
        return forms


def _word_list(data: dict, name: str, path: Path) -> frozenset[str]:
    values = data.get(name)
    if not isinstance(values, list) or not all(isinstance(v, str) and v for v in values):
        raise LanguageError(f"{path}: field {name!r} must be a list of non-empty strings, got {short(values)}")
    return frozenset(value.lower() for value in values)


def read_language(path: str | Path, code: str = "") -> LanguageData:
    """Read and validate one words.yaml."""
    path = Path(path)
    try:
        data = safe_load_unique(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise LanguageError(f"{path}: language data file not found") from None
    if not isinstance(data, dict):
        raise LanguageError(f"{path}: expected a mapping of word lists at the top level")
    unknown = sorted(set(data) - {*WORD_LISTS, *OPTIONAL_WORD_LISTS, *OTHER_FIELDS})
    if unknown:
        raise LanguageError(f"{path}: unknown field(s) {unknown}; expected word lists "
                            f"{[*WORD_LISTS, *OPTIONAL_WORD_LISTS]} and {list(OTHER_FIELDS)}")
    rules = data.get("plural_rules") or []
    if not isinstance(rules, list) or not all(
        isinstance(rule, list) and len(rule) == 2 and all(isinstance(part, str) for part in rule)
        for rule in rules
    ):
        raise LanguageError(f"{path}: 'plural_rules' must be a list of [ending, replacement] pairs")
    # the lists given are checked first, so a malformed one is named before a missing one
    lists = {name: _word_list(data, name, path) if name in data else frozenset() for name in OPTIONAL_WORD_LISTS}
    lists.update({name: _word_list(data, name, path) for name in WORD_LISTS})
    forms = data.get("plural_forms") or []
    if not isinstance(forms, list) or not all(
        isinstance(form, list) and len(form) == 2 and all(isinstance(part, str) for part in form) for form in forms
    ):
        raise LanguageError(f"{path}: 'plural_forms' must be a list of [regular expression, replacement] pairs")
    try:
        plural_forms = tuple((re.compile(pattern), replacement) for pattern, replacement in forms)
    except re.error as error:
        raise LanguageError(f"{path}: a 'plural_forms' pattern is not a regular expression: {error}") from None
    roles = data.get("roles") or {}
    if not isinstance(roles, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in roles.items()):
        raise LanguageError(f"{path}: 'roles' must map role phrases to office roles (strings)")
    heads = data.get("name_heads", "last")
    if heads not in NAME_HEADS:
        raise LanguageError(f"{path}: 'name_heads' must be one of {list(NAME_HEADS)}, got {short(heads)}")
    noun_modifiers = data.get("noun_modifiers", True)
    if not isinstance(noun_modifiers, bool):
        raise LanguageError(f"{path}: 'noun_modifiers' must be true or false, got {short(noun_modifiers)}")
    return LanguageData(code=code or path.parent.name, plural_rules=tuple(map(tuple, rules)), plural_forms=plural_forms,
                        name_heads=heads, noun_modifiers=noun_modifiers,
                        roles={k.lower(): v for k, v in roles.items()}, **lists)


@lru_cache(maxsize=16)
def load_language(code: str = DEFAULT_LANGUAGE) -> LanguageData:
    """The word lists and finders of registered language `code` (read once per process;
    `analysis.lang.registry` forgets them when the registered languages change)."""
    from analysis.lang.registry import get_language

    defaults = get_language(code)
    language = read_language(defaults.words_file, code)
    finders = defaults.load_finders()
    return dataclasses.replace(language, finders=finders) if finders is not None else language
