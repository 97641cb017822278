"""The one call notebooks and the CLI share: read a corpus and annotate it (cached)."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analysis.annotate.cache import AnnotatedParts, Annotations, annotate_to_cache
from analysis.annotate.engines import EngineConfig
from analysis.annotate.pipeline import DEFAULT_PIPELINE, AnnotatorConfig
from analysis.corpus import outlets as _outlets
from analysis.corpus import stories as _stories
from analysis.corpus.document_store import DocumentStore
from analysis.corpus.reader import (
    DEFAULT_MAX_BYTES,
    PROBLEM_COLUMNS,
    CorpusBatch,
    CorpusFingerprint,
    check_corpus,
    iter_corpus,
)
from analysis.corpus.subset import Selection, subset_tables
from analysis.link.actors import COUNTED_COLUMNS, ActorCounts
from analysis.link.corpus import decide_counts, link_mentions, linked_parts
from analysis.link.find import actor_names, find_actor
from analysis.link.link import Links
from analysis.link.merges import Decisions, read_merges
from analysis.schema import conform, empty_frame
from analysis.stats.model import Cooccurrence

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


@dataclass(repr=False)
class AnnotatedCorpus:
    """Everything downstream analysis needs: the two tables, sentences and what went wrong."""

    documents: pd.DataFrame
    problems: pd.DataFrame
    mentions: pd.DataFrame
    sentences: pd.DataFrame
    corpus_fingerprint: str
    pipeline_fingerprint: str
    links: Links | None = None  # which keys were linked into which (analysis.link), None if not linked
    unknown_outlets: pd.DataFrame | None = None  # source labels the outlet table does not know
    selection_notes: tuple[str, ...] = ()  # what a selection (`subset`) left out, one sentence each

    def subset(self, start=None, end=None, languages=None, sources=None, source_groups=None) -> AnnotatedCorpus:
        """The corpus restricted to some documents (`analysis.corpus.subset`); `selection_notes`
        says what was left out."""
        documents, mentions, sentences, notes = subset_tables(
            self.documents, self.mentions, self.sentences, Selection(start, end, languages, sources, source_groups))
        return dataclasses.replace(self, documents=documents, mentions=mentions, sentences=sentences,
                                   selection_notes=(*self.selection_notes, *notes))


    def actors(self) -> pd.DataFrame:
        """Every actor key with its name, category, mentions and the surface forms read."""
        return actor_names(self.mentions)

    def find_actor(self, query: str, limit: int = 10) -> pd.DataFrame:
        """The actors a key or any spelling of a name (any script) names, best match first:
        `corpus.find_actor("Ташиев")` finds the key of Kamchybek Tashiev
        (analysis.link.find). An empty table when nothing is alike."""
        return find_actor(self.actors(), query, limit)

    def __repr__(self) -> str:  # a summary: the default would print every table
        return self.summary().to_string()

    def model(self, unit: str = "sentence", level: str = "actor") -> Cooccurrence:
        """The co-occurrence model of this corpus (analysis.stats.model), built once: ask it
        for `pairs`, `pair(a, b)`, `partners(key)`, `evidence(corpus.documents, a, b)`."""
        return Cooccurrence.build(self.mentions, self.sentences, unit, level)

    def summary(self) -> pd.DataFrame:
        """What the corpus holds, in one small table: what a notebook shows for the corpus."""
        documents, mentions = self.documents, self.mentions
        dates = pd.to_datetime(documents.get("date", pd.Series(dtype="datetime64[ns]")), errors="coerce")
        kinds = mentions["kind"] if len(mentions) else pd.Series(dtype=object)
        languages = documents["language"].value_counts() if "language" in documents else pd.Series(dtype="int64")
        rows = {
            "documents": len(documents),
            "languages": ", ".join(f"{code} {count}" for code, count in languages.items()) or "-",
            "dates": f"{dates.min():%Y-%m-%d} to {dates.max():%Y-%m-%d}" if dates.notna().any() else "undated",
            "undated documents": int(dates.isna().sum()),
            "sentences": len(self.sentences),
            "actor keys (after linking)": int(mentions.loc[kinds == "actor", "key"].nunique()),
            "actor mentions": int((kinds == "actor").sum()),
            "theme keys": int(mentions.loc[kinds == "theme", "key"].nunique()),
            "theme mentions": int((kinds == "theme").sum()),
            "problems while reading": len(self.problems),
        }
        return pd.DataFrame({"value": [str(value) for value in rows.values()]},
                            index=pd.Index(list(rows), name="corpus"))




def describe_documents(documents: pd.DataFrame, outlets: Iterable[str | Path] = (),
                       story_threshold: float = _stories.DEFAULT_THRESHOLD) -> tuple[pd.DataFrame, pd.DataFrame]:
    """`documents` with `outlet`, `source_group` (the outlet table) and `story` (near-copies
    grouped), and the source labels the outlet table does not know."""
    matched = _outlets.with_outlets(documents, _outlets.load_outlets(outlets))
    return _stories.with_stories(matched.documents, story_threshold), matched.unknown

@dataclass
class CachedCorpus:
    """A corpus annotated into the cache, for corpora too large to hold in memory: the mention
    tables stay in the cache (`parts.partitions()` reads them one part at a time) and the
    documents table in a temporary Parquet file (`documents_in_batches()`); `documents` and
    `load()` read them whole."""

    store: DocumentStore
    problems: pd.DataFrame
    parts: AnnotatedParts
    corpus_fingerprint: str
    pipeline_fingerprint: str
    # corpus-level actor identity: the lexicon's keys (never merged with each other) and the
    # user's decisions; the links are decided on first use, over every part
    protected: frozenset[str] = frozenset()
    decisions: Decisions = field(default_factory=Decisions)
    _links: Links | None = None

    @property
    def links(self) -> Links:
        """Which actor keys name one actor, decided once over the whole corpus."""
        if self._links is None:
            # only the actor rows and the columns the counts read, not whole parts
            counts = (ActorCounts.of(rows, "doc_key", copies)
                      for rows, copies in self.parts.mention_columns(COUNTED_COLUMNS, kind="actor"))
            self._links = decide_counts(counts, self.protected, self.decisions)
        return self._links

    def partitions(self) -> Iterator[Annotations]:
        """The cache parts (mentions, sentences), mentions under their linked keys: what every
        count reads, so no table sees a key the linking or the user's merges replaced."""
        for mentions, sentences in linked_parts(self.parts.partitions(), self.links):
            yield Annotations(mentions, sentences)

    @property
    def n_documents(self) -> int:
        return self.store.rows

    @property
    def documents(self) -> pd.DataFrame:
        """The whole documents table, texts included, sorted by doc_id (as `read_corpus`)."""
        return self.store.read()

    def documents_in_batches(self, batch_size: int = 1000) -> Iterator[pd.DataFrame]:
        """The documents table a batch at a time, in reading order."""
        return self.store.batches(batch_size)

    def load(self, outlets: Iterable[str | Path] = (),
             story_threshold: float = _stories.DEFAULT_THRESHOLD) -> AnnotatedCorpus:
        """The whole corpus in memory, its mentions linked (analysis.link), its documents with
        their outlet, outlet group and story (`describe_documents`)."""
        mentions, sentences = self.parts.load()
        mentions, self._links = link_mentions(mentions, self.protected, self.decisions)
        documents, unknown = describe_documents(self.documents, outlets, story_threshold)
        return AnnotatedCorpus(documents, self.problems, mentions, sentences, self.corpus_fingerprint,
                               self.pipeline_fingerprint, self._links, unknown)


