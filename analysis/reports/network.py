"""The data of a report's network that a reader can change: every actor of the pair table as
a possible node, every ranked pair as a possible edge, and the nodes the page starts from.

The page (static/report.js) lets the reader choose the nodes among all actors and draws the
edges among them, so the whole choice is in the page, not only the most mentioned actors: the
nodes (key, name, category, mentions) and the edges (the two nodes, the ranked measure, its
interval, count, documents) go into one compact JSON document (`network_data`), which
`analysis.reports.presentation.network_view` embeds, escaped, with a drawing of the starting
nodes that needs no script.

An edge's width is its `strength`: the value the ranking uses (the pessimistic end of the
interval when there is one, `analysis.stats.ranking.rank_key`) measured from the value that
means "no association" (0, or 1 for lift; a p-value as -log10 p). A pair at or below that
point shows no attraction the ranking can vouch for and is drawn faint, not as a finding.

The layout is a circle, nodes grouped by category and most mentioned first within a group,
each label written outward along its radius: labels cannot overlap however many nodes there
are, and the same nodes always land in the same places (the page's script computes the same
layout, so the picture with and without JavaScript is one picture).
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from analysis import parameters
from analysis.link.find import did_you_mean
from analysis.parameters import ParameterError
from analysis.schema import ACTOR_CATEGORIES
from analysis.stats import ranking
from analysis.stats.measures import measure as registered_measure

NODE_COLUMNS = ("key", "name", "category", "mentions", "also")
EDGE_COLUMNS = ("a", "b", "value", "low", "high", "ranked", "strength", "count", "documents")
# the value of a measure that means "as often as chance": an edge is drawn from there
NEUTRAL = {"lift": 1.0}
SIGNIFICANT = 4  # digits kept of a measure in the page: enough to read, small for 3,000 pairs
MAX_FORMS = 5  # other spellings of an actor the page's search also matches, most read first

# the circle layout, shared with static/report.js (`layout` there): keep the two in step
LABEL_SLOT = 16.0  # px of the circle's circumference per node, one label's height and a gap
MIN_RADIUS = 150.0
NODE_MIN, NODE_MAX = 4.0, 14.0  # px radius of the least and the most mentioned node drawn
LABEL_CHARS = 28  # longer names are cut (with "…") on the drawing; the title keeps them whole
CHAR_WIDTH = 6.6  # px per character of a 12 px label, an upper estimate that sizes the picture
LABEL_GAP = 22.0  # px from the circle to where a label starts: past the largest disc
MARGIN = 10  # px around the drawing (half a label's height and some air)
CATEGORY_ORDER = (*ACTOR_CATEGORIES, "")
CATEGORY_COLOURS = {"person": "#1f77b4", "organization": "#ff7f0e", "country": "#2ca02c", "place": "#9467bd",
                    "facility": "#8c564b"}
OTHER_COLOUR = "#7f7f7f"


def start_nodes(counts: pd.DataFrame, top_actors: int, keys: Sequence[str] | None = None) -> pd.DataFrame:
    """The nodes a network starts from: the reader's own `keys` (parameter `network_actors`)
    in their order, or else the `top_actors` most mentioned actors and every actor tied with
    the last. `counts` is the model's `unit_counts()`; an unknown key is refused in one line
    that names it and proposes keys spelt alike."""
    actors = counts[counts["kind"] == "actor"].sort_values(["mentions", "documents", "key"],
                                                           ascending=[False, False, True], kind="stable")
    if keys is None:
        chosen = ranking.top_keys_with_ties(actors, top_actors, "mentions")
        return chosen[["key", "name", "category", "mentions", "documents"]].reset_index(drop=True)
    keys = parameters.check("network_actors", keys)
    unknown = [key for key in dict.fromkeys(keys) if key not in set(actors["key"])]
    if unknown:
        hints = "; ".join(f"{key!r}{did_you_mean(key, actors['key'], actors['name'])}" for key in unknown)
        raise ParameterError(f"parameter 'network_actors': no actor with key {hints} in the counted actors; "
                             "corpus.find_actor(name) finds a key by any spelling")
    chosen = actors.set_index("key").loc[list(dict.fromkeys(keys))].reset_index()
    return chosen[["key", "name", "category", "mentions", "documents"]]


def edge_strength(values: pd.Series, measure: str) -> pd.Series:
    """How far each ranked value is on the side of attraction: the value minus the measure's
    neutral point, or -log10 of a measure where smaller is stronger (a p-value); NaN stays NaN."""
    values = pd.to_numeric(values, errors="coerce").astype("float64")
    if not registered_measure(measure).higher_is_stronger:
        return -np.log10(values.clip(lower=1e-300))
    return values - NEUTRAL.get(measure, 0.0)


def folded(text: str) -> str:
    """Text as the page's search compares it (report.js `folded`): no accents, no case, hyphens
    and underscores as spaces."""
    plain = "".join(c for c in unicodedata.normalize("NFD", str(text)) if not unicodedata.combining(c))
    return " ".join(plain.lower().replace("-", " ").replace("_", " ").split())


def other_spellings(mentions: pd.DataFrame) -> pd.Series:
    """Per actor key, the spellings read in the texts that its name and key do not already
    contain ("Жапаров" for Sadyr Japarov, "Japarov's"), most read first, at most MAX_FORMS,
    joined by " | ": so a reader finds an actor in the page by the spelling they read, in any
    script, though the page cannot transliterate."""
    actors = mentions[mentions["kind"] == "actor"]
    if actors.empty:
        return pd.Series(dtype="string")
    counted = actors.groupby(["key", "name", "text"], sort=False).size().reset_index(name="times")
    counted = counted.sort_values(["key", "times", "text"], ascending=[True, False, True], kind="stable")
    found = {}
    for key, rows in counted.groupby("key", sort=True):
        known = folded(f"{rows['name'].iloc[0]} {key}")
        forms: list[str] = []
        for text in rows["text"].astype(str):
            text_folded = folded(text)
            if text_folded and text_folded not in known and text_folded not in map(folded, forms):
                forms.append(text)
            if len(forms) == MAX_FORMS:
                break
        found[key] = " | ".join(forms)
    return pd.Series(found, dtype="string")


def network_nodes(counts: pd.DataFrame, pairs: pd.DataFrame, start: pd.DataFrame,
                  forms: pd.Series | None = None) -> pd.DataFrame:
    """Every actor a reader can add: those of the pair table and the starting nodes (which may
    have no pair), with their mentions at the model's level, most mentioned first, and the
    other spellings the search also matches (`other_spellings`, empty without `forms`)."""
    keys = set(pairs["a_key"]) | set(pairs["b_key"]) | set(start["key"])
    actors = counts[(counts["kind"] == "actor") & counts["key"].isin(keys)]
    spellings = {} if forms is None else forms.dropna().to_dict()
    also = [spellings.get(key, "") for key in actors["key"]]
    actors = actors.assign(category=actors["category"].fillna("").astype(str), also=also)
    return (actors.sort_values(["mentions", "key"], ascending=[False, True], kind="stable")
            [list(NODE_COLUMNS)].reset_index(drop=True))


def network_edges(pairs: pd.DataFrame, nodes: pd.DataFrame, measure: str, ci: float | None) -> pd.DataFrame:
    """Every pair of the (ranked) pair table as an edge between node numbers (rows of `nodes`),
    in rank order: the measure, its interval (NaN without `ci`), the value the ranking uses,
    its strength, the count of units and of documents."""
    ranked, _ = ranking.rank_key(measure, ci is not None)
    number = pd.Series(range(len(nodes)), index=nodes["key"].to_numpy())
    with_interval = ci is not None and f"{measure}_low" in pairs
    edges = pd.DataFrame({
        "a": pairs["a_key"].map(number), "b": pairs["b_key"].map(number),
        "value": pairs[measure].astype("float64"),
        "low": pairs[f"{measure}_low"].astype("float64") if with_interval else np.nan,
        "high": pairs[f"{measure}_high"].astype("float64") if with_interval else np.nan,
        "ranked": pairs[ranked].astype("float64"),
        "strength": edge_strength(pairs[ranked], measure),
        "count": pairs["count"], "documents": pairs["documents"],
    })
    return edges.dropna(subset=["a", "b"]).astype({"a": "int64", "b": "int64"}).reset_index(drop=True)


def _number(value: object) -> float | int | None:
    """A value as JSON wants it: None for missing or infinite, integers whole, floats short."""
    if value is None or pd.isna(value):
        return None
    if isinstance(value, int | np.integer):
        return int(value)
    value = float(value)
    if not math.isfinite(value):
        return None
    return int(value) if value.is_integer() and abs(value) < 2**53 else float(f"{value:.{SIGNIFICANT}g}")


def ranking_words(measure: str, ci: float | None) -> str:
    """What an edge's width shows, in words: the measure, or the end of its interval ranked on."""
    ranked, larger = ranking.rank_key(measure, ci is not None)
    if ranked == measure:
        return measure
    return f"{'lower' if larger else 'upper'} end of the {ci:.0%} interval of {measure}"


