"""A document given without a source takes the outlet its own text credits (a byline, a credit
dateline, a dateline naming its outlet, a sentence crediting an outlet), in English and
Russian, marked `source_from = credit`; a source the user gave is never replaced; a text that
credits no one stays without a source. The text itself is left as the user gave it."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from analysis.corpus.outlets import with_outlets
from analysis.corpus.reader import parse_seed_text, read_corpus
from analysis.reports.notebook import documents_per_source
from analysis.workflow import annotate_corpus

DOCUMENTS = [
    # English: a credit dateline naming an agency by its short name
    {"id": "en-dateline", "language": "en",
     "text": "ISTANBUL (AA) – Turkey and Kyrgyzstan signed a trade agreement on Monday."},
    # English: a byline paragraph crediting two outlets
    {"id": "en-byline", "language": "en",
     "text": "UrduPoint News / Sputnik - 12th April, 2021\n\nThe Kyrgyz parliament passed the budget."},
    # English: an attribution sentence
    {"id": "en-citing", "language": "en",
     "text": "Kyrgyzstan will hold a referendum in April. Trend reports citing Kabar."},
    # a source the user gave stands, whatever the text credits
    {"id": "en-given", "language": "en", "source": "24.kg",
     "text": "ISTANBUL (AA) – The ministers met in Istanbul."},
    # credits no one: no source, not a guess
    {"id": "en-none", "language": "en", "text": "The Kyrgyz Ministry of Health reported new cases."},
    # Russian: an outlet credited as the one that reports
    {"id": "ru-credit", "language": "ru",
     "text": "В Бишкеке прошло заседание правительства, передает КирТАГ. Министры обсудили бюджет."},
    # Russian: a dateline naming its outlet
    {"id": "ru-dateline", "language": "ru",
     "text": "БИШКЕК, 26 фев — Sputnik. Парламент Кыргызстана принял закон о выборах."},
    # Russian: a press service is a speaker, not an outlet
    {"id": "ru-none", "language": "ru",
     "text": "Заседание перенесли на среду, сообщает пресс-служба правительства."},
]

EXPECTED = {
    "en-dateline": ("AA", "credit"),
    "en-byline": ("UrduPoint News / Sputnik", "credit"),
    "en-citing": ("Trend, citing Kabar", "credit"),
    "en-given": ("24.kg", "given"),
    "en-none": (None, None),
    "ru-credit": ("КирТАГ", "credit"),
    "ru-dateline": ("Sputnik", "credit"),
    "ru-none": (None, None),
}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("credits") / "corpus.jsonl"
    path.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in DOCUMENTS), encoding="utf-8")
    return path


def _sources(documents: pd.DataFrame) -> dict[str, tuple[str | None, str | None]]:
    return {row.doc_id: (None if pd.isna(row.source) else row.source,
                         None if pd.isna(row.source_from) else row.source_from)
            for row in documents.itertuples()}


def test_an_empty_source_takes_the_credit_of_the_text_in_both_languages(corpus):
    documents, problems = read_corpus(corpus)
    assert problems.empty
    assert _sources(documents) == EXPECTED
    texts = dict(zip(documents["doc_id"], documents["text"], strict=True))
    assert all(texts[d["id"]] == d["text"] for d in DOCUMENTS)  # the user's text, credits included


def test_a_seed_file_says_whether_its_source_was_given_or_credited():
    given = parse_seed_text(" date 2021-02-24 Source: Some Outlet\n\nBISHKEK (AA) - Body text here.\n")
    assert (given.source, given.source_from) == ("Some Outlet", "given")
    credited = parse_seed_text("Headline of the report\n\nUrduPoint News / Sputnik - 12th April, 2021\n\n"
                               "The parliament met on Monday.\n")
    assert (credited.source, credited.source_from) == ("UrduPoint News / Sputnik", "credit")
    assert "Sputnik" not in credited.text  # a seed's byline is the source, not text
    assert parse_seed_text("The parliament met on Monday. It passed the budget.\n").source_from is None


def test_credited_sources_reach_the_sources_table_and_the_outlet_groups(corpus):
    documents, _ = read_corpus(corpus)
    table = documents_per_source(documents)
    assert table.loc["AA", "documents"] == 1 and table.loc["AA", "from a credit in the text"] == 1
    assert table.loc["24.kg", "from a credit in the text"] == 0
    assert table.loc["no source", "documents"] == 2
    outlets = with_outlets(documents).documents.set_index("doc_id")
    assert outlets.loc["en-dateline", "outlet"] == "Anadolu Agency"
    assert outlets.loc["en-byline", "source_group"] == "Russian state media"


def test_a_cached_annotation_keeps_the_sources_the_text_credits(corpus, tmp_path):
    # the source is read from the text on every reading, so a second run from the cache gives
    # the same documents table, and the credits are no actors in either
    first = annotate_corpus(corpus, cache_dir=tmp_path, progress=False)
    second = annotate_corpus(corpus, cache_dir=tmp_path, progress=False)
    assert _sources(first.documents) == _sources(second.documents) == EXPECTED
    mentions = second.load().mentions
    actors = set(mentions.loc[mentions["kind"] == "actor", "text"])
    assert not actors & {"AA", "UrduPoint News", "Sputnik", "КирТАГ"}


@pytest.mark.parametrize("text", ["ALMATY (Kazakhstan) - The president said the talks went well.",
                                  "BISHKEK (Update 2) - The president said the talks went well."])
def test_a_country_or_an_edition_in_a_datelines_brackets_is_no_source(text):
    from analysis.corpus.headers import find_credit

    assert find_credit(text) is None
    assert find_credit("ISTANBUL (AA) - The president said the talks went well.") == "AA"
