"""Tests of analysis.stats.cooccurrence on small hand-built tables (no spaCy).

The tiny corpus below is small enough that every count and measure was worked out by hand;
the hypothesis tests then check the sparse machinery against a plain set-based reference.
"""

from __future__ import annotations

import itertools
import math
from collections import Counter

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.stats import chi2, chi2_contingency

from analysis.reports.presentation import evidence_html, highlight
from analysis.schema import (
    DOCUMENT_COLUMNS,
    MENTION_COLUMNS,
    OPTIONAL_DEFAULTS,
    SENTENCE_COLUMNS,
    conform,
    empty_frame,
)
from analysis.stats import cooccurrence as co
from analysis.stats.measures import compute_all

# --------------------------------------------------------------------------- fixtures

# doc -> (date, paragraphs -> sentences -> (text, [(surface, key), ...]))
CORPUS = {
    "d1": (
        "2021-02-10",
        [
            [
                (
                    "The UN & Kyrgyzstan <script>x</script> discussed elections.",
                    [("UN", "un"), ("Kyrgyzstan", "kgz"), ("elections", "elections")],
                ),
                ("Japarov of Kyrgyzstan spoke.", [("Japarov", "japarov"), ("Kyrgyzstan", "kgz")]),
            ],
            [("The UN left.", [("UN", "un")])],
        ],
    ),
    "d2": (
        None,
        [
            [
                ("UN and Kyrgyzstan agree.", [("UN", "un"), ("Kyrgyzstan", "kgz")]),
                ("The EU is silent.", [("EU", "eu")]),
            ]
        ],
    ),
    "d3": ("2021-03-05", [[("Nothing happened.", [])]]),
}
ACTORS = {  # key -> (name, kind, category, affiliation)
    "un": ("United Nations", "actor", "organization", None),
    "kgz": ("Kyrgyzstan", "actor", "country", None),
    "eu": ("European Union", "actor", "organization", None),
    "japarov": ("Sadyr Japarov", "actor", "person", "kgz"),
    "elections": ("Elections", "theme", "elections", None),
}


def build(corpus: dict, actors: dict) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """documents, sentences and mentions tables from the nested corpus description."""
    docs, sents, ments = [], [], []
    for doc_id, (date, paragraphs) in corpus.items():
        text, index = "", 0
        for p, paragraph in enumerate(paragraphs):
            if p:
                text += "\n\n"
            for s, (sentence, surfaces) in enumerate(paragraph):
                if s:
                    text += " "
                start = len(text)
                text += sentence
                sents.append((doc_id, p, index, start, len(text)))
                cursor = 0
                for surface, key in surfaces:
                    offset = sentence.index(surface, cursor)
                    cursor = offset + len(surface)
                    name, kind, category, affiliation = actors[key]
                    ments.append(
                        {
                            "doc_id": doc_id,
                            "paragraph": p,
                            "sentence": index,
                            "start": start + offset,
                            "end": start + offset + len(surface),
                            "text": surface,
                            "kind": kind,
                            "label": "THEME" if kind == "theme" else "ORG",
                            "key": key,
                            "name": name,
                            "category": category,
                            "affiliation": affiliation,
                        }
                    )
                index += 1
        docs.append(
            {
                "doc_id": doc_id,
                "path": f"{doc_id}.txt",
                "date": pd.Timestamp(date) if date else pd.NaT,
                "date_source": "header" if date else "none",
                "source": None,
                "title": None,
                "text": text,
                "n_chars": len(text),
                "sha256": doc_id,
                "duplicate_of": None,
            }
        )
    documents = conform(pd.DataFrame(docs), DOCUMENT_COLUMNS)
    sentence_columns = [name for name in SENTENCE_COLUMNS if name not in OPTIONAL_DEFAULTS]
    sentences = conform(pd.DataFrame(sents, columns=sentence_columns), SENTENCE_COLUMNS)
    mentions = conform(pd.DataFrame(ments), MENTION_COLUMNS) if ments else empty_frame(MENTION_COLUMNS)
    return documents, sentences, mentions


@pytest.fixture
def tables() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    return build(CORPUS, ACTORS)


def counts(table: pd.DataFrame) -> dict[tuple[str, str], int]:
    return {(a, b): int(c) for a, b, c in table[["a_key", "b_key", "count"]].itertuples(index=False)}


def row(table: pd.DataFrame, a: str, b: str) -> pd.Series:
    match = table[(table["a_key"] == a) & (table["b_key"] == b)]
    assert len(match) == 1, (a, b, table)
    return match.iloc[0]


# --------------------------------------------------------------------------- hand-checked


