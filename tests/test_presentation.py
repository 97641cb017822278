"""What a reader sees: document labels and links, evidence that expands to every unit, figures
with alt text, integer counts and proportional time axes, readable parameters, navigation."""

from __future__ import annotations

from pathlib import Path

import matplotlib.dates as mdates
import networkx as nx
import numpy as np
import pandas as pd
import pytest

from analysis.reports import plots
from analysis.reports.html import navigation, readable_parameters, with_profile_links
from analysis.reports.presentation import (
    actor_index,
    document_index,
    document_labels,
    document_pages,
    escape_html,
    evidence_block,
    highlight,
)

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def documents() -> pd.DataFrame:
    return pd.DataFrame({
        "doc_id": ["b", "a", "c"],
        "date": pd.to_datetime(["2021-03-01", "2021-01-09", None]),
        "source": ["Kabar", None, "  "],
        "title": [None, "Japarov meets Putin", None],
        "text": ["One two three four five six seven eight nine ten.", "Short text.", "<b>Bold</b> claim."],
    })


def test_document_labels_are_date_source_and_title_or_opening_words(documents) -> None:
    labels = document_labels(documents)
    assert labels["a"] == "2021-01-09 · no source · Japarov meets Putin"
    assert labels["b"] == "2021-03-01 · Kabar · One two three four five six seven eight …"
    assert labels["c"] == "undated · no source · <b>Bold</b> claim."


def test_document_links_point_to_the_text_pages_in_date_order(documents) -> None:
    index = document_index(documents, per_page=2)
    assert list(index.index) == ["a", "b", "c"]
    assert list(index["href"]) == ["documents-1.html#doc-a", "documents-1.html#doc-b", "documents-2.html#doc-c"]
    pages = document_pages(documents, pd.DataFrame({"doc_id": ["a"], "start": [0], "end": [5], "kind": ["actor"]}),
                           per_page=2)
    assert [name for name, _, _ in pages] == ["documents-1.html", "documents-2.html"]
    first, second = pages[0][2], pages[1][2]
    assert 'id="doc-a"' in first and '<mark class="a">Short</mark> text.' in first
    assert "&lt;b&gt;Bold&lt;/b&gt;" in second and "<b>" not in second


def test_evidence_lists_every_unit_and_folds_the_rest(documents) -> None:
    evidence = pd.DataFrame({
        "doc_id": ["a"] * 5, "passage": [f"UN and EU {i}" for i in range(5)],
        "a_start": [0] * 5, "a_end": [2] * 5, "b_start": [7] * 5, "b_end": [9] * 5,
    })
    markup = evidence_block(evidence, "UN", "EU", document_index(documents), shown=2).data
    assert markup.count('<mark class="a">UN</mark>') == 6  # heading + five passages
    assert "<details><summary>Show the other 3 unit(s)</summary>" in markup
    assert markup.index("</mark> 1</p>") < markup.index("<details>") < markup.index("</mark> 4</p>")
    assert 'href="documents-1.html#doc-a"' in markup


def test_evidence_says_why_a_theme_mark_counts(documents) -> None:
    evidence = pd.DataFrame({
        "doc_id": ["a", "a"], "passage": ["UN: crowds gathered on the square", "UN on <the> polls"],
        "a_start": [0, 0], "a_end": [2, 2], "b_start": [11, 14], "b_end": [19, 19],
        "a_rule": [pd.NA, pd.NA], "a_trigger": [pd.NA, pd.NA],
        "b_rule": ["cue:protest at a seat of power", "trigger"], "b_trigger": ["gathered + square", "<poll>"],
    })
    markup = evidence_block(evidence, "UN", "unrest", document_index(documents)).data
    assert '<span class="why">why: cue \u201cprotest at a seat of power\u201d: gathered + square</span>' in markup
    assert "why: trigger \u201c&lt;poll&gt;\u201d" in markup and "<poll>" not in markup  # escaped
    plain = evidence_block(evidence.drop(columns=["b_rule", "b_trigger"]), "UN", "x", document_index(documents))
    assert "why:" not in plain.data  # tables made before the columns existed