def neutral_words(measure: str) -> str:
    """The value from which an edge is drawn wide, as the legend writes it."""
    if not registered_measure(measure).higher_is_stronger:
        return "just below 1"
    return f"just above {NEUTRAL.get(measure, 0.0):g}"


def faint_words(measure: str, ci: float | None) -> str:
    """Which pairs are drawn faint, in words (the legend says it)."""
    what = ranking_words(measure, ci)
    if not registered_measure(measure).higher_is_stronger:
        return f"pairs whose {what} is 1 (no sign of association): thin, dashed and grey"
    return f"pairs whose {what} is {NEUTRAL.get(measure, 0.0):g} or below (no attraction beyond chance): " \
        "thin, dashed and grey"


def network_data(counts: pd.DataFrame, pairs: pd.DataFrame, start: pd.DataFrame, top_actors: int,
                 measure: str, ci: float | None, unit: str, forms: pd.Series | None = None) -> dict:
    """The page's network as one JSON-ready dict: the nodes and edges (as rows under their
    column names, so ~1,000 actors and ~3,000 pairs take some 150 kB), the nodes it starts
    from, the most mentioned ones (the reset button's choice), and the words of its legend."""
    top = start_nodes(counts, top_actors)
    nodes = network_nodes(counts, pairs, pd.concat([start[["key"]], top[["key"]]]), forms)
    edges = network_edges(pairs, nodes, measure, ci)
    number = {key: position for position, key in enumerate(nodes["key"])}
    return {
        "measure": measure, "ranked": ranking_words(measure, ci), "faint": faint_words(measure, ci),
        "interval": None if ci is None else f"{ci:.0%}", "unit": unit, "neutral": neutral_words(measure),
        "top_actors": int(top_actors), "top_count": len(top),
        "colours": {**CATEGORY_COLOURS, "": OTHER_COLOUR},
        "node_columns": list(NODE_COLUMNS),
        "nodes": [[str(row.key), str(row.name), str(row.category), int(row.mentions), str(row.also)]
                  for row in nodes.itertuples(index=False)],
        "edge_columns": list(EDGE_COLUMNS),
        "edges": [[_number(value) for value in row] for row in edges.itertuples(index=False, name=None)],
        "start": [number[key] for key in start["key"]],
        "top": [number[key] for key in top["key"]],
    }


