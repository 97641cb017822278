"""Document support, document-bootstrap intervals, q-values and honest ranking.

The coverage test draws corpora from a known model (`analysis.stats.simulation`), so the value an
interval should cover is known exactly; the seeds tests check the command-line contract.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy.stats import false_discovery_control

from analysis.cli import build_parser, main
from analysis.reports.notebook import ParameterError, check_parameters, network_actors, small_corpus_note
from analysis.stats import cooccurrence as co
from analysis.stats import ranking
from analysis.stats.measures import MEASURES
from analysis.stats.resampling import Bootstrap, replicate_weights
from analysis.stats.simulation import TwoActorModel
from analysis.workflow import load_annotated_corpus

ROOT = Path(__file__).resolve().parents[1]
LEAD = ["a_key", "a_name", "b_key", "b_name", "count", "documents", "expected", "npmi", "npmi_low", "npmi_high"]


@pytest.fixture(scope="module")
def seeds():
    return load_annotated_corpus(ROOT / "seeds", progress=False)


# --------------------------------------------------------------------------- the command line contract


def test_cli_writes_the_interval_columns_reproducibly(tmp_path: Path, capsys) -> None:
    runs = []
    for name in ("first.csv", "second.csv"):
        out = tmp_path / name
        assert main(["cooccurrence", str(ROOT / "seeds"), "--pairs", "actor-actor", "--unit", "sentence",
                     "--measure", "npmi", "--ci", "0.95", "--bootstrap", "1000", "--seed", "0",
                     "--out", str(out)]) == 0
        runs.append(out.read_bytes())
    assert runs[0] == runs[1]
    table = pd.read_csv(tmp_path / "first.csv")
    assert list(table.columns[: len(LEAD)]) == LEAD
    assert len(table) > 20
    assert ((table["npmi_low"] <= table["npmi"]) & (table["npmi"] <= table["npmi_high"])).all()
    width = table["npmi_high"] - table["npmi_low"]
    one_document = table["documents"] == 1
    assert one_document.any() and (~one_document).any()
    assert width[one_document].mean() > width[~one_document].mean()
    # a different seed draws other replicates
    assert main(["cooccurrence", str(ROOT / "seeds"), "--measure", "npmi", "--ci", "0.95", "--bootstrap", "200",
                 "--seed", "1", "--out", str(tmp_path / "other.csv")]) == 0
    other = pd.read_csv(tmp_path / "other.csv")
    merged = table.merge(other, on=["a_key", "b_key"], suffixes=("", "_other"))
    assert (merged["npmi"] == merged["npmi_other"]).all()
    # on five documents many lower ends sit at -1 whatever the draw; the interval as a whole moves
    assert not (np.allclose(merged["npmi_low"], merged["npmi_low_other"])
                and np.allclose(merged["npmi_high"], merged["npmi_high_other"]))


@pytest.mark.parametrize("argument, value", [("--ci", "1.5"), ("--ci", "0"), ("--bootstrap", "1"), ("--seed", "-1")])
def test_cli_refuses_bad_interval_options(argument: str, value: str, capsys) -> None:
    assert main(["cooccurrence", str(ROOT / "seeds"), "--measure", "npmi", "--ci", "0.95", argument, value]) == 2
    message = capsys.readouterr().err
    assert argument.lstrip("-") in message and value in message


def test_measure_and_unit_choices_derive_from_the_registries() -> None:
    parser = build_parser()
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    options = {a.dest: a for a in commands.choices["cooccurrence"]._actions}
    assert list(options["measure"].choices) == list(MEASURES)
    assert list(co.pair_columns("lift"))[:8] == [*LEAD[:7], "lift"]
    for name in MEASURES:
        check_parameters(measure=name)
        assert name in co.pair_columns()
    with pytest.raises(ParameterError, match="ci"):
        check_parameters(ci=1.2)


# --------------------------------------------------------------------------- support and q-values


def test_documents_counts_distinct_documents(seeds) -> None:
    table = co.pair_table(seeds.mentions, seeds.sentences, unit="sentence")
    actors = seeds.mentions[seeds.mentions["kind"] == "actor"]
    for row in table.head(15).itertuples(index=False):
        a = set(actors.loc[actors["key"] == row.a_key, ["doc_id", "sentence"]].itertuples(index=False))
        b = set(actors.loc[actors["key"] == row.b_key, ["doc_id", "sentence"]].itertuples(index=False))
        assert row.count == len(a & b)
        assert row.documents == len({doc for doc, _ in a & b})
    document_level = co.pair_table(seeds.mentions, seeds.sentences, unit="document")
    assert (document_level["documents"] == document_level["count"]).all()


def test_q_value_is_benjamini_hochberg_over_the_table(seeds) -> None:
    table = co.pair_table(seeds.mentions, seeds.sentences, pairs="actor-theme", measure="llr")
    expected = false_discovery_control(table["p_value"].to_numpy(), method="bh")
    np.testing.assert_allclose(table["q_value"].to_numpy(), expected)
    assert (table["q_value"] >= table["p_value"] - 1e-12).all()


# --------------------------------------------------------------------------- intervals from a known model


def test_intervals_cover_the_true_value() -> None:
    model = TwoActorModel()
    truth = model.true_value("npmi")
    covered = []
    for repetition in range(60):
        mentions, sentences = model.draw(150, seed=repetition)
        row = co.pair_table(mentions, sentences, measure="npmi", ci=0.95, bootstrap=300, seed=repetition).iloc[0]
        covered.append(row["npmi_low"] <= truth <= row["npmi_high"])
    assert np.mean(covered) >= 0.9


def test_intervals_narrow_as_documents_are_added() -> None:
    model = TwoActorModel()
    widths = {}
    for documents in (40, 160, 640):
        rows = [co.pair_table(*model.draw(documents, seed=s), measure="npmi", ci=0.95, bootstrap=300, seed=s).iloc[0]
                for s in range(5)]
        widths[documents] = np.mean([r["npmi_high"] - r["npmi_low"] for r in rows])
    assert widths[40] > widths[160] > widths[640]
    assert widths[640] < widths[40] / 2.5  # roughly 1/sqrt(documents)


def test_a_resample_draws_whole_documents() -> None:
    weights = replicate_weights(7, 500, seed=3)
    assert weights.shape == (500, 7)
    assert (weights.sum(axis=1) == 7).all()  # each replicate is a corpus of 7 documents
    assert (weights == 0).mean() == pytest.approx((6 / 7) ** 7, abs=0.03)  # documents left out
    np.testing.assert_array_equal(weights, replicate_weights(7, 500, seed=3))
    with pytest.raises(ValueError, match="parameter 'ci' = 95: expected a number between 0 and 1"):
        Bootstrap(level=95)


def test_every_interval_contains_its_point_estimate_for_every_measure(seeds) -> None:
    for measure in MEASURES:
        table = co.pair_table(seeds.mentions, seeds.sentences, pairs="actor-theme", measure=measure, ci=0.9,
                              bootstrap=100, seed=2)
        assert ((table[f"{measure}_low"] <= table[measure]) & (table[measure] <= table[f"{measure}_high"])).all()


# --------------------------------------------------------------------------- ranking


def _ranked(rows: list[tuple]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["a_key", "b_key", "npmi_low", "documents", "count", "a_mentions",
                                        "b_mentions"])
    return ranking.rank(frame, "npmi", with_interval=True)


def test_ranking_uses_the_lower_bound_then_support() -> None:
    table = _ranked([
        ("a", "b", 0.9, 1, 1, 1, 1),  # the highest lower bound ranks first, whatever its support
        ("c", "d", 0.2, 5, 9, 20, 20),
        ("e", "f", 0.2, 5, 9, 30, 30),  # same bound, documents and units: more mentions first
        ("g", "h", 0.2, 6, 2, 1, 1),  # same bound: more documents first
    ])
    assert list(table["a_key"]) == ["a", "g", "e", "c"]


def test_a_cut_inside_a_tie_counts_what_it_leaves_out() -> None:
    table = _ranked([("a", "b", 0.5, 2, 2, 3, 3), ("c", "d", 0.1, 1, 1, 2, 2), ("e", "f", 0.1, 1, 1, 2, 2),
                     ("g", "h", 0.1, 1, 1, 2, 2), ("i", "j", 0.0, 1, 1, 2, 2)])
    assert ranking.tied_with_last(table, 2, "npmi", with_interval=True) == 2
    assert ranking.tied_with_last(table, 4, "npmi", with_interval=True) == 0
    assert ranking.tied_with_last(table, 1, "npmi", with_interval=True) == 0
    assert "lower end" in ranking.rule("npmi", True, 0.95) and "95%" in ranking.rule("npmi", True, 0.95)


def test_network_nodes_are_chosen_first_and_keep_ties(seeds) -> None:
    model = co.Cooccurrence.build(seeds.mentions[seeds.mentions["kind"] == "actor"], seeds.sentences)
    nodes = network_actors(model, 20)
    assert {"sadyr-japarov", "vladimir-putin"} <= set(nodes["key"])
    counts = model.unit_counts()
    counts = counts[counts["kind"] == "actor"]
    last = nodes["mentions"].min()
    assert set(nodes["key"]) == set(counts.loc[counts["mentions"] >= last, "key"])
    assert len(nodes) >= 20


def test_small_corpus_note(seeds) -> None:
    pairs = co.pair_table(seeds.mentions, seeds.sentences)
    note = small_corpus_note(seeds.documents, pairs).data
    assert "5 document(s)" in note and "single document" in note
    many = pd.DataFrame({"doc_id": [f"d{i}" for i in range(40)]})
    assert small_corpus_note(many, pairs.assign(documents=3)) is None
    assert small_corpus_note(many, pairs.assign(documents=1)) is not None
