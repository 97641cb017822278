"""What the report notebooks call: parameter checks with clear messages, the actor profile
helpers and HTML for evidence, so that notebooks stay free of logic."""

from __future__ import annotations

import ast
import datetime as dt
import html
from collections.abc import Iterable, Sequence

import pandas as pd

from analysis import cooccurrence
from analysis.presentation import escape_html
from analysis.schema import ACTOR_CATEGORIES
from analysis.workflow import project_path

MAX_TABLE_ROWS = 25
# papermill's injected-parameters cell starts with this comment (papermill.translators.codify)
INJECTED_CELL_MARKER = "# Parameters"


class ParameterError(ValueError):
    """A notebook parameter has a value the notebook cannot use."""


def _fail(name: str, value: object, expected: str) -> None:
    raise ParameterError(f"parameter {name!r} = {value!r}: expected {expected}")


def injected_names(history: Sequence[str]) -> set[str]:
    """Names assigned by the last papermill injected-parameters cell in a kernel's input
    history (`In`): papermill injects any name it is given, declared or not, and only warns."""
    for source in reversed(history):
        if isinstance(source, str) and source.lstrip().startswith(INJECTED_CELL_MARKER):
            try:
                tree = ast.parse(source)
            except SyntaxError:
                return set()
            return {
                target.id
                for node in tree.body if isinstance(node, ast.Assign)
                for target in node.targets if isinstance(target, ast.Name)
            }
    return set()


def _kernel_history() -> list[str]:
    """The input history of the running IPython kernel; empty outside IPython."""
    from IPython import get_ipython

    shell = get_ipython()
    return list(shell.user_ns.get("In", [])) if shell is not None else []


def check_injected(declared: Iterable[str], history: Sequence[str] | None = None) -> None:
    """Fail when papermill injected a parameter the notebook does not declare (a typo such as
    `unitt` would otherwise leave the default in force while the caller believes it applied)."""
    accepted = sorted(declared)
    unknown = sorted(injected_names(_kernel_history() if history is None else history) - set(accepted))
    if unknown:
        raise ParameterError(
            f"unknown parameter(s) {unknown} given to this notebook (injected by papermill); "
            f"it accepts {accepted}"
        )


def check_parameters(**parameters: object) -> dict:
    """Validate the notebook parameters that are given; returns them, normalised. Every
    notebook passes all the names of its parameters cell, so any other name papermill
    injected is an error (`check_injected`)."""
    check_injected(parameters)
    checked = dict(parameters)
    for name, value in parameters.items():
        if name == "corpus":
            if not isinstance(value, str) or not project_path(value).exists():
                _fail(name, value, "an existing corpus folder or .jsonl/.csv file (relative to the project root)")
            checked[name] = str(project_path(value))
        elif name in ("lexicon", "themes"):
            if value is not None and (not isinstance(value, str) or not project_path(value).exists()):
                _fail(name, value, "None or the path of an existing YAML file")
            checked[name] = str(project_path(value)) if value else None
        elif name == "unit":
            try:
                cooccurrence.parse_unit(value)
            except (ValueError, TypeError):
                _fail(name, value, "'sentence', 'paragraph', 'document' or 'window:K' with K >= 1")
        elif name == "measure":
            if value not in cooccurrence.MEASURES:
                _fail(name, value, f"one of {list(cooccurrence.MEASURES)}")
        elif name == "level":
            if value not in cooccurrence.LEVELS:
                _fail(name, value, f"one of {list(cooccurrence.LEVELS)}")
        elif name == "freq":
            if value not in cooccurrence.FREQS:
                _fail(name, value, f"one of {list(cooccurrence.FREQS)}")
        elif name in ("min_count", "top_n", "evidence_pairs", "evidence_per_pair"):
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                _fail(name, value, "a positive integer")
        elif name == "categories":
            if isinstance(value, str) or not isinstance(value, Iterable) or not value:
                _fail(name, value, f"a non-empty list drawn from {list(ACTOR_CATEGORIES)}")
            unknown = sorted(set(value) - set(ACTOR_CATEGORIES))
            if unknown:
                _fail(name, value, f"categories drawn from {list(ACTOR_CATEGORIES)} (unknown: {unknown})")
            checked[name] = list(value)
        elif name in ("start", "end"):
            if value is not None:
                try:
                    checked[name] = pd.Timestamp(dt.date.fromisoformat(str(value)))
                except ValueError:
                    _fail(name, value, "None or a date as 'YYYY-MM-DD'")
        elif name == "actor":
            if not isinstance(value, str) or not value:
                _fail(name, value, "an actor key such as 'kgz' or 'sadyr-japarov'")
        elif name == "pipeline":
            if not isinstance(value, str) or not value:
                _fail(name, value, "the name of an installed spaCy English pipeline")
        else:
            raise ParameterError(f"unknown parameter {name!r}")
    if checked.get("start") is not None and checked.get("end") is not None and checked["start"] > checked["end"]:
        raise ParameterError(f"parameter 'start' ({parameters['start']}) is after 'end' ({parameters['end']})")
    return checked