def test_sentence_counts_and_margins_by_hand(tables):
    documents, sentences, mentions = tables
    table = co.pair_table(mentions, sentences)
    # units: {un,kgz,elections} {japarov,kgz} {un} | {un,kgz} {eu} | {} -> N = 6
    assert counts(table) == {("kgz", "un"): 2, ("japarov", "kgz"): 1}
    assert list(table["a_key"]) == ["kgz", "japarov"]  # sorted by count descending
    kgz_un = row(table, "kgz", "un")
    assert (kgz_un["a_units"], kgz_un["b_units"], kgz_un["n_units"]) == (3, 3, 6)
    assert (kgz_un["a_name"], kgz_un["a_category"]) == ("Kyrgyzstan", "country")
    assert (kgz_un["b_name"], kgz_un["b_category"]) == ("United Nations", "organization")
    assert table.dtypes.astype(str).to_dict() == co.PAIR_COLUMNS


def test_each_measure_by_hand(tables):
    documents, sentences, mentions = tables
    table = co.pair_table(mentions, sentences)
    r = row(table, "kgz", "un")  # c=2, a=3, b=3, N=6: table [[2, 1], [1, 2]], all E = 1.5
    assert r["expected"] == pytest.approx(1.5)
    assert r["lift"] == pytest.approx(4 / 3)
    assert r["pmi"] == pytest.approx(math.log2(4 / 3))
    assert r["npmi"] == pytest.approx(math.log2(4 / 3) / math.log2(3))
    assert r["jaccard"] == pytest.approx(0.5)
    g2 = 2 * (4 * math.log(2 / 1.5) + 2 * math.log(1 / 1.5))
    assert r["llr"] == pytest.approx(g2)
    assert r["p_value"] == pytest.approx(chi2.sf(g2, 1))

    r = row(table, "japarov", "kgz")  # c=1, a=1, b=3: [[1, 0], [2, 3]], a zero cell
    assert r["expected"] == pytest.approx(0.5)
    assert r["lift"] == pytest.approx(2.0)
    assert r["pmi"] == pytest.approx(1.0)
    assert r["npmi"] == pytest.approx(1 / math.log2(6))
    assert r["jaccard"] == pytest.approx(1 / 3)
    g2 = 2 * (math.log(1 / 0.5) + 2 * math.log(2 / 2.5) + 3 * math.log(3 / 2.5))
    assert r["llr"] == pytest.approx(g2)
    assert r["p_value"] == pytest.approx(chi2.sf(g2, 1))


def test_llr_agrees_with_scipy_g_test():
    rng = np.random.default_rng(0)
    n = 1000
    a = rng.integers(1, 900, 50)
    b = rng.integers(1, 900, 50)
    c = np.minimum(a, b) // rng.integers(1, 5, 50)
    c = np.maximum(c, np.maximum(a + b - n, 1))
    got = compute_all(c, a, b, n)
    for i in range(50):
        observed = [[c[i], a[i] - c[i]], [b[i] - c[i], n - a[i] - b[i] + c[i]]]
        g, p, *_ = chi2_contingency(observed, correction=False, lambda_="log-likelihood")
        assert got["llr"][i] == pytest.approx(g, rel=1e-9, abs=1e-9)
        assert got["p_value"][i] == pytest.approx(p, rel=1e-9, abs=1e-12)


def test_npmi_is_one_when_pair_fills_every_unit():
    corpus = {"d": ("2021-01-01", [[("UN, EU.", [("UN", "un"), ("EU", "eu")])] * 2])}
    _, sentences, mentions = build(corpus, ACTORS)
    r = co.pair_table(mentions, sentences).iloc[0]
    assert (r["count"], r["n_units"]) == (2, 2)
    assert (r["npmi"], r["pmi"], r["lift"], r["jaccard"]) == (1.0, 0.0, 1.0, 1.0)
    assert (r["llr"], r["p_value"]) == (0.0, 1.0)


@pytest.mark.parametrize(
    ("unit", "n_units", "expected"),
    [
        (
            "paragraph",
            4,
            {
                ("kgz", "un"): 2,
                ("eu", "kgz"): 1,
                ("eu", "un"): 1,
                ("japarov", "kgz"): 1,
                ("japarov", "un"): 1,
            },
        ),
        (
            "document",
            3,
            {
                ("kgz", "un"): 2,
                ("eu", "kgz"): 1,
                ("eu", "un"): 1,
                ("japarov", "kgz"): 1,
                ("japarov", "un"): 1,
            },
        ),
        (
            "window:2",  # d1: {s0,s1} {s1,s2}; d2: {s0,s1}; d3 shorter than 2: one window
            4,
            {
                ("kgz", "un"): 3,
                ("japarov", "kgz"): 2,
                ("japarov", "un"): 2,
                ("eu", "kgz"): 1,
                ("eu", "un"): 1,
            },
        ),
        ("window:1", 6, {("kgz", "un"): 2, ("japarov", "kgz"): 1}),
    ],
)
def test_other_units_by_hand(tables, unit, n_units, expected):
    _, sentences, mentions = tables
    table = co.pair_table(mentions, sentences, unit=unit)
    assert counts(table) == expected
    assert set(table["n_units"]) == {n_units}


