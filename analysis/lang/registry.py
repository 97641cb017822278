"""Which languages are annotated, and by what: a registry from language code to the builder
of that language's annotation path.

Each entry names a builder function (as "module:function", imported only when a document of
that language is annotated, so reading a corpus never loads a model) that turns an
`Annotator` into a `LanguageAnnotator`: the spaCy pipeline, the actor resolver, the themes and
the language's word lists. Adding a language is one `register_language` call (or one entry
here) and a folder `analysis/lang/<code>/`, whose content is the language's fingerprint; the
corpus reader, the batch annotator and the cache fingerprint follow from this table.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from typing import Any

DEFAULT_LANGUAGE = "en"
# Names for problem messages ("no pipeline for language 'ky' (Kyrgyz)"): ISO 639-1 codes a
# detector may give for news of the region and its neighbours.
LANGUAGE_NAMES = {
    "en": "English", "ru": "Russian", "ky": "Kyrgyz", "kk": "Kazakh", "uz": "Uzbek", "tg": "Tajik",
    "tk": "Turkmen", "tr": "Turkish", "uk": "Ukrainian", "be": "Belarusian", "mn": "Mongolian",
    "zh": "Chinese", "de": "German", "fr": "French", "fa": "Persian", "ar": "Arabic", "bg": "Bulgarian",
    "sr": "Serbian", "mk": "Macedonian", "az": "Azerbaijani", "tt": "Tatar",
}


@dataclass(frozen=True)
class LanguagePipeline:
    """One annotated language: its code, its name, the builder of its annotation path and the
    distributions whose versions decide its annotations (they and the language's folder go
    into the annotator's fingerprint, so a change re-annotates)."""

    code: str
    name: str
    builder: str  # "module:function" taking an Annotator, returning a LanguageAnnotator
    packages: tuple[str, ...] = ()  # distribution names

    def build(self, annotator: Any) -> Any:
        module, _, function = self.builder.partition(":")
        return getattr(import_module(module), function)(annotator)


LANGUAGE_PIPELINES: dict[str, LanguagePipeline] = {}


def register_language(pipeline: LanguagePipeline) -> None:
    """Add (or replace) the annotation path of one language."""
    LANGUAGE_PIPELINES[pipeline.code] = pipeline


register_language(LanguagePipeline("en", "English", "analysis.annotate.pipeline:english_annotator"))
register_language(LanguagePipeline(
    "ru", "Russian", "analysis.lang.ru.pipeline:russian_annotator",
    packages=("natasha", "slovnet", "navec", "pymorphy3", "pymorphy3-dicts-ru"),
))


def supported_languages() -> tuple[str, ...]:
    return tuple(LANGUAGE_PIPELINES)


def language_name(code: str) -> str:
    pipeline = LANGUAGE_PIPELINES.get(code)
    return pipeline.name if pipeline else LANGUAGE_NAMES.get(code, code)
