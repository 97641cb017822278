"""The one call notebooks and the CLI share: read a corpus and annotate it (cached)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis.annotate import AnnotatedParts, annotate_to_cache
from analysis.corpus import DEFAULT_MAX_BYTES, corpus_fingerprint, read_corpus
from analysis.engines import EngineConfig
from analysis.nlp import DEFAULT_PIPELINE, AnnotatorConfig

PACKAGE_DIR = Path(__file__).resolve().parent


def project_root() -> Path:
    """The repository root (where pyproject.toml is), else the current directory."""
    for folder in (PACKAGE_DIR.parent, *PACKAGE_DIR.parents):
        if (folder / "pyproject.toml").exists() and (folder / "analysis").is_dir():
            return folder
    return Path.cwd()


def project_path(path: str | Path) -> Path:
    """A path as a notebook parameter gives it: relative paths are relative to the project
    root, whatever folder the kernel was started in (papermill, nbval and Jupyter differ)."""
    path = Path(path)
    return path if path.is_absolute() else project_root() / path


def default_cache_dir() -> Path:
    """`$KG_COOCCURRENCE_CACHE` if set (tests use a temporary one), else .cache/annotations."""
    configured = os.environ.get("KG_COOCCURRENCE_CACHE")
    return Path(configured) if configured else project_root() / ".cache" / "annotations"


@dataclass
class AnnotatedCorpus:
    """Everything downstream analysis needs: the two tables, sentences and what went wrong."""

    documents: pd.DataFrame
    problems: pd.DataFrame
    mentions: pd.DataFrame
    sentences: pd.DataFrame
    corpus_fingerprint: str
    pipeline_fingerprint: str


@dataclass
class CachedCorpus:
    """A corpus annotated into the cache with its mention tables left on disk, for corpora
    too large to hold in memory: `parts.partitions()` reads them one part at a time."""

    documents: pd.DataFrame
    problems: pd.DataFrame
    parts: AnnotatedParts
    corpus_fingerprint: str
    pipeline_fingerprint: str

    def load(self) -> AnnotatedCorpus:
        mentions, sentences = self.parts.load()
        return AnnotatedCorpus(self.documents, self.problems, mentions, sentences, self.corpus_fingerprint,
                               self.pipeline_fingerprint)


def annotate_corpus(
    corpus: str | Path,
    annotator: AnnotatorConfig | None = None,
    engine: EngineConfig | None = None,
    cache_dir: str | Path | None = None,
    progress: bool | None = None,
    strict: bool = False,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> CachedCorpus:
    """Read `corpus` and annotate it into the cache, batch by batch; spaCy runs only on
    documents the cache does not hold, and the mention tables stay on disk (the documents
    table with its texts is still read whole first). `annotator` says what annotates (default
    pipeline and lexicons), `engine` where (default: this process)."""
    documents, problems = read_corpus(corpus, strict=strict, max_bytes=max_bytes)
    built = (annotator or AnnotatorConfig()).build()
    parts = annotate_to_cache(
        documents, built, cache_dir=default_cache_dir() if cache_dir is None else cache_dir,
        engine=engine, progress=progress,
    )
    return CachedCorpus(documents, problems, parts, corpus_fingerprint(documents), built.fingerprint)


def load_annotated_corpus(
    corpus: str | Path,
    pipeline: str = DEFAULT_PIPELINE,
    lexicon: str | Path | None = None,
    themes: str | Path | None = None,
    extend_lexicons: bool = True,
    *,
    engine: EngineConfig | None = None,
    cache_dir: str | Path | None = None,
    progress: bool | None = None,
    strict: bool = False,
) -> AnnotatedCorpus:
    """Read `corpus` and annotate it (cached), with the tables in memory: what notebooks use
    (hence the pipeline and lexicons as plain parameters, as the notebooks' cells give them)."""
    config = AnnotatorConfig(pipeline, lexicon, themes, extend_lexicons)
    return annotate_corpus(corpus, config, engine, cache_dir=cache_dir, progress=progress, strict=strict).load()
