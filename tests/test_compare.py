"""Comparison of groups (analysis.stats.compare) on corpora drawn with a known difference or none."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.stats.compare import compare
from analysis.stats.cooccurrence import Cooccurrence
from analysis.stats.simulation import TwoActorModel, draw_groups
from tests.test_weighting import tables


def test_a_difference_by_design_is_found_with_an_interval_excluding_zero() -> None:
    docs, mentions, sentences = draw_groups({"state": TwoActorModel(joint=0.02), "independent":
                                             TwoActorModel(joint=0.08)}, 200, seed=3)
    model = Cooccurrence.build(mentions, sentences, documents=docs)
    table = compare(model, docs, "source_group", bootstrap=300, seed=0).table.set_index("group")
    assert list(table.index) == ["independent", "state"]
    assert table.loc["independent", "difference_low"] > 0 and table.loc["independent", "verdict"] == "higher"
    assert table.loc["state", "difference_high"] < 0 and table.loc["state", "verdict"] == "lower"
    # against the rest, two groups give opposite differences
    assert table.loc["state", "difference"] == pytest.approx(-table.loc["independent", "difference"])
    for group in table.index:
        row = table.loc[group]
        assert row["npmi_low"] <= row["npmi"] <= row["npmi_high"]


def test_groups_drawn_alike_cannot_be_told_apart_in_most_repetitions() -> None:
    covered = []
    for seed in range(20):
        docs, mentions, sentences = draw_groups({"a": TwoActorModel(), "b": TwoActorModel()}, 100, seed=seed)
        model = Cooccurrence.build(mentions, sentences, documents=docs)
        row = compare(model, docs, "source_group", reference="a", bootstrap=200, seed=seed).table.iloc[1]
        covered.append(row["difference_low"] <= 0 <= row["difference_high"])
    assert np.mean(covered) >= 0.8  # bench/compare_coverage.py measures it on 400 repetitions


def test_the_group_numbers_are_those_of_the_group_alone() -> None:
    docs, mentions, sentences = tables({
        "e1": [["kgz", "rus"], ["kgz"]], "e2": [["kgz", "rus"], ["rus"]],
        "r1": [["kgz", "rus"], ["chn"]], "r2": [["kgz"], ["rus"], ["chn"]],
    })
    docs = docs.assign(language=["en", "en", "ru", "ru"])
    model = Cooccurrence.build(mentions, sentences, documents=docs)
    comparison = compare(model, docs, "language", bootstrap=50, min_count=1)
    table = comparison.table
    pair = table[(table["a_key"] == "kgz") & (table["b_key"] == "rus")].set_index("group")
    alone = Cooccurrence.build(*tables({"e1": [["kgz", "rus"], ["kgz"]], "e2": [["kgz", "rus"], ["rus"]]})[1:])
    assert pair.loc["en", "npmi"] == pytest.approx(alone.pairs(measure="npmi").iloc[0]["npmi"])
    assert pair.loc["en", "count"] == 2 and pair.loc["ru", "count"] == 1
    assert pair.loc["en", "documents"] == 2 and pair.loc["ru", "stories"] == 1
    assert list(comparison.groups["documents"]) == [2, 2]


def test_documents_without_a_group_are_said_and_a_wrong_group_is_an_error() -> None:
    docs, mentions, sentences = tables({"d1": [["kgz", "rus"]], "d2": [["kgz", "rus"]], "d3": [["kgz"]]})
    docs = docs.assign(source_group=pd.array(["x", "y", None], dtype="string"))
    model = Cooccurrence.build(mentions, sentences, documents=docs)
    comparison = compare(model, docs, "source_group", bootstrap=20, min_count=1)
    assert comparison.notes == ("1 documents have outlets the outlet table does not know and are in no group "
                                "(they still count in 'rest').",)
    with pytest.raises(ValueError, match=r"unknown source_group groups \['z'\]; the corpus has \['x', 'y'\]"):
        compare(model, docs, "source_group", reference="z")
    with pytest.raises(ValueError, match="unknown comparison 'by' 'colour'"):
        compare(model, docs, "colour")


def test_a_group_that_never_names_an_actor_has_no_measure_and_a_small_one_no_verdict() -> None:
    together = {f"t{i}": [["kgz", "rus"], ["kgz"], ["rus"]] for i in range(12)}
    apart = {f"a{i}": [["kgz"], ["rus"], ["chn"]] for i in range(2)}
    without = {f"w{i}": [["chn"], ["uzb"]] for i in range(5)}
    docs, mentions, sentences = tables(together | apart | without)
    group = ["main"] * 12 + ["small"] * 2 + ["none"] * 5
    docs = docs.assign(source_group=group)
    model = Cooccurrence.build(mentions, sentences, documents=docs)
    table = compare(model, docs, "source_group", bootstrap=200, min_count=1).table
    pair = table[(table["a_key"] == "kgz") & (table["b_key"] == "rus")].set_index("group")
    assert pair.loc["none", "verdict"] == "absent" and np.isnan(pair.loc["none", "npmi"])
    # never together in two articles: -1 in every replicate, yet two articles cannot make that certain
    assert pair.loc["small", "npmi"] == -1.0 and pair.loc["small", "verdict"] == "too few stories"
    assert pair.loc["main", "verdict"] in ("higher", "too few stories")
