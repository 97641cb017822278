"""The few figures the notebooks share, drawn with matplotlib's Agg backend and shown as PNG.

Figures are sized for a laptop screen and rendered to PNG bytes with fixed metadata, so a
report regenerated from the same data is byte-identical and nbval (which ignores PNG) only
compares the text around them.
"""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import networkx as nx  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from adjustText import adjust_text  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

CATEGORY_COLOURS = {
    "person": "#1f77b4",
    "organization": "#ff7f0e",
    "country": "#2ca02c",
    "place": "#9467bd",
    "theme": "#8c564b",
}
plt.rcParams.update(
    {
        "figure.dpi": 100,
        "savefig.dpi": 110,
        "font.size": 10,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "svg.hashsalt": "kg-cooccurrence",
        "text.parse_math": False,  # labels are names from data: "$" is a dollar, never mathtext
    }
)


def png_bytes(figure: Figure) -> bytes:
    """The figure as PNG with no software/version stamp; the figure is closed."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", bbox_inches="tight", metadata={"Software": None})
    plt.close(figure)
    return buffer.getvalue()


def show(figure: Figure) -> None:
    """Display a figure in a notebook as a PNG image (no '<Figure ...>' text left behind)."""
    from IPython.display import Image, display

    display(Image(data=png_bytes(figure), format="png"))


def _empty(message: str, size: tuple[float, float] = (8, 2)) -> Figure:
    figure, axes = plt.subplots(figsize=size)
    axes.axis("off")
    axes.text(0.5, 0.5, message, ha="center", va="center", fontsize=12, color="#555")
    return figure


def heatmap(matrix: pd.DataFrame, title: str, value_label: str = "count", fmt: str = "{:.0f}") -> Figure:
    """A labelled heatmap of a (rows x columns) matrix, values written in the cells."""
    if matrix.empty:
        return _empty("No pairs to show for these parameters.")
    rows, columns = matrix.shape
    figure, axes = plt.subplots(figsize=(min(2.5 + 0.55 * columns, 13), min(1.8 + 0.38 * rows, 11)))
    values = matrix.to_numpy(dtype=float)
    image = axes.imshow(values, cmap="Blues", aspect="auto")
    axes.set_xticks(range(columns), [str(c) for c in matrix.columns], rotation=40, ha="right")
    axes.set_yticks(range(rows), [str(r) for r in matrix.index])
    axes.set_title(title)
    threshold = np.nanmax(values) / 2 if np.isfinite(values).any() else 0
    for (row, column), value in np.ndenumerate(values):
        if np.isfinite(value) and value != 0:
            colour = "white" if value > threshold else "black"
            axes.text(column, row, fmt.format(value), ha="center", va="center", fontsize=8, color=colour)
    figure.colorbar(image, ax=axes, label=value_label, shrink=0.8)
    return figure


def network(graph: nx.Graph, title: str, weight: str = "count") -> Figure:
    """Actors as nodes (size by mentions, colour by category), pairs as edges (width by
    `weight`); labels are pushed apart so that none overlap."""
    if graph.number_of_nodes() == 0:
        return _empty("No co-occurring pairs for these parameters.")
    figure, axes = plt.subplots(figsize=(11, 8))
    positions = nx.kamada_kawai_layout(graph, weight=None) if graph.number_of_nodes() > 2 else (
        nx.circular_layout(graph)
    )
    mentions = np.array([graph.nodes[n].get("mentions", 1) for n in graph.nodes], dtype=float)
    sizes = 120 + 1400 * np.sqrt(mentions / max(mentions.max(), 1))
    colours = [CATEGORY_COLOURS.get(graph.nodes[n].get("category"), "#7f7f7f") for n in graph.nodes]
    edges = list(graph.edges(data=True))
    weights = np.array([max(float(d.get(weight, 1) or 0), 0) for _, _, d in edges])
    widths = 0.5 + 5 * (weights / weights.max()) if len(weights) and weights.max() > 0 else np.ones(len(edges))
    # a pair resting on one document is an anecdote: drawn faint and dashed, not as a finding
    anecdote = np.array([d.get("documents", 2) == 1 for _, _, d in edges], dtype=bool)
    for faint, style, alpha in ((False, "solid", 0.7), (True, "dashed", 0.3)):
        chosen = [edge[:2] for edge, flag in zip(edges, anecdote, strict=True) if flag == faint]
        if chosen:
            nx.draw_networkx_edges(graph, positions, ax=axes, edgelist=chosen, edge_color="#777", alpha=alpha,
                                   width=list(np.asarray(widths)[anecdote == faint]), style=style)
    nx.draw_networkx_nodes(graph, positions, ax=axes, node_size=sizes, node_color=colours,
                           alpha=0.9, linewidths=0.5, edgecolors="white")
    texts = [
        axes.text(*positions[n], graph.nodes[n].get("name", n), fontsize=9, ha="center", va="center",
                  bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.75})
        for n in graph.nodes
    ]
    axes.margins(0.12)
    # a fixed number of iterations: adjustText otherwise stops after one second of wall time,
    # which makes the figure depend on how busy the machine is
    adjust_text(texts, ax=axes, expand=(1.15, 1.3), iter_lim=250,
                arrowprops={"arrowstyle": "-", "color": "#555", "lw": 0.5})
    present = sorted({graph.nodes[n].get("category") for n in graph.nodes} & set(CATEGORY_COLOURS))
    handles = [plt.Line2D([], [], marker="o", ls="", color=CATEGORY_COLOURS[c], label=c, markersize=9)
               for c in present]
    if anecdote.any():
        handles.append(plt.Line2D([], [], color="#777", alpha=0.3, ls="--", label="pair seen in one document only"))
    if (~anecdote).any():
        handles.append(plt.Line2D([], [], color="#777", alpha=0.7, label=f"pair in 2+ documents (width: {weight})"))
    axes.legend(handles=handles, loc="lower left", frameon=False)
    axes.set_title(title)
    axes.axis("off")
    return figure


def bar(series: pd.Series, title: str, xlabel: str, colour: str = "#1f77b4") -> Figure:
    """A horizontal bar chart, largest on top."""
    if series.empty:
        return _empty("Nothing to count for these parameters.")
    series = series.iloc[::-1]
    figure, axes = plt.subplots(figsize=(9, min(1.5 + 0.32 * len(series), 10)))
    axes.barh([str(label) for label in series.index], series.to_numpy(), color=colour)
    axes.set_xlabel(xlabel)
    axes.set_title(title)
    return figure


def timeline(counts: pd.DataFrame, title: str, ylabel: str) -> Figure:
    """Lines (or bars, for few periods) of counts per period; columns are series, the index
    is the period label, with 'undated' kept as its own last period."""
    if counts.empty:
        return _empty("No dated material for these parameters.")
    figure, axes = plt.subplots(figsize=(11, 4.5))
    counts.plot(kind="bar", ax=axes, width=0.8, colormap="tab20")
    axes.set_xlabel("period")
    axes.set_ylabel(ylabel)
    axes.set_title(title)
    axes.tick_params(axis="x", rotation=0)
    axes.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False, fontsize=8)
    return figure


def document_timeline(documents: pd.DataFrame, title: str = "Documents by date") -> Figure:
    """One marker per dated document on a time axis; undated documents counted in the title."""
    dated = documents.dropna(subset=["date"]).sort_values("date")
    undated = len(documents) - len(dated)
    if dated.empty:
        return _empty(f"No dated documents ({undated} undated).")
    figure, axes = plt.subplots(figsize=(11, 2.2 + 0.05 * len(dated)))
    positions = np.arange(len(dated))
    axes.scatter(dated["date"], positions, color="#1f77b4", zorder=3)
    axes.set_yticks(positions, dated["doc_id"].tolist() if len(dated) <= 25 else [""] * len(dated))
    axes.set_title(f"{title} ({len(dated)} dated, {undated} undated)")
    axes.grid(axis="x", alpha=0.3)
    figure.autofmt_xdate()
    return figure
