"""Language data (word lists) for one language, read from `analysis/lang/<code>/words.yaml`.

The resolver, the sentence repair and the ordinary-word test take their English words from
here rather than from constants in code, so supporting another language is adding a folder.
A malformed file is an error naming the file and the field.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

LANG_DIR = Path(__file__).parent
WORD_LISTS = (
    "determiners", "titles", "honorifics", "name_particles", "body_words", "generic_words",
    "connectors", "conjunctions", "of_words", "sentence_final", "cooperation_words", "membership_words",
)
# Lists a language may leave out (empty then): a language whose headlines are not written in
# Title Case needs no small words to put back in lower case.
OPTIONAL_WORD_LISTS = ("headline_small_words", "title_heads", "title_links", "formula_words", "goal_words")


class LanguageError(ValueError):
    """A language data file is missing or malformed; the message names the file and field."""


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
    plural_rules: tuple[tuple[str, str], ...]
    roles: dict[str, str]
    # theme rules (analysis.annotate.themes): heads of job titles and names ("minister",
    # "ministry") and the words linking them to their object ("of"); words of set formulas
    # of goals ("peace", "stability")
    title_heads: frozenset[str] = frozenset()
    title_links: frozenset[str] = frozenset()
    formula_words: frozenset[str] = frozenset()
    goal_words: frozenset[str] = frozenset()  # "ensure", "strengthen" before a formula word
    # base forms from morphology, for a language whose words inflect beyond plurals (set by
    # its annotation path: Russian "суда" -> "суд"); None: the plural rules alone
    base_forms: Callable[[str], list[str]] | None = None

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
        raise LanguageError(f"{path}: field {name!r} must be a list of non-empty strings, got {values!r}")
    return frozenset(value.lower() for value in values)


def read_language(path: str | Path, code: str = "") -> LanguageData:
    """Read and validate one words.yaml."""
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise LanguageError(f"{path}: language data file not found") from None
    if not isinstance(data, dict):
        raise LanguageError(f"{path}: expected a mapping of word lists at the top level")
    rules = data.get("plural_rules") or []
    if not isinstance(rules, list) or not all(
        isinstance(rule, list) and len(rule) == 2 and all(isinstance(part, str) for part in rule)
        for rule in rules
    ):
        raise LanguageError(f"{path}: 'plural_rules' must be a list of [ending, replacement] pairs")
    lists = {name: _word_list(data, name, path) for name in WORD_LISTS}
    lists.update({name: _word_list(data, name, path) if name in data else frozenset()
                  for name in OPTIONAL_WORD_LISTS})
    roles = data.get("roles") or {}
    if not isinstance(roles, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in roles.items()):
        raise LanguageError(f"{path}: 'roles' must map role phrases to office roles (strings)")
    return LanguageData(code=code or path.parent.name, plural_rules=tuple(map(tuple, rules)),
                        roles={k.lower(): v for k, v in roles.items()}, **lists)


@lru_cache(maxsize=8)
def load_language(code: str = "en") -> LanguageData:
    """The shipped word lists of language `code` (read once per process)."""
    return read_language(LANG_DIR / code / "words.yaml", code)
