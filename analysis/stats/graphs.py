"""Pair tables as networks, for Gephi or networkx, and written as GraphML or GEXF."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pandas as pd

from analysis import parameters
from analysis.stats.incidence import effective_keys
from analysis.stats.tables import INT_COLUMNS, VALUE_COLUMNS, require


def to_graph(
    pair_table: pd.DataFrame,
    mentions: pd.DataFrame | None = None,
    *,
    level: str = "actor",
    nodes: pd.DataFrame | None = None,
) -> nx.Graph:
    """A network of the pairs, for Gephi or networkx: keys as nodes, measures on edges.

    Nodes carry name, label (= name, which Gephi shows) and category, plus kind and the
    number of mention rows when `mentions` is given (counted at `level`, so that rolled-up
    affiliation keys count their members' mentions). `nodes` (key, name, category) adds
    nodes that have no pair in the table, and names them first. Edges carry every value column, with
    NaN replaced by 0, and weight = count. GraphML and GEXF need plain Python values,
    so that is what is stored.
    """
    parameters.check("level", level)
    require(pair_table, ["a_key", "a_name", "a_category", "b_key", "b_name", "b_category"], "pair")
    if pair_table.duplicated(["a_key", "b_key"]).any():
        raise ValueError(
            "pair table lists a pair more than once (a table by period?); "
            "select one period before building a graph"
        )
    chosen = [] if nodes is None else [nodes[["key", "name", "category"]]]
    nodes = pd.concat(
        chosen + [
            pair_table[[f"{side}_key", f"{side}_name", f"{side}_category"]].set_axis(
                ["key", "name", "category"], axis=1
            )
            for side in ("a", "b")
        ]
    ).drop_duplicates("key")
    nodes = nodes.astype("string").fillna("")
    graph = nx.Graph()
    counts: dict[str, int] = {}
    kinds: dict[str, str] = {}
    if mentions is not None:
        effective = effective_keys(mentions, level)
        counts = {str(k): int(v) for k, v in effective.value_counts().items()}
        kinds = {
            str(k): str(v)
            for k, v in mentions.drop_duplicates("key").set_index("key")["kind"].items()
        }
    for key, name, category in nodes.itertuples(index=False):
        attrs: dict[str, object] = {
            "name": str(name),
            "label": str(name),
            "category": str(category),
        }
        if mentions is not None:
            attrs["kind"] = kinds.get(str(key), "actor")
            attrs["mentions"] = counts.get(str(key), 0)
        graph.add_node(str(key), **attrs)
    present = [c for c in VALUE_COLUMNS if c in pair_table.columns]
    values = pair_table[present].astype("float64").fillna(0.0)
    ints = set(INT_COLUMNS)
    records = [
        {c: (int(v) if c in ints else float(v)) for c, v in zip(present, row, strict=True)}
        for row in values.itertuples(index=False)
    ]
    for a, b, attrs in zip(pair_table["a_key"], pair_table["b_key"], records, strict=True):
        if "count" in attrs:
            attrs["weight"] = attrs["count"]
        graph.add_edge(str(a), str(b), **attrs)
    return graph


def write_graph(graph: nx.Graph, path: str | Path) -> Path:
    """Write GraphML (.graphml) or GEXF (.gexf), chosen by suffix so the caller cannot mismatch."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".graphml":
        nx.write_graphml(graph, path)
    elif suffix == ".gexf":
        nx.write_gexf(graph, path)
    else:
        raise ValueError(
            f"unknown graph file suffix {path.suffix!r} of {str(path)!r}; "
            "expected one of ['.graphml', '.gexf']"
        )
    return path
