"""The few figures the notebooks share, drawn off-screen and shown as PNG.

Figures are `matplotlib.figure.Figure` objects made directly, never through pyplot, and drawn
inside the package's own style context: importing this module changes neither the user's
backend nor their rcParams, so `df.plot()` in the same notebook still shows its figure.

Figures are sized for a laptop screen and rendered to PNG bytes with fixed metadata, so a
report regenerated from the same data is byte-identical and nbval (which ignores PNG) only
compares the text around them. Every plot function returns a `Chart`: the figure and a
sentence saying what it shows, which becomes the image's alt text (for a reader who cannot
see it, and for search); where a figure would carry no information (one bar), the chart is
only that sentence.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import ParamSpec, TypeVar

import matplotlib
import networkx as nx
import numpy as np
import pandas as pd
from adjustText import adjust_text
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import MaxNLocator
from matplotlib.transforms import Bbox

P = ParamSpec("P")
R = TypeVar("R")
CATEGORY_COLOURS = {
    "person": "#1f77b4",
    "organization": "#ff7f0e",
    "country": "#2ca02c",
    "place": "#9467bd",
    "theme": "#8c564b",
}
STYLE = (
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


def _styled(draw: Callable[P, R]) -> Callable[P, R]:
    """Run `draw` inside the package's style, leaving the user's rcParams as they were."""

    @functools.wraps(draw)
    def styled(*args: P.args, **kwargs: P.kwargs) -> R:
        with matplotlib.rc_context(STYLE):
            return draw(*args, **kwargs)

    return styled


def _figure(figsize: tuple[float, float]) -> tuple[Figure, Axes]:
    """A figure outside pyplot's registry (nothing for an inline backend to show twice), on
    its own Agg canvas whatever the user's backend is."""
    figure = Figure(figsize=figsize)
    FigureCanvasAgg(figure)
    return figure, figure.subplots()