def start_sentence(start: pd.DataFrame, top_actors: int, chosen: Iterable[str] | None) -> str:
    """Which nodes the picture starts from, ties stated: what the page says above it."""
    if chosen is not None:
        return f"The network starts from the {len(start)} actor(s) named in the parameter network_actors."
    tied = len(start) - top_actors
    if tied > 0:
        return (f"The network starts from the {top_actors} most mentioned actors and {tied} more tied with the "
                f"last of them ({len(start)} in all).")
    return f"The network starts from the {len(start)} most mentioned actor(s)."


# ---------------------------------------------------------------- the circle layout

def circle_layout(nodes: pd.DataFrame) -> pd.DataFrame:
    """x, y (px from the centre), angle (radians), node radius and label of each node
    (columns key, name, category, mentions), placed on a circle in category order and most
    mentioned first; in `attrs`, the circle's `radius`, where labels start (`label_at`) and the
    `box` (left, top, width, height) that holds every disc and every label, so the picture is
    no larger than its drawing."""
    order = nodes.assign(_group=nodes["category"].map({c: i for i, c in enumerate(CATEGORY_ORDER)})
                         .fillna(len(CATEGORY_ORDER)))
    order = order.sort_values(["_group", "mentions", "key"], ascending=[True, False, True], kind="stable")
    count = len(order)
    radius = max(MIN_RADIUS, count * LABEL_SLOT / (2 * math.pi))
    angles = [-math.pi / 2 + 2 * math.pi * i / max(count, 1) for i in range(count)]
    largest = max(order["mentions"].max() if count else 1, 1)
    labels = [name if len(name) <= LABEL_CHARS else name[:LABEL_CHARS - 1] + "\u2026"
              for name in order["name"].astype(str)]
    placed = pd.DataFrame({
        "key": order["key"].to_numpy(), "name": order["name"].astype(str).to_numpy(),
        "category": order["category"].to_numpy(), "mentions": order["mentions"].to_numpy(),
        "angle": angles, "x": [radius * math.cos(a) for a in angles], "y": [radius * math.sin(a) for a in angles],
        "size": [NODE_MIN + (NODE_MAX - NODE_MIN) * math.sqrt(m / largest) for m in order["mentions"]],
        "label": labels,
    })
    label_at = radius + LABEL_GAP
    reach = [label_at + CHAR_WIDTH * len(label) for label in labels]
    xs = [r * math.cos(a) for r, a in zip(reach, angles, strict=True)] + [-radius - NODE_MAX, radius + NODE_MAX]
    ys = [r * math.sin(a) for r, a in zip(reach, angles, strict=True)] + [-radius - NODE_MAX, radius + NODE_MAX]
    left, top = math.floor(min(xs)) - MARGIN, math.floor(min(ys)) - MARGIN
    box = (left, top, math.ceil(max(xs)) + MARGIN - left, math.ceil(max(ys)) + MARGIN - top)
    placed.attrs.update(radius=radius, label_at=label_at, box=box)
    return placed


