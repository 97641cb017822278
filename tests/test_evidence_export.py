"""The evidence of a whole pair table (analysis.reports.evidence): one join gives exactly the
rows `Cooccurrence.evidence` gives pair by pair; the evidence CSV has its columns and one row
per pair and unit; every link lands on a sentence anchor that the rendered text pages hold;
text pages anchor every sentence and every mark names what it was resolved to; a pair table
is in the page whole."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from analysis.reports.evidence import (
    EXPORT_COLUMNS,
    evidence_download,
    evidence_export,
    evidence_table,
    pair_evidence_block,
    unit_links,
)
from analysis.reports.presentation import document_index, document_pages, sentence_anchor, table
from analysis.stats import cooccurrence as co
from tests.test_cooccurrence import ACTORS, CORPUS, build

REQUIRED = ("a_key", "a_name", "b_key", "b_name", "doc_id", "outlet", "date", "language", "sentence", "start",
            "end", "link")


@pytest.fixture
def corpus() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    documents, sentences, mentions = build(CORPUS, ACTORS)
    documents = documents.assign(source=["Kabar", "24.kg", None], language=["en", "en", "ru"])
    return documents, sentences, mentions


@pytest.mark.parametrize("unit", ["sentence", "paragraph", "document", "window:2"])
def test_the_evidence_of_a_whole_table_is_the_evidence_of_each_pair(corpus, unit: str) -> None:
    documents, sentences, mentions = corpus
    model = co.Cooccurrence.build(mentions, sentences, unit)
    for kind in ("actor-actor", "actor-theme"):
        pairs = model.pairs(kind)
        whole = model.pairs_evidence(documents, pairs)
        assert len(whole) == pairs["count"].sum()  # one row per pair and unit
        for pair in pairs.itertuples():
            rows = whole[(whole["a_key"] == pair.a_key) & (whole["b_key"] == pair.b_key)]
            alone = pd.DataFrame(model.evidence(documents, pair.a_key, pair.b_key))
            pd.testing.assert_frame_equal(rows.drop(columns=["a_key", "b_key"]).reset_index(drop=True),
                                          alone.reset_index(drop=True), check_dtype=False)


def test_the_cited_sentence_is_the_one_of_the_earlier_mention(corpus) -> None:
    documents, sentences, mentions = corpus
    model = co.Cooccurrence.build(mentions, sentences, "paragraph")
    rows = pd.DataFrame(model.evidence(documents, "japarov", "un"))
    # d1's first paragraph: "The UN & Kyrgyzstan ..." (sentence 0), "Japarov of Kyrgyzstan spoke." (1)
    assert rows[["doc_id", "sentence"]].values.tolist() == [["d1", 0]]


def test_the_evidence_csv_has_its_columns_and_every_link_lands_on_a_rendered_sentence(corpus) -> None:
    documents, sentences, mentions = corpus
    model = co.Cooccurrence.build(mentions, sentences, "sentence")
    pairs = model.pairs("actor-actor")
    index = document_index(documents, per_page=1)  # one document a page: links must name the right page
    evidence = evidence_table(model, documents, pairs, index)
    csv = evidence_export(evidence)
    assert list(csv.columns) == list(EXPORT_COLUMNS) and set(REQUIRED) <= set(csv.columns)
    assert len(csv) == pairs["count"].sum()
    kgz_un = csv[(csv["a_key"] == "kgz") & (csv["b_key"] == "un")]
    assert kgz_un[["doc_id", "outlet", "date", "language", "a_name", "b_name"]].values.tolist() == [
        ["d1", "Kabar", "2021-02-10", "en", "Kyrgyzstan", "United Nations"],
        ["d2", "24.kg", "", "en", "Kyrgyzstan", "United Nations"]]
    texts = documents.set_index("doc_id")["text"]
    for row in csv.itertuples():  # offsets locate the unit, whose text is the passage
        assert texts[row.doc_id][row.start:row.end] == row.passage
    pages = {name: str(body) for name, _, body in document_pages(documents, mentions, sentences, per_page=1)}
    for link in csv["link"]:
        page, anchor = link.split("#")
        assert page in pages and f'id="{anchor}"' in pages[page], link
    first = csv.iloc[0]
    assert first["link"].endswith("#" + sentence_anchor(first["doc_id"], first["sentence"]))


def test_the_download_writes_every_row_and_says_what_it_holds(corpus) -> None:
    documents, sentences, mentions = corpus
    model = co.Cooccurrence.build(mentions, sentences, "sentence")
    index = document_index(documents)
    tables = [evidence_table(model, documents, model.pairs(kind), index) for kind in ("actor-actor", "actor-theme")]
    data, metadata = evidence_download(*tables)._repr_mimebundle_()
    assert metadata == {"text/csv": {"name": "evidence"}} and 'href="table:evidence"' in data["text/html"]
    lines = data["text/csv"].splitlines()
    assert lines[0] == ",".join(EXPORT_COLUMNS) and len(lines) == 1 + sum(len(frame) for frame in tables)
    assert "one row per pair and unit" in data["text/html"]


def test_a_row_links_to_its_block_on_the_page_or_else_to_its_first_cited_sentence(corpus) -> None:
    documents, sentences, mentions = corpus
    model = co.Cooccurrence.build(mentions, sentences, "sentence")
    pairs = model.pairs("actor-actor")
    index = document_index(documents)
    evidence = evidence_table(model, documents, pairs, index)
    links = unit_links(pairs, evidence, pairs.head(1))
    assert links[0].startswith("#evidence-")
    for link, pair in zip(links[1:], pairs.iloc[1:].itertuples(), strict=True):
        first = evidence[(evidence["a_key"] == pair.a_key) & (evidence["b_key"] == pair.b_key)].iloc[0]
        assert link == f"documents-1.html#{sentence_anchor(first['doc_id'], first['sentence'])}"


def test_evidence_blocks_link_the_sentence_and_name_each_mark(corpus) -> None:
    documents, sentences, mentions = corpus
    model = co.Cooccurrence.build(mentions, sentences, "sentence")
    pairs = model.pairs("actor-theme")
    index = document_index(documents)
    evidence = evidence_table(model, documents, pairs, index)
    markup = pair_evidence_block(evidence, next(pairs.itertuples()), index).data
    assert 'title="actor: Kyrgyzstan (kgz)" aria-label="actor: Kyrgyzstan (kgz)">Kyrgyzstan</mark>' in markup
    assert 'title="theme: Elections (elections)"' in markup
    assert f'href="documents-1.html#{sentence_anchor("d1", 0)}"' in markup


def test_text_pages_anchor_every_sentence_and_name_every_mark(corpus) -> None:
    documents, sentences, mentions = corpus
    body = str(document_pages(documents, mentions, sentences)[0][2])
    anchors = re.findall(r'<span class="sentence" id="([^"]+)">', body)
    assert sorted(anchors) == sorted(sentence_anchor(d, s) for d, s
                                     in sentences[["doc_id", "sentence"]].itertuples(index=False))
    assert len(set(anchors)) == len(anchors)  # documents in date order (undated last), each sentence once
    marks = re.findall(r"<mark [^>]*>", body.split('<div class="documents')[1])  # not the legend's
    assert len(marks) == len(mentions)
    assert all('title="' in mark and 'aria-label="' in mark for mark in marks)
    assert '<mark class="a" title="actor: Sadyr Japarov (japarov)" aria-label="actor: Sadyr Japarov (japarov)">' \
           'Japarov</mark>' in body
    # text is escaped inside sentences, marks nest inside them
    assert "&lt;script&gt;x&lt;/script&gt;" in body and "<script>" not in body
    assert re.search(r'<span class="sentence" id="doc-d1-s0">The <mark[^>]*>UN</mark> &amp; ', body)


def test_a_pair_table_is_in_the_page_whole_with_its_first_rows_shown_first() -> None:
    frame = pd.DataFrame({"actor": [f"actor {n}" for n in range(30)], "units": range(30)})
    data, _ = table(frame, "pairs", rows=5, sticky=2)._repr_mimebundle_()
    html = data["text/html"]
    assert html.count("<tr>") == 31 and "actor 29" in html  # every row, not only the first five
    assert 'data-rows="5"' in html and "sticky-2" in html
    assert "All 30 rows are in this table, the first 5 shown first" in html
    with pytest.raises(ValueError, match="sticky=7"):
        table(frame, "pairs", sticky=7)


def test_every_page_counts_actors_one_way(corpus) -> None:
    """The Entities page's number and the All actors page's rows are the same keys: after
    linking, of the mentions reports count (a mention left unresolved is no actor), in the
    categories the page names."""
    from analysis.reports.presentation import actor_index, actors_said
    from analysis.reports.render import _top_actors
    from analysis.schema import ACTOR_CATEGORIES
    from analysis.stats.counts import filter_mentions
    from analysis.stats.selection import select_mentions

    _, sentences, mentions = corpus
    unresolved = mentions.iloc[[0]].assign(key="unresolved-government", name="the government", via="unresolved")
    mentions = pd.concat([mentions, unresolved], ignore_index=True)
    listed = _top_actors(mentions)
    assert "unresolved-government" not in set(listed["key"])
    counted, _ = select_mentions(mentions, sentences)  # what a report notebook counts (prepare)
    every = filter_mentions(counted, kind="actor", categories=list(ACTOR_CATEGORIES))
    assert actors_said(every, ACTOR_CATEGORIES).startswith(f"{len(listed)} actors (")
    assert f"{len(listed)} actors (actor keys after linking" in actor_index(listed, {})
    some = filter_mentions(counted, kind="actor", categories=["person", "country"])
    assert actors_said(some, ["person", "country"]) == (
        "2 actors (actor keys after linking, of the mentions the reports count, in the categories person, country; "
        "All actors lists every category)")


def test_a_comparison_page_exports_the_evidence_of_every_pair_it_compares(corpus) -> None:
    from analysis.reports.evidence import comparison_evidence
    from analysis.stats.compare import Comparison

    documents, sentences, mentions = corpus
    model = co.Cooccurrence.build(mentions, sentences, "sentence")
    pairs = model.pairs("actor-actor")
    by_group = pd.concat([pairs.assign(group="en"), pairs.assign(group="ru")], ignore_index=True)  # a pair per group
    compared = Comparison(by_group, (), pd.DataFrame())
    data, metadata = comparison_evidence(model, documents, compared, None)._repr_mimebundle_()
    assert metadata == {"text/csv": {"name": "evidence"}}
    assert len(data["text/csv"].splitlines()) == 1 + pairs["count"].sum()  # each pair once, every unit
    nothing = comparison_evidence(model, documents, None, None)  # fewer than two groups: a sentence, no file
    assert "Nothing was compared" in nothing.data and not hasattr(nothing, "_repr_mimebundle_")


def test_a_selection_links_to_the_text_pages_of_the_whole_corpus():
    # the text pages hold every document of the corpus; a report on some of them (start, end,
    # languages, sources) must link each to the page where it is
    from analysis.corpus.subset import Selection, subset_tables
    from analysis.reports.presentation import DOCUMENTS_PER_PAGE, document_index

    n = DOCUMENTS_PER_PAGE * 2
    documents = pd.DataFrame({"doc_id": [f"d{i:03d}" for i in range(n)],
                              "date": pd.to_datetime(["2021-01-01"] * (n // 2) + ["2021-06-01"] * (n // 2)),
                              "text": "x", "title": "t", "source": "s", "language": "en"})
    empty = pd.DataFrame({"doc_id": pd.Series([], dtype="string")})
    chosen, *_ = subset_tables(documents, empty, empty, Selection("2021-05-01", None, None, None, None))
    whole, part = document_index(documents), document_index(chosen)
    assert len(part) == n // 2
    assert (part["href"] == whole.loc[part.index, "href"]).all()
