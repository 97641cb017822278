"""Resolve entity spans to canonical actors with general rules, one document at a time.

The statistical NER finds spans; this module decides what they are. Rules, in order:

1. a span the lexicon's entity ruler matched is that actor;
2. spans are cleaned: leading determiners and titles go ("the", "Mr", "Minister",
   "President of Russia" before a name), spans glued to a neighbour are split at words a
   name never contains ("Kazakbaev briefed Head") or at a known place/organisation that
   precedes a name ("Bishkek Alexey Rogov");
3. known non-actors (Latin phrases, wire codes, outlets, diseases, generic words) are dropped;
4. national institutions named generically ("the Foreign Ministry") take the country the
   text qualifies them with, else the document's most mentioned country;
5. an organisation's sub-body ("OSCE Programme Office in Bishkek") resolves to the
   organisation; a body qualified by a country ("Ministry of Energy of Kazakhstan") becomes
   an actor affiliated to that country;
6. a surname or partial name links to the full name met in the same document ("Kazakbaev"
   -> Ruslan Kazakbaev); failing that, to the one lexicon person of that surname (holding an
   office at the document's date, when several share it);
7. anything else keeps a stable key made from its normalised name.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path

import yaml

from analysis.lexicon import (
    LEXICON_DIR,
    Actor,
    Lexicon,
    LexiconError,
    normalise_name,
    slugify,
)

DEFAULT_INSTITUTIONS_PATH = LEXICON_DIR / "institutions.yaml"
ACTOR_LABELS = ("PERSON", "ORG", "GPE", "LOC", "NORP")
LABEL_FOR_CATEGORY = {"person": "PERSON", "organization": "ORG", "country": "GPE", "place": "LOC"}

# Words that introduce a name but are not part of it ("Minister Kazakbaev", "Mr Japarov").
TITLE_WORDS = frozenset(
    """mr mrs ms miss dr prof professor sir madam dame lord h.e. he his her excellency
    president vice-president prime premier minister ministers chairman chairwoman
    chairperson chair deputy head heads secretary secretary-general general special
    representative envoy ambassador director director-general coordinator commissioner
    resident acting former foreign speaker governor mayor king queen prince princess sheikh
    emir chancellor senator spokesman spokeswoman spokesperson colonel lieutenant major
    captain commander officer chief executive leader first state counsellor councillor
    adviser advisor ombudsman rector akim mp deputy-chairman vice-chairman vice-premier""".split()
)
# Lower-case words that may sit inside a person's name ("Ursula von der Leyen").
NAME_PARTICLES = frozenset(
    """de da di do dos das du van von der den ter bin ibn al el la le y""".split()
)
_TOKEN = re.compile(r"[^\s]+")
# Head words of a body inside a larger organisation ("Department ... of the Presidential Administration").
BODY_WORDS = frozenset(
    """department office division directorate service unit secretariat committee commission
    delegation mission bureau centre center council agency programme program branch""".split()
)
GENERIC_WORDS = frozenset(
    """government governments state states organization organisation member members heads
    people parties side authorities""".split()
)
_OF_GAP = re.compile(r"^\s+of\s+(?:the\s+)?$")


@dataclass(frozen=True)
class Candidate:
    """An entity span as the pipeline found it (offsets into the document text)."""

    start: int
    end: int
    text: str
    label: str
    key: str | None = None  # set when the lexicon's entity ruler matched the span


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


@dataclass(frozen=True)
class Institution:
    suffix: str
    name: str
    synonyms: tuple[str, ...]


def load_institutions(path: str | Path | None = None) -> tuple[Institution, ...]:
    """Generic national institution types; a malformed file names its entry."""
    path = Path(path) if path else DEFAULT_INSTITUTIONS_PATH
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
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
    if text.endswith("'s"):
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


def clean_candidate(candidate: Candidate, document_text: str, lexicon: Lexicon) -> list[Candidate]:
    """Split and trim one span into the pieces that may name actors."""
    tokens = _tokens(candidate.text, candidate.start)
    tokens = _strip_leading(tokens, frozenset({"the", "a", "an"}))
    if candidate.label != "PERSON":
        piece = _piece(tokens, document_text, candidate.label)
        return [piece] if piece else []
    # a person's name never contains lower-case words other than particles
    groups: list[list] = [[]]
    for token in tokens:
        word = token[2]
        if word[:1].islower() and word not in NAME_PARTICLES and word.lower() not in TITLE_WORDS:
            groups.append([])
        else:
            groups[-1].append(token)
    pieces: list[Candidate] = []
    for group in groups:
        group = _strip_leading(group, TITLE_WORDS | {"of", "the"})
        known = _leading_known(group, lexicon)
        if known:  # "Bishkek Alexey Rogov", "Russia Vladimir Putin"
            head = _piece(group[:known], document_text, "GPE")
            pieces.extend([head] if head else [])
            group = _strip_leading(group[known:], TITLE_WORDS)
        piece = _piece(group, document_text, "PERSON")
        if piece and piece.text.lower() not in TITLE_WORDS and any(c.isupper() for c in piece.text):
            pieces.append(piece)
    return pieces


def _mention(candidate: Candidate, actor: Actor) -> Mention:
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


def _generated(candidate: Candidate, category: str, name: str | None = None) -> Mention:
    name = name or candidate.text
    return Mention(
        candidate.start, candidate.end, candidate.text, candidate.label, slugify(name), name, category, None
    )


def merge_sub_bodies(candidates: list[Candidate], document_text: str) -> list[Candidate]:
    """'The Information Policy Department' + ' of the ' + 'Presidential Administration' is one
    span naming a body of the second organisation: join such neighbours."""
    ordered = sorted(candidates, key=lambda c: (c.start, -c.end))
    merged: list[Candidate] = []
    for candidate in ordered:
        previous = merged[-1] if merged else None
        if (
            previous is not None
            and previous.label == "ORG"
            and candidate.label in ("ORG", "GPE")
            and _OF_GAP.match(document_text[previous.end : candidate.start])
            and BODY_WORDS & set(previous.text.lower().split())
        ):
            merged[-1] = Candidate(
                previous.start, candidate.end, document_text[previous.start : candidate.end], "ORG"
            )
            continue
        merged.append(candidate)
    return merged


def is_generic(text: str) -> bool:
    """Only titles and generic nouns ('Heads of Government', 'Member States')."""
    words = [w for w in normalise_name(text).split() if w not in {"of", "the", "and", "for", "in"}]
    return bool(words) and all(w in TITLE_WORDS or w in GENERIC_WORDS or w in BODY_WORDS for w in words)


class DocumentResolver:
    """Resolves the candidates of one document; holds what the document has named so far."""

    def __init__(
        self,
        lexicon: Lexicon,
        institutions: tuple[Institution, ...],
        date: dt.date | None = None,
    ) -> None:
        self.lexicon = lexicon
        self.date = date
        self.institution_index = {
            normalise_name(synonym): institution
            for institution in institutions
            for synonym in institution.synonyms
        }

    # -- institutions and sub-bodies -------------------------------------------------
    def _country_in(self, words: list[str]) -> Actor | None:
        for size in range(min(len(words), 5), 0, -1):
            for begin in range(0, len(words) - size + 1):
                actor = self.lexicon.lookup(" ".join(words[begin : begin + size]))
                if actor and actor.category == "country":
                    return actor
        return None

    def _institution(self, candidate: Candidate, home: Actor | None) -> Mention | None:
        """'Kyrgyz Foreign Ministry', 'Ministry of Foreign Affairs of Russia', 'the CEC'."""
        words = normalise_name(candidate.text).split()
        for size in range(len(words), 0, -1):
            for begin in range(0, len(words) - size + 1):
                institution = self.institution_index.get(" ".join(words[begin : begin + size]))
                if not institution:
                    continue
                before, after = words[:begin], words[begin + size :]
                while before and before[-1] == "the":
                    before = before[:-1]
                if before and before[-1] == "of" and BODY_WORDS & set(before):
                    before = []  # "Information Policy Department of the Presidential Administration"
                rest = before + after
                country = self._country_in(rest) if rest else None
                if rest and (country is None or len(rest) > 4):
                    return None  # qualified by something other than a country
                country = country or home
                if country is None:
                    return None
                key = f"{country.key}-{institution.suffix}"
                actor = self.lexicon.actors.get(key) or Actor(
                    key, f"{institution.name} of {country.name}", "organization", affiliation=country.key
                )
                return _mention(candidate, actor)
        return None

    def _contained_actor(self, candidate: Candidate) -> Mention | None:
        """'OSCE Programme Office in Bishkek' -> OSCE; 'Ministry of Energy of Kazakhstan' ->
        a Kazakh body. Organisations win over countries, countries over places."""
        words = normalise_name(candidate.text).split()
        found: dict[str, tuple[int, Actor]] = {}
        for size in range(min(len(words) - 1, 8), 0, -1):
            for begin in range(0, len(words) - size + 1):
                actor = self.lexicon.lookup(" ".join(words[begin : begin + size]))
                if actor and actor.category != "person" and actor.category not in found:
                    found[actor.category] = (begin, actor)
        if "organization" in found:
            return _mention(candidate, found["organization"][1])
        if "country" in found:
            country = found["country"][1]
            name = candidate.text
            return Mention(
                candidate.start,
                candidate.end,
                candidate.text,
                candidate.label,
                f"{country.key}-{slugify(name)}",
                name,
                "organization",
                country.key,
            )
        return None

    # -- persons -------------------------------------------------------------------------
    def _person_from_surname(self, candidate: Candidate) -> Actor | None:
        people = self.lexicon.persons_with_surname(candidate.text.split()[-1])
        if len(people) > 1 and self.date:
            people = tuple(
                person for person in people if any(o.held_on(self.date) for o in person.offices)
            )
        return people[0] if len(people) == 1 else None

    def resolve(self, candidates: list[Candidate], document_text: str) -> list[Mention]:
        resolved: list[Mention] = []
        pending: list[Candidate] = []
        for candidate in merge_sub_bodies(candidates, document_text):
            if candidate.key and candidate.key in self.lexicon.actors:
                resolved.append(_mention(candidate, self.lexicon.actors[candidate.key]))
                continue
            for piece in clean_candidate(candidate, document_text, self.lexicon):
                actor = self.lexicon.lookup(piece.text)
                if actor:
                    resolved.append(_mention(piece, actor))
                elif not self.lexicon.is_non_actor(piece.text) or piece.label == "ORG":
                    pending.append(piece)
        countries = Counter(m.key for m in resolved if m.category == "country")
        home_key = countries.most_common(1)[0][0] if countries else None
        home = self.lexicon.actors.get(home_key) if home_key else None

        # full person names in this document, known or not, for within-document linking
        people: dict[str, Mention] = {}
        for mention in resolved:
            if mention.category == "person":
                people.setdefault(normalise_name(mention.text), mention)
        for piece in pending:
            if piece.label == "PERSON" and len(piece.text.split()) > 1:
                mention = _generated(piece, "person")
                people.setdefault(normalise_name(piece.text), mention)

        surnames = {
            normalise_name(m.text).split()[-1] for m in people.values()
        } | {normalise_name(p.text).split()[-1] for p in pending if p.label == "PERSON"}
        for piece in pending:
            if piece.label in ("ORG", "GPE") and self._looks_like_person(piece, surnames):
                piece = replace(piece, label="PERSON")
                mention = _generated(piece, "person")
                people.setdefault(normalise_name(piece.text), mention)
        for piece in pending:
            mention = self._resolve_pending(piece, people, home)
            if mention:
                resolved.append(mention)
        return sorted(resolved, key=lambda m: (m.start, m.end))

    def _looks_like_person(self, piece: Candidate, surnames: set[str]) -> bool:
        """'Alexey Rogov' labelled ORG while 'Rogov' is a person elsewhere in the text."""
        words = piece.text.split()
        return (
            1 < len(words) <= 4
            and all(w[:1].isupper() for w in words)
            and normalise_name(words[-1]) in surnames
            and not BODY_WORDS & {w.lower() for w in words}
            and self._institution(piece, None) is None
        )

    def _linked_person(self, piece: Candidate, people: dict[str, Mention]) -> Mention | None:
        normalised = normalise_name(piece.text)
        if normalised in people:
            return people[normalised]
        words = normalised.split()
        matches = {
            m.key: m
            for full, m in people.items()
            if len(full.split()) > len(words) and full.split()[-len(words) :] == words
        }
        if len(matches) != 1 and len(words) == 1:  # a first name alone ("Natalia")
            matches = {m.key: m for full, m in people.items() if full.split()[0] == words[0]}
        return next(iter(matches.values())) if len(matches) == 1 else None

    def _resolve_pending(
        self, piece: Candidate, people: dict[str, Mention], home: Actor | None
    ) -> Mention | None:
        linked = self._linked_person(piece, people)
        if linked:
            return replace(linked, start=piece.start, end=piece.end, text=piece.text, label=piece.label)
        if piece.label == "PERSON":
            actor = self._person_from_surname(piece)
            if actor:
                return _mention(piece, actor)
            if self.lexicon.is_non_actor(piece.text):
                return None
            return _generated(piece, "person")
        if piece.label == "ORG":
            mention = self._institution(piece, home)
            if mention:
                return mention
            if self.lexicon.is_non_actor(piece.text) or is_generic(piece.text):
                return None
            mention = self._contained_actor(piece)
            if mention:
                return mention
            if piece.text[:1].isupper() and any(w[:1].isupper() for w in piece.text.split()):
                return _generated(piece, "organization")
            return None
        if piece.label in ("GPE", "LOC") and piece.text[:1].isupper():
            return _generated(piece, "place")
        return None  # an unknown nationality or group (NORP) names no actor


def resolve_document(
    candidates: list[Candidate],
    document_text: str,
    lexicon: Lexicon,
    institutions: tuple[Institution, ...],
    date: dt.date | None = None,
) -> list[Mention]:
    """All actor mentions of one document, resolved to canonical actors."""
    return DocumentResolver(lexicon, institutions, date).resolve(candidates, document_text)
