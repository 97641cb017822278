"""Error class 7 of the accuracy issue: a headline is annotated as its document's first
paragraph and sentence, marked `section == "title"`, so an actor named only there is counted,
and a researcher can leave headlines out of counts and units."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from analysis.annotate.casing import HeadlineCasing, is_title_case
from analysis.annotate.lexicon import load_lexicon
from analysis.annotate.pipeline import DEFAULT_PIPELINE
from analysis.annotate.vocabulary import pipeline_vocabulary
from analysis.cli import main
from analysis.corpus.reader import parse_seed_text, read_corpus
from analysis.stats.selection import select_mentions
from analysis.workflow import load_annotated_corpus

HEADLINE = "Sadyr Japarov receives the OSCE Secretary General"
BODY = ("The two sides discussed cooperation in the field of security.\n\n"
        "The head of state thanked the organisation for its support of the elections.")


@pytest.fixture(scope="module")
def titled_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("titled")
    path = folder / "news.jsonl"
    records = [
        {"id": "titled", "date": "2021-03-01", "title": HEADLINE, "text": BODY},
        {"id": "untitled", "date": "2021-03-02", "text": "Vladimir Putin met Sadyr Japarov in Moscow."},
    ]
    path.write_text("".join(json.dumps(record) + "\n" for record in records), encoding="utf-8")
    return path


def test_title_is_the_first_paragraph_of_the_text(titled_corpus: Path) -> None:
    documents = read_corpus(titled_corpus).documents.set_index("doc_id")
    titled = documents.loc["titled"]
    assert titled["text"] == f"{HEADLINE}\n\n{BODY}"
    assert titled["body_start"] == len(HEADLINE) + 2
    assert titled["text"][titled["body_start"]:] == BODY
    assert documents.loc["untitled", "body_start"] == 0


def test_seed_format_headline_line_becomes_the_title() -> None:
    parsed = parse_seed_text(f"{HEADLINE}\n\n{BODY}\n")
    assert parsed.title == HEADLINE
    assert parsed.text.startswith("The two sides")


def test_an_actor_named_only_in_the_headline_is_a_title_mention(titled_corpus: Path) -> None:
    corpus = load_annotated_corpus(titled_corpus, progress=False)
    mentions = corpus.mentions[corpus.mentions["doc_id"] == "titled"]
    in_title = mentions[mentions["section"] == "title"]
    assert {"sadyr-japarov", "osce"} <= set(in_title["key"])
    assert set(in_title["sentence"]) == {0} and set(in_title["paragraph"]) == {0}
    assert (in_title["end"] <= len(HEADLINE)).all()
    body = mentions[mentions["section"] == "body"]
    assert (body["start"] >= len(HEADLINE) + 2).all()
    assert "osce" not in set(body["key"])  # only the headline names the organisation
    sentences = corpus.sentences[corpus.sentences["doc_id"] == "titled"]
    assert sentences.loc[sentences["sentence"] == 0, "section"].tolist() == ["title"]
    assert set(sentences.loc[sentences["sentence"] > 0, "section"]) == {"body"}
    untitled = corpus.mentions[corpus.mentions["doc_id"] == "untitled"]
    assert set(untitled["section"]) == {"body"}


def test_headlines_and_roles_can_be_left_out(titled_corpus: Path) -> None:
    corpus = load_annotated_corpus(titled_corpus, progress=False)
    mentions, sentences = select_mentions(corpus.mentions, corpus.sentences, include_titles=False)
    assert "title" not in set(mentions["section"]) and "title" not in set(sentences["section"])
    assert len(sentences) == len(corpus.sentences) - 1  # the headline is not a unit either
    assert "osce" not in set(mentions.loc[mentions["doc_id"] == "titled", "key"])
    no_roles, _ = select_mentions(corpus.mentions, corpus.sentences, include_roles=False)
    assert "role" in set(corpus.mentions["via"])  # "The head of state" stands for Sadyr Japarov
    assert "role" not in set(no_roles["via"])
    themes = corpus.mentions["kind"] == "theme"
    assert (no_roles["kind"] == "theme").sum() == themes.sum()  # themes have no roles to drop


def test_cli_counts_without_headlines(titled_corpus: Path, tmp_path: Path) -> None:
    def pairs(*flags: str) -> set[tuple[str, str]]:
        out = tmp_path / "pairs.csv"
        assert main(["cooccurrence", str(titled_corpus), "--unit", "document", "--out", str(out), *flags]) == 0
        table = pd.read_csv(out)
        return set(zip(table["a_key"], table["b_key"], strict=True))

    assert ("osce", "sadyr-japarov") in pairs()
    assert ("osce", "sadyr-japarov") not in pairs("--no-titles")
    assert ("sadyr-japarov", "vladimir-putin") in pairs("--no-titles")  # the body's pairs stay


# -- Title-Case headlines ------------------------------------------------------------------------
@pytest.fixture(scope="module")
def casing() -> HeadlineCasing:
    vocabulary = pipeline_vocabulary(DEFAULT_PIPELINE)
    lexicon = load_lexicon()
    forms = [form for actor in lexicon.actors.values() for form in (*actor.surface_forms, *actor.demonyms)]
    return HeadlineCasing.from_forms(vocabulary.is_ordinary, vocabulary.language.headline_small_words, forms)


def test_title_case_is_told_from_a_sentence_full_of_names() -> None:
    assert is_title_case("Kyrgyz Leader To Make First Visit To Russia, Meet With Putin")
    assert not is_title_case("Head of the OSCE Programme Office in Bishkek Alexey Rogov met with Minister "
                             "of Foreign Affairs of the Kyrgyz Republic Ruslan Kazakbaev")
    assert not is_title_case("Kyrgyz Republic")  # too short to say


def test_title_case_headline_goes_to_sentence_case_keeping_names(casing: HeadlineCasing) -> None:
    headline = "Kyrgyz President Japarov To Make First Visit To Russia, Meet With Putin"
    cased = casing(headline)
    assert cased == "Kyrgyz President Japarov to make first visit to Russia, meet with Putin"
    assert len(cased) == len(headline)
    assert casing("Kyrgyz Foreign Ministry Says Talks With OSCE Were Constructive") == (
        "Kyrgyz Foreign Ministry says talks with OSCE were constructive")  # alias words keep capitals
    sentence = "Sadyr Japarov met Vladimir Putin in Moscow."
    assert casing(sentence) == sentence


def test_title_case_headline_yields_names_not_word_runs(tmp_path: Path) -> None:
    path = tmp_path / "news.jsonl"
    record = {"id": "d", "date": "2021-02-24", "title": "Kyrgyz President Japarov To Make First Visit To Russia, "
              "Meet With Putin", "text": "The visit is planned for February."}
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    mentions = load_annotated_corpus(path, progress=False).mentions
    title = mentions[mentions["section"] == "title"]
    assert set(title["key"]) == {"kgz", "sadyr-japarov", "rus", "vladimir-putin"}
    assert "With Putin" not in set(title["text"])
    text = read_corpus(path).documents.loc[0, "text"]
    assert all(text[row.start:row.end] == row.text for row in title.itertuples())  # surfaces as written