def test_window_units_index(tables):
    _, sentences, mentions = tables
    matrix, units, keys = co.incidence(mentions, sentences, "window:2")
    assert units[["doc_id", "unit", "first_sentence", "last_sentence"]].values.tolist() == [
        ["d1", 0, 0, 1],
        ["d1", 1, 1, 2],
        ["d2", 0, 0, 1],
        ["d3", 0, 0, 0],
    ]
    assert list(keys["key"]) == ["elections", "eu", "japarov", "kgz", "un"]
    assert list(keys["kind"]) == ["theme", "actor", "actor", "actor", "actor"]
    assert matrix.shape == (4, 5)
    assert matrix.toarray().tolist() == [
        [1, 0, 1, 1, 1],
        [0, 0, 1, 1, 1],
        [0, 1, 0, 1, 1],
        [0, 0, 0, 0, 0],
    ]


def test_incidence_is_presence_not_counts():
    corpus = {"d": (None, [[("UN UN UN.", [("UN", "un"), ("UN", "un"), ("UN", "un")])]])}
    _, sentences, mentions = build(corpus, ACTORS)
    matrix, _, _ = co.incidence(mentions, sentences, "document")
    assert matrix.toarray().tolist() == [[1]]
    assert isinstance(matrix, co.sparse.csr_matrix)


def test_actor_theme(tables):
    _, sentences, mentions = tables
    table = co.pair_table(mentions, sentences, pairs="actor-theme")
    assert counts(table) == {("kgz", "elections"): 1, ("un", "elections"): 1}
    assert list(table["a_key"]) == ["kgz", "un"]  # count tie broken by a_key
    r = row(table, "kgz", "elections")
    assert (r["a_units"], r["b_units"], r["n_units"]) == (3, 1, 6)
    assert r["pmi"] == pytest.approx(1.0)
    assert r["b_category"] == "elections"


def test_sort_top_min_count_and_categories(tables):
    _, sentences, mentions = tables
    table = co.pair_table(mentions, sentences, unit="paragraph", measure="pmi")
    assert list(table["pmi"]) == sorted(table["pmi"], reverse=True)
    # ties on pmi are broken by a_key then b_key
    ties = table[table["pmi"] == table["pmi"].max()]
    assert list(zip(ties["a_key"], ties["b_key"], strict=True)) == [
        ("eu", "kgz"),
        ("japarov", "kgz"),
    ]
    top = co.pair_table(mentions, sentences, unit="paragraph", measure="pmi", top=2)
    pd.testing.assert_frame_equal(top, table.head(2))
    assert counts(co.pair_table(mentions, sentences, unit="paragraph", min_count=2)) == {("kgz", "un"): 2}
    only = co.pair_table(mentions, sentences, unit="paragraph", categories=["country", "person"])
    assert counts(only) == {("japarov", "kgz"): 1}
    assert counts(co.pair_table(mentions, sentences, categories="organization")) == {}


def test_unit_counts(tables):
    _, sentences, mentions = tables
    table = co.unit_counts(mentions, sentences, "sentence")
    assert table[["key", "units", "mentions"]].values.tolist() == [
        ["kgz", 3, 3],
        ["un", 3, 3],
        ["elections", 1, 1],
        ["eu", 1, 1],
        ["japarov", 1, 1],
    ]
    doc = co.unit_counts(mentions, sentences, "document").set_index("key")["units"]
    assert doc.to_dict() == {"kgz": 2, "un": 2, "elections": 1, "eu": 1, "japarov": 1}


# --------------------------------------------------------------------------- affiliation


def test_affiliation_rollup(tables):
    _, sentences, mentions = tables
    table = co.pair_table(mentions, sentences, level="affiliation")
    # japarov counts for kgz: {un,kgz} {kgz} {un} {un,kgz} {eu} {} -> no self pair kgz-kgz
    assert counts(table) == {("kgz", "un"): 2}
    para = co.pair_table(mentions, sentences, unit="paragraph", level="affiliation")
    assert counts(para) == {("kgz", "un"): 2, ("eu", "kgz"): 1, ("eu", "un"): 1}
    assert (para["a_key"] != para["b_key"]).all()
    units = co.unit_counts(mentions, sentences, "sentence", "affiliation").set_index("key")
    assert units.loc["kgz", "units"] == 3 and units.loc["kgz", "mentions"] == 4
    assert "japarov" not in units.index


def test_affiliation_names_and_themes_not_rolled_up():
    actors = {
        **ACTORS,
        "otunbayeva": ("Roza Otunbayeva", "actor", "person", "sdpk"),
        "atajurt": ("Ata-Jurt", "actor", "person", "ata-jurt"),
        "corruption": ("Corruption", "theme", "corruption", "kgz"),
    }
    corpus = {
        "d": (
            "2021-01-01",
            [
                [
                    (
                        "Otunbayeva, Ata and UN on corruption.",
                        [
                            ("Otunbayeva", "otunbayeva"),
                            ("Ata", "atajurt"),
                            ("UN", "un"),
                            ("corruption", "corruption"),
                        ],
                    )
                ]
            ],
        )
    }
    _, sentences, mentions = build(corpus, actors)
    names = {"sdpk": "Social Democratic Party"}
    _, _, keys = co.incidence(mentions, sentences, level="affiliation", names=names)
    keys = keys.set_index("key")
    assert keys.loc["sdpk", "name"] == "Social Democratic Party"  # from `names`
    assert keys.loc["ata-jurt", "name"] == "ata-jurt"  # nothing known: the key itself
    assert keys.loc["sdpk", "kind"] == "actor"
    assert pd.isna(keys.loc["sdpk", "category"])
    assert "corruption" in keys.index and "otunbayeva" not in keys.index
    themes = co.pair_table(mentions, sentences, "actor-theme", level="affiliation", names=names)
    assert counts(themes) == {
        ("ata-jurt", "corruption"): 1,
        ("sdpk", "corruption"): 1,
        ("un", "corruption"): 1,
    }
    # a key mentioned directly takes its name from those mention rows, not from `names`
    _, _, keys = co.incidence(mentions, sentences, level="affiliation", names={"un": "ignored"})
    assert keys.set_index("key").loc["un", "name"] == "United Nations"