def test_highlight_nests_and_escapes() -> None:
    assert highlight("a<b>c", [(0, 3, "a"), (1, 5, "b")]) == (
        '<mark class="a">a</mark><mark class="a"><mark class="b">&lt;b</mark></mark><mark class="b">&gt;c</mark>'
    )


def _highlight_by_definition(text: str, spans: list[tuple[int, int, str]]) -> str:
    """Each piece between cuts wrapped in every span covering it, the earliest outermost."""
    cuts = sorted({0, len(text), *(p for start, end, _ in spans if start < end for p in (start, end))})
    pieces = []
    for low, high in zip(cuts[:-1], cuts[1:], strict=True):
        covering = [css for start, end, css in spans if start <= low and high <= end]
        pieces.append("".join(f'<mark class="{css}">' for css in covering) + escape_html(text[low:high])
                      + "</mark>" * len(covering))
    return "".join(pieces)


def test_highlight_equals_its_definition_on_many_overlapping_spans() -> None:
    generator = np.random.default_rng(0)
    text = "Sadyr Japarov & <the> OSCE met in Bishkek. " * 40
    starts = generator.integers(0, len(text), 300)
    spans = [(int(start), int(min(len(text), start + length)), css) for start, length, css in
             zip(starts, generator.integers(0, 30, 300), generator.choice(["a", "b"], 300), strict=True)]
    spans.sort(key=lambda span: (span[0], -span[1]))
    assert str(highlight(text, spans)) == _highlight_by_definition(text, spans)


def test_one_bar_is_a_sentence_and_counts_have_integer_ticks() -> None:
    single = plots.bar(pd.Series({"Kyrgyzstan": 34}), "Top actors", "mentions")
    assert single.figure is None and "only one, Kyrgyzstan 34" in single.alt
    chart = plots.bar(pd.Series({"Kyrgyzstan": 3, "OSCE": 2, "UN": 1}), "Top actors", "mentions")
    ticks = chart.figure.axes[0].get_xticks()
    assert np.all(ticks == np.round(ticks))
    assert chart.alt == "Top actors. Bar chart of 3 bars (mentions): Kyrgyzstan 3; OSCE 2; UN 1."


def test_timeline_puts_periods_on_a_time_axis() -> None:
    counts = pd.DataFrame({"Sadyr Japarov": [2, 1, 4]}, index=["2021-01", "2021-06", "undated"])
    chart = plots.timeline(counts, "Mentions per month", "mentions")
    bars = chart.figure.axes[0].patches
    starts = sorted(mdates.num2date(bar.get_x() + bar.get_width() / 2).date().isoformat() for bar in bars)
    assert starts == ["2021-01-01", "2021-06-01"]  # five months apart on the axis, not side by side
    assert chart.figure.axes[0].get_legend() is None  # one series needs no legend
    assert "4 undated not shown" in chart.alt
    one = plots.timeline(pd.DataFrame({"x": [3]}, index=["2021-02"]), "Mentions per month", "mentions")
    assert one.figure is None and "all in one period, 2021-02: 3 mentions" in one.alt


def test_network_alt_text_names_nodes_and_strongest_edges() -> None:
    graph = nx.Graph()
    graph.add_node("kgz", name="Kyrgyzstan", category="country", mentions=30)
    graph.add_node("rus", name="Russia", category="country", mentions=5)
    graph.add_node("un", name="United Nations", category="organization", mentions=9)
    graph.add_edge("kgz", "rus", count=3, documents=2)
    graph.add_edge("kgz", "un", count=6, documents=1)
    alt = plots.network(graph, "Actors", weight="count").alt
    assert "3 actors: Kyrgyzstan; United Nations; Russia" in alt
    assert "strongest: Kyrgyzstan and United Nations (count 6, 1 document(s)); Kyrgyzstan and Russia" in alt


