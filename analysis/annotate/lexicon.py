"""The actor lexicon: canonical actors, their aliases, affiliations and offices, as data.

The lexicon is general knowledge (countries, organisations, office holders), shipped as
`lexicons/actors.yaml` and extendable or replaceable by a user's own file. Loading validates
every entry and names the file and entry of any problem, because a silently wrong lexicon
would bias every count downstream.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from analysis.errors import AnalysisError
from analysis.lang.words import load_language
from analysis.schema import ACTOR_CATEGORIES, DEFAULT_LANGUAGE
from analysis.yamlfile import YamlTooLarge, safe_load_unique, short

LEXICON_DIR = Path(__file__).parents[1] / "lexicons"
DEFAULT_ACTORS_PATH = LEXICON_DIR / "actors.yaml"
DEFAULT_NON_ACTORS_PATH = LEXICON_DIR / "non_actors.yaml"

ACTOR_FIELDS = {"key", "name", "category", "aliases", "demonyms", "affiliation", "wikidata", "offices", "names"}
_LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}$")
OFFICE_FIELDS = {"role", "of", "start", "end"}
_KEY_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")


class LexiconError(AnalysisError):
    """A lexicon file is malformed; the message names the file, the entry and the problem."""


@dataclass(frozen=True)
class Office:
    role: str
    of: str | None
    start: dt.date | None
    end: dt.date | None

    def held_on(self, date: dt.date) -> bool:
        return (self.start is None or self.start <= date) and (self.end is None or date <= self.end)


@dataclass(frozen=True)
class Actor:
    key: str
    name: str
    category: str
    aliases: tuple[str, ...] = ()
    demonyms: tuple[str, ...] = ()
    affiliation: str | None = None
    wikidata: str | None = None
    offices: tuple[Office, ...] = ()
    # names in other languages, matched in documents of that language: (("ru", ("Садыр Жапаров",)),)
    names: tuple[tuple[str, tuple[str, ...]], ...] = ()

    @property
    def surface_forms(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(character for character in decomposed if not unicodedata.combining(character))


# The apostrophes a possessive or a transliterated name is written with: typewriter, typographic,
# the modifier letter of Latin-script Kazakh and Uzbek ("Kazakhstanʼs", "Oʻzbekiston"), prime,
# acute and grave accents used as one.
APOSTROPHES = "'\u2019\u2018\u02bc\u02bb\u2032\u00b4`"
_APOSTROPHE = re.compile(f"[{re.escape(APOSTROPHES)}]")


def normalise_name(text: str) -> str:
    """The form aliases are compared in: no accents, case, leading 'the', possessive,
    dots in acronyms or hyphen variants; single spaces."""
    text = strip_accents(text).lower()
    text = re.sub(r"[\u2010-\u2015\u2212]", "-", text)
    text = _APOSTROPHE.sub("'", text)
    text = re.sub(r"(?<=\b[a-z])\.(?=[a-z]\b|\s|$)", "", text)  # u.n. -> un, u.s. -> us
    text = re.sub(r"'s\b|'$", "", text)
    text = re.sub(r"\s*-\s*", "-", text)
    text = " ".join(re.sub(r"[^\w'&-]+", " ", text).split())
    return _leading_article().sub("", text)


@lru_cache(maxsize=1)
def _leading_article() -> re.Pattern:
    """The articles that open a name in the language the lexicon is written in (English:
    "the"; analysis/lang/<code>/words.yaml `name_articles`)."""
    articles = load_language(DEFAULT_LANGUAGE).name_articles
    if not articles:
        return re.compile(r"(?!)")
    return re.compile(rf"^(?:{'|'.join(re.escape(word) for word in sorted(articles, key=len, reverse=True))})\s+")


def slugify(text: str) -> str:
    """A stable key from a name: 'Sadyr Japarov' -> 'sadyr-japarov'; names in other scripts
    keep their letters ('Садыр Жапаров' -> 'садыр-жапаров'), so they never collide."""
    plain = strip_accents(text).lower()
    pattern = r"[^a-z0-9]+" if plain.isascii() else r"[\W_]+"
    return re.sub(pattern, "-", plain).strip("-") or "unnamed"


def _as_date(value: object, where: str) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise LexiconError(f"{where}: {short(value)} is not a date (expected YYYY-MM-DD)") from None


def _string_list(entry: dict, name: str, where: str) -> tuple[str, ...]:
    values = entry.get(name) or []
    if not isinstance(values, list) or not all(isinstance(v, str) and v.strip() for v in values):
        raise LexiconError(f"{where}: '{name}' must be a list of non-empty strings, got {short(values)}")
    return tuple(values)


def _parse_actor(entry: object, where: str) -> Actor:
    if not isinstance(entry, dict):
        raise LexiconError(f"{where}: expected a mapping with key, name, category; got {short(entry)}")
    unknown = set(entry) - ACTOR_FIELDS
    if unknown:
        raise LexiconError(f"{where}: unknown field(s) {sorted(unknown)}; expected {sorted(ACTOR_FIELDS)}")
    for required in ("key", "name", "category"):
        if not isinstance(entry.get(required), str) or not entry[required].strip():
            raise LexiconError(f"{where}: missing or empty '{required}'")
    key = entry["key"]
    where = f"{where} ({key})"
    if not _KEY_PATTERN.match(key):
        raise LexiconError(f"{where}: key must be lower-case letters, digits and hyphens")
    if entry["category"] not in ACTOR_CATEGORIES:
        raise LexiconError(
            f"{where}: category {short(entry['category'])} is not one of {list(ACTOR_CATEGORIES)}"
        )
    offices = []
    for number, office in enumerate(entry.get("offices") or []):
        office_where = f"{where} office {number}"
        if not isinstance(office, dict) or not isinstance(office.get("role"), str):
            raise LexiconError(f"{office_where}: expected a mapping with a 'role'")
        if set(office) - OFFICE_FIELDS:
            raise LexiconError(f"{office_where}: unknown field(s) {sorted(set(office) - OFFICE_FIELDS)}")
        offices.append(
            Office(
                office["role"],
                office.get("of"),
                _as_date(office.get("start"), office_where),
                _as_date(office.get("end"), office_where),
            )
        )
    names = entry.get("names") or {}
    if not isinstance(names, dict) or not all(isinstance(code, str) and _LANGUAGE_CODE.match(code) for code in names):
        raise LexiconError(
            f"{where}: 'names' must map language codes (ru, kk, ...) to lists of names, got {short(names)}")
    return Actor(
        names=tuple((code, _string_list(names, code, f"{where} names")) for code in sorted(names)),
        key=key,
        name=entry["name"].strip(),
        category=entry["category"],
        aliases=_string_list(entry, "aliases", where),
        demonyms=_string_list(entry, "demonyms", where),
        affiliation=entry.get("affiliation") or None,
        wikidata=entry.get("wikidata") or None,
        offices=tuple(offices),
    )


def _read_yaml(path: Path, top_field: str) -> list:
    try:
        data = safe_load_unique(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise LexiconError(f"{path}: lexicon file not found") from None
    except YamlTooLarge as error:
        raise LexiconError(f"{path}: {error.problem}") from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = f"{mark.line + 1}:" if mark else ""
        problem = " ".join(str(getattr(error, "problem", None) or error).split())  # one line
        raise LexiconError(f"{path}:{line} not valid YAML: {problem}") from None
    if not isinstance(data, dict) or not isinstance(data.get(top_field), list):
        raise LexiconError(f"{path}: expected a mapping with a '{top_field}' list at the top level")
    return data[top_field]


def read_actor_file(path: str | Path) -> list[Actor]:
    path = Path(path)
    return [
        _parse_actor(entry, f"{path}: entry {number}")
        for number, entry in enumerate(_read_yaml(path, "actors"))
    ]


@dataclass
class Lexicon:
    """Actors by key, with an index from normalised alias to key."""

    actors: dict[str, Actor]
    non_actors: frozenset[str] = frozenset()
    fingerprint: str = ""
    # Bare institution names ("Foreign Ministry", "Presidential Administration"): never looked
    # up directly, because which country's body they are depends on the document.
    generic_forms: frozenset[str] = frozenset()
    alias_index: dict[str, str] = field(default_factory=dict)
    surname_index: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # The language the lexicon is matched in: how a text becomes the form aliases are compared
    # in, and the names of that language each actor has besides its own (key -> names).
    language: str = DEFAULT_LANGUAGE
    normalise: Callable[[str], str] = normalise_name
    names: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def forms_of(self, actor: Actor) -> tuple[str, ...]:
        """Every form the actor is matched by in this lexicon's language."""
        return (*self.names.get(actor.key, ()), *actor.surface_forms, *actor.demonyms)

    def __post_init__(self) -> None:
        surnames: dict[str, set[str]] = defaultdict(set)
        for actor in self.actors.values():
            for form in self.forms_of(actor):
                if self.normalise(form) not in self.generic_forms:
                    self.alias_index.setdefault(self.normalise(form), actor.key)
            if actor.category == "person":
                for form in (*self.names.get(actor.key, ()), *actor.surface_forms):
                    surnames[self.normalise(form).split()[-1]].add(actor.key)
        self.surname_index = {name: tuple(sorted(keys)) for name, keys in surnames.items()}

    def lookup(self, text: str) -> Actor | None:
        key = self.alias_index.get(self.normalise(text))
        return self.actors[key] if key else None

    def persons_with_surname(self, surname: str) -> tuple[Actor, ...]:
        return tuple(self.actors[key] for key in self.surname_index.get(self.normalise(surname), ()))

    def is_non_actor(self, text: str) -> bool:
        return self.normalise(text) in self.non_actors


