"""Counting helpers on the real seeds: numbers a reader can check against the texts."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from analysis.reports.notebook import ParameterError, check_parameters, mentions_of, partners_of
from analysis.stats.counts import (
    actor_counts,
    category_counts,
    counts_by_document,
    document_actor_matrix,
    filter_mentions,
    surface_forms,
)
from analysis.workflow import load_annotated_corpus

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def seeds():
    return load_annotated_corpus(ROOT / "seeds", progress=False)


def test_actor_counts_match_the_mentions(seeds) -> None:
    actors = filter_mentions(seeds.mentions, kind="actor")
    counts = actor_counts(actors).set_index("key")
    assert counts.loc["kgz", "documents"] == 5  # every seed is about Kyrgyzstan
    assert counts.loc["kgz", "mentions"] == (actors["key"] == "kgz").sum()
    assert counts.loc["ruslan-kazakbaev", "documents"] == 2
    assert counts["mentions"].is_monotonic_decreasing
    assert counts["mentions"].sum() == len(actors)


def test_filters_by_category_and_date_range(seeds) -> None:
    people = filter_mentions(seeds.mentions, kind="actor", categories=["person"])
    assert set(people["category"]) == {"person"}
    in_2021 = filter_mentions(seeds.mentions, seeds.documents, start="2021-01-01", end="2021-12-31")
    assert set(in_2021["doc_id"]) == {"002_4e99a73490cd7995", "003_557d1d1e793ae0ef", "004_04d64396df5df388"}
    with pytest.raises(ValueError, match="unknown categories \\['planet'\\]"):
        filter_mentions(seeds.mentions, categories=["planet"])
    with pytest.raises(ValueError, match="needs the documents table"):
        filter_mentions(seeds.mentions, start="2021-01-01")


def test_per_document_matrix_and_categories(seeds) -> None:
    actors = filter_mentions(seeds.mentions, kind="actor")
    matrix = document_actor_matrix(actors, top=5)
    assert matrix.shape == (5, 5) and matrix.columns[0] == "Kyrgyzstan"
    long = counts_by_document(actors)
    assert long["mentions"].sum() == len(actors)
    by_category = category_counts(actors).set_index("category")
    assert by_category["mentions"].sum() == len(actors)
    assert by_category.loc["country", "actors"] >= 4  # Kyrgyzstan, Russia, Iraq, Tajikistan


def test_surface_forms_show_what_resolution_merged(seeds) -> None:
    forms = surface_forms(filter_mentions(seeds.mentions, kind="actor")).set_index("key")
    assert set(forms.loc["kgz", "forms"].split(" | ")) >= {"Kyrgyzstan", "Kyrgyz Republic", "Kyrgyz"}
    assert set(forms.loc["ruslan-kazakbaev", "forms"].split(" | ")) == {"Kazakbaev", "Ruslan Kazakbaev"}


def test_notebook_parameters_are_checked_with_clear_messages() -> None:
    assert check_parameters(unit="window:3", min_count=2)["min_count"] == 2
    for bad, message in [
        ({"unit": "chapter"}, "parameter 'unit' = 'chapter'"),
        ({"min_count": 0}, "parameter 'min_count' = 0: expected a positive integer"),
        ({"measure": "cosine"}, "parameter 'measure' = 'cosine'"),
        ({"categories": ["planet"]}, "unknown: \\['planet'\\]"),
        ({"start": "2021-13-01"}, "parameter 'start'"),
        ({"corpus": "no/such/folder"}, "parameter 'corpus'"),
        ({"colour": "red"}, "unknown parameter 'colour'"),
    ]:
        with pytest.raises(ParameterError, match=message):
            check_parameters(**bad)
    assert check_parameters(start="2021-01-01")["start"] == pd.Timestamp("2021-01-01")


def test_partners_of_an_actor_are_the_pairs_it_is_part_of(seeds) -> None:
    partners = partners_of(seeds.mentions, seeds.sentences, "ruslan-kazakbaev")
    assert len(partners) > 3
    assert ((partners["a_key"] == "ruslan-kazakbaev") | (partners["b_key"] == "ruslan-kazakbaev")).all()
    others = set(partners["a_key"]) | set(partners["b_key"])
    assert {"osce", "sco"} <= others  # the minister met both, in different seeds
    assert partners["count"].is_monotonic_decreasing
    themes = partners_of(seeds.mentions, seeds.sentences, "un", pairs="actor-theme")
    assert set(themes["a_key"]) == {"un"}
    assert "pandemic" in set(themes["b_key"])
    own = mentions_of(seeds.mentions, "un")
    assert len(own) == (actor_counts(filter_mentions(seeds.mentions)).set_index("key").loc["un", "mentions"])
