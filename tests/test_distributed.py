"""The Dask engine gives exactly what the local engine gives, on the seeds and on a few
hundred generated documents; and partitioned co-occurrence equals the in-memory table."""

from __future__ import annotations

import random
from pathlib import Path

import pandas as pd
import pytest

from analysis.annotate.cache import annotate
from analysis.annotate.engines import EngineConfig
from analysis.annotate.pipeline import build_annotator
from analysis.corpus.reader import read_corpus
from analysis.stats import cooccurrence
from analysis.stats.partitions import count_partitions, pair_table_over_partitions

pytest.importorskip("dask.distributed")
pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[1]


def generated_corpus(folder: Path, documents: int = 300) -> Path:
    """Documents made of seed sentences drawn at random (seeded), each with its own date."""
    seeds, _ = read_corpus(ROOT / "seeds")
    sentences = [s.strip() + "." for text in seeds["text"] for s in text.replace("\n", " ").split(". ") if s.strip()]
    chooser = random.Random(7)
    folder.mkdir(parents=True, exist_ok=True)
    for number in range(documents):
        body = " ".join(chooser.sample(sentences, 4)) + "\n\n" + " ".join(chooser.sample(sentences, 3))
        month = 1 + number % 12
        (folder / f"gen_{number:04d}.txt").write_text(f" date 2021-{month:02d}-15 {body}\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def annotator():
    return build_annotator()


@pytest.mark.parametrize("corpus", ["seeds", "generated"])
def test_dask_engine_matches_the_local_engine(corpus: str, annotator, tmp_path: Path) -> None:
    path = ROOT / "seeds" if corpus == "seeds" else generated_corpus(tmp_path / "generated")
    documents, _ = read_corpus(path)
    local = annotate(documents, annotator, cache_dir=tmp_path / "local", engine=EngineConfig(batch_size=64))
    dask = annotate(documents, annotator, cache_dir=tmp_path / "dask", engine=EngineConfig("dask", batch_size=64))
    pd.testing.assert_frame_equal(local.mentions, dask.mentions)
    pd.testing.assert_frame_equal(local.sentences, dask.sentences)
    # the cache the dask engine wrote serves the local engine: nothing is annotated again
    again = annotate(documents, annotator, cache_dir=tmp_path / "dask", engine=EngineConfig(batch_size=64))
    pd.testing.assert_frame_equal(local.mentions, again.mentions)

    doc_ids = sorted(documents["doc_id"])
    groups = [set(doc_ids[i : i + 50]) for i in range(0, len(doc_ids), 50)] if len(doc_ids) > 5 else [
        set(doc_ids[:2]), set(doc_ids[2:])]
    parts = [(local.mentions[local.mentions["doc_id"].isin(g)], local.sentences[local.sentences["doc_id"].isin(g)])
             for g in groups]
    for pairs in ("actor-actor", "actor-theme"):
        interval = {"ci": 0.9, "bootstrap": 50, "seed": 3}
        whole = cooccurrence.pair_table(local.mentions, local.sentences, pairs=pairs, unit="sentence", measure="npmi",
                                        **interval)
        counts = count_partitions(parts, "sentence", "actor", EngineConfig("dask"))
        mapped = cooccurrence.Cooccurrence(counts, "sentence", "actor").pairs(pairs, measure="npmi", **interval)
        pd.testing.assert_frame_equal(whole, mapped)


def test_partitioned_tables_equal_the_whole_table(annotator, tmp_path: Path) -> None:
    documents, _ = read_corpus(ROOT / "seeds")
    whole = annotate(documents, annotator, cache_dir=None)
    doc_ids = sorted(documents["doc_id"])
    parts = [(whole.mentions[whole.mentions["doc_id"].isin(g)], whole.sentences[whole.sentences["doc_id"].isin(g)])
             for g in (doc_ids[:1], doc_ids[1:3], doc_ids[3:])]
    for unit in ("sentence", "paragraph", "document", "window:3"):
        for level in ("actor", "affiliation"):
            expected = cooccurrence.pair_table(whole.mentions, whole.sentences, unit=unit, level=level, measure="llr")
            split = pair_table_over_partitions(parts, unit=unit, level=level, measure="llr")
            pd.testing.assert_frame_equal(expected, split)
    # the document bootstrap sees the same documents in the same order, so intervals agree too
    interval = {"measure": "npmi", "ci": 0.95, "bootstrap": 200, "seed": 7}
    expected = cooccurrence.pair_table(whole.mentions, whole.sentences, **interval)
    pd.testing.assert_frame_equal(expected, pair_table_over_partitions(parts, **interval))