@_styled
def png_bytes(figure: Figure, bbox: Bbox | None = None) -> bytes:
    """The figure as PNG with no software/version stamp, cropped to `bbox` (inches) or to its
    drawn area; the figure is closed."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", bbox_inches=bbox or "tight", metadata={"Software": None})
    return buffer.getvalue()


@dataclass(frozen=True)
class FigureLink:
    """A region of a figure that leads somewhere (a heatmap cell to its pair's evidence): `box`
    is (left, top, width, height) in percent of the saved image, so it scales with the image."""

    href: str
    label: str
    box: tuple[float, float, float, float]


@dataclass(frozen=True)
class Chart:
    """A figure and the sentence that describes it (its alt text); no figure: only the sentence.
    `links` are regions of the figure that lead somewhere, measured on the image cropped to
    `bbox` (inches), which is how the figure is saved."""

    figure: Figure | None
    alt: str
    links: tuple[FigureLink, ...] = ()
    bbox: Bbox | None = None


def show(chart: Chart) -> None:
    """Display a chart in a notebook: a PNG image with its alt text and links in its metadata
    (the exported page shows both, see `analysis.reports.html`), or the sentence alone when there is
    no figure."""
    from IPython.display import Image, display

    from analysis.reports.presentation import paragraph

    if chart.figure is None:
        display(paragraph(chart.alt))
        return
    metadata: dict = {"alt": chart.alt}
    if chart.links:
        metadata["links"] = [{"href": link.href, "label": link.label, "box": list(link.box)} for link in chart.links]
    display(Image(data=png_bytes(chart.figure, chart.bbox), format="png", metadata=metadata))


def _saved_area(figure: Figure) -> Bbox:
    """The area (inches) `png_bytes` would crop to, fixed now so regions can be measured on it."""
    renderer = figure.canvas.get_renderer()
    return figure.get_tightbbox(renderer).padded(matplotlib.rcParams["savefig.pad_inches"])


def _cell_links(figure: Figure, axes: Axes, hrefs: np.ndarray, labels: np.ndarray) -> tuple[
        tuple[FigureLink, ...], Bbox]:
    """One link per cell of an image plot that has an href, its box measured through the axes'
    data transform on the area the figure will be saved to."""
    area = _saved_area(figure)
    links = []
    for (row, column), href in np.ndenumerate(hrefs):
        if not href:
            continue
        corners = axes.transData.transform([(column - 0.5, row - 0.5), (column + 0.5, row + 0.5)]) / figure.dpi
        left, right = sorted(corners[:, 0])
        bottom, top = sorted(corners[:, 1])
        box = (100 * (left - area.x0) / area.width, 100 * (area.y1 - top) / area.height,
               100 * (right - left) / area.width, 100 * (top - bottom) / area.height)
        links.append(FigureLink(str(href), str(labels[row, column]), tuple(round(float(value), 3) for value in box)))
    return tuple(links), area


def _empty(message: str) -> Chart:
    return Chart(None, message)


def _listing(items: list[str], limit: int = 8) -> str:
    shown = "; ".join(items[:limit])
    return shown + (f"; and {len(items) - limit} more" if len(items) > limit else "")


def _short(label: object, width: int = 60) -> str:
    """A tick label cut to `width` characters (the alt text keeps it whole)."""
    text = str(label)
    return text if len(text) <= width else text[: width - 1] + "…"


def _integer_counts(values: np.ndarray) -> bool:
    finite = values[np.isfinite(values)]
    return bool(len(finite)) and bool(np.all(finite == np.round(finite)))


@_styled
def heatmap(matrix: pd.DataFrame, title: str, value_label: str = "count", fmt: str = "{:.0f}",
            links: pd.DataFrame | None = None) -> Chart:
    """A labelled heatmap of a (rows x columns) matrix, values written in the cells. `links`,
    laid out like `matrix`, gives a cell an href ('' for none): in a report page a click on the
    cell follows it (a pair's count leads to the pair's evidence)."""
    if links is not None and links.shape != matrix.shape:
        raise ValueError(f"heatmap links are {links.shape[0]} x {links.shape[1]}, the matrix "
                         f"{matrix.shape[0]} x {matrix.shape[1]}")
    if matrix.empty:
        return _empty("No pairs to show for these parameters.")
    rows, columns = matrix.shape
    figure, axes = _figure((min(2.5 + 0.55 * columns, 13), min(1.8 + 0.38 * rows, 11)))
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
    colorbar = figure.colorbar(image, ax=axes, label=value_label, shrink=0.8)
    if _integer_counts(values):
        colorbar.locator = MaxNLocator(integer=True)
        colorbar.update_ticks()
    cells = [(values[r, c], str(matrix.index[r]), str(matrix.columns[c]))
             for r, c in zip(*np.nonzero(np.nan_to_num(values)), strict=True)]
    cells.sort(key=lambda cell: (-cell[0], cell[1], cell[2]))
    largest = [f"{row} and {column}: {fmt.format(value)}" for value, row, column in cells]
    alt = (f"{title}. Heatmap of {rows} rows by {columns} columns ({value_label}); "
           f"largest cells: {_listing(largest, 6) or 'none'}.")
    if links is None:
        return Chart(figure, alt)
    labels = np.array([[f"{row} and {column}, {value_label} {fmt.format(values[r, c])}: show the evidence"
                        for c, column in enumerate(matrix.columns)] for r, row in enumerate(matrix.index)],
                      dtype=object)
    hrefs = links.fillna("").astype(str).to_numpy()
    cell_links, area = _cell_links(figure, axes, hrefs, labels)
    alt += " Each cell with a number links to the evidence of its pair." if cell_links else ""
    return Chart(figure, alt, cell_links, area)


@_styled
def network(graph: nx.Graph, title: str, weight: str = "count") -> Chart:
    """Actors as nodes (size by mentions, colour by category), pairs as edges (width by
    `weight`); labels are pushed apart so that none overlap."""
    if graph.number_of_nodes() == 0:
        return _empty("No co-occurring pairs for these parameters.")
    figure, axes = _figure((11, 8))
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
    discs = nx.draw_networkx_nodes(graph, positions, ax=axes, node_size=sizes, node_color=colours,
                                   alpha=0.9, linewidths=0.5, edgecolors="white")
    # labels start below their disc and are pushed off every disc and every other label
    spread = np.ptp(np.array(list(positions.values())), axis=0).max() or 1.0
    texts = [
        axes.text(positions[n][0], positions[n][1] - 0.035 * spread * (0.6 + size / sizes.max()),
                  graph.nodes[n].get("name", n), fontsize=9, ha="center", va="top",
                  bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.8})
        for n, size in zip(graph.nodes, sizes, strict=True)
    ]
    axes.margins(0.15)
    # a fixed number of iterations: adjustText otherwise stops after one second of wall time,
    # which makes the figure depend on how busy the machine is
    adjust_text(texts, ax=axes, objects=discs, expand=(1.2, 1.4), iter_lim=250,
                arrowprops={"arrowstyle": "-", "color": "#555", "lw": 0.5})
    present = sorted({graph.nodes[n].get("category") for n in graph.nodes} & set(CATEGORY_COLOURS))
    handles = [Line2D([], [], marker="o", ls="", color=CATEGORY_COLOURS[c], label=c, markersize=9)
               for c in present]
    for value in sorted({int(mentions.max()), max(int(np.median(mentions)), 1)}, reverse=True):
        area = 120 + 1400 * np.sqrt(value / max(mentions.max(), 1))
        handles.append(Line2D([], [], marker="o", ls="", color="#bbb", markersize=np.sqrt(area),
                                  label=f"{value} mention(s)"))
    if len(weights) and weights.max() > 0:
        for value in sorted({float(weights.max()), float(np.median(weights))}, reverse=True):
            handles.append(Line2D([], [], color="#777", lw=0.5 + 5 * value / weights.max(),
                                      label=f"{weight} {value:g}"))
    if anecdote.any():
        handles.append(Line2D([], [], color="#777", alpha=0.3, ls="--", label="pair seen in one document only"))
    axes.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False, labelspacing=1.6,
                handletextpad=2.0, borderpad=1.2,
                title="colour: category; disc: mentions; line: " + weight, title_fontsize=9)
    axes.set_title(title)
    axes.axis("off")
    names = nx.get_node_attributes(graph, "name")
    strongest = sorted(edges, key=lambda e: (-float(e[2].get(weight, 0) or 0), names.get(e[0], e[0]),
                                             names.get(e[1], e[1])))
    described = [f"{names.get(a, a)} and {names.get(b, b)} ({weight} {d.get(weight, 0):g}, "
                 f"{d.get('documents', '?')} document(s))" for a, b, d in strongest]
    nodes = sorted(graph.nodes, key=lambda n: (-graph.nodes[n].get("mentions", 0), names.get(n, n)))
    alt = (f"{title}. Network of {graph.number_of_nodes()} actors: {_listing([names.get(n, n) for n in nodes], 25)}. "
           f"{len(edges)} pairs; strongest: {_listing(described, 5) or 'none'}.")
    return Chart(figure, alt)


@_styled
def bar(series: pd.Series, title: str, xlabel: str, colour: str = "#1f77b4") -> Chart:
    """A horizontal bar chart, largest on top; one bar is a sentence, not a chart."""
    listed = [f"{label} {value:,.0f}" if float(value).is_integer() else f"{label} {value:,.2f}"
              for label, value in series.items()]
    if series.empty:
        return _empty("Nothing to count for these parameters.")
    if len(series) == 1:
        return _empty(f"{title}: only one, {listed[0]} ({xlabel}).")
    series = series.iloc[::-1]
    figure, axes = _figure((9, min(1.5 + 0.32 * len(series), 10)))
    axes.barh([_short(label) for label in series.index], series.to_numpy(), color=colour)
    axes.set_xlabel(xlabel)
    axes.set_title(title)
    if _integer_counts(series.to_numpy(dtype=float)):
        axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    return Chart(figure, f"{title}. Bar chart of {len(series)} bars ({xlabel}): {_listing(listed, 12)}.")


def period_start(label: str) -> pd.Timestamp | None:
    """The first day of a period label ('2021-02', '2021Q1'); None for 'undated'."""
    try:
        return pd.Period(label).start_time
    except (ValueError, TypeError):
        return None


@_styled
def timeline(counts: pd.DataFrame, title: str, ylabel: str) -> Chart:
    """Bars of counts per period on a time axis proportional to time (a gap of months shows as a
    gap); columns are series, the index is the period label. Undated counts are not placed on
    the axis: the title says how many there are. One series needs no legend."""
    if counts.empty:
        return _empty("No dated material for these parameters.")
    starts = pd.Series([period_start(str(label)) for label in counts.index], index=counts.index)
    dated = counts[starts.notna()]
    undated = int(counts[starts.isna()].to_numpy().sum())
    note = f" ({undated} undated not shown)" if undated else ""
    if dated.empty:
        return _empty(f"{title}: no dated material{note}.")
    if len(dated) == 1 and dated.shape[1] == 1:
        value = int(dated.iloc[0, 0])
        return _empty(f"{title}: all in one period, {dated.index[0]}: {value} {ylabel}{note}.")
    dates = pd.DatetimeIndex(starts[starts.notna()].to_list())
    span = (dates.max() - dates.min()).days if len(dates) > 1 else 30
    width = max(span / max(len(dates), 1) * 0.6, 12)
    figure, axes = _figure((11, 4.5))
    bottom = np.zeros(len(dated))
    colours = matplotlib.colormaps["tab20"].colors
    for number, column in enumerate(dated.columns):
        values = dated[column].to_numpy(dtype=float)
        axes.bar(dates, values, width=width, bottom=bottom, color=colours[number % len(colours)], label=str(column))
        bottom += values
    axes.set_ylabel(ylabel)
    axes.set_title(f"{title}{note}")
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    figure.autofmt_xdate()
    if dated.shape[1] > 1:
        axes.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False, fontsize=8)
    totals = [f"{label} {int(total)}" for label, total in zip(dated.index, bottom, strict=True)]
    return Chart(figure, f"{title}{note}. {ylabel.capitalize()} per period on a time axis: {_listing(totals, 12)}.")


@_styled
def document_timeline(documents: pd.DataFrame, title: str = "Documents by date") -> Chart:
    """One marker per dated document on a time axis; undated documents counted in the title."""
    dated = documents.dropna(subset=["date"]).sort_values("date")
    undated = len(documents) - len(dated)
    if dated.empty:
        return _empty(f"No dated documents ({undated} undated).")
    figure, axes = _figure((11, 2.2 + 0.05 * len(dated)))
    positions = np.arange(len(dated))
    axes.scatter(dated["date"], positions, color="#1f77b4", zorder=3)
    from analysis.reports.presentation import document_labels

    labels = document_labels(dated).map(_short).tolist()
    axes.set_yticks(positions, labels if len(dated) <= 25 else [""] * len(dated))
    axes.set_title(f"{title} ({len(dated)} dated, {undated} undated)")
    axes.grid(axis="x", alpha=0.3)
    figure.autofmt_xdate()
    first, last = dated["date"].min().date().isoformat(), dated["date"].max().date().isoformat()
    return Chart(figure, f"{title}: {len(dated)} dated documents from {first} to {last}, one dot each; "
                         f"{undated} undated.")
