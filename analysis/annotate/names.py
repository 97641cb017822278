"""The actor lexicon in another language: one lexicon, the same keys, other names.

The `actors.yaml` of a language's folder (`analysis/lang/<code>/`) gives, for a language:

- `names`: actor key -> the actor's names in that language (full names, short forms,
  country names and their adjectives, institution names, abbreviations);
- `institutions`: institution suffix (`institutions.yaml`) -> its generic names there
  ("МИД", "Министерство иностранных дел"), resolved per document to a country's body;
- `non_actors`: outlets and words that name no actor in that language.

An actor of a user's lexicon gives its names in a language with `names: {ru: [...]}`.

`localise` makes the lexicon of that language: the same actors, matched by their names there
as well as by their own (Latin acronyms appear in Russian text), every form compared through
the language's normaliser (for Russian, normal forms), so "Садыра Жапарова" is `sadyr-japarov`
exactly as "Sadyr Japarov" is. A name given to two actors is an error naming both; a key the
lexicon does not have is skipped (a user's `--replace-lexicons` lexicon may lack it), and the
shipped file is checked against the shipped lexicon by the tests.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from analysis.annotate.actors import Institution
from analysis.annotate.lexicon import Lexicon, LexiconError
from analysis.lang.registry import get_language
from analysis.yamlfile import safe_load_unique, short


@dataclass(frozen=True)
class LanguageNames:
    code: str
    names: dict[str, tuple[str, ...]]
    institutions: dict[str, tuple[str, ...]]
    non_actors: tuple[str, ...]


def _strings(value: object, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise LexiconError(f"{where}: expected a list of non-empty strings, got {short(value)}")
    return tuple(v.strip() for v in value)


def _mapping(data: dict, field: str, path: Path) -> dict[str, tuple[str, ...]]:
    value = data.get(field) or {}
    if not isinstance(value, dict):
        raise LexiconError(f"{path}: '{field}' must map keys to lists of names")
    return {str(key): _strings(names, f"{path}: {field}.{key}") for key, names in value.items()}


def read_names(path: str | Path, code: str = "") -> LanguageNames:
    """Read and validate one `actors.yaml` of a language folder."""
    path = Path(path)
    try:
        data = safe_load_unique(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise LexiconError(f"{path}: language lexicon file not found") from None
    if not isinstance(data, dict):
        raise LexiconError(f"{path}: expected a mapping with 'names', 'institutions', 'non_actors'")
    unknown = set(data) - {"version", "names", "institutions", "non_actors"}
    if unknown:
        raise LexiconError(f"{path}: unknown field(s) {sorted(unknown)}")
    return LanguageNames(code or path.parent.name, _mapping(data, "names", path), _mapping(data, "institutions", path),
                         _strings(data.get("non_actors") or [], f"{path}: non_actors"))


@lru_cache(maxsize=8)
def load_names(code: str) -> LanguageNames:
    return read_names(get_language(code).actors_file, code)


def localise(
    lexicon: Lexicon,
    names: LanguageNames,
    normalise: Callable[[str], str],
    institutions: tuple[Institution, ...],
) -> tuple[Lexicon, tuple[Institution, ...]]:
    """The lexicon and the generic institutions of language `names.code` (see module)."""
    local_institutions = tuple(
        Institution(inst.suffix, inst.name, names.institutions.get(inst.suffix, ()) + inst.synonyms)
        for inst in institutions
    )
    generic = frozenset(normalise(form) for inst in local_institutions for form in inst.synonyms)
    kept = {key: forms for key, forms in names.names.items() if key in lexicon.actors}
    for actor in lexicon.actors.values():  # a user's lexicon entry may bring its own names
        own = dict(actor.names).get(names.code, ())
        if own:
            kept[actor.key] = (*kept.get(actor.key, ()), *own)
    owners: dict[str, str] = {}
    for key, forms in kept.items():
        for form in forms:
            other = owners.setdefault(normalise(form), key)
            if other != key:
                raise LexiconError(f"{get_language(names.code).actors_file}: name {form!r} belongs to both "
                                   f"{other!r} and {key!r}")
    non_actors = frozenset(normalise(phrase) for phrase in (*lexicon.non_actors, *names.non_actors))
    localised = Lexicon(lexicon.actors, non_actors, f"{lexicon.fingerprint}-{names.code}", generic,
                        language=names.code, normalise=normalise, names=kept)
    return localised, local_institutions
