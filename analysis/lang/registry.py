"""Which languages are annotated, and by what: one package per language, as in spaCy's
`spacy/lang/`, found here by folder.

Each folder `analysis/lang/<code>/` holds everything particular to its language (word lists,
dateline patterns, lexicon translations, the rules and finders that read its words, the builder
of its annotation path) and says so in one object, `DEFAULTS`, a `LanguageDefaults`, in its
`__init__.py`. The registry imports every such folder when it is first imported (each
`__init__.py` is light: the heavy parts are named as "module:function" and imported only when a
document of that language is annotated, so reading a corpus never loads a model).
`register_language` adds a language from a folder elsewhere (a user's, a test's) or from a
`LanguageDefaults` object; `unregister_language` removes it. Shared code asks this registry,
never a code: the corpus reader, the language detection, the dateline reader, the batch
annotator and the cache fingerprint (a language's fingerprint is the digest of its folder)
follow from it.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import sys
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib import import_module
from pathlib import Path
from typing import Any

from analysis.schema import DEFAULT_LANGUAGE

__all__ = ["DEFAULT_LANGUAGE", "LanguageDefaults", "LanguageRegistryError", "get_language", "language_name",
           "languages_with", "register_language", "registered_languages", "supported_languages",
           "unregister_language"]

LANG_DIR = Path(__file__).resolve().parent
# Names for problem messages ("no pipeline for language 'ky' (Kyrgyz)"): ISO 639-1 codes a
# detector may give for news of the region and its neighbours.
LANGUAGE_NAMES = {
    "en": "English", "ru": "Russian", "ky": "Kyrgyz", "kk": "Kazakh", "uz": "Uzbek", "tg": "Tajik",
    "tk": "Turkmen", "tr": "Turkish", "uk": "Ukrainian", "be": "Belarusian", "mn": "Mongolian",
    "zh": "Chinese", "de": "German", "fr": "French", "fa": "Persian", "ar": "Arabic", "bg": "Bulgarian",
    "sr": "Serbian", "mk": "Macedonian", "az": "Azerbaijani", "tt": "Tatar",
}
# The files a language folder may hold, by what they give (each optional but words.yaml).
WORDS_FILE, DATES_FILE, ACTORS_FILE, THEMES_FILE = "words.yaml", "dates.yaml", "actors.yaml", "themes.yaml"
THEME_MODEL_FILE = "theme_model.tsv"  # the language's theme model, if any (analysis.annotate.theme_model)
READING_FILE = "reading.yaml"  # wire boilerplate, source lines, attributions (analysis.corpus.boilerplate)


class LanguageRegistryError(ValueError):
    """A language folder cannot be registered; the message names the folder and what is missing."""


Reference = str | Callable[..., Any]  # "module:attribute", imported when first used, or the object


def _resolve(reference: Reference) -> Any:
    if not isinstance(reference, str):
        return reference
    module, _, attribute = reference.partition(":")
    return getattr(import_module(module), attribute)


@dataclass(frozen=True)
class LanguageDefaults:
    """One language: what shared code needs to know about it, and where the rest lives.

    `builder` turns an `analysis.annotate.pipeline.Annotator` into that language's
    `LanguageAnnotator` (spaCy pipeline, resolver, themes, word lists, headline casing).
    `finders` (an `analysis.lang.words.Finders`) locate, in this language's words, what shared
    rules decide about: roles standing for an office holder, lists of areas of cooperation,
    association contexts, press credits. `fingerprint` gives what besides the folder and
    `packages` decides the annotations (English: its trained spaCy pipeline's version), and
    raises `analysis.annotate.pipeline.PipelineError` when that is not installed. `script`: a
    regular expression of the letters of the language's script; a short text mostly in them is
    taken to be in this language (`analysis.corpus.detect`). `name_key` gives a word of a name
    in the form names are compared in (Russian: case endings removed, "Пашиняна" -> "пашинян");
    none: the word in lower case. `surname_gender` tells what a written surname says of its
    bearer's gender ("f", "m" or ""); none: nothing. `patronymic` gives the gender a word of a
    name shows as a patronymic ("Кемелевич": "m"), or "" for no patronymic, so "Касым-Жомарт
    Кемелевич" is read as a given name and a patronymic, not a surname; none: no word is one.
    `trigger_forms` gives every written form of a theme trigger given in its dictionary form
    (Russian: its cases and numbers, "основной закон" -> "основного закона"), matched beside
    its lemmas; none: the trigger and its plurals only. `theme_term` gives a lower-case word in
    the form the theme model (`theme_model.tsv`, analysis.annotate.theme_model) counts it in
    (Russian: its lemma, so every case form is one term); none: the word itself."""

    code: str
    name: str
    builder: Reference
    folder: Path | None = None  # set by the registry to the folder of the package
    packages: tuple[str, ...] = ()  # distributions whose versions decide the annotations
    finders: Reference | None = None
    fingerprint: Reference | None = None  # (AnnotatorConfig) -> str
    script: str | None = None
    name_key: Reference | None = None  # (word) -> the word as names are compared
    surname_gender: Reference | None = None  # (surname as written) -> "f", "m" or ""
    patronymic: Reference | None = None  # (word of a name as written) -> "m", "f" or "" (no patronymic)
    trigger_forms: Reference | None = None  # (trigger phrase) -> its written forms, in lower case
    theme_term: Reference | None = None  # (lower-case word) -> the term the theme model counts

    def file(self, name: str) -> Path:
        if self.folder is None:
            raise LanguageRegistryError(f"language {self.code!r}: no folder registered")
        return self.folder / name

    @property
    def words_file(self) -> Path:
        return self.file(WORDS_FILE)

    @property
    def dates_file(self) -> Path:
        return self.file(DATES_FILE)

    @property
    def actors_file(self) -> Path:
        return self.file(ACTORS_FILE)

    @property
    def themes_file(self) -> Path:
        return self.file(THEMES_FILE)

    @property
    def theme_model_file(self) -> Path:
        return self.file(THEME_MODEL_FILE)

    def theme_form(self) -> Callable[[str], str]:
        """How the theme model counts a lower-case word in this language: its term, or "" for a
        word that says nothing of a theme (spaCy's stop words of the language: "its", "of the",
        "который"), so neither the model nor the evidence it shows leans on them."""
        term = _resolve(self.theme_term) if self.theme_term is not None else _same_word
        stop = _stop_words(self.code)
        return lambda word: "" if word in stop else term(word)

    def build(self, annotator: Any) -> Any:
        return _resolve(self.builder)(annotator)

    def load_finders(self) -> Any:
        return _resolve(self.finders) if self.finders is not None else None

    def key_of(self, word: str) -> str:
        """`word` as names are compared in this language."""
        return _resolve(self.name_key)(word) if self.name_key is not None else word.lower()

    def gender_of(self, surname: str) -> str:
        """What `surname` as written says of gender in this language: "f", "m" or ""."""
        return _resolve(self.surname_gender)(surname) if self.surname_gender is not None else ""

    def patronymic_gender(self, word: str) -> str:
        """The gender `word`, a word of a name as written, shows as a patronymic in this language
        ("m" or "f"), or "" when it is no patronymic."""
        return str(_resolve(self.patronymic)(word)) if self.patronymic is not None else ""

    def forms_of_trigger(self, phrase: str) -> frozenset[str]:
        """Every written form of theme trigger `phrase` in this language (lower case), the
        phrase itself included."""
        own = frozenset({phrase.lower()})
        return own | frozenset(_resolve(self.trigger_forms)(phrase)) if self.trigger_forms is not None else own

    def extra_fingerprint(self, config: Any) -> str:
        return str(_resolve(self.fingerprint)(config)) if self.fingerprint is not None else ""


def _same_word(word: str) -> str:
    return word


@cache
def _stop_words(code: str) -> frozenset[str]:
    """spaCy's stop words of language `code` (none for a language spaCy does not know)."""
    from spacy.util import get_lang_class

    try:
        return frozenset(get_lang_class(code).Defaults.stop_words)
    except ImportError:
        return frozenset()


_LANGUAGES: dict[str, LanguageDefaults] = {}


def _load_folder(folder: Path) -> LanguageDefaults:
    """The `DEFAULTS` of a language folder outside the package, imported under a private
    module name (its own modules are importable relative to it)."""
    init = folder / "__init__.py"
    if not init.is_file():
        raise LanguageRegistryError(f"{folder}: a language folder needs an __init__.py defining DEFAULTS")
    name = f"analysis_language_{folder.name}"
    spec = importlib.util.spec_from_file_location(name, init, submodule_search_locations=[str(folder)])
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return _defaults_of(module, folder)


def _defaults_of(module: Any, folder: Path) -> LanguageDefaults:
    defaults = getattr(module, "DEFAULTS", None)
    if not isinstance(defaults, LanguageDefaults):
        raise LanguageRegistryError(f"{folder / '__init__.py'}: expected DEFAULTS = LanguageDefaults(...)")
    if not (folder / WORDS_FILE).is_file():
        raise LanguageRegistryError(f"{folder}: a language folder needs {WORDS_FILE}")
    return dataclasses.replace(defaults, folder=folder.resolve())


def register_language(language: LanguageDefaults | str | Path) -> LanguageDefaults:
    """Add (or replace) a language: a folder holding `__init__.py` (with `DEFAULTS`) and
    `words.yaml`, or a `LanguageDefaults` whose `folder` is set. Returns what was registered."""
    if isinstance(language, LanguageDefaults):
        if language.folder is None:
            raise LanguageRegistryError(f"language {language.code!r}: LanguageDefaults.folder must be set")
        defaults = dataclasses.replace(language, folder=Path(language.folder).resolve())
    else:
        defaults = _load_folder(Path(language))
    _LANGUAGES[defaults.code] = defaults
    _forget_loaded()
    return defaults


def unregister_language(code: str) -> None:
    """Remove language `code` (a test's toy language); unknown codes are ignored."""
    _LANGUAGES.pop(code, None)
    _forget_loaded()


def _forget_loaded() -> None:
    """Word lists and dateline patterns are read once per language: re-read after a change."""
    from analysis.lang.words import load_language

    load_language.cache_clear()


def _discover() -> None:
    """Every folder of `analysis/lang/` that is a package with `DEFAULTS`, in name order."""
    for init in sorted(LANG_DIR.glob("*/__init__.py")):
        module = import_module(f"{__package__}.{init.parent.name}")
        if hasattr(module, "DEFAULTS"):
            defaults = _defaults_of(module, init.parent)
            _LANGUAGES[defaults.code] = defaults


def get_language(code: str) -> LanguageDefaults:
    try:
        return _LANGUAGES[code]
    except KeyError:
        raise LanguageRegistryError(f"no language {code!r} registered; registered: {list(_LANGUAGES)}") from None


def registered_languages() -> dict[str, LanguageDefaults]:
    return dict(_LANGUAGES)


def supported_languages() -> tuple[str, ...]:
    return tuple(_LANGUAGES)


def languages_with(file: str) -> tuple[str, ...]:
    """The registered languages whose folder holds `file` (e.g. dates.yaml), in registry order."""
    return tuple(code for code, defaults in _LANGUAGES.items() if defaults.file(file).is_file())


def language_name(code: str) -> str:
    defaults = _LANGUAGES.get(code)
    return defaults.name if defaults else LANGUAGE_NAMES.get(code, code)


_discover()