def _documents(batches: Iterable[CorpusBatch], problems: list[pd.DataFrame],
               fingerprint: CorpusFingerprint) -> Iterator[pd.DataFrame]:
    """The documents of each batch read, keeping the small things as they pass: the problems
    and the fingerprint."""
    for batch in batches:
        if len(batch.problems):
            problems.append(batch.problems)
        fingerprint.add(batch.documents, batch.problems)
        yield batch.documents


def annotate_corpus(
    corpus: str | Path,
    annotator: AnnotatorConfig | None = None,
    engine: EngineConfig | None = None,
    cache_dir: str | Path | None = None,
    progress: bool | None = None,
    strict: bool = False,
    max_bytes: int = DEFAULT_MAX_BYTES,
    merges: str | Path | None = None,
) -> CachedCorpus:
    """Read `corpus` batch by batch and annotate each batch into the cache as it is read; spaCy
    runs only on documents the cache does not hold. The process holds the texts of a batch or
    two (and the engine's batches in flight), never the whole corpus: the documents table goes
    to a temporary Parquet file, the mention tables stay in the cache. With `strict` the
    corpus is read once first, so that a problem stops the run before anything is annotated.
    `annotator` says what annotates (default pipeline and lexicons), `engine` where (default:
    this process); `merges` is the user's decisions on actor identity (analysis.link.merges),
    read before anything is annotated so a malformed file fails first."""
    decisions = read_merges(merges)
    engine = engine or EngineConfig()
    batches = iter_corpus(corpus, engine.batch_size, max_bytes)  # a path that is no corpus fails here
    if strict:
        check_corpus(corpus, max_bytes)
    built = (annotator or AnnotatorConfig()).build()
    problems: list[pd.DataFrame] = []
    fingerprint = CorpusFingerprint()
    store = DocumentStore()
    parts = annotate_to_cache(
        store.passing(_documents(batches, problems, fingerprint)), built,
        cache_dir=default_cache_dir() if cache_dir is None else cache_dir, engine=engine, progress=progress,
    )
    if parts.problems:  # damaged cache parts: their documents were annotated again, and the user is told
        problems.append(pd.DataFrame([{"file": file, "line": None, "reason": reason, "action": "annotated again"}
                                      for file, reason in parts.problems]))
    problem_table = conform(pd.concat(problems, ignore_index=True), PROBLEM_COLUMNS) if problems else empty_frame(
        PROBLEM_COLUMNS)
    return CachedCorpus(store, problem_table, parts, fingerprint.hexdigest(), built.fingerprint,
                        frozenset(built.lexicon.actors), decisions)


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
    merges: str | Path | None = None,
    outlets: Iterable[str | Path] = (),
    story_threshold: float = _stories.DEFAULT_THRESHOLD,
) -> AnnotatedCorpus:
    """Read `corpus` and annotate it (cached), with the tables in memory and the actors linked
    (with the user's `merges` file, if any): what notebooks use (hence the pipeline and
    lexicons as plain parameters, as the notebooks' cells give them). `outlets` extend the
    outlet table; `story_threshold` is the similarity that makes two documents copies of one
    story (`analysis.corpus.stories`)."""
    config = AnnotatorConfig(pipeline, lexicon, themes, extend_lexicons)
    cached = annotate_corpus(corpus, config, engine, cache_dir=cache_dir, progress=progress, strict=strict,
                             merges=merges)
    return cached.load(outlets, story_threshold)


def actor_review(corpus: CachedCorpus) -> pd.DataFrame:
    """The review list of an annotated corpus (analysis.link.review): every automatic merge,
    the merges not made, Cyrillic-only keys, actors named like an outlet, generic bodies."""
    from analysis.annotate.actors import load_institutions
    from analysis.annotate.lexicon import normalise_name
    from analysis.link.review import review_actors

    mentions, _ = corpus.parts.load()
    generic = frozenset(normalise_name(form) for institution in load_institutions() for form in institution.synonyms)
    return review_actors(mentions, corpus.links, corpus.documents, generic)