# --------------------------------------------------------------------------- periods


def test_periods_by_month_with_undated(tables):
    documents, sentences, mentions = tables
    table = co.pair_table_by_period(mentions, sentences, documents, "month")
    assert list(table.columns) == ["period", *co.PAIR_COLUMNS]
    assert list(table["period"]) == ["2021-02", "2021-02", "undated"]
    feb = table[table["period"] == "2021-02"]
    assert counts(feb) == {("japarov", "kgz"): 1, ("kgz", "un"): 1}
    assert set(feb["n_units"]) == {3}
    assert row(feb, "kgz", "un")[["a_units", "b_units"]].tolist() == [2, 2]
    undated = table[table["period"] == "undated"]
    assert counts(undated) == {("kgz", "un"): 1}
    assert set(undated["n_units"]) == {2}


def test_periods_by_quarter(tables):
    documents, sentences, mentions = tables
    table = co.pair_table_by_period(mentions, sentences, documents, freq="quarter", pairs="actor-theme")
    assert list(zip(table["period"], table["a_key"], table["n_units"], strict=True)) == [
        ("2021Q1", "kgz", 4),  # d1 and d3 fall in 2021Q1: 3 + 1 sentences
        ("2021Q1", "un", 4),
    ]
    whole = co.pair_table_by_period(mentions, sentences, documents, "quarter", unit="document")
    assert sorted(set(whole["period"])) == ["2021Q1", "undated"]
    assert set(whole.loc[whole["period"] == "2021Q1", "n_units"]) == {2}


def test_period_labels():
    dates = pd.Series(
        pd.to_datetime(["2021-02-28", None, "2020-12-01"]).astype("datetime64[s]"),
        index=["d1", "d2", "d3"],
    )
    assert co.period_labels(dates).to_dict() == {"d1": "2021-02", "d2": "undated", "d3": "2020-12"}
    assert co.period_labels(dates, "quarter").tolist() == ["2021Q1", "undated", "2020Q4"]
    assert co.period_labels(dates, "year").tolist() == ["2021", "undated", "2020"]
    with pytest.raises(ValueError, match=r"'week'.*'month', 'quarter', 'year'"):
        co.period_labels(dates, "week")


def test_periods_missing_document_is_an_error(tables):
    documents, sentences, mentions = tables
    with pytest.raises(ValueError, match="d2"):
        co.pair_table_by_period(mentions, sentences, documents[documents["doc_id"] != "d2"])


# --------------------------------------------------------------------------- evidence


def test_evidence_sentences_with_escaping(tables):
    documents, sentences, mentions = tables
    ev = co.evidence(mentions, sentences, documents, "kgz", "un")
    assert ev.dtypes.astype(str).to_dict() == co.EVIDENCE_COLUMNS
    assert list(ev["doc_id"]) == ["d1", "d2"]  # dated first, undated last
    first = ev.iloc[0]
    assert first["passage"] == "The UN & Kyrgyzstan <script>x</script> discussed elections."
    assert first["unit"] == 0
    assert (first["a_text"], first["a_start"], first["a_end"]) == ("Kyrgyzstan", 9, 19)
    assert (first["b_text"], first["b_start"], first["b_end"]) == ("UN", 4, 6)
    assert first["passage"][first["a_start"] : first["a_end"]] == "Kyrgyzstan"
    html = evidence_html(ev)
    assert html.iloc[0] == (
        'The <mark class="b">UN</mark> &amp; <mark class="a">Kyrgyzstan</mark> '
        "&lt;script&gt;x&lt;/script&gt; discussed elections."
    )
    assert "<script>" not in "".join(html)
    assert pd.isna(ev.iloc[1]["date"])
    assert html.iloc[1] == ('<mark class="b">UN</mark> and <mark class="a">Kyrgyzstan</mark> agree.')
    assert len(co.evidence(mentions, sentences, documents, "kgz", "un", limit=1)) == 1
    text = documents.set_index("doc_id")["text"]
    for row in ev.itertuples():  # start and end locate the unit in its document
        assert text[row.doc_id][row.start : row.end] == row.passage


