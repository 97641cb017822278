"""The one call notebooks and the CLI share: read a corpus and annotate it (cached)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis.annotate import AnnotatedParts, annotate_to_cache
from analysis.corpus import DEFAULT_MAX_BYTES, corpus_fingerprint, read_corpus
from analysis.nlp import DEFAULT_PIPELINE, build_annotator

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
    pipeline: str = DEFAULT_PIPELINE,
    lexicon: str | Path | None = None,
    themes: str | Path | None = None,
    extend_lexicons: bool = True,
    cache_dir: str | Path | None = None,
    n_process: int = 1,
    progress: bool | None = None,
    strict: bool = False,
    engine: str = "local",
    scheduler: str | None = None,
    batch_size: int = 500,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> CachedCorpus:
    """Read `corpus` and annotate it into the cache, batch by batch; spaCy runs only on
    documents the cache does not hold, and memory does not grow with the corpus."""
    documents, problems = read_corpus(corpus, strict=strict, max_bytes=max_bytes)
    annotator = build_annotator(pipeline, lexicon, themes, extend=extend_lexicons)
    parts = annotate_to_cache(
        documents, annotator, cache_dir=default_cache_dir() if cache_dir is None else cache_dir,
        n_process=n_process, batch_size=batch_size, progress=progress, engine=engine, scheduler=scheduler,
    )
    return CachedCorpus(documents, problems, parts, corpus_fingerprint(documents), annotator.fingerprint)


def load_annotated_corpus(
    corpus: str | Path,
    pipeline: str = DEFAULT_PIPELINE,
    lexicon: str | Path | None = None,
    themes: str | Path | None = None,
    extend_lexicons: bool = True,
    cache_dir: str | Path | None = None,
    n_process: int = 1,
    progress: bool | None = None,
    strict: bool = False,
    engine: str = "local",
    scheduler: str | None = None,
) -> AnnotatedCorpus:
    """Read `corpus` and annotate it (cached), with the tables in memory: what notebooks use."""
    return annotate_corpus(
        corpus, pipeline=pipeline, lexicon=lexicon, themes=themes, extend_lexicons=extend_lexicons,
        cache_dir=cache_dir, n_process=n_process, progress=progress, strict=strict, engine=engine,
        scheduler=scheduler,
    ).load()
