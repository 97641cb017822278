"""Engines by name give identical mentions, and the trimmed pipeline (lemmas only where a theme
lemma pattern could match) gives what the full pipeline gives."""

from __future__ import annotations

import importlib.metadata
import logging
from pathlib import Path

import pandas as pd
import pytest
import spacy

from analysis.annotate.batch import _chunks
from analysis.annotate.cache import annotate
from analysis.annotate.engines import EngineConfig, engine_names, get_engine, register_engine
from analysis.annotate.lemmas import THEME_LEMMAS_NAME, lemma_preimages
from analysis.annotate.pipeline import DEFAULT_PIPELINE, AnnotatorConfig, build_annotator
from analysis.annotate.sentences import SENTENCE_REPAIR
from analysis.annotate.themes import add_theme_matcher, theme_spans
from analysis.corpus.reader import read_corpus
from analysis.lang.en.pipeline import _ruler_patterns
from analysis.stats.partitions import model_over_partitions

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def annotator():
    return build_annotator()


@pytest.fixture(scope="module")
def documents() -> pd.DataFrame:
    seeds, _ = read_corpus(ROOT / "seeds")
    extra = seeds.assign(  # inflected trigger forms the lemma patterns must still find
        doc_id=seeds["doc_id"] + "-inflected",
        text=seeds["text"] + "\n\nVoters voted in elections; the referendums were stabilising prices. Judges "
        "were vaccinated and the courts stabilised the economies, they had voted.",
    )
    return pd.concat([seeds, extra], ignore_index=True)


def _full_pipeline(annotator) -> spacy.language.Language:
    """The pipeline as it was before trimming: every component runs on every token."""
    nlp = spacy.load(DEFAULT_PIPELINE, exclude=["parser"])
    nlp.enable_pipe("senter")
    nlp.add_pipe(SENTENCE_REPAIR, after="senter")
    ruler = nlp.add_pipe("entity_ruler", name="actor_ruler", before="ner",
                         config={"phrase_matcher_attr": None, "validate": False, "overwrite_ents": True})
    ruler.add_patterns(_ruler_patterns(annotator.lexicon))
    add_theme_matcher(nlp, annotator.themes)
    return nlp


def _what_annotation_reads(docs) -> list:
    return [([(e.start_char, e.end_char, e.label_, e.ent_id_) for e in doc.ents], theme_spans(doc),
             [(s.start_char, s.end_char) for s in doc.sents]) for doc in docs]


def test_the_trimmed_pipeline_gives_the_full_pipelines_entities_themes_and_sentences(annotator, documents) -> None:
    trimmed = annotator.nlp
    assert THEME_LEMMAS_NAME in trimmed.pipe_names
    assert {"tok2vec", "tagger", "attribute_ruler", "lemmatizer"} <= set(trimmed.disabled)
    texts = [chunk for text in documents["text"] for _, _, chunk in _chunks(text)]
    full = _what_annotation_reads(_full_pipeline(annotator).pipe(texts))
    assert _what_annotation_reads(trimmed.pipe(texts)) == full
    themes = {key for _, spans, _ in full for *_, key in spans}
    assert {"elections", "constitution"} <= themes
    lemma_only = {(surface, key) for _, spans, _ in full for _, _, surface, key in spans}
    assert {("voted", "elections"), ("stabilised", "stability")} <= lemma_only  # found through lemmas alone


def test_only_tokens_that_could_match_a_lemma_pattern_are_lemmatised(annotator) -> None:
    doc = annotator.nlp("Voters voted on Monday; the ministers met in Bishkek.")
    lemmas = {token.text: token.lemma_ for token in doc}
    assert lemmas["voted"] == "vote"  # only its lemma matches the trigger "vote"
    assert lemmas["Voters"] == ""  # a plural of the trigger "voter": the lower-case matcher finds it
    assert lemmas["Monday"] == "" and lemmas["Bishkek"] == ""
    assert {key for *_, key in theme_spans(doc)} == {"elections"}


def test_a_theme_phrase_that_switches_the_selective_lemmatiser_off_is_named(annotator, tmp_path: Path,
                                                                          caplog) -> None:
    # "was" has the lemma "be", which the attribute ruler gives on an open pattern: its forms
    # cannot be listed, so every token must be lemmatised; the user is told which phrase does it
    path = tmp_path / "mine.yaml"
    path.write_text("version: 1\nthemes:\n  - {key: stability, name: Unrest, triggers: [protest],\n"
                    "     exclude: [protest was satisfied]}\n", encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="analysis.annotate.lemmas"):
        slow = build_annotator(themes_path=path).nlp
    assert slow.get_pipe(THEME_LEMMAS_NAME).prefilter is None
    assert "read as 'protest be satisfied' (theme stability) contain the lemma 'be'" in caplog.text
    assert annotator.nlp.get_pipe(THEME_LEMMAS_NAME).prefilter is not None  # the shipped themes keep it on