def head(frame: pd.DataFrame, rows: int = MAX_TABLE_ROWS) -> pd.DataFrame:
    """The first rows of a long table, so reports stay readable; the caption says how many."""
    return frame.head(rows)


def rounded(frame: pd.DataFrame, digits: int = 3) -> pd.DataFrame:
    """Float columns rounded for display (the full precision stays in the data)."""
    floats = frame.select_dtypes("float").columns
    return frame.assign(**{column: frame[column].round(digits) for column in floats})


PAIR_VIEW_COLUMNS = {
    "a_name": "actor", "b_name": "with", "count": "count", "expected": "expected",
    "jaccard": "jaccard", "npmi": "npmi", "llr": "llr", "p_value": "p", "lift": "lift",
}


def pair_view(pairs: pd.DataFrame, rows: int = MAX_TABLE_ROWS) -> pd.DataFrame:
    """A pair table as a reader wants it: names, counts and the main measures, ranked 1..n."""
    view = rounded(pairs.head(rows)[list(PAIR_VIEW_COLUMNS)].rename(columns=PAIR_VIEW_COLUMNS))
    view.index = pd.RangeIndex(1, len(view) + 1, name="rank")
    return view


def evidence_html(evidence: pd.DataFrame, a_name: str, b_name: str, limit: int = 3) -> str:
    """Evidence passages of one pair as HTML: both mentions highlighted, corpus text escaped."""
    items = []
    for row in evidence.head(limit).itertuples():
        date = "undated" if pd.isna(row.date) else pd.Timestamp(row.date).date().isoformat()
        items.append(
            f"<p><span class=\"meta\">{html.escape(str(row.doc_id))} &middot; {date}</span><br>{row.html}</p>"
        )
    more = len(evidence) - min(limit, len(evidence))
    tail = f"<p class=\"meta\">… and {more} more unit(s).</p>" if more > 0 else ""
    return (
        f"<div class=\"evidence\"><h4><mark class=\"a\">{html.escape(a_name)}</mark> and "
        f"<mark class=\"b\">{html.escape(b_name)}</mark> ({len(evidence)} unit(s))</h4>{''.join(items)}{tail}</div>"
    )


def actor_summary(mentions: pd.DataFrame, actor: str) -> pd.DataFrame:
    """One actor's identity and counts; a key not in `mentions` is an error listing some."""
    rows = mentions_of(mentions, actor)
    if rows.empty:
        known = mentions.loc[mentions["kind"] == "actor", "key"].value_counts().head(10).index.tolist()
        raise ParameterError(f"parameter 'actor' = {actor!r}: no such actor in this corpus; e.g. {known}")
    first = rows.iloc[0]
    return pd.DataFrame(
        {
            "key": [actor],
            "name": [first["name"]],
            "category": [first["category"]],
            "affiliation": [first["affiliation"]],
            "mentions": [len(rows)],
            "documents": [rows["doc_id"].nunique()],
            "surface forms": [" | ".join(sorted(set(rows["text"])))],
        }
    )


def mentions_of(mentions: pd.DataFrame, actor: str) -> pd.DataFrame:
    """The actor mentions of one key (a theme with the same key is not the actor)."""
    return mentions[(mentions["kind"] == "actor") & (mentions["key"] == actor)]