def test_parameters_read_as_text_and_navigation_marks_the_page() -> None:
    assert readable_parameters({}) == "the notebook's defaults"
    assert readable_parameters({"unit": "sentence", "categories": ["person", "country"]}) == (
        "categories: person, country · unit: sentence"
    )
    nav = navigation([("01-corpus-overview", "Corpus overview"), ("05-profile-un", "Actor profile: United Nations")],
                     "05-profile-un")
    assert '<a href="01-corpus-overview.html">Corpus overview</a>' in nav
    # profiles are counted and found on the All actors page; only the one shown is linked
    assert 'Actor profiles: 1, found by name on <a href="actors.html">All actors</a>' in nav
    assert '<a href="05-profile-un.html" aria-current="page">United Nations</a>' in nav
    other = navigation([("05-profile-un", "Actor profile: United Nations")], "01-corpus-overview")
    assert "05-profile-un.html" not in other
    assert 'href="documents-1.html"' in nav


@pytest.mark.parametrize("page", sorted((ROOT / "reports").glob("0*.html")), ids=lambda path: path.name)
def test_committed_reports_describe_every_figure(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    assert "No description has been provided for this image" not in text
    assert 'href="index.html"' in text and 'href="documents-1.html"' in text


def test_actor_names_link_to_their_profiles() -> None:
    body = "<table><tr><td>Kyrgyzstan</td><td>Kyrgyzstan and OSCE</td><th>OSCE</th><td>Russia</td></tr></table>"
    linked = with_profile_links(body, {"Kyrgyzstan": "05-profile-kgz.html", "OSCE": "05-profile-osce.html"},
                                current="05-profile-osce.html")
    assert '<td><a href="05-profile-kgz.html">Kyrgyzstan</a></td>' in linked
    assert "<td>Kyrgyzstan and OSCE</td>" in linked  # only whole cells are names
    assert "<th>OSCE</th>" in linked  # not a link to the page itself
    actors = pd.DataFrame({"key": ["kgz", "iraq"], "name": ["Kyrgyzstan", "Iraq <b>"], "category": ["country"] * 2,
                           "mentions": [34, 1], "documents": [5, 1]})
    page = actor_index(actors, {"Kyrgyzstan": "05-profile-kgz.html"})
    assert '<a href="05-profile-kgz.html">Kyrgyzstan</a>' in page and "Iraq &lt;b&gt;" in page
    # the number says its definition and splits by category, as every page counting actors does
    assert ("2 actors (actor keys after linking, of the mentions the reports count, every category: 2 country); "
            "the 1 with a profile link to it") in page
    assert "<td>iraq</td>" in page  # the key a reader gives --profiles


def test_the_seed_set_profiles_every_actor_with_four_mentions_or_more() -> None:
    index = (ROOT / "reports" / "index.html").read_text(encoding="utf-8")
    actors = (ROOT / "reports" / "actors.html").read_text(encoding="utf-8")
    for name in ("Kyrgyzstan", "Sadyr Japarov", "Alexey Rogov", "Russia"):  # 4 mentions or more in the seeds
        assert f"Actor profile: {name}" in index
        assert f'">{name}</a>' in actors


def test_a_table_is_shown_whole_and_carries_its_csv() -> None:
    from analysis.reports.presentation import table

    frame = pd.DataFrame({"actor": ["Kyrgyz Foreign Ministry of the Kyrgyz Republic <b>", "OSCE"], "mentions": [3, 2]})
    data, metadata = table(frame, "actors", rows=1, index=False)._repr_mimebundle_()
    assert "Kyrgyz Foreign Ministry of the Kyrgyz Republic &lt;b&gt;" in data["text/html"]  # escaped, never cut
    # every row is in the page (the script shows the first `rows` and pages, sorts and searches the rest)
    assert "OSCE" in data["text/html"] and "All 2 rows are in this table, the first 1 shown first" in data["text/html"]
    assert 'data-rows="1"' in data["text/html"]
    assert data["text/csv"].splitlines() == ["actor,mentions", "Kyrgyz Foreign Ministry of the Kyrgyz Republic <b>,3",
                                             "OSCE,2"]
    assert metadata == {"text/csv": {"name": "actors"}} and 'href="table:actors"' in data["text/html"]
    with pytest.raises(ValueError, match="table name"):
        table(frame, "../x")


def test_every_table_link_of_the_committed_reports_has_its_csv() -> None:
    import re

    for page in sorted((ROOT / "reports").glob("0*.html")):
        text = page.read_text(encoding="utf-8")
        links = re.findall(r'href="([^"]+\.csv)"', text)
        # a page without a table (a comparison of a corpus in one language) offers no download
        assert links or "<table" not in text, page.name
        for link in links:
            assert (ROOT / "reports" / link).is_file(), (page.name, link)
            assert link.startswith(page.stem + "--")
    pairs = pd.read_csv(ROOT / "reports" / "03-actor-network--pairs.csv")
    assert {"actor", "with", "documents", "npmi low", "npmi high"} <= set(pairs.columns)
    assert len(pairs) > 25  # the download has every pair, the page the first 25


def test_a_table_has_one_header_row_and_no_merged_cells() -> None:
    """A browser sorts a table row by row: index levels are row headers of every row (a
    MultiIndex is not merged into rowspans), numbers are marked, long labels get room."""
    from analysis.reports.presentation import table_html

    frame = pd.DataFrame({"task": ["actors", "actors", "themes"], "category": ["all", "person", "all"],
                          "precision": [1.0, 0.5, np.nan], "note": ["a <b>", "", "x"]}).set_index(["task", "category"])
    markup = table_html(frame, links={"note": ["#a", "#b", "#c"]}, ident="table-scores")
    assert markup.startswith('<table id="table-scores" class="dataframe ')
    assert markup.count("<tr>") == 4 and "rowspan" not in markup and "colspan" not in markup
    # a numeric column is marked once, on its heading and as num-<position> on the table (the
    # stylesheet aligns the column): a pair table of thousands of rows carries no class per cell
    assert '<thead><tr><th>task</th><th>category</th><th class="num">precision</th><th>note</th></tr></thead>' in markup
    assert 'class="dataframe tex2jax_ignore mathjax_ignore num-3"' in markup
    assert '<tr><th>actors</th><th>person</th><td>0.5</td><td><a href="#b"></a></td></tr>' in markup
    assert '<td>1</td><td><a href="#a">a &lt;b&gt;</a></td>' in markup
    assert '<td></td><td><a href="#c">x</a></td>' in markup  # a missing value is an empty cell, not NaN
    labels = table_html(pd.DataFrame({"n": [1]}, index=pd.Index(["2021-06-03 · no source · " + "word " * 10],
                                                                name="document")))
    assert '<th class="long">' in labels


def _matrix_and_links() -> tuple[pd.DataFrame, pd.DataFrame]:
    matrix = pd.DataFrame([[5.0, 0.0], [1.0, 2.0], [0.0, 3.0]], index=["Kyrgyzstan", "OSCE", "UN"],
                          columns=["elections", "trade"])
    links = pd.DataFrame([["#e-kgz", ""], ["#e-osce", "#t-osce"], ["", "#t-un"]], index=matrix.index,
                         columns=matrix.columns)
    return matrix, links


def test_heatmap_cells_link_where_they_are_drawn() -> None:
    """Each linked cell's box, measured on the saved PNG, covers that cell: the colour inside
    it is the colour the heatmap gives the cell's value."""
    import io

    import matplotlib.image as mimage
    from matplotlib import colormaps

    matrix, links = _matrix_and_links()
    chart = plots.heatmap(matrix, "Actors x themes", links=links)
    assert [link.href for link in chart.links] == ["#e-kgz", "#e-osce", "#t-osce", "#t-un"]
    assert chart.links[0].label == "Kyrgyzstan and elections, count 5: show the evidence"
    assert "links to the evidence" in chart.alt
    image = mimage.imread(io.BytesIO(plots.png_bytes(chart.figure, chart.bbox)), format="png")
    height, width = image.shape[:2]
    values = {"#e-kgz": 5, "#e-osce": 1, "#t-osce": 2, "#t-un": 3}
    for link in chart.links:
        left, top, box_width, box_height = link.box
        for fx, fy in ((0.15, 0.15), (0.85, 0.85), (0.15, 0.85)):  # off the number written in the middle
            x = int((left + fx * box_width) / 100 * width)
            y = int((top + fy * box_height) / 100 * height)
            expected = colormaps["Blues"](values[link.href] / 5)[:3]
            assert np.allclose(image[y, x, :3], expected, atol=0.02), (link.href, image[y, x], expected)
    with pytest.raises(ValueError, match="heatmap links are 2 x 2, the matrix 3 x 2"):
        plots.heatmap(matrix, "x", links=links.head(2))


def test_heatmap_cells_lead_to_evidence_shown_on_the_page() -> None:
    from analysis.reports.notebook import evidence_matrix, pairs_with_evidence
    from analysis.stats.cooccurrence import cross_matrix, square_matrix

    pairs = pd.DataFrame({"a_key": ["kgz", "kgz", "osce", "un"], "b_key": ["un", "osce", "un", "rus"],
                          "a_name": ["Kyrgyzstan", "Kyrgyzstan", "OSCE", "UN"],
                          "b_name": ["UN", "OSCE", "UN", "Russia"], "count": [4, 3, 2, 1]})
    square = evidence_matrix(pairs.head(3), square=True)
    assert square.shape == square_matrix(pairs.head(3), "count").shape
    assert square.loc["un", "kgz"] == square.loc["kgz", "un"] == "#evidence-kgz--un"
    assert square.loc["kgz", "kgz"] == ""
    cross = evidence_matrix(pairs)
    assert cross.shape == cross_matrix(pairs, "count").shape and cross.loc["un", "rus"] == "#evidence-un--rus"
    shown = pairs_with_evidence(pairs, 1, pairs.iloc[[2]])
    assert list(zip(shown["a_key"], shown["b_key"], strict=True)) == [("kgz", "un"), ("osce", "un")]  # rank order
    linked = {href for href in square.to_numpy().ravel() if href}
    assert linked <= {f"#evidence-{a}--{b}" for a, b in zip(*pairs_with_evidence(pairs, 1, pairs.head(3))[
        ["a_key", "b_key"]].T.to_numpy(), strict=True)}


def test_a_page_lays_a_figures_links_over_it() -> None:
    import base64

    import nbformat

    from analysis.reports.html import export_html

    matrix, links = _matrix_and_links()
    chart = plots.heatmap(matrix, "Actors x themes", links=links)
    png = base64.b64encode(plots.png_bytes(chart.figure, chart.bbox)).decode()
    metadata = {"alt": chart.alt, "links": [{"href": link.href, "label": link.label, "box": list(link.box)}
                                            for link in chart.links]}
    output = nbformat.v4.new_output("display_data", data={"image/png": png}, metadata={"image/png": metadata})
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x", outputs=[output])])
    page = export_html(notebook, "Heatmap")
    assert page.count('class="figure-link"') == 4 and '<div class="linked-figure"><img' in page
    assert 'aria-label="OSCE and trade, count 2: show the evidence" class="figure-link" href="#t-osce"' in page
    assert f'alt="{chart.alt}"' in page


def test_drawing_a_report_figure_leaves_the_users_matplotlib_as_it_was() -> None:
    """A notebook that imports the package's plots and draws one keeps its own backend and
    style: `df.plot()` afterwards still shows its figure, with the user's settings."""
    import subprocess
    import sys

    script = (
        "import matplotlib\n"
        "matplotlib.use('module://matplotlib_inline.backend_inline')\n"
        "before = (matplotlib.get_backend(), dict(matplotlib.rcParams))\n"
        "import pandas as pd\n"
        "import matplotlib.pyplot as plt\n"
        "from analysis.reports import plots\n"
        "chart = plots.bar(pd.Series([3, 1], index=['a', 'b']), 'title', 'count')\n"
        "plots.png_bytes(chart.figure)\n"
        "assert plt.get_fignums() == [], plt.get_fignums()\n"
        "after = (matplotlib.get_backend(), dict(matplotlib.rcParams))\n"
        "assert before[0] == after[0], (before[0], after[0])\n"
        "changed = {k for k in before[1] if before[1][k] != after[1][k]}\n"
        "assert not changed, changed\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
