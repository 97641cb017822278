"""Fractional counting, roster shares and the story bootstrap (analysis.stats.weighting) on
constructed corpora whose weighted counts are worked out by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.schema import MENTION_COLUMNS, SENTENCE_COLUMNS, conform
from analysis.stats.cooccurrence import Cooccurrence

COUNTRIES = ["kgz", "kaz", "uzb", "tjk", "rus", "chn", "tur", "ind", "pak", "irn"]


def tables(docs: dict[str, list[list[str]]]) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """documents, mentions and sentences from {doc_id: [[keys named in sentence 0], ...]}.

    Each sentence's text is its keys joined by spaces, so offsets are real; a key starting
    with 'theme:' is a theme."""
    sentences, mentions, documents = [], [], []
    for doc_id, units in docs.items():
        text = ""
        for index, keys in enumerate(units):
            start = len(text) + (1 if text else 0)
            text += (" " if text else "") + " ".join(keys) + "."
            sentences.append((doc_id, index, index, start, len(text)))
            cursor = start
            for key in keys:
                theme = key.startswith("theme:")
                mentions.append({
                    "doc_id": doc_id, "paragraph": index, "sentence": index, "start": cursor,
                    "end": cursor + len(key), "text": key, "kind": "theme" if theme else "actor",
                    "label": "THEME" if theme else "GPE", "key": key, "name": key.upper(),
                    "category": key[6:] if theme else "country", "affiliation": None,
                })
                cursor += len(key) + 1
        documents.append({"doc_id": doc_id, "text": text, "date": pd.NaT})
    sentence_table = conform(pd.DataFrame(sentences, columns=["doc_id", "paragraph", "sentence", "start", "end"]),
                             SENTENCE_COLUMNS)
    return pd.DataFrame(documents), conform(pd.DataFrame(mentions), MENTION_COLUMNS), sentence_table


def row(table: pd.DataFrame, a: str, b: str) -> pd.Series:
    a, b = sorted((a, b))
    found = table[(table["a_key"] == a) & (table["b_key"] == b)]
    assert len(found) == 1, f"pair {a}-{b} not in the table"
    return found.iloc[0]


def test_a_ten_actor_roster_weighs_what_one_bilateral_sentence_does() -> None:
    documents, mentions, sentences = tables({"bilateral": [["kgz", "kaz"]], "summit": [COUNTRIES]})
    model = Cooccurrence.build(mentions, sentences, weighting="fractional", documents=documents)
    table = model.pairs("actor-actor")
    assert row(table, "kgz", "kaz")["count"] == 2  # the raw count keeps both units
    assert row(table, "kgz", "kaz")["weighted_count"] == pytest.approx(1.0 + 1 / 9)
    assert row(table, "ind", "pak")["weighted_count"] == pytest.approx(1 / 9)
    assert row(table, "ind", "pak")["count"] == 1
    # the roster's pair weights of one actor sum to one unit, as the bilateral sentence's do
    roster_pairs = table[(table["a_key"] == "ind") | (table["b_key"] == "ind")]
    assert roster_pairs["weighted_count"].sum() == pytest.approx(1.0)


def test_without_weighting_the_weighted_count_is_the_count() -> None:
    documents, mentions, sentences = tables({"bilateral": [["kgz", "kaz"]], "summit": [COUNTRIES]})
    table = Cooccurrence.build(mentions, sentences, documents=documents).pairs("actor-actor")
    assert (table["weighted_count"] == table["count"]).all()
    assert row(table, "ind", "pak")["weighted_count"] == 1.0


def test_roster_share_is_the_share_of_units_naming_five_or_more_actors() -> None:
    documents, mentions, sentences = tables({
        "d1": [["kgz", "kaz"], ["kgz", "kaz", "uzb", "tjk", "rus"], ["kgz", "kaz", "uzb", "tjk"]],
        "d2": [["kgz", "kaz", "chn"]],
    })
    table = Cooccurrence.build(mentions, sentences, weighting="fractional").pairs("actor-actor")
    assert row(table, "kgz", "kaz")["count"] == 4
    assert row(table, "kgz", "kaz")["roster_share"] == pytest.approx(1 / 4)  # the five-actor unit only
    assert row(table, "rus", "tjk")["roster_share"] == 1.0
    assert row(table, "kgz", "chn")["roster_share"] == 0.0
    # 1 + 1/4 + 1/3 + 1/2 by hand
    assert row(table, "kgz", "kaz")["weighted_count"] == pytest.approx(1 + 1 / 4 + 1 / 3 + 1 / 2)


def test_npmi_on_weighted_counts_stays_within_minus_one_and_one() -> None:
    rng = np.random.default_rng(3)
    docs = {f"d{i}": [list(rng.choice(COUNTRIES, size=rng.integers(1, 10), replace=False))
                      + (["theme:elections"] if rng.random() < 0.3 else []) for _ in range(4)]
            for i in range(40)}
    documents, mentions, sentences = tables(docs)
    model = Cooccurrence.build(mentions, sentences, weighting="fractional", documents=documents)
    for pairs in ("actor-actor", "actor-theme"):
        table = model.pairs(pairs, measure="npmi", ci=0.95, bootstrap=50)
        assert len(table)
        for column in ("npmi", "npmi_low", "npmi_high"):
            assert table[column].between(-1, 1).all(), column
        assert (table["weighted_count"] <= table["count"]).all()


def test_fractional_weighting_changes_which_pair_ranks_first() -> None:
    # one summit roster repeated in three documents against one bilateral pair in two
    docs = {f"s{i}": [COUNTRIES[:6], ["kgz"], ["uzb"]] for i in range(3)}
    docs |= {f"b{i}": [["kgz", "kaz"], ["uzb"], ["tjk"]] for i in range(2)}
    documents, mentions, sentences = tables(docs)
    plain = Cooccurrence.build(mentions, sentences).pairs("actor-actor", measure="count")
    weighted = Cooccurrence.build(mentions, sentences, weighting="fractional").pairs("actor-actor")
    assert plain.iloc[0]["count"] == 5  # kgz-kaz: three rosters and two bilateral sentences
    kgz_kaz, rus_tjk = row(weighted, "kgz", "kaz"), row(weighted, "rus", "tjk")
    assert kgz_kaz["weighted_count"] == pytest.approx(2 + 3 / 5)
    assert rus_tjk["weighted_count"] == pytest.approx(3 / 5)


def test_evidence_shows_the_bilateral_sentence_before_the_roster() -> None:
    documents, mentions, sentences = tables({"a-summit": [COUNTRIES], "b-talks": [["kaz", "kgz"]]})
    evidence = Cooccurrence.build(mentions, sentences).evidence(documents, "kgz", "kaz")
    assert list(evidence["doc_id"]) == ["b-talks", "a-summit"]
    assert list(evidence["actors"]) == [2, 10]


def test_copies_of_one_story_give_the_interval_of_one_document() -> None:
    base = {f"o{i}": [["kgz", "kaz"] if i % 3 == 0 else ["kgz"], ["uzb", "kaz"] if i % 2 else ["tjk"]]
            for i in range(30)}
    one = base | {"wire": [["rus", "chn"], ["rus"], ["chn", "kgz"]]}
    copies = one | {"wire-copy": [["rus", "chn"], ["rus"], ["chn", "kgz"]]}
    documents, mentions, sentences = tables(copies)
    stories = documents.assign(story=documents["doc_id"].str.replace("-copy", "", regex=False))
    # at a 50% level the interval's lower end says whether the pair is absent from a quarter
    # of the replicates: with one story in 31 it is (about 36% of draws), with 2 documents in 32 not (13%)
    options = {"measure": "npmi", "ci": 0.5, "bootstrap": 1000, "seed": 1}
    as_story = row(Cooccurrence.build(mentions, sentences, documents=stories).pairs(**options), "rus", "chn")
    d1, m1, s1 = tables(one)
    single = row(Cooccurrence.build(m1, s1, documents=d1).pairs(**options), "rus", "chn")
    as_documents = row(Cooccurrence.build(mentions, sentences, documents=documents).pairs(**options), "rus", "chn")
    assert as_story["documents"] == 2 and as_story["stories"] == 1
    assert as_documents["stories"] == 2
    width = {name: r["npmi_high"] - r["npmi_low"] for name, r in
             (("story", as_story), ("single", single), ("documents", as_documents))}
    assert as_story["npmi_low"] == single["npmi_low"] == -1.0
    assert as_documents["npmi_low"] > 0
    assert width["story"] == pytest.approx(width["single"], abs=0.1)
    assert width["documents"] < width["story"] / 5
