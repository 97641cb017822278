"""Near-copies grouped into stories (analysis.corpus.stories), and what that does to an interval."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.corpus.stories import assign_stories, check_threshold, shingles, story_copies
from analysis.stats.cooccurrence import Cooccurrence
from tests.test_weighting import row, tables

ARTICLE = (
    "The President of Kyrgyzstan met the Special Representative of the Secretary General for Central Asia "
    "in Bishkek on Tuesday. The parties discussed the preparations for the parliamentary elections, the "
    "reform of the constitution and the cooperation of the government with the United Nations agencies "
    "working in the country. The head of state thanked the organisation for its help during the pandemic "
    "and asked for support of the programmes on water, energy and the rights of women in the regions. "
    "The Special Representative said the organisation would keep its office open and would send observers."
)
OTHER = (
    "Farmers in the Chui valley expect a poor harvest after the driest spring in twenty years, the "
    "ministry of agriculture said, and asked the water authority to open the reservoirs a month early. "
    "Prices of flour rose by a tenth in the markets of Osh and Jalal-Abad last week."
)


def documents(texts: dict[str, str]) -> pd.DataFrame:
    return pd.DataFrame({"doc_id": list(texts), "text": list(texts.values()), "date": pd.NaT})


def test_two_copies_with_one_word_changed_form_one_story() -> None:
    copy = ARTICLE.replace("Tuesday", "Wednesday")
    frame = documents({"a": ARTICLE, "b": copy, "c": OTHER})
    story = assign_stories(frame)
    assert list(story) == ["a", "a", "c"]


def test_a_different_report_of_the_same_event_is_its_own_story() -> None:
    rewrite = ("Kyrgyzstan's president received the UN envoy for Central Asia on Tuesday; they talked about the "
               "elections and the new constitution, and the envoy promised observers and help with water and "
               "energy programmes, and said the office in Bishkek stays open.")
    assert list(assign_stories(documents({"a": ARTICLE, "b": rewrite}))) == ["a", "b"]


def test_a_story_is_named_by_its_earliest_document_and_exact_duplicates_join_it() -> None:
    frame = documents({"late": ARTICLE, "early": ARTICLE.replace("Tuesday", "Monday"), "dup": ARTICLE})
    frame["date"] = pd.to_datetime(["2021-03-02", "2021-03-01", None])
    frame["duplicate_of"] = [None, None, "late"]
    assert list(assign_stories(frame)) == ["early", "early", "early"]
    copies = story_copies(frame.assign(story=assign_stories(frame)))
    assert list(copies["doc_id"]) == ["dup", "early", "late"]


def test_the_headline_does_not_hide_a_copy() -> None:
    frame = documents({"a": "Japarov meets UN envoy\n\n" + ARTICLE, "b": "UN envoy in Bishkek\n\n" + ARTICLE})
    frame["body_start"] = [len("Japarov meets UN envoy\n\n"), len("UN envoy in Bishkek\n\n")]
    assert assign_stories(frame).nunique() == 1


def test_shingles_and_threshold() -> None:
    assert shingles("One two three") == {b"one two three"}
    assert len(shingles("a b c d e f")) == 2
    with pytest.raises(ValueError, match="story_threshold 0"):
        check_threshold(0)


def test_the_interval_of_a_pair_seen_only_in_two_copies_is_that_of_one_document() -> None:
    base = {f"o{i}": [["kgz", "kaz"] if i % 3 == 0 else ["kgz"], ["uzb", "kaz"] if i % 2 else ["tjk"]]
            for i in range(30)}
    wire = [["rus", "chn"], ["rus"], ["chn", "kgz"]]
    docs, mentions, sentences = tables(base | {"wire": wire, "wire-copy": wire})
    words = OTHER.split()
    rng = np.random.default_rng(0)
    # every other document its own text: the same words shuffled, so no two share a shingle run
    texts = {d: " ".join(rng.permutation(words)) for d in docs["doc_id"]}
    texts["wire"], texts["wire-copy"] = ARTICLE, ARTICLE.replace("Tuesday", "Wednesday")
    docs = docs.assign(text=docs["doc_id"].map(texts))
    docs = docs.assign(story=assign_stories(docs))
    assert docs.set_index("doc_id")["story"]["wire-copy"] == "wire"
    assert docs["story"].nunique() == len(docs) - 1
    options = {"measure": "npmi", "ci": 0.5, "bootstrap": 1000, "seed": 1}
    pair = row(Cooccurrence.build(mentions, sentences, documents=docs).pairs(**options), "rus", "chn")
    d1, m1, s1 = tables(base | {"wire": wire})
    single = row(Cooccurrence.build(m1, s1, documents=d1).pairs(**options), "rus", "chn")
    assert pair["stories"] == 1 and pair["documents"] == 2
    assert pair["npmi_low"] == single["npmi_low"] == -1.0
    assert pair["npmi_high"] - pair["npmi_low"] == pytest.approx(single["npmi_high"] - single["npmi_low"], abs=0.1)