@pytest.mark.parametrize("unit", ["sentence", "paragraph", "document", "window:2", "window:5"])
def test_evidence_rows_match_counts_and_offsets(tables, unit):
    documents, sentences, mentions = tables
    text = documents.set_index("doc_id")["text"]
    table = co.pair_table(mentions, sentences, unit=unit)
    for a, b, count in table[["a_key", "b_key", "count"]].itertuples(index=False):
        ev = co.evidence(mentions, sentences, documents, a, b, unit=unit)
        assert len(ev) == count
        for r in ev.itertuples(index=False):
            assert r.passage in text[r.doc_id]
            assert r.passage[r.a_start : r.a_end] == r.a_text
            assert r.passage[r.b_start : r.b_end] == r.b_text


def test_evidence_passages_per_unit(tables):
    documents, sentences, mentions = tables
    para = co.evidence(mentions, sentences, documents, "japarov", "un", unit="paragraph")
    assert para["passage"].tolist() == [
        "The UN & Kyrgyzstan <script>x</script> discussed elections. Japarov of Kyrgyzstan spoke."
    ]
    assert para.iloc[0][["a_start", "b_start"]].tolist() == [60, 4]  # 59 chars + " "
    doc = co.evidence(mentions, sentences, documents, "japarov", "un", unit="document")
    assert doc.iloc[0]["passage"] == documents.set_index("doc_id").loc["d1", "text"]
    window = co.evidence(mentions, sentences, documents, "japarov", "un", unit="window:2")
    assert window["unit"].tolist() == [0, 1]
    assert window.iloc[1]["passage"] == "Japarov of Kyrgyzstan spoke.\n\nThe UN left."
    assert evidence_html(window).iloc[1] == (
        '<mark class="a">Japarov</mark> of Kyrgyzstan spoke.\n\nThe <mark class="b">UN</mark> left.'
    )
    assert co.evidence(mentions, sentences, documents, "eu", "japarov").empty


def test_evidence_overlapping_spans_nest():
    assert highlight("a<b>c", [(0, 3, "a"), (1, 5, "b")]) == (
        '<mark class="a">a</mark><mark class="a"><mark class="b">&lt;b</mark></mark><mark class="b">&gt;c</mark>'
    )


def test_evidence_errors(tables):
    documents, sentences, mentions = tables
    with pytest.raises(ValueError, match="'nato'.*'eu'"):
        co.evidence(mentions, sentences, documents, "nato", "un")
    with pytest.raises(ValueError, match="'japarov'"):  # rolled up into kgz at this level
        co.evidence(mentions, sentences, documents, "japarov", "un", level="affiliation")
    with pytest.raises(ValueError, match="same key"):
        co.evidence(mentions, sentences, documents, "un", "un")
    with pytest.raises(ValueError, match="limit"):
        co.evidence(mentions, sentences, documents, "kgz", "un", limit=0)


# --------------------------------------------------------------------------- matrices, graphs


def test_square_and_cross_matrix(tables):
    _, sentences, mentions = tables
    table = co.pair_table(mentions, sentences, unit="paragraph")
    square = co.square_matrix(table)
    assert list(square.index) == ["eu", "japarov", "kgz", "un"]
    pd.testing.assert_frame_equal(square, square.T)
    assert square.loc["un", "kgz"] == 2 and square.loc["kgz", "un"] == 2
    assert np.diag(square.to_numpy()).tolist() == [0, 0, 0, 0]
    named = co.square_matrix(table, "npmi", labels="name")
    assert "Sadyr Japarov" in named.index
    themes = co.pair_table(mentions, sentences, pairs="actor-theme")
    cross = co.cross_matrix(themes, "count")
    assert cross.to_dict() == {"elections": {"kgz": 1.0, "un": 1.0}}
    with pytest.raises(ValueError, match="'nope'"):
        co.square_matrix(table, "nope")


def test_graph_and_files(tables, tmp_path):
    _, sentences, mentions = tables
    table = co.pair_table(mentions, sentences, unit="paragraph")
    table.loc[0, "pmi"] = np.nan
    graph = co.to_graph(table, mentions)
    assert set(graph.nodes) == {"eu", "japarov", "kgz", "un"}
    assert graph.nodes["kgz"] == {
        "name": "Kyrgyzstan",
        "label": "Kyrgyzstan",
        "category": "country",
        "kind": "actor",
        "mentions": 3,
    }
    edge = graph.edges["kgz", "un"]
    assert edge["count"] == 2 and isinstance(edge["count"], int)
    assert edge["pmi"] == 0.0  # the NaN put in above
    assert all(not math.isnan(v) for _, _, d in graph.edges(data=True) for v in d.values())
    assert set(co.VALUE_COLUMNS) & set(table.columns) <= set(edge)
    rolled = co.to_graph(co.pair_table(mentions, sentences, level="affiliation"), mentions, level="affiliation")
    assert rolled.nodes["kgz"]["mentions"] == 4
    path = co.write_graph(graph, tmp_path / "g.graphml")
    back = nx.read_graphml(path)
    assert set(back.nodes) == set(graph.nodes)
    assert back.edges["kgz", "un"]["count"] == 2
    back = nx.read_gexf(co.write_graph(graph, tmp_path / "g.gexf"))
    assert back.number_of_edges() == graph.number_of_edges()
    with pytest.raises(ValueError, match=r"'\.png'.*\.graphml"):
        co.write_graph(graph, tmp_path / "g.png")
    with pytest.raises(ValueError, match="period"):
        co.to_graph(pd.concat([table, table]))


