"""Annotation that streams: batches go to the cache as Parquet parts as soon as they are done,
the tables are read back one part at a time, and the results equal the in-memory ones."""

from __future__ import annotations

import logging
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from analysis.annotate.cache import annotate, annotate_to_cache
from analysis.annotate.engines import EngineConfig
from analysis.annotate.pipeline import build_annotator
from analysis.cli import main
from analysis.corpus.reader import read_corpus
from analysis.stats import cooccurrence
from analysis.stats.partitions import pair_table_over_partitions
from analysis.workflow import load_annotated_corpus

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


@pytest.fixture(scope="module")
def annotator():
    return build_annotator()


@pytest.fixture(scope="module")
def documents() -> pd.DataFrame:
    """The seeds plus a seventh row repeating the first seed's text and date under another id."""
    seeds, _ = read_corpus(SEEDS)
    repeat = seeds.iloc[[0]].assign(doc_id="repeat-of-first")
    return pd.concat([seeds, repeat], ignore_index=True)


def _files(folder: Path) -> dict[str, int]:
    return {path.name: path.stat().st_mtime_ns for path in folder.glob("part-*.parquet")}


def test_parts_read_back_equal_the_in_memory_tables(annotator, documents, tmp_path: Path) -> None:
    parts = annotate_to_cache(documents, annotator, cache_dir=tmp_path, engine=EngineConfig(batch_size=2))
    # 5 distinct texts in batches of 2: three parts, the repeated text stored once
    assert parts.index["part"].nunique() == 3
    assert parts.index.set_index("doc_id").loc["repeat-of-first", "part"] == parts.index["part"].iloc[0]
    partitions = list(parts.partitions())
    assert len(partitions) == 3
    for mentions, sentences in partitions:  # each document lies wholly in one partition
        assert set(mentions["doc_id"]) <= set(sentences["doc_id"])
    assert sorted(doc for _, s in partitions for doc in s["doc_id"].unique()) == sorted(documents["doc_id"])

    whole = annotate(documents, annotator, cache_dir=None)
    loaded = parts.load()
    pd.testing.assert_frame_equal(loaded.mentions, whole.mentions)
    pd.testing.assert_frame_equal(loaded.sentences, whole.sentences)
    first, repeat = (whole.mentions[whole.mentions["doc_id"] == d].drop(columns="doc_id").reset_index(drop=True)
                     for d in (documents["doc_id"].iloc[0], "repeat-of-first"))
    assert len(first) > 20
    pd.testing.assert_frame_equal(first, repeat)

    for pairs in ("actor-actor", "actor-theme"):
        expected = cooccurrence.pair_table(whole.mentions, whole.sentences, pairs=pairs, measure="npmi")
        pd.testing.assert_frame_equal(pair_table_over_partitions(parts.partitions(), pairs=pairs, measure="npmi"),
                                      expected)


def test_a_rerun_reads_the_cache_and_annotates_only_new_documents(annotator, documents, tmp_path: Path) -> None:
    first = annotate_to_cache(documents, annotator, cache_dir=tmp_path, engine=EngineConfig(batch_size=2))
    before = _files(first.folder)
    grown = pd.concat(
        [documents, documents.iloc[[1]].assign(doc_id="edited", text=documents["text"].iloc[1] + " Edited.")],
        ignore_index=True,
    )
    second = annotate_to_cache(grown, annotator, cache_dir=tmp_path, engine=EngineConfig(batch_size=2))
    after = _files(second.folder)
    assert {name: after[name] for name in before} == before, "an existing part was rewritten"
    assert len(after) == len(before) + 2, "one new part (two files) for the one new document"
    pd.testing.assert_frame_equal(second.index.iloc[: len(documents)], first.index)
    new_part = second.index.set_index("doc_id").loc["edited", "part"]
    assert new_part not in set(first.index["part"])
    edited = second.load().mentions
    assert (edited["doc_id"] == "edited").sum() >= (edited["doc_id"] == documents["doc_id"].iloc[1]).sum()