def edge_widths(strength: pd.Series) -> pd.Series:
    """Line width (px) of each edge: 1.5 to 7 in proportion to a positive strength over the
    strongest drawn; 1 for a faint edge (strength 0 or below, or missing)."""
    strongest = strength[strength > 0].max() if (strength > 0).any() else 1.0
    return pd.Series(np.where(strength > 0, 1.5 + 5.5 * strength.clip(lower=0) / strongest, 1.0),
                     index=strength.index)


def picture(data: dict, chosen: Sequence[int]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The drawing of the nodes numbered `chosen` (rows of `data["nodes"]`): the placed nodes
    (`circle_layout`) and the edges among them in rank order, each with its two ends, a curve's
    control point (pulled a third of the way to the centre, so lines do not run over nodes on
    the circle), its width, whether it is faint, and the values of the table view.
    static/report.js draws the same from the same data."""
    nodes = pd.DataFrame(data["nodes"], columns=data["node_columns"])
    keys = set(int(number) for number in chosen)
    placed = circle_layout(nodes.iloc[sorted(keys)])
    edges = pd.DataFrame(data["edges"], columns=data["edge_columns"], dtype="object")
    edges = edges[edges["a"].isin(keys) & edges["b"].isin(keys)].reset_index(drop=True)
    where = placed.set_index("key")
    a_keys = nodes["key"].iloc[edges["a"].astype(int)].to_numpy()
    b_keys = nodes["key"].iloc[edges["b"].astype(int)].to_numpy()
    strength = pd.to_numeric(edges["strength"], errors="coerce").astype("float64")
    drawn = pd.DataFrame({
        "a_name": where.loc[a_keys, "name"].to_numpy(), "b_name": where.loc[b_keys, "name"].to_numpy(),
        "x1": where.loc[a_keys, "x"].to_numpy(), "y1": where.loc[a_keys, "y"].to_numpy(),
        "x2": where.loc[b_keys, "x"].to_numpy(), "y2": where.loc[b_keys, "y"].to_numpy(),
        "width": edge_widths(strength).to_numpy(), "faint": ~(strength > 0).to_numpy(),
        "value": edges["value"], "low": edges["low"], "high": edges["high"], "count": edges["count"],
        "documents": edges["documents"], "ranked": pd.to_numeric(edges["ranked"], errors="coerce"),
        "strength": strength,
    })
    drawn["cx"] = (drawn["x1"] + drawn["x2"]) / 3
    drawn["cy"] = (drawn["y1"] + drawn["y2"]) / 3
    drawn["title"] = [edge_title(row, data) for row in drawn.itertuples()]
    return placed, drawn


def shown(value: object) -> str:
    """A number of the page as the script writes it: empty when missing, at most 3 decimals."""
    if value is None or pd.isna(value):
        return ""
    value = float(value)
    return f"{value:,.0f}" if value.is_integer() else f"{value:.3f}".rstrip("0").rstrip(".")


def interval_text(low: object, high: object) -> str:
    """An interval as the page writes it ('-0.12 to 0.27'), empty without one."""
    if low is None or high is None or pd.isna(low) or pd.isna(high):
        return ""
    return f"{shown(low)} to {shown(high)}"


def edge_title(row, data: dict) -> str:
    """What hovering (or a click on) an edge says: the pair and all its values."""
    interval = interval_text(row.low, row.high)
    within = f" ({data['interval']} interval {interval})" if interval else ""
    return (f"{row.a_name} \u2013 {row.b_name}: {data['measure']} {shown(row.value)}{within}, "
            f"{shown(row.count)} unit(s), {shown(row.documents)} document(s)")


def edge_table(drawn: pd.DataFrame, data: dict) -> pd.DataFrame:
    """The table view of the drawn edges, in rank order (what the script's table shows)."""
    table = pd.DataFrame({"actor A": drawn["a_name"], "actor B": drawn["b_name"],
                          data["measure"]: [shown(value) for value in drawn["value"]]})
    if data["interval"] is not None:
        table[f"{data['interval']} interval"] = [interval_text(low, high)
                                                 for low, high in zip(drawn["low"], drawn["high"], strict=True)]
    table["units"] = [shown(value) for value in drawn["count"]]
    table["documents"] = [shown(value) for value in drawn["documents"]]
    return table.set_axis(range(1, len(table) + 1))