# --------------------------------------------------------------------------- errors, empty


@pytest.mark.parametrize("bad", ["window:0", "window:-1", "window:2.5", "window:", "window", "sentences", "", 3, None])
def test_parse_unit_rejects(bad):
    with pytest.raises(ValueError, match="parameter 'unit' = .*: expected one of \\['sentence', 'paragraph'"):
        co.parse_unit(bad)


def test_parse_unit_accepts():
    assert co.parse_unit("sentence") == ("sentence", 1)
    assert co.parse_unit("paragraph") == ("paragraph", 1)
    assert co.parse_unit("document") == ("document", 1)
    assert co.parse_unit("window:3") == ("window", 3)


@pytest.mark.parametrize(
    ("kwargs", "pattern"),
    [
        ({"pairs": "theme-theme"}, r"'theme-theme'.*'actor-actor', 'actor-theme'"),
        ({"unit": "page"}, r"'page'.*window:K"),
        ({"level": "country"}, r"'country'.*'actor', 'affiliation'"),
        ({"measure": "dice"}, r"'dice'.*'count'.*'lift'"),
        ({"min_count": 0}, "parameter 'min_count' = 0: expected a positive integer"),
        ({"min_count": 1.5}, "parameter 'min_count' = 1.5"),
        ({"min_count": True}, "parameter 'min_count' = True"),
        ({"top": 0}, "parameter 'top' = 0: expected None or a positive integer"),
        ({"top": "5"}, "parameter 'top' = '5'"),
        ({"categories": ["people"]}, r"'people'.*'person', 'organization'"),
    ],
)
def test_pair_table_rejects(tables, kwargs, pattern):
    _, sentences, mentions = tables
    with pytest.raises(ValueError, match=pattern):
        co.pair_table(mentions, sentences, **kwargs)


def test_other_rejections(tables):
    documents, sentences, mentions = tables
    with pytest.raises(ValueError, match=r"'week'.*'month', 'quarter'"):
        co.pair_table_by_period(mentions, sentences, documents, freq="week")
    with pytest.raises(ValueError, match="'d9', 0"):
        co.pair_table(mentions.assign(doc_id="d9"), sentences)
    with pytest.raises(ValueError, match=r"kind \['entity'\]"):
        co.pair_table(mentions.assign(kind="entity"), sentences)
    with pytest.raises(ValueError, match="twice"):
        co.incidence(mentions, pd.concat([sentences, sentences]))
    with pytest.raises(ValueError, match="missing columns"):
        co.incidence(mentions.drop(columns="key"), sentences)


def test_empty_mentions(tables):
    documents, sentences, _ = tables
    empty = empty_frame(MENTION_COLUMNS)
    for pairs in co.PAIRS:
        table = co.pair_table(empty, sentences, pairs=pairs, unit="window:3")
        assert table.empty
        assert table.dtypes.astype(str).to_dict() == co.PAIR_COLUMNS
    by_period = co.pair_table_by_period(empty, sentences, documents)
    assert by_period.empty and list(by_period.columns) == ["period", *co.PAIR_COLUMNS]
    matrix, units, keys = co.incidence(empty, sentences, "paragraph")
    assert matrix.shape == (4, 0) and len(units) == 4 and keys.empty
    assert co.unit_counts(empty, sentences).empty
    assert co.to_graph(co.pair_table(empty, sentences)).number_of_nodes() == 0
    with pytest.raises(ValueError, match="unknown key 'un'"):
        co.evidence(empty, sentences, documents, "un", "kgz")
    nothing = empty_frame(SENTENCE_COLUMNS)
    assert co.pair_table(empty, nothing).dtypes.astype(str).to_dict() == co.PAIR_COLUMNS


# --------------------------------------------------------------------------- properties

POOL = {  # key -> (kind, category, affiliation)
    "p1": ("actor", "person", "c1"),
    "p2": ("actor", "person", "o1"),
    "p3": ("actor", "person", None),
    "c1": ("actor", "country", None),
    "c2": ("actor", "country", None),
    "o1": ("actor", "organization", None),
    "pl": ("actor", "place", "c2"),
    "t1": ("theme", "t1", None),
    "t2": ("theme", "t2", "c1"),  # themes are never rolled up, even with an affiliation
}