@pytest.mark.parametrize("damage", ["no manifest", "missing sentences file", "sentences rewritten"])
def test_an_unfinished_or_damaged_part_is_annotated_again(annotator, documents, tmp_path: Path, damage: str,
                                                          caplog) -> None:
    reference = annotate_to_cache(documents, annotator, cache_dir=tmp_path, engine=EngineConfig(batch_size=2))
    expected = reference.load()
    part = reference.index["part"].iloc[-1]
    sentence_file = reference.folder / f"{part}.sentences.parquet"
    if damage == "no manifest":  # killed before the manifest, written last, was written
        (reference.folder / f"{part}.json").unlink()
    elif damage == "missing sentences file":
        sentence_file.unlink()
    else:  # readable, but not the bytes that were written
        pq.write_table(pq.read_table(sentence_file).replace_schema_metadata(None), sentence_file)
    with caplog.at_level(logging.WARNING, logger="analysis.annotate.cache"):
        again = annotate_to_cache(documents, annotator, cache_dir=tmp_path, engine=EngineConfig(batch_size=2))
    damaged = [record.getMessage() for record in caplog.records if "damaged" in record.getMessage()]
    assert len(damaged) == (0 if damage == "no manifest" else 1) == len(again.problems)
    assert sentence_file.exists() and (reference.folder / f"{part}.json").exists()
    result = again.load()
    pd.testing.assert_frame_equal(result.mentions, expected.mentions)
    pd.testing.assert_frame_equal(result.sentences, expected.sentences)


def test_the_command_line_exports_and_counts_part_by_part(tmp_path: Path, capsys) -> None:
    cache, out = tmp_path / "cache", tmp_path / "tables"
    assert main(["annotate", str(SEEDS), "--cache", str(cache), "--batch-size", "2", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    corpus = load_annotated_corpus(SEEDS, cache_dir=cache)
    assert len(list(next(cache.iterdir()).glob("part-*.sentences.parquet"))) == 3
    for name, table in (("mentions", corpus.mentions), ("sentences", corpus.sentences)):
        exported = pd.read_parquet(out / f"{name}.parquet")
        pd.testing.assert_frame_equal(exported, table)
        assert len(pd.read_csv(out / f"{name}.csv")) == len(table)
    actors = corpus.mentions[corpus.mentions["kind"] == "actor"]
    assert f"5 documents, {len(actors)} actor mentions, {actors['key'].nunique()} actors" in printed

    table_file = tmp_path / "pairs.csv"
    command = ["cooccurrence", str(SEEDS), "--cache", str(cache), "--batch-size", "2", "--measure", "llr"]
    assert main([*command, "--out", str(table_file)]) == 0
    expected = cooccurrence.pair_table(corpus.mentions, corpus.sentences, measure="llr")
    written = pd.read_csv(table_file)
    assert written[["a_key", "b_key", "count"]].values.tolist() == expected[["a_key", "b_key", "count"]].values.tolist()
    assert written["llr"].to_numpy() == pytest.approx(expected["llr"].to_numpy())


def test_a_batch_size_below_one_is_refused(tmp_path: Path, capsys) -> None:
    assert main(["annotate", str(SEEDS), "--cache", str(tmp_path), "--batch-size", "0"]) == 2
    assert "parameter 'batch_size' = 0: expected an integer from 1 to 100,000" in capsys.readouterr().err


def test_a_fully_cached_run_never_loads_the_spacy_pipeline(documents, tmp_path: Path) -> None:
    cold = build_annotator()
    assert cold.loaded_languages() == (), "building the annotator (its fingerprint) loaded spaCy"
    annotate_to_cache(documents, cold, cache_dir=tmp_path)
    assert "actor_ruler" in cold.nlp.pipe_names and "parser" not in cold.nlp.pipe_names
    warm = build_annotator()
    assert warm.fingerprint == cold.fingerprint
    loaded = annotate_to_cache(documents, warm, cache_dir=tmp_path).load()
    assert warm.loaded_languages() == (), "every document was cached, yet the pipeline was loaded"
    assert len(loaded.mentions) > 100