def partners_of(
    mentions: pd.DataFrame, sentences: pd.DataFrame, actor: str, pairs: str = "actor-actor", unit: str = "sentence"
) -> pd.DataFrame:
    """The pairs one actor is part of, strongest first: either side of an actor-actor pair,
    the actor side of an actor-theme pair."""
    table = cooccurrence.pair_table(mentions, sentences, pairs=pairs, unit=unit)
    involved = table["a_key"] == actor
    if pairs == "actor-actor":
        involved |= table["b_key"] == actor
    return table[involved].reset_index(drop=True)


def mentions_per_period(mentions: pd.DataFrame, documents: pd.DataFrame, freq: str = "month") -> pd.DataFrame:
    """Mentions of each key per period (rows: periods incl. 'undated'; columns: names)."""
    dates = mentions["doc_id"].map(documents.set_index("doc_id")["date"])
    periods = cooccurrence.period_labels(dates, freq)
    table = pd.crosstab(periods.rename("period"), mentions["name"].rename("name"))
    dated = sorted(p for p in table.index if p != cooccurrence.UNDATED)
    return table.reindex(dated + ([cooccurrence.UNDATED] if cooccurrence.UNDATED in table.index else []))


def documents_per_period(mentions: pd.DataFrame, documents: pd.DataFrame, freq: str = "month") -> pd.DataFrame:
    """Share of each period's documents that mention each key (theme prevalence over time)."""
    periods = cooccurrence.period_labels(documents.set_index("doc_id")["date"], freq)
    per_doc = mentions[["doc_id", "name"]].drop_duplicates()
    per_doc = per_doc.assign(period=per_doc["doc_id"].map(periods))
    table = pd.crosstab(per_doc["period"], per_doc["name"])
    totals = periods.value_counts()
    order = sorted(p for p in totals.index if p != cooccurrence.UNDATED)
    order += [cooccurrence.UNDATED] if cooccurrence.UNDATED in totals.index else []
    share = table.reindex(order, fill_value=0).div(totals.reindex(order), axis=0)
    share.index.name = "period"
    return share.round(3)


def key_sentences(
    mentions: pd.DataFrame, sentences: pd.DataFrame, documents: pd.DataFrame, actor: str, limit: int = 8
) -> str:
    """The sentences that mention `actor` with the most other actors and themes, as HTML with
    the actor highlighted; what a reader checks first."""
    own = mentions_of(mentions, actor)
    units = own[["doc_id", "sentence"]].drop_duplicates()
    others = mentions[mentions["key"] != actor].merge(units, on=["doc_id", "sentence"])
    richness = others.groupby(["doc_id", "sentence"])["key"].nunique().rename("others")
    ranked = units.merge(richness.reset_index(), on=["doc_id", "sentence"], how="left").fillna({"others": 0})
    ranked = ranked.sort_values(["others", "doc_id", "sentence"], ascending=[False, True, True]).head(limit)
    ranked = ranked.merge(sentences, on=["doc_id", "sentence"]).merge(
        documents[["doc_id", "text", "date"]], on="doc_id"
    )
    items = []
    for row in ranked.itertuples():
        spans = own[(own["doc_id"] == row.doc_id) & (own["sentence"] == row.sentence)]
        passage, cursor, pieces = row.text, row.start, []
        for span in spans.sort_values("start").itertuples():
            if span.start < cursor:
                continue
            pieces.append(escape_html(passage[cursor : span.start]))
            pieces.append(f"<mark class=\"a\">{escape_html(passage[span.start : span.end])}</mark>")
            cursor = span.end
        pieces.append(escape_html(passage[cursor : row.end]))
        date = "undated" if pd.isna(row.date) else pd.Timestamp(row.date).date().isoformat()
        meta = f"<span class=\"meta\">{escape_html(row.doc_id)} &middot; {date}</span>"
        items.append(f"<p>{meta}<br>{''.join(pieces)}</p>")
    return f"<div class=\"evidence\">{''.join(items) or '<p>No sentences.</p>'}</div>"