def test_lemma_preimages_invert_the_lemmatizer_tables(annotator) -> None:
    nlp = annotator.nlp
    forms = lemma_preimages(["vote", "stabilise"], nlp.get_pipe("lemmatizer"), nlp.get_pipe("attribute_ruler"))
    assert {"vote", "votes", "voted", "voting"} <= forms["vote"]
    assert {"stabilises", "stabilised", "stabilising"} <= forms["stabilise"]
    assert "elections" not in forms["vote"]


def test_engines_give_identical_mentions_with_one_and_two_processes(annotator, documents, tmp_path: Path) -> None:
    one = annotate(documents, annotator, cache_dir=tmp_path / "one", engine=EngineConfig(batch_size=3))
    two = annotate(documents, annotator, cache_dir=tmp_path / "two", engine=EngineConfig(n_process=2, batch_size=2))
    assert len(one.mentions) > 100
    pd.testing.assert_frame_equal(one.mentions, two.mentions)
    pd.testing.assert_frame_equal(one.sentences, two.sentences)


def test_an_engine_is_registered_by_name(annotator, documents, tmp_path: Path) -> None:
    seen: list[int] = []

    class Counting:
        def map(self, function, items, config):
            for number, piece, tables in get_engine("local").map(function, items, config):
                seen.append(len(tables.keys))  # documents per task
                yield number, piece, tables

    register_engine("counting", Counting())
    try:
        assert "counting" in engine_names()
        result = annotate(documents, annotator, cache_dir=tmp_path, engine=EngineConfig("counting", batch_size=4))
    finally:
        from analysis.annotate import engines

        engines._ENGINES.pop("counting")
    assert seen == [4, 4, 2]
    assert set(result.mentions["doc_id"]) == set(documents["doc_id"])


def test_an_engine_is_registered_by_entry_point(monkeypatch) -> None:
    """An installed package names its engine in the group kg_cooccurrence.engines; the registry
    finds it there, imports it when it is first asked for, and checks its name like any other."""
    from analysis.annotate import engines

    point = importlib.metadata.EntryPoint("inline", "analysis.annotate.engines:LocalEngine", engines.ENTRY_POINT_GROUP)
    real = importlib.metadata.entry_points
    monkeypatch.setattr(engines.importlib.metadata, "entry_points",
                        lambda group=None: [point] if group == engines.ENTRY_POINT_GROUP else real(group=group))
    try:
        assert "inline" in engine_names()
        assert EngineConfig("inline", n_process=1).name == "inline"
        assert isinstance(get_engine("inline"), engines.LocalEngine)
        assert list(get_engine("inline").map(str.upper, iter(["a", "b"]), EngineConfig("inline"))) == ["A", "B"]
    finally:
        engines._ENGINES.pop("inline", None)


def test_counting_a_partition_is_a_function_any_engine_maps(annotator, documents) -> None:
    """The same counts in this process and in two worker processes (map, then add)."""
    whole = annotate(documents, annotator, cache_dir=None)
    doc_ids = sorted(documents["doc_id"])
    parts = [(whole.mentions[whole.mentions["doc_id"].isin(group)],
              whole.sentences[whole.sentences["doc_id"].isin(group)])
             for group in (doc_ids[:3], doc_ids[3:6], doc_ids[6:])]
    here = model_over_partitions(parts, "sentence", "actor").pairs("actor-theme")
    pool = model_over_partitions(parts, "sentence", "actor", EngineConfig(n_process=2)).pairs("actor-theme")
    pd.testing.assert_frame_equal(here, pool)
    assert len(here) > 5


@pytest.mark.parametrize(
    ("options", "message"),
    [({"name": "ray"}, "parameter 'engine' = 'ray': expected one of ['local', 'dask']"),
     ({"n_process": 0}, "parameter 'n_process' = 0: expected an integer from 1 to 256"),
     ({"batch_size": "8"}, "parameter 'batch_size' = '8': expected an integer from 1 to 100,000")],
)
def test_an_engine_configuration_names_the_bad_parameter(options: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message.replace("[", r"\[").replace("]", r"\]")):
        EngineConfig(**options)


def test_the_annotator_configuration_is_frozen_and_rebuilds_the_same_annotator(annotator) -> None:
    config = annotator.config
    assert config == AnnotatorConfig()
    with pytest.raises(AttributeError):
        config.pipeline = "other"  # type: ignore[misc]
    assert config.build().fingerprint == annotator.fingerprint