@st.composite
def corpora(draw) -> tuple[pd.DataFrame, pd.DataFrame]:
    sents = []
    for d in range(draw(st.integers(1, 4))):
        paragraph = 0
        for s in range(draw(st.integers(1, 6))):
            if s and draw(st.booleans()):
                paragraph += 1
            sents.append((f"doc{d}", paragraph, s, 20 * s, 20 * s + 10))
    picks = draw(st.lists(st.tuples(st.integers(0, len(sents) - 1), st.sampled_from(sorted(POOL))), max_size=40))
    rows = []
    for i, key in picks:
        doc_id, paragraph, s, start, _ = sents[i]
        kind, category, affiliation = POOL[key]
        rows.append(
            (
                doc_id,
                paragraph,
                s,
                start,
                start + 2,
                key,
                kind,
                "X",
                key,
                key.upper(),
                category,
                affiliation,
            )
        )
    # rows give every column but the optional ones (conform fills "via" with "text")
    columns = [name for name in MENTION_COLUMNS if name not in OPTIONAL_DEFAULTS]
    mentions = conform(pd.DataFrame(rows, columns=columns), MENTION_COLUMNS)
    sentence_columns = [name for name in SENTENCE_COLUMNS if name not in OPTIONAL_DEFAULTS]
    sentences = conform(pd.DataFrame(sents, columns=sentence_columns), SENTENCE_COLUMNS)
    return mentions, sentences


def reference_units(sentences: pd.DataFrame, unit: str) -> list[list[tuple[str, int]]]:
    """Each unit as a list of (doc_id, sentence), straight from the definitions."""
    name, k = co.parse_unit(unit)
    units = []
    for doc_id, group in sentences.sort_values(["doc_id", "sentence"]).groupby("doc_id"):
        ids = [(doc_id, s) for s in group["sentence"]]
        if name == "sentence":
            units += [[i] for i in ids]
        elif name == "document":
            units.append(ids)
        elif name == "paragraph":
            for _, par in group.groupby("paragraph"):
                units.append([(doc_id, s) for s in par["sentence"]])
        else:
            units += [ids[i : i + k] for i in range(max(len(ids) - k + 1, 1))]
    return units


def reference_table(mentions, sentences, unit, level, pairs):
    """Pair counts, key margins, N and documents per pair from plain sets of keys per unit."""
    keys_of: dict[tuple[str, int], set[tuple[str, str]]] = {}
    for m in mentions.itertuples(index=False):
        key = m.key
        if level == "affiliation" and m.kind == "actor" and not pd.isna(m.affiliation):
            key = m.affiliation
        keys_of.setdefault((m.doc_id, m.sentence), set()).add((key, m.kind))
    units = [set().union(*(keys_of.get(s, set()) for s in u)) for u in reference_units(sentences, unit)]
    pair_counts: Counter = Counter()
    margins: Counter = Counter()
    pair_documents: dict[tuple[str, str], set[str]] = {}
    for members, keys in zip(reference_units(sentences, unit), units, strict=True):
        margins.update(k for k, _ in keys)
        actors = sorted(k for k, kind in keys if kind == "actor")
        if pairs == "actor-actor":
            found = list(itertools.combinations(actors, 2))
        else:
            themes = sorted(k for k, kind in keys if kind == "theme")
            found = list(itertools.product(actors, themes))
        pair_counts.update(found)
        for pair in found:
            pair_documents.setdefault(pair, set()).add(members[0][0])
    documents = {pair: len(docs) for pair, docs in pair_documents.items()}
    return dict(pair_counts), margins, len(units), documents


PROPERTY = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
UNIT_CHOICES = st.sampled_from(["sentence", "paragraph", "document", "window:1", "window:2", "window:3", "window:7"])


@PROPERTY
@given(corpora(), UNIT_CHOICES, st.sampled_from(co.LEVELS), st.sampled_from(co.PAIRS))
def test_counts_match_set_reference(corpus, unit, level, pairs):
    mentions, sentences = corpus
    table = co.pair_table(mentions, sentences, pairs=pairs, unit=unit, level=level)
    expected, margins, n, documents = reference_table(mentions, sentences, unit, level, pairs)
    assert counts(table) == expected
    for r in table.itertuples(index=False):
        assert (r.a_units, r.b_units, r.n_units) == (margins[r.a_key], margins[r.b_key], n)
        assert r.documents == documents[(r.a_key, r.b_key)]
    units = co.unit_counts(mentions, sentences, unit, level)
    assert dict(zip(units["key"], units["units"], strict=True)) == dict(margins)


