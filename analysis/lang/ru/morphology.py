"""Russian morphology from pymorphy3 (its dictionary ships in the pymorphy3-dicts-ru wheel):
the normal forms a word may have, one stable comparison form, and names put back into the
nominative ("Садыра Жапарова" -> "Садыр Жапаров").

Russian declines names, so a lexicon alias cannot be matched on the text as written. Every
word is compared in a *key form*: the shortest normal form among its likely analyses. Both
sides go through the same function, so "Ташиеву" (analysed as a first name "Ташиева" or the
surname "Ташиев") and the alias "Ташиев" meet at "ташиев" without any list of case endings.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from functools import lru_cache

import pymorphy3

TOP_PARSES = 4  # analyses considered per word: the rest are rare readings
NAME_TAGS = frozenset({"Name", "Surn", "Patr"})
# tags of words that name someone or something: such a word is never an "ordinary word"
PROPER_TAGS = NAME_TAGS | {"Geox", "Orgn", "Abbr", "Trad"}
PROPER_ORDER = ("Surn", "Patr", "Name", "Geox", "Orgn")  # which proper reading wins
SURNAME_ENDINGS = ("ов", "ев", "ин", "ын")
CASES = ("nomn", "gent", "datv", "accs", "ablt", "loct")
_WORD = re.compile(r"[\w'&-]+")


@lru_cache(maxsize=1)
def analyzer() -> pymorphy3.MorphAnalyzer:
    """One analyser per process (it reads its dictionary once, about 0.1 s)."""
    return pymorphy3.MorphAnalyzer()


def _plain(word: str) -> str:
    return word.lower().replace("ё", "е")


@lru_cache(maxsize=200_000)
def parses(word: str) -> tuple:
    """The likely analyses of one word, best first."""
    return tuple(analyzer().parse(word)[:TOP_PARSES])


def numbers(word: str) -> frozenset[str]:
    """The grammatical numbers the word may be read in ("главы": sing and plur)."""
    return frozenset(str(p.tag.number) for p in parses(word) if p.tag.number)


@lru_cache(maxsize=200_000)
def normal_forms(word: str) -> frozenset[str]:
    """Every normal form the word may have, and the word itself, in lower case without ё."""
    return frozenset({_plain(word), *(_plain(p.normal_form) for p in parses(word))})


@lru_cache(maxsize=200_000)
def key_form(word: str) -> str:
    """The word's comparison form, one of its normal forms (or the word itself):

    - a form ending like a surname (-ов, -ев, -ин, -ын), the shortest: the dictionary does not
      know most Central Asian surnames and guesses differently per case ("Жапаров" as a
      plural of "жапар", "Жапарова" as the surname), yet every case has "жапаров" among its
      forms;
    - else the normal form of its best reading as a surname, patronymic, first name, place or
      organisation ("Ташиеву" -> "ташиев", not the first name "Ташиева");
    - else the normal form of its best reading.

    A fixed point for the words of names (key_form(key_form(w)) == key_form(w)), which is
    what lexicon lookups of already normalised words rely on."""
    if not re.search(r"[а-яё]", word, re.IGNORECASE):
        return _plain(word)
    surnames = sorted((form for form in normal_forms(word) if len(form) > 3 and form.endswith(SURNAME_ENDINGS)),
                      key=lambda form: (len(form), form))
    if surnames:
        return surnames[0]
    found = parses(word)
    if not found:
        return _plain(word)
    for tag in PROPER_ORDER:
        proper = [p for p in found if tag in p.tag.grammemes]
        if proper:
            return _plain(proper[0].normal_form)
    return _plain(found[0].normal_form)


@lru_cache(maxsize=200_000)
def lemma(word: str) -> str:
    """The most likely normal form (what a lemmatiser gives): for theme triggers."""
    found = parses(word)
    return _plain(found[0].normal_form) if found else _plain(word)


# Readings that agree with a noun in case, number and gender ("основного закона")
AGREEING = frozenset({"ADJF", "PRTF"})
# A verb trigger's full participles and gerunds read as adjectives and adverbs with senses of
# their own ("оправданный риск" from "оправдать"), so they are not forms of the trigger.
VERB_FORMS_LEFT_OUT = frozenset({"PRTF", "GRND"})
# the cases a noun has that its adjectives take the main case's form in ("в лесу": loct)
_CASE_OF = {"gen2": "gent", "acc2": "accs", "loc2": "loct", "voct": "nomn"}
_CYRILLIC_WORD = re.compile(r"[а-яё]+(?:-[а-яё]+)*")


def _reading(word: str, parts: frozenset[str], case: str | None = None):
    """The best reading of `word` as one of `parts` of speech (in `case`), or None."""
    for parse in _all_parses(word):
        if parse.tag.POS in parts and (case is None or parse.tag.case == case):
            return parse
    return None


def _forms_like(reading) -> list:
    """The forms of the reading's own word: a participle's lexeme is its whole verb's, so only
    the full participle of the same tense and voice is kept ("обвиняемый", never "обвиняет"); an
    adjective's, its full forms only (a short form or a comparative is mostly another sense:
    "избирательно" is "selectively", "вынужден покинуть пост" a resignation); a verb's, without
    its full participles and gerunds (`VERB_FORMS_LEFT_OUT`)."""
    tag = reading.tag
    if tag.POS == "PRTF":
        return [form for form in reading.lexeme if form.tag.POS == "PRTF"
                and form.tag.tense == tag.tense and form.tag.voice == tag.voice]
    if tag.POS == "ADJF":
        return [form for form in reading.lexeme if form.tag.POS == "ADJF"]
    if tag.POS == "INFN":
        return [form for form in reading.lexeme if form.tag.POS not in VERB_FORMS_LEFT_OUT]
    return list(reading.lexeme)


def _agreeing_forms(adjective, case: str, number: str, gender: str | None) -> set[str]:
    """The forms of an adjective that agree with a noun form."""
    return {form.word for form in _forms_like(adjective)
            if form.tag.POS in AGREEING and form.tag.case == case and form.tag.number == number
            and (number == "plur" or gender is None or form.tag.gender == gender)}


def _noun_phrase_forms(words: list[str], head: int) -> set[str]:
    """The phrase in every form of its head noun, the words before it agreeing with it and the
    words after it (a complement: "права человека") as written."""
    noun = _reading(words[head], frozenset({"NOUN"}), "nomn")
    agreeing = [_reading(word, AGREEING, "nomn") for word in words[:head]]
    tail = words[head + 1:]
    forms: set[str] = set()
    for form in noun.lexeme:
        case, number = _CASE_OF.get(form.tag.case, form.tag.case), form.tag.number
        if case is None or number is None:
            continue
        options = [_agreeing_forms(adjective, case, number, noun.tag.gender) for adjective in agreeing]
        forms.update(" ".join([*before, form.word, *tail]) for before in itertools.product(*options))
    return forms


@lru_cache(maxsize=20_000)
def phrase_forms(phrase: str) -> frozenset[str]:
    """Every written form of a trigger phrase given in its dictionary form, in lower case:
    "основной закон" -> основного закона, основному закону, ...; "суд" -> судов, судами, ...

    The lemmatiser's best reading of a form is sometimes another word's ("судов" -> судно,
    "основного" -> основный, "газу" -> газа), so a trigger matched on lemmas alone misses those
    forms; matched on its own paradigm it is found in every case and number. A noun phrase
    declines its head noun with the words before it agreeing; a verb or adjective its first word;
    anything else (a preposition first, Latin letters, digits) is only the phrase as written."""
    words = phrase.lower().split()
    if not words or not all(_CYRILLIC_WORD.fullmatch(word) for word in words):
        return frozenset({" ".join(words)})
    forms = {" ".join(words)}
    for index, word in enumerate(words):
        if _reading(word, frozenset({"NOUN"}), "nomn") is not None:
            forms |= _noun_phrase_forms(words, index)
            break
        if _reading(word, AGREEING, "nomn") is None:
            break
    if len(forms) == 1:  # no noun heads it: "конституционный", "голосовать", "вынужденный покинуть"
        first = _reading(words[0], frozenset({"INFN"})) or _reading(words[0], AGREEING, "nomn")
        if first is not None:
            forms |= {" ".join([form.word, *words[1:]]) for form in _forms_like(first)}
    return frozenset(form for written in forms for form in {written, written.replace("ё", "е")})


@lru_cache(maxsize=50_000)
def inflections(word: str) -> frozenset[str]:
    """Every form of a capitalised word written in the nominative (a name in the lexicon):
    "Жомарт" -> жомарта, жомарту, жомартом, ... The dictionary does not know most Central Asian
    names and may not recognise "Жомартом" as a case of "Жомарт", but it inflects "Жомарт" by
    its paradigm; so aliases are matched on their own inflections too. Empty for other words."""
    if not word[:1].isupper() or not re.search(r"[а-яё]", word, re.IGNORECASE):
        return frozenset()
    nominative = [p for p in parses(word) if p.tag.case == "nomn"]
    proper = [p for p in nominative if PROPER_TAGS & p.tag.grammemes]
    chosen = (proper or nominative)[:1]
    return frozenset(_plain(form.word) for parse in chosen for form in parse.lexeme)


def normalise(text: str) -> str:
    """A phrase in key forms, lower case, single spaces ("МИД Киргизии" -> "мид киргизия")."""
    return " ".join(key_form(word) for word in _WORD.findall(text.replace("’", "'")))


@lru_cache(maxsize=100_000)
def is_ordinary(word: str) -> bool:
    """A word of the dictionary whose likely reading is not a name, place or organisation
    ("Граждане", "Оборона"): one such word alone names no actor."""
    found = parses(word)
    if not found or not found[0].is_known:
        return False
    return not any(PROPER_TAGS & p.tag.grammemes for p in found if p.score >= found[0].score / 2)


def _name_parses(word: str) -> list | None:
    """Analyses of a name word: those tagged as a name where there are any, else nouns;
    singular only (a person's name is not plural). None: no singular noun reading, so the word
    is taken as written, in whatever case ("Жазгуль", read as a plural of "жазгуля";
    "Бейшеналиев", read as a short adjective)."""
    found = [p for p in parses(word) if p.tag.number != "plur"]
    if not found:
        return None
    named = [p for p in found if NAME_TAGS & p.tag.grammemes]
    return named or [p for p in found if p.tag.POS == "NOUN"] or None  # an adjective reading: as written


@lru_cache(maxsize=100_000)
def _all_parses(word: str) -> tuple:
    """Every analysis of a word (a name's rarer case readings are often past `TOP_PARSES`)."""
    return tuple(analyzer().parse(word))


def _fits(parse, case: str, gender: str) -> bool:
    """Whether an analysis can stand in `case` for a person of `gender`; an indeclinable word
    ("Си", "Айгуль" in any case) stands in every case, and for either gender unless it has one."""
    grammemes = parse.tag.grammemes
    if "Fixd" in grammemes:
        return parse.tag.gender in (gender, None, "neut")
    return parse.tag.case == case and (parse.tag.gender == gender or "Ms-f" in grammemes)


def _word_options(word: str, surname: bool) -> list:
    """The singular noun readings of one word of a name; the last word read as a surname when
    the dictionary has that reading ("Пашиняна": a man's genitive, not a woman's first name)."""
    found = [p for p in _all_parses(word) if p.tag.POS == "NOUN" and p.tag.number != "plur"]
    surnames = [p for p in found if "Surn" in p.tag.grammemes]
    return surnames if surname and surnames else found


def _gender_weight(word: str, options: list, gender: str) -> float:
    """How strongly a given name says `gender`: the weight of the dictionary's readings of it
    as a name of that gender ("Азиза": a woman 0.6, the genitive of a man's "Азиз" 0.4;
    "Руслана": a man 0.75). A word it does not know as a name says only what its ending says:
    a woman's name in Russian ends in -а or -я in every case but one, so "Си" in "Си
    Цзиньпина" is no evidence for a woman's nominative."""
    if any("Name" in p.tag.grammemes for p in options):
        return sum(p.score for p in options if "Name" in p.tag.grammemes and p.tag.gender == gender)
    return -1.0 if gender == "femn" and not word.lower().endswith(("а", "я")) else 0.0


def _not_nominative_after(before: str) -> bool:
    """Whether the word right before a name rules out the nominative: a preposition ("с",
    "для"), or a common noun, adjective or participle that cannot be nominative ("авторитета
    Азиза Батукаева", "с Гульмирой"). A place's or body's name in the genitive does not: "Президент
    Киргизии Садыр Жапаров" is the subject."""
    match = re.search(r"([\w-]+)[^\S\n]+$", before)
    if not match:
        return False
    found = _all_parses(match.group(1))
    if not found or not found[0].is_known:
        return False  # a guess at an unknown word ("айыл окмоту") shows no case
    if found[0].tag.POS == "PREP":
        return True
    inflected = [p for p in found if p.tag.POS in ("NOUN", "ADJF", "PRTF") and p.score >= found[0].score / 4]
    return bool(inflected) and not any(p.tag.case == "nomn" or PROPER_TAGS & p.tag.grammemes for p in inflected)


def _declines_for_a_man(word: str) -> bool:
    """A name ending in a consonant or -ь declines when a man bears it ("Нуржан" -> "Нуржана"),
    not when a woman does: written unchanged in another case, it is a woman's."""
    return word[-1:].lower() not in "аеёиоуыэюя"


def _known_name(word: str) -> bool:
    """Whether the dictionary itself (not its guess for an unknown word) reads `word` as a name."""
    return any(p.is_known and "Name" in p.tag.grammemes for p in _all_parses(word))


def _subject_gender(after: str) -> str | None:
    """The gender of a past-tense verb right after a name ("Дамира Уркуналиева сказала"): the
    name is its subject, in the nominative, of that gender. None when no such verb follows."""
    match = re.match(r"[^\S\n]+([\w-]+)", after)
    if not match:
        return None
    found = _all_parses(match.group(1))
    if not found or not found[0].is_known or found[0].tag.POS != "VERB" or found[0].tag.tense != "past":
        return None
    return found[0].tag.gender if found[0].tag.number == "sing" else None


def _agreeing_reading(words: list[str], before: str, after: str = "") -> list | None:
    """The analyses of a name's words in one case and one gender that all of them can take, or
    None. Given name and surname are read together: "Гульмиры Абдралиевой" is a woman's
    genitive, "Азизом Батукаевым" a man's instrumental. A given name the dictionary does not
    know as a name is kept as written where it cannot be read in that case and gender
    ("Нургазы", "Камчы") unless it ends as a man's name that would decline ("Нуржан
    Шайлдабекова" is no man's genitive); a known name and the surname must fit. Of several
    readings the one kept has the most words read as names, then the given name's stronger
    gender (`_gender_weight`), then the higher scores; the words around the name may narrow
    them: a past-tense verb after it makes it its subject of that gender
    ("Дамира Уркуналиева сказала"), a word before it may rule out the nominative
    (`_not_nominative_after`: "авторитета Азиза Батукаева" is a man's genitive)."""
    named = [index for index, word in enumerate(words) if word[:1].isupper()]
    if len(named) < 2:
        return None
    surname = named[-1]
    options = {index: _word_options(words[index], surname=index == surname) for index in named}
    readings = []
    for case in CASES:
        for gender in ("masc", "femn"):
            chosen = {}
            for index, found in options.items():
                fitting = [p for p in found if _fits(p, case, gender)]
                if not fitting and (index == surname or _known_name(words[index])
                                    or (gender == "masc" and case != "nomn" and _declines_for_a_man(words[index]))):
                    break
                chosen[index] = max(fitting, key=lambda p: (bool(NAME_TAGS & p.tag.grammemes), p.score)) \
                    if fitting else None
            else:
                parses = [p for p in chosen.values() if p is not None]
                tagged = sum(bool(NAME_TAGS & p.tag.grammemes) for p in parses)
                weight = _gender_weight(words[named[0]], options[named[0]], gender)
                readings.append((case, gender, (tagged, weight, sum(p.score for p in parses)), chosen))
    subject = _subject_gender(after)
    if subject is not None:
        readings = [r for r in readings if r[0] == "nomn" and r[1] == subject] or readings
    elif _not_nominative_after(before):
        readings = [r for r in readings if r[0] != "nomn"] or readings
    if not readings:
        return None
    case, _, _, chosen = max(readings, key=lambda reading: reading[2])
    return [chosen.get(index) if case != "nomn" else None for index in range(len(words))]


def nominative_name(words: Iterable[str], before: str = "", after: str = "") -> list[str]:
    """A person's name in the nominative. Given name and surname are first read together
    (`_agreeing_reading`: one case and one gender for both, so the gender comes from the name
    itself, not from other forms in the corpus) and each word is inflected back in that
    gender. Failing that, the first case in which every word can stand (the nominative when
    it can, so "Нуржан Шайлдабекова" stays), each word inflected with its own gender; a word
    that cannot be inflected is kept as written. `before` and `after` are the text around the
    name."""
    words = list(words)
    agreeing = _agreeing_reading(words, before, after)
    if agreeing is not None:
        out = []
        for word, parse in zip(words, agreeing, strict=True):
            inflected = parse.inflect({"nomn"}) if parse is not None and "Fixd" not in parse.tag.grammemes else None
            out.append(_restore_case(word, inflected.word) if inflected else word)
        return out
    # a lower-case particle ("ле" in "Ален ле Руа", "уулу") is kept as written
    options = [_name_parses(word) if word[:1].isupper() else None for word in words]
    for case in CASES:
        chosen = []
        for found in options:
            match = None if found is None else next((p for p in found if p.tag.case == case), None)
            if found is not None and match is None:
                break
            chosen.append(match)
        if len(chosen) == len(words):
            out = []
            for word, parse in zip(words, chosen, strict=True):
                inflected = parse.inflect({"nomn"}) if parse is not None and case != "nomn" else None
                out.append(_restore_case(word, inflected.word) if inflected else
                           _surname_nominative(word) if parse is None else word)
            return out
    # no case fits every word (a foreign name the dictionary reads as indeclinable, "Аленом ле
    # Руа"): each word that cannot be a nominative is put back into it on its own
    out = []
    for word, found in zip(words, options, strict=True):
        inflected = None
        if found and not any(p.tag.case == "nomn" for p in found):
            inflected = found[0].inflect({"nomn"})
        out.append(_restore_case(word, inflected.word) if inflected else
                   _surname_nominative(word) if found is None else word)
    return out


# Case endings of Russian-pattern surnames that show both case and gender, and the nominative
# they come from: a woman's "Жапаровой" is "Жапарова", a man's "Жапаровым" is "Жапаров". The
# dictionary does not know most Central Asian surnames and may read these as adjectives.
_SURNAME_CASES = re.compile(r"(ов|ев|ёв|ин|ын)(ой|ою|ым|ом)$", re.IGNORECASE)
_SURNAME_NOMINATIVE = {"ой": "а", "ою": "а", "ым": "", "ом": ""}


def _surname_nominative(word: str) -> str:
    """A surname the dictionary cannot inflect, in the nominative by its ending (unchanged when
    the ending does not show the case and gender: "Батукаева" may be either)."""
    match = _SURNAME_CASES.search(word)
    if not match or not word[:1].isupper():
        return word
    return word[:match.start(2)] + _SURNAME_NOMINATIVE[match.group(2).lower()]


def _restore_case(original: str, form: str) -> str:
    """`form` written with the capitals of `original` (title case, or all capitals)."""
    if original.isupper() and len(original) > 1:
        return form.upper()
    if original[:1].isupper():
        return "-".join(part[:1].upper() + part[1:] for part in form.split("-"))
    return form


def nominative_phrase(text: str) -> str:
    """An organisation's or place's name in the nominative: the words up to and including the
    first noun are read in one case (the nominative when they can be), the noun put back into
    the nominative and the adjectives before it made to agree with it ("Народного Курултая" ->
    "Народный Курултай"); the rest (genitive complements, "образования" in "Министерства
    образования") stay as written."""
    words = text.split()
    head: list[tuple[int, list]] = []  # the agreeing words and their analyses, up to the noun
    for index, word in enumerate(words):
        found = [p for p in parses(word) if p.tag.POS in ("NOUN", "ADJF", "PRTF")]
        if not found:
            break
        head.append((index, found))
        if any(p.tag.POS == "NOUN" for p in found) and not all(p.tag.POS != "NOUN" for p in found[:1]):
            break
    if not head:
        return text
    readings = [(case, number) for number in ("sing", "plur") for case in CASES]  # a name is singular first
    for case, number in readings:
        chosen = [next((p for p in found if p.tag.case == case and p.tag.number in (number, None)), None)
                  for _, found in head]
        if any(parse is None for parse in chosen):
            continue
        if case == "nomn":
            return text
        out = list(words)
        noun = chosen[-1]
        inflected = noun.inflect({"nomn", number})
        gender = inflected.tag.gender if inflected is not None else noun.tag.gender
        for (index, _), parse in zip(head, chosen, strict=True):
            wanted = {"nomn", number} | ({gender} if gender and number == "sing" and parse is not noun else set())
            form = parse.inflect(wanted) or parse.inflect({"nomn"})
            if form is not None:
                out[index] = _restore_case(words[index], form.word)
        return " ".join(out)
    return text


# Surname endings that show the gender whatever the case: a woman's -ой/-ою/-ая, a man's
# nominative -ов/-ев/-ин, instrumental -ым, prepositional -е. The others (-ова, -ову) are a
# woman's nominative or accusative as much as a man's genitive or dative.
_MASCULINE_FORM = re.compile(r"(?:ов|ев|ёв|ин|ын)(?:ым|ом|е)?$", re.IGNORECASE)
_FEMININE_ONLY = re.compile(r"(?:ов|ев|ёв|ин|ын|ск)(?:ой|ою|ая)$", re.IGNORECASE)


def surname_gender(surname: str) -> str:
    """What one written form of a surname says about gender: "f", "m" or "" (either:
    "Батукаева" is a woman's nominative or a man's genitive)."""
    if _FEMININE_ONLY.search(surname):
        return "f"
    if _MASCULINE_FORM.search(surname):
        return "m"
    return ""


@lru_cache(maxsize=100_000)
def patronymic_gender(word: str) -> str:
    """A word of a name as a patronymic: "m" ("Кемелевич", "Ташиевича"), "f" ("Кемеловна"), or ""
    when it is none. A patronymic is a word some dictionary reading takes for one and none for a
    surname, so "Пашкевич" and "Абрамович" (surnames too) are not."""
    readings = analyzer().parse(word) if re.search(r"[а-яё]", word, re.IGNORECASE) else []
    if not any("Patr" in reading.tag for reading in readings) or any("Surn" in reading.tag for reading in readings):
        return ""
    best = next(reading for reading in readings if "Patr" in reading.tag)
    return "f" if "femn" in best.tag else "m"
