"""The network a reader can change (analysis/reports/network.py, presentation.network_view):
its data in the page (every actor and ranked pair, escaped, of a sane size), the measure and
interval on each edge, the starting nodes (ties, the `network_actors` parameter and its
"did you mean"), the circle layout whose labels cannot overlap, and the drawing a reader
without JavaScript sees. The page's script is tested in a browser (tests/test_browser.py)."""

from __future__ import annotations

import json
import math
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis import parameters
from analysis.parameters import ParameterError
from analysis.reports import network
from analysis.reports.presentation import json_attribute, network_view
from analysis.stats import cooccurrence as co
from analysis.workflow import load_annotated_corpus

ROOT = Path(__file__).resolve().parents[1]
EVIL = 'Evil "</script><script>window.__injected = 1</script>" & \'Co\' <b>'


def _counts(names: dict[str, tuple[str, int]]) -> pd.DataFrame:
    """A model's unit_counts() for actors key -> (category, mentions)."""
    return pd.DataFrame({"key": list(names), "name": [key.replace("-", " ").title() for key in names],
                         "kind": "actor", "category": [c for c, _ in names.values()],
                         "units": [m for _, m in names.values()], "mentions": [m for _, m in names.values()],
                         "documents": [max(1, m // 2) for _, m in names.values()]})


def _pairs(rows: list[tuple], measure: str = "npmi") -> pd.DataFrame:
    """A ranked pair table: (a, b, value, low, high, count, documents) per row."""
    frame = pd.DataFrame(rows, columns=["a_key", "b_key", measure, f"{measure}_low", f"{measure}_high", "count",
                                        "documents"])
    return frame.assign(a_name=frame["a_key"].str.title(), b_name=frame["b_key"].str.title())


COUNTS = _counts({"kgz": ("country", 30), "un": ("organization", 12), "putin": ("person", 9),
                  "osce": ("organization", 9), "japarov": ("person", 4), "lonely": ("person", 3)})
PAIRS = _pairs([("kgz", "un", 0.4, 0.1, 0.6, 6, 3), ("japarov", "kgz", 0.3, -0.2, 0.5, 4, 2),
                ("kgz", "putin", -0.1, -0.4, 0.2, 1, 1), ("osce", "un", 0.2, 0.05, 0.3, 2, 2)])


@pytest.fixture(scope="module")
def seeds():
    return load_annotated_corpus(ROOT / "seeds", progress=False)


class _Attributes(HTMLParser):
    """Every element's attributes as a browser's parser reads them, and the tags seen."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, dict]] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.found.append((tag, dict(attrs)))


def _parsed(markup: str) -> list[tuple[str, dict]]:
    parser = _Attributes()
    parser.feed(markup)
    return parser.found


def _view(counts=COUNTS, pairs=PAIRS, top=3, measure="npmi", ci=0.95, keys=None) -> tuple[dict, str]:
    start = network.start_nodes(counts, top, keys)
    data = network.network_data(counts, pairs, start, top, measure, ci, "sentence")
    placed, drawn = network.picture(data, data["start"])
    return data, network_view(data, placed, drawn, network.edge_table(drawn, data), "caption").data


# ---------------------------------------------------------------- the data in the page

def test_a_name_that_closes_a_script_stays_text_inside_the_data_attribute() -> None:
    counts = COUNTS.assign(name=COUNTS["name"].where(COUNTS["key"] != "un", EVIL))
    pairs = PAIRS.assign(b_name=PAIRS["b_name"].where(PAIRS["b_key"] != "un", EVIL))
    data, markup = _view(counts, pairs)
    assert "<script" not in markup.lower() and "</script" not in markup.lower()
    assert "<b>" not in markup
    holders = [attrs["data-network"] for tag, attrs in _parsed(markup) if "data-network" in attrs]
    assert len(holders) == 1
    assert json.loads(holders[0]) == data  # what the page's script reads back is the data, whole
    assert EVIL in [node[1] for node in data["nodes"]]
    escaped = json_attribute({"name": EVIL})
    assert '"' not in escaped and "<" not in escaped and "'" not in escaped


def test_edges_carry_the_measure_its_interval_and_the_ranked_end() -> None:
    data, _ = _view()
    edges = pd.DataFrame(data["edges"], columns=data["edge_columns"])
    nodes = [row[0] for row in data["nodes"]]
    first = edges.iloc[0]
    assert (nodes[int(first["a"])], nodes[int(first["b"])]) == ("kgz", "un")
    assert (first["value"], first["low"], first["high"], first["count"], first["documents"]) == (0.4, 0.1, 0.6, 6, 3)
    assert list(edges["ranked"]) == [0.1, -0.2, -0.4, 0.05]  # the lower end: what the ranking uses with ci
    assert list(edges["strength"]) == [0.1, -0.2, -0.4, 0.05]
    assert data["ranked"] == "lower end of the 95% interval of npmi" and data["interval"] == "95%"
    assert "0 or below" in data["faint"]


def test_without_an_interval_the_measure_itself_weighs_the_edges() -> None:
    pairs = PAIRS.assign(npmi_low=np.nan, npmi_high=np.nan)
    data, markup = _view(pairs=pairs, ci=None)
    edges = pd.DataFrame(data["edges"], columns=data["edge_columns"])
    assert list(edges["ranked"]) == [0.4, 0.3, -0.1, 0.2]
    assert edges["low"].isna().all() and edges["high"].isna().all()
    assert data["interval"] is None and data["ranked"] == "npmi"
    assert "interval</th>" not in markup  # no interval column in the table view


def test_lift_is_drawn_from_one_and_a_p_value_from_its_upper_end() -> None:
    lift = _pairs([("kgz", "un", 2.0, 1.5, 3.0, 6, 3), ("japarov", "kgz", 1.2, 0.8, 1.4, 4, 2)], "lift")
    data = network.network_data(COUNTS, lift, network.start_nodes(COUNTS, 3), 3, "lift", 0.95, "sentence")
    assert [edge[6] for edge in data["edges"]] == [0.5, -0.2]  # strength: lower end minus 1
    p_values = _pairs([("kgz", "un", 0.001, 0.0001, 0.01, 6, 3), ("japarov", "kgz", 0.5, 0.2, 1.0, 4, 2)],
                      "p_value")
    data = network.network_data(COUNTS, p_values, network.start_nodes(COUNTS, 3), 3, "p_value", 0.95, "sentence")
    assert [edge[5] for edge in data["edges"]] == [0.01, 1.0]  # the upper end: the pessimistic one
    assert [edge[6] for edge in data["edges"]] == [2.0, 0.0]
    assert "upper end" in data["ranked"]


def test_every_actor_of_the_pair_table_can_be_added() -> None:
    data, _ = _view(top=1)
    keys = [row[0] for row in data["nodes"]]
    assert set(keys) == {"kgz", "un", "putin", "osce", "japarov"}  # "lonely" has no pair and is not a start node
    assert keys[0] == "kgz"  # most mentioned first
    assert [keys[number] for number in data["top"]] == ["kgz"]


def test_the_data_of_a_thousand_actors_and_three_thousand_pairs_stays_small() -> None:
    rng = np.random.default_rng(0)
    keys = [f"actor-number-{number:04d}" for number in range(1000)]
    counts = _counts({key: (["person", "organization", "country"][i % 3], int(rng.integers(1, 500)))
                      for i, key in enumerate(keys)})
    chosen = rng.choice(len(keys), size=(3000, 2))
    chosen = {tuple(sorted(pair)) for pair in chosen if pair[0] != pair[1]}
    rows = [(keys[a], keys[b], *sorted(rng.uniform(-1, 1, 3))[1:2], *sorted(rng.uniform(-1, 1, 2)),
             int(rng.integers(1, 50)), int(rng.integers(1, 20))) for a, b in sorted(chosen)]
    rows = [(a, b, value, min(low, value), max(high, value), count, documents)
            for a, b, value, low, high, count, documents in rows]
    start = network.start_nodes(counts, 20)
    data = network.network_data(counts, _pairs(rows), start, 20, "npmi", 0.95, "sentence")
    paired = {key for a, b, *_ in rows for key in (a, b)} | set(start["key"])
    assert len(data["nodes"]) == len(paired) >= 990 and len(data["edges"]) == len(rows) >= 2900
    size = len(json_attribute(data).encode("utf-8"))
    assert size < 450_000, size  # about 150 bytes per pair: a page that still opens at once


def test_the_search_also_finds_an_actor_by_the_spellings_read_in_any_script() -> None:
    mentions = pd.DataFrame({"kind": "actor", "key": "sadyr-japarov", "name": "Sadyr Japarov",
                             "text": ["Japarov", "Жапаров", "Жапаров", "Жапарова", "Sadyr Japarov", "JAPAROV"]})
    forms = network.other_spellings(pd.concat([mentions, pd.DataFrame(
        {"kind": ["theme"], "key": ["elections"], "name": ["elections"], "text": ["vote"]})]))
    assert forms.to_dict() == {"sadyr-japarov": "Жапаров | Жапарова"}  # most read first; the name's own left out
    counts = _counts({"sadyr-japarov": ("person", 6), "kgz": ("country", 9)})
    pairs = _pairs([("kgz", "sadyr-japarov", 0.3, 0.1, 0.4, 3, 2)])
    data = network.network_data(counts, pairs, network.start_nodes(counts, 1), 1, "npmi", 0.95, "sentence", forms)
    also = {row[0]: row[data["node_columns"].index("also")] for row in data["nodes"]}
    assert also == {"kgz": "", "sadyr-japarov": "Жапаров | Жапарова"}
    assert network.folded("Sadyr-JAPARÓV_x") == "sadyr japarov x"  # as report.js folds a query


# ---------------------------------------------------------------- the nodes it starts from

def test_the_start_is_the_most_mentioned_with_ties_or_the_readers_keys() -> None:
    start = network.start_nodes(COUNTS, 3)
    assert list(start["key"]) == ["kgz", "un", "osce", "putin"]  # osce and putin tie at 9: both kept
    assert "1 more tied" in network.start_sentence(start, 3, None)
    mine = network.start_nodes(COUNTS, 3, ["japarov", "un"])
    assert list(mine["key"]) == ["japarov", "un"]
    assert "network_actors" in network.start_sentence(mine, 3, ["japarov", "un"])


def test_an_unknown_key_in_network_actors_is_one_line_with_a_suggestion() -> None:
    with pytest.raises(ParameterError) as caught:
        network.start_nodes(COUNTS, 3, ["kgz", "japarovv"])
    message = str(caught.value)
    assert "\n" not in message and "'network_actors'" in message and "'japarovv'" in message
    assert "did you mean 'japarov'" in message
    with pytest.raises(ParameterError, match="network_actors"):
        network.start_nodes(COUNTS, 3, [])


def test_network_actors_is_a_declared_parameter() -> None:
    assert parameters.check("network_actors", None) is None
    assert parameters.check("network_actors", ["kgz"]) == ["kgz"]
    with pytest.raises(ParameterError, match="list of actor keys"):
        parameters.check("network_actors", [""])


def test_a_transliteration_of_a_seed_actor_is_refused_with_its_key(seeds) -> None:
    model = co.Cooccurrence.build(seeds.mentions[seeds.mentions["kind"] == "actor"], seeds.sentences)
    mine = network.start_nodes(model.unit_counts(), 20, ["vladimir-putin", "kgz"])
    assert list(mine["name"]) == ["Vladimir Putin", "Kyrgyzstan"] and (mine["mentions"] > 0).all()
    with pytest.raises(ParameterError, match="did you mean 'sadyr-japarov'"):
        network.start_nodes(model.unit_counts(), 20, ["sadyr-zhaparov"])


# ---------------------------------------------------------------- the drawing

def test_labels_on_the_circle_cannot_overlap_and_the_layout_is_fixed() -> None:
    for count in (2, 20, 150):
        categories = (["person", "country", "organization"] * count)[:count]
        nodes = pd.DataFrame({"key": [f"k{n:03d}" for n in range(count)], "name": [f"Actor {n}" for n in range(count)],
                              "category": categories, "mentions": list(range(count, 0, -1))})
        placed = network.circle_layout(nodes)
        label_at = placed.attrs["label_at"]
        assert label_at > placed.attrs["radius"] + network.NODE_MAX  # labels start past the largest disc
        assert 2 * math.pi * label_at / count >= network.LABEL_SLOT  # each label its own slot, however many
        assert placed["category"].map(network.CATEGORY_ORDER.index).is_monotonic_increasing
        left, top, width, height = placed.attrs["box"]
        ends = (label_at + network.CHAR_WIDTH * placed["label"].str.len())
        for x, y in zip(ends * np.cos(placed["angle"]), ends * np.sin(placed["angle"]), strict=True):
            assert left < x < left + width and top < y < top + height  # every label inside the picture
        pd.testing.assert_frame_equal(placed, network.circle_layout(nodes.sample(frac=1, random_state=1)))


def test_the_drawing_without_javascript_shows_the_start_nodes_their_edges_and_a_legend() -> None:
    data, markup = _view()
    tags = _parsed(markup)
    nodes = [attrs["data-key"] for tag, attrs in tags if "network-node" in attrs.get("class", "").split()]
    assert sorted(nodes) == ["kgz", "osce", "putin", "un"]
    edges = [attrs for tag, attrs in tags if tag == "path"]
    assert len(edges) == 3  # kgz-un, kgz-putin, osce-un: japarov is not a start node
    faint = [attrs for attrs in edges if "network-faint" in attrs["class"]]
    assert len(faint) == 1 and faint[0]["stroke-dasharray"]  # kgz-putin's lower end is below 0
    widths = sorted(float(attrs["stroke-width"]) for attrs in edges if attrs not in faint)
    assert widths == [pytest.approx(1.5 + 5.5 * 0.05 / 0.1, abs=0.05), 7.0]  # written to 0.1 px
    assert markup.count("<tr>") == 1 + 3  # the table view: a header and one row per edge
    assert "Kgz \u2013 Un: npmi 0.4 (95% interval 0.1 to 0.6), 6 unit(s), 3 document(s)" in markup
    assert "lower end of the 95% interval of npmi, from just above 0 to 0.1" in markup