@PROPERTY
@given(corpora(), UNIT_CHOICES, st.sampled_from(co.LEVELS), st.sampled_from(co.PAIRS))
def test_measure_invariants(corpus, unit, level, pairs):
    mentions, sentences = corpus
    table = co.pair_table(mentions, sentences, pairs=pairs, unit=unit, level=level)
    values = table[[c for c in co.VALUE_COLUMNS if c in table.columns]].to_numpy(dtype=float)
    assert np.isfinite(values).all()
    assert (table["count"] >= 1).all()
    assert (table["count"] <= np.minimum(table["a_units"], table["b_units"])).all()
    assert table["npmi"].between(-1, 1).all()
    assert table["jaccard"].between(0, 1).all()
    assert table["p_value"].between(0, 1).all()
    assert (table["llr"] >= 0).all()
    assert not table.duplicated(["a_key", "b_key"]).any()
    for r in table.itertuples(index=False):
        c, a, b, n = r.count, r.a_units, r.b_units, r.n_units
        assert r.expected == pytest.approx(a * b / n)
        assert r.lift == pytest.approx(c * n / (a * b))
        assert r.pmi == pytest.approx(math.log2(c * n / (a * b)))
        want = 1.0 if c == n else math.log2(c * n / (a * b)) / -math.log2(c / n)
        assert r.npmi == pytest.approx(want)
        assert r.jaccard == pytest.approx(c / (a + b - c))
        if 0 < a < n and 0 < b < n:
            g, p, *_ = chi2_contingency(
                [[c, a - c], [b - c, n - a - b + c]], correction=False, lambda_="log-likelihood"
            )
            assert r.llr == pytest.approx(g, abs=1e-9)
            assert r.p_value == pytest.approx(p, abs=1e-9)
    if pairs == "actor-actor":
        assert (table["a_key"] < table["b_key"]).all()  # once per pair, no self pairs
        if len(table):
            square = co.square_matrix(table)
            pd.testing.assert_frame_equal(square, square.T)
            assert (np.diag(square.to_numpy()) == 0).all()
    else:
        assert set(table["b_key"]) <= {"t1", "t2"} and not set(table["a_key"]) & {"t1", "t2"}


@PROPERTY
@given(corpora(), st.sampled_from(co.LEVELS), st.sampled_from(co.PAIRS))
def test_larger_units_never_lose_pairs(corpus, level, pairs):
    # Note: "document count >= sentence count" is false as such (a pair in two sentences of
    # one document counts 2 sentences but 1 document). What holds is that a pair sharing a
    # sentence shares the paragraph and the document around it, so the documents in which
    # a pair co-occurs can only grow with the unit, and the document count counts them.
    mentions, sentences = corpus
    options = {"pairs": pairs, "level": level}
    docs_with: dict[str, Counter] = {u: Counter() for u in ("sentence", "paragraph", "document")}
    for doc_id in sentences["doc_id"].unique():
        m = mentions[mentions["doc_id"] == doc_id]
        s = sentences[sentences["doc_id"] == doc_id]
        for unit, seen in docs_with.items():
            seen.update(counts(co.pair_table(m, s, unit=unit, **options)).keys())  # presence
    whole = {u: counts(co.pair_table(mentions, sentences, unit=u, **options)) for u in docs_with}
    for pair, n_docs in docs_with["sentence"].items():
        assert docs_with["paragraph"][pair] >= n_docs
        assert whole["sentence"][pair] >= n_docs
    for pair, n_docs in docs_with["paragraph"].items():
        assert docs_with["document"][pair] >= n_docs
    assert set(whole["sentence"]) <= set(whole["paragraph"]) <= set(whole["document"])
    assert whole["document"] == dict(docs_with["document"])
    for pair, count in whole["sentence"].items():
        assert whole["document"][pair] >= docs_with["sentence"][pair] >= 1
        assert count <= whole["paragraph"][pair] * 6  # at most 6 sentences to a paragraph
    window = co.pair_table(mentions, sentences, unit="window:1", **options)
    pd.testing.assert_frame_equal(window, co.pair_table(mentions, sentences, **options))


@PROPERTY
@given(corpora(), st.sampled_from(["month", "quarter"]))
def test_periods_partition_the_units(corpus, freq):
    mentions, sentences = corpus
    doc_ids = sorted(set(sentences["doc_id"]))
    dates = [pd.Timestamp("2021-01-31") + pd.DateOffset(months=i) for i in range(len(doc_ids))]
    dates[-1] = pd.NaT
    documents = pd.DataFrame({"doc_id": doc_ids, "date": dates}).astype({"doc_id": "string", "date": "datetime64[s]"})
    table = co.pair_table_by_period(mentions, sentences, documents, freq)
    whole = counts(co.pair_table(mentions, sentences))
    summed: Counter = Counter()
    for r in table.itertuples(index=False):
        summed[(r.a_key, r.b_key)] += r.count
    assert dict(summed) == whole  # sentences never straddle periods
    undated = sentences["doc_id"] == doc_ids[-1]
    assert set(table.loc[table["period"] == "undated", "n_units"]) <= {int(undated.sum())}
    if len(table):
        assert table["period"].iloc[-1] == "undated" or "undated" not in set(table["period"])


def test_evidence_carries_why_a_theme_mention_counts(tables):
    documents, sentences, mentions = tables
    themed = mentions.assign(rule=mentions["kind"].map({"theme": "trigger"}),
                             trigger=mentions["kind"].map({"theme": "election"}))
    ev = co.evidence(themed, sentences, documents, "kgz", "elections")
    assert len(ev) == 1 and ev.dtypes.astype(str).to_dict() == co.EVIDENCE_COLUMNS
    assert (ev.iloc[0]["b_rule"], ev.iloc[0]["b_trigger"]) == ("trigger", "election")
    assert pd.isna(ev.iloc[0]["a_rule"])  # an actor has no rule
