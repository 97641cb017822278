"""The outlet table (analysis.corpus.outlets) and the one document selection (analysis.corpus.subset)."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.corpus.outlets import load_outlets, with_outlets
from analysis.corpus.subset import Selection, select_documents, subset_tables


def corpus() -> pd.DataFrame:
    return pd.DataFrame({
        "doc_id": ["d1", "d2", "d3", "d4", "d5", "d6"],
        "date": pd.to_datetime(["2021-01-05", "2021-03-10", None, "2021-06-01", None, "2021-02-01"]),
        "language": ["en", "ru", "ru", "en", "en", "en"],
        "source": ["RFE/RL", "Радио Азаттык (RFE/RL)", "ТАСС", "  rfe/rl ", "Some Blog", None],
    })


def test_every_label_of_an_outlet_names_it_and_unknown_labels_are_listed_not_guessed() -> None:
    matched = with_outlets(corpus())
    docs = matched.documents
    assert list(docs["outlet"].iloc[[0, 1, 3]]) == ["RFE/RL"] * 3
    assert docs["source_group"].iloc[0] == "Western public broadcasters"
    assert docs["source_group"].iloc[2] == "Russian state media"
    assert docs["outlet"].iloc[4] is pd.NA and docs["outlet"].iloc[5] is pd.NA
    assert matched.unknown.to_dict("records") == [{"source": "Some Blog", "documents": 1}]


def test_a_user_outlet_file_extends_the_table_and_may_not_relist_a_label(tmp_path) -> None:
    mine = tmp_path / "mine.yaml"
    mine.write_text("single_label:\n  blogs:\n    KG: [Some Blog]\n", encoding="utf-8")
    docs = with_outlets(corpus(), load_outlets([mine])).documents
    assert docs["source_group"].iloc[4] == "blogs"
    clash = tmp_path / "clash.yaml"
    clash.write_text("outlets:\n  mine:\n    name: Mine\n    group: blogs\n    labels: [Azattyk]\n", encoding="utf-8")
    with pytest.raises(ValueError, match="clash.yaml: label 'Azattyk' is already listed in .*outlets.yaml"):
        load_outlets([clash])
    bad = tmp_path / "bad.yaml"
    bad.write_text("outlets:\n  mine:\n    name: Mine\n    labels: [X]\n", encoding="utf-8")
    with pytest.raises(ValueError, match="bad.yaml: outlets.mine: expected a mapping with name, group"):
        load_outlets([bad])


def test_a_date_range_says_how_many_undated_documents_it_left_out() -> None:
    keep, notes = select_documents(corpus(), Selection(start="2021-02-01"))
    assert list(keep) == [False, True, False, True, False, True]
    assert notes == ["2 undated documents are outside any date range.", "1 document is dated before 2021-02-01."]


def test_languages_sources_and_groups_select_and_say_what_they_dropped() -> None:
    docs = with_outlets(corpus()).documents
    keep, notes = select_documents(docs, Selection(languages=["ru"]))
    assert list(keep) == [False, True, True, False, False, False]
    assert notes == ["4 documents are in other languages (en: 4)."]
    keep, _ = select_documents(docs, Selection(sources=["rfe/rl"]))
    assert list(keep) == [True, True, False, True, False, False]
    keep, notes = select_documents(docs, Selection(source_groups=["Russian state media"]))
    assert list(keep) == [False, False, True, False, False, False]
    assert notes == ["5 documents are outside the outlet groups Russian state media "
                     "(2 of them from outlets the outlet table does not know)."]


def test_subset_keeps_the_mentions_and_sentences_of_the_selected_documents_only() -> None:
    docs = corpus()
    mentions = pd.DataFrame({"doc_id": ["d1", "d2", "d3"], "key": ["a", "b", "c"]})
    sentences = pd.DataFrame({"doc_id": ["d1", "d2", "d3", "d4"], "sentence": [0, 0, 0, 0]})
    d, m, s, notes = subset_tables(docs, mentions, sentences, Selection(languages="ru"))
    assert list(d["doc_id"]) == ["d2", "d3"] and list(m["key"]) == ["b", "c"] and list(s["doc_id"]) == ["d2", "d3"]


def test_bad_selections_are_one_line_errors() -> None:
    with pytest.raises(ValueError, match="invalid start 'March'; expected None or a date"):
        Selection(start="March")
    with pytest.raises(ValueError, match="start .* is after end"):
        Selection(start="2021-05-01", end="2021-01-01")
    with pytest.raises(ValueError, match="invalid languages \\[\\]"):
        Selection(languages=[])