def _check_lexicon(actors: dict[str, Actor], sources: str) -> None:
    owners: dict[str, str] = {}
    for actor in actors.values():
        if actor.affiliation and actor.affiliation not in actors:
            raise LexiconError(
                f"{sources}: actor {actor.key!r} has affiliation {actor.affiliation!r}, "
                "which is not a key of the lexicon"
            )
        for form in (*actor.surface_forms, *actor.demonyms):
            normalised = normalise_name(form)
            other = owners.setdefault(normalised, actor.key)
            if other != actor.key:
                raise LexiconError(
                    f"{sources}: alias {form!r} belongs to both {other!r} and {actor.key!r}"
                )


def load_lexicon(
    path: str | Path | None = None,
    extend: bool = True,
    non_actors_path: str | Path | None = None,
    generic_forms: frozenset[str] = frozenset(),
) -> Lexicon:
    """The default lexicon, or a user's file that extends it (new keys only) or replaces it.

    A user entry whose key the default already defines is an error, not a silent replacement:
    replacing `kgz` would drop the built-in aliases and "Kyrgyzstan" would stop resolving."""
    files = [DEFAULT_ACTORS_PATH] if path is None or extend else []
    if path is not None:
        files.append(Path(path))
    actors: dict[str, Actor] = {}
    defined_in: dict[str, Path] = {}
    digest = hashlib.sha256()
    for file in files:
        digest.update(Path(file).read_bytes() if Path(file).exists() else b"")
        file_actors = read_actor_file(file)
        for number, actor in enumerate(file_actors):
            if actor.key in defined_in:
                other = defined_in[actor.key]
                raise LexiconError(
                    f"{file}: entry {number} ({actor.key}): key {actor.key!r} is already defined in "
                    + ("this file" if other == file else
                       f"{other}; choose another key, or pass --replace-lexicons to use only your file")
                )
            defined_in[actor.key] = file
            actors[actor.key] = actor
    _check_lexicon(actors, " + ".join(str(file) for file in files))
    non_actor_file = Path(non_actors_path) if non_actors_path else DEFAULT_NON_ACTORS_PATH
    digest.update(non_actor_file.read_bytes())
    non_actors = frozenset(
        normalise_name(phrase)
        for group in _read_yaml(non_actor_file, "groups")
        for phrase in (group.get("phrases") or [])
    )
    return Lexicon(actors, non_actors, digest.hexdigest()[:16], frozenset(map(normalise_name, generic_forms)))
