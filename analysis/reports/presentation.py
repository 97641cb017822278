"""The one place where text from data becomes HTML.

Names, paths, titles and parameter values come from users' files, so a report must never
build Markdown or HTML from them by string formatting: Markdown has no escaping a notebook
can rely on (a backtick closes a code span, `[x](javascript:...)` is a link, raw HTML passes
through). Everything shown from data goes through `escape_html`, and notebooks show it with
`heading`, `paragraph`, `strong` and `code`, which return markup built only from escaped text.

Data is also kept away from MathJax: a reader opening a notebook in Jupyter would otherwise
typeset `$\\href{...}{...}$` in a name. Every block is marked `tex2jax_ignore mathjax_ignore`
(the classes MathJax 2 and 3 skip).

Tables are plain HTML built here (`table_html`); in a report page one static script
(static/report.js, never built from data) makes those marked `interactive` sortable, searchable
and paged, and the page's Content-Security-Policy lets only that script run. itables was not
used: its offline mode embeds about 900 kB of JavaScript per notebook, draws rows from JSON in
a script (no table without JavaScript) and escapes data itself, apart from this module.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import html
import json
import math
import re
import urllib.parse
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from analysis.corpus.subset import TEXT_POSITION, text_order
from analysis.csvfile import write_csv
from analysis.schema import ACTOR_CATEGORIES

if TYPE_CHECKING:
    from IPython.display import HTML


def _html(markup: str) -> HTML:
    from IPython.display import HTML  # imported on use: the command line never needs IPython

    return HTML(markup)

NO_MATH = "tex2jax_ignore mathjax_ignore"
# Tables with this class are sortable, searchable and paged in a report page (static/report.js).
INTERACTIVE = "interactive"


class Markup(str):
    """HTML that is safe to place as is: only this module's functions make it."""


def escape_html(text: object) -> str:
    """`text` (any value, shown as `str(value)`) as HTML text: `& < > " '` are escaped, so
    it can go into an element or a quoted attribute and never becomes markup."""
    return html.escape(str(text), quote=True)


def _piece(part: object) -> str:
    return part if isinstance(part, Markup) else escape_html(part)


def inline(*parts: object) -> Markup:
    """Parts joined into inline HTML; plain values are escaped, `Markup` kept."""
    return Markup("".join(_piece(part) for part in parts))


def strong(*parts: object) -> Markup:
    """Bold text, e.g. a count the reader should see first."""
    return Markup(f"<strong>{inline(*parts)}</strong>")


def code(text: object) -> Markup:
    """A path, key or fingerprint shown as code; any backtick or tag in it stays text."""
    return Markup(f"<code>{escape_html(text)}</code>")


def heading(text: object, level: int = 2) -> HTML:
    """A heading whose text comes from data (an actor's name), for `display()`."""
    if not isinstance(level, int) or not 1 <= level <= 6:
        raise ValueError(f"heading level {level!r}: expected an integer from 1 to 6")
    return _html(f'<h{level} class="{NO_MATH}">{_piece(text)}</h{level}>')


def paragraph(*parts: object) -> HTML:
    """A paragraph built from plain values (escaped) and `strong`/`code` pieces."""
    return _html(f'<p class="{NO_MATH}">{inline(*parts)}</p>')


def note(*parts: object) -> HTML:
    """A paragraph set apart as a caveat the reader must see (a small corpus, a ranking rule)."""
    return _html(f'<p class="note {NO_MATH}">{inline(*parts)}</p>')


def _mark_tag(css_class: str, label: str | None = None) -> str:
    """The opening tag of a mark; with `label` (the actor or theme a mention was resolved to)
    the mark names it, on hover (title) and to a screen reader (aria-label)."""
    if label is None:
        return f'<mark class="{escape_html(css_class)}">'
    return (f'<mark class="{escape_html(css_class)}" title="{escape_html(label)}" '
            f'aria-label="{escape_html(label)}">')


def highlight(text: str, spans: Sequence[tuple]) -> Markup:
    """`text` as HTML with each (start, end, css class[, label]) span wrapped in <mark class=...>
    (naming `label`, the key's name, when given).

    The text is cut at every span boundary and each piece escaped before it is wrapped, so
    markup in the text stays inert and the HTML stays well nested even when spans overlap
    (an earlier span in `spans` encloses a later one).
    """
    def clamp(position: int) -> int:
        return max(0, min(len(text), position))

    opening: dict[int, list[int]] = {}  # cut -> spans (by their place in `spans`) that start there
    closing: dict[int, list[int]] = {}
    tags = [_mark_tag(*span[2:]) for span in spans]
    for number, (start, end, *_) in enumerate(spans):
        if clamp(start) < clamp(end):
            opening.setdefault(clamp(start), []).append(number)
            closing.setdefault(clamp(end), []).append(number)
    cuts = sorted({0, len(text), *opening, *closing})
    active: set[int] = set()  # one sweep over the cuts: linear in text and spans, however many
    pieces = []
    for low, high in zip(cuts[:-1], cuts[1:], strict=True):
        active.difference_update(closing.get(low, ()))
        active.update(opening.get(low, ()))
        enclosing = sorted(active)  # the earliest span outermost
        pieces.append("".join(tags[number] for number in enclosing) + escape_html(text[low:high])
                      + "</mark>" * len(enclosing))
    return Markup("".join(pieces))


# Every document's text is on a page of the rendered set (documents-1.html, documents-2.html ...),
# DOCUMENTS_PER_PAGE to a page in date order, under an anchor that other pages link to, each of
# its sentences under its own anchor. A few dozen: an evidence link opens a page that loads at
# once and scrolls to one sentence, not a megabyte of every text.
DOCUMENTS_PER_PAGE = 25
NO_SOURCE = "no source"
NO_DATE = "undated"
OPENING_WORDS = 8


def document_labels(documents: pd.DataFrame) -> pd.Series:
    """A readable label per document, indexed by doc_id: 'date · source · title', with the
    text's opening words where there is no title (a hash means nothing to a reader)."""
    dates = pd.to_datetime(documents["date"], errors="coerce").dt.strftime("%Y-%m-%d").fillna(NO_DATE)
    sources = documents["source"].astype("string").str.strip().replace("", pd.NA).fillna(NO_SOURCE)
    opening = documents["text"].astype("string").fillna("").str.split().str[:OPENING_WORDS].str.join(" ")
    opening = opening.where(documents["text"].astype("string").fillna("").str.split().str.len() <= OPENING_WORDS,
                            opening + " …")
    titles = documents["title"].astype("string").str.strip().replace("", pd.NA).fillna(opening)
    labels = dates + " · " + sources + " · " + titles
    return pd.Series(labels.to_numpy(), index=documents["doc_id"].to_numpy(), dtype="string", name="document")


def document_anchor(doc_id: str) -> str:
    """The id of a document's section on its text page (any doc id makes a valid fragment)."""
    return "doc-" + urllib.parse.quote(str(doc_id), safe="")


def sentence_anchor(doc_id: str, sentence: int) -> str:
    """The id of one sentence of a document on its text page: the document's anchor and the
    sentence's number in the `sentences` table ('doc-<id>-s<n>'; the suffix '-s<digits>' ends
    every such id, so two sentences never share one)."""
    return f"{document_anchor(doc_id)}-s{int(sentence)}"


def mark_label(kind: object, name: object, key: object) -> str:
    """What a mention was resolved to, as its mark names it on hover and to a screen reader
    ('actor: Sadyr Japarov (sadyr-japarov)', 'theme: Corruption (corruption)'), so a wrong
    resolution can be seen where it happened."""
    return f"{kind if isinstance(kind, str) and kind else 'actor'}: {name} ({key})"


def document_index(documents: pd.DataFrame, per_page: int = DOCUMENTS_PER_PAGE) -> pd.DataFrame:
    """Per doc_id: its readable `label`, the `page` holding its text and the `href` of its text
    (page and anchor)."""
    ordered = text_order(documents)
    # a selection of the corpus keeps each document's place on the whole corpus's text pages
    positions = ordered[TEXT_POSITION].to_numpy() if TEXT_POSITION in ordered else np.arange(len(ordered))
    pages = [f"documents-{page}.html" for page in positions // per_page + 1]
    href = [f"{page}#{document_anchor(doc_id)}" for page, doc_id in zip(pages, ordered["doc_id"], strict=True)]
    labels = document_labels(ordered)
    return pd.DataFrame({"label": labels.to_numpy(), "page": pages, "href": href},
                        index=pd.Index(ordered["doc_id"], name="doc_id"))


def sentence_links(doc_ids: Sequence[str] | pd.Series, sentences: Sequence[int] | pd.Series,
                   index: pd.DataFrame) -> list[str]:
    """The href of each (document, sentence) on the text pages (`document_index`): the page and
    the sentence's anchor; '' for a document the index does not hold."""
    pages = index["page"].reindex(pd.Index(list(doc_ids), dtype=object)).to_numpy(dtype=object)
    return ["" if not isinstance(page, str) else f"{page}#{sentence_anchor(doc_id, sentence)}"
            for page, doc_id, sentence in zip(pages, doc_ids, sentences, strict=True)]


def document_link(doc_id: str, index: pd.DataFrame, sentence: object = None) -> Markup:
    """A link to a document's text, showing its label (the doc id itself if it is not
    indexed); with `sentence`, to that sentence of it."""
    if doc_id not in index.index:
        return Markup(escape_html(doc_id))
    row = index.loc[doc_id]
    href = row["href"] if sentence is None or pd.isna(sentence) else sentence_links([doc_id], [sentence], index)[0]
    return Markup(f'<a href="{escape_html(href)}">{escape_html(row["label"])}</a>')


def _mention_spans(mentions: pd.DataFrame) -> pd.DataFrame:
    """Mentions as marks: offsets, css class (actors yellow, themes blue) and, where the table
    has them, the label naming what each was resolved to."""
    css = mentions["kind"].map({"actor": "a", "theme": "b"}).fillna("a")
    if {"key", "name"} <= set(mentions.columns):
        labels = [mark_label(kind, name, key) for kind, name, key
                  in zip(mentions["kind"], mentions["name"], mentions["key"], strict=True)]
    else:
        labels = [None] * len(mentions)
    return mentions.assign(css=css.to_numpy(), label=labels).sort_values(["doc_id", "start", "end"], kind="stable")


def _document_text(text: str, spans: list[tuple], sentences: pd.DataFrame | None, doc_id: str) -> str:
    """One document's text with its mentions marked and, given its sentences (start, end,
    sentence), each sentence in an element with its own anchor; text between sentences stays
    plain. A mark is cut to its sentence, so elements always nest."""
    if sentences is None or sentences.empty:
        return str(highlight(text, spans))
    pieces, at = [], 0
    for start, end, number in sentences[["start", "end", "sentence"]].itertuples(index=False, name=None):
        start, end = max(int(start), at), int(end)
        if end <= start:
            continue
        pieces.append(escape_html(text[at:start]))
        inside = [(max(lo, start) - start, min(hi, end) - start, *rest) for lo, hi, *rest in spans
                  if lo < end and hi > start]
        pieces.append(f'<span class="sentence" id="{escape_html(sentence_anchor(doc_id, number))}">'
                      f"{highlight(text[start:end], inside)}</span>")
        at = end
    pieces.append(escape_html(text[at:]))
    return "".join(pieces)


def document_pages(documents: pd.DataFrame, mentions: pd.DataFrame, sentences: pd.DataFrame | None = None,
                   per_page: int = DOCUMENTS_PER_PAGE) -> list[tuple[str, str, Markup]]:
    """(file name, title, body) of each page of texts: every document under its label, actors
    marked yellow and themes blue (each mark naming what it was resolved to), each sentence
    under its own anchor, in a section other pages link to."""
    ordered = text_order(documents)
    labels = document_labels(ordered)
    spans = _mention_spans(mentions)
    by_doc = {doc_id: list(group[["start", "end", "css", "label"]].itertuples(index=False, name=None))
              for doc_id, group in spans.groupby("doc_id", sort=False)}
    by_doc = {doc_id: [span if span[3] is not None else span[:3] for span in rows] for doc_id, rows in by_doc.items()}
    sentences_of = ({doc_id: group.sort_values("start", kind="stable")
                     for doc_id, group in sentences.groupby("doc_id", sort=False)} if sentences is not None else {})
    n_pages = max(1, -(-len(ordered) // per_page))
    pages = []
    for page in range(n_pages):
        chunk = ordered.iloc[page * per_page:(page + 1) * per_page]
        sections = "".join(
            f'<section id="{escape_html(document_anchor(row.doc_id))}"><h2>{escape_html(labels[row.doc_id])}</h2>'
            f'<p class="document-text">'
            f"{_document_text(str(row.text), by_doc.get(row.doc_id, []), sentences_of.get(row.doc_id), row.doc_id)}"
            "</p></section>"
            for row in chunk.itertuples()
        )
        title = f"Texts {page * per_page + 1}-{page * per_page + len(chunk)} of {len(ordered)} documents"
        intro = ("<p class=\"meta\">Each document in full, in date order: actors marked "
                 "<mark class=\"a\">yellow</mark>, theme words <mark class=\"b\">blue</mark> (point at a mark "
                 "to see the actor or theme it was resolved to). These are the mentions every report counts; "
                 "an evidence link lands on its sentence, outlined.</p>")
        pager = _text_pager(page + 1, n_pages)
        pages.append((f"documents-{page + 1}.html", title,
                      Markup(f'<h1>{escape_html(title)}</h1>{intro}{pager}<div class="documents {NO_MATH}">'
                             f"{sections}</div>{pager}")))
    return pages


def _text_pager(page: int, pages: int) -> str:
    """Links to the previous and next page of texts."""
    if pages < 2:
        return ""
    links = []
    if page > 1:
        links.append(f'<a href="documents-{page - 1}.html">\u2190 previous texts</a>')
    links.append(f"page {page} of {pages}")
    if page < pages:
        links.append(f'<a href="documents-{page + 1}.html">next texts \u2192</a>')
    return f'<p class="meta text-pager">{" · ".join(links)}</p>'


def _passage(label: Markup, body: Markup) -> str:
    return f'<p><span class="meta">{label}</span><br>{body}</p>'


def evidence_anchor(a_key: str, b_key: str) -> str:
    """The id of a pair's evidence on its page (a pair-table row links there)."""
    return "evidence-" + urllib.parse.quote(f"{a_key}--{b_key}", safe="")


def theme_reason(rule: object, trigger: object) -> str:
    """Why a theme mention counts, in words, from its `rule` and `trigger` (mentions columns);
    empty for an actor or a table made before the columns existed."""
    if not isinstance(rule, str) or not rule:
        return ""
    trigger = trigger if isinstance(trigger, str) else ""
    if rule.startswith("cue:"):
        return f"cue \u201c{rule[4:]}\u201d: {trigger}"
    reasons = {"trigger": "trigger \u201c{}\u201d", "weak": "weak trigger \u201c{}\u201d, with another mention",
               "association": "\u201c{}\u201d beside an association's name",
               "place_head": "\u201c{}\u201d heads a place's name",
               "model": "the document's words as a whole; \u201c{}\u201d weigh most here"}
    return reasons.get(rule, rule + " \u201c{}\u201d").format(trigger)


def _why(row) -> str:
    """The reason of a passage's theme mark(s), as a short escaped note after the passage label."""
    reasons = [theme_reason(getattr(row, f"{side}_rule", None), getattr(row, f"{side}_trigger", None))
               for side in ("a", "b")]
    text = "; ".join(reason for reason in reasons if reason)
    return f' <span class="why">why: {escape_html(text)}</span>' if text else ""


def evidence_block(evidence: pd.DataFrame, a_name: str, b_name: str, index: pd.DataFrame, shown: int = 3,
                   anchor: str | None = None, folded: bool = False,
                   labels: tuple[str, str] | None = None) -> HTML:
    """The passages behind one pair: both mentions highlighted, each passage under its
    document's label (a link to the cited sentence of its text, when the evidence has a
    `sentence` column) with why a theme mark counts (its rule and trigger);
    passages past the first `shown` are folded into a <details> element, so every unit of the
    count is one click away. With `anchor` the block can be linked to; `folded` closes the
    whole block (a link to it opens it). `labels` (`mark_label` of each side) name on every
    mark what it was resolved to."""
    a_label, b_label = labels if labels is not None else (None, None)
    items = [
        _passage(Markup(str(document_link(row.doc_id, index, getattr(row, "sentence", None))) + _why(row)),
                 highlight(row.passage, [(row.a_start, row.a_end, "a", a_label),
                                         (row.b_start, row.b_end, "b", b_label)]))
        for row in evidence.itertuples()
    ]
    rest = items[shown:]
    more = (f"<details><summary>Show the other {len(rest)} unit(s)</summary>{''.join(rest)}</details>"
            if rest else "")
    title = (f"{_mark_tag('a', a_label)}{escape_html(a_name)}</mark> and "
             f"{_mark_tag('b', b_label)}{escape_html(b_name)}</mark> ({len(evidence)} unit(s))")
    ident = f' id="{escape_html(anchor)}"' if anchor else ""
    if folded:
        return _html(f'<details class="evidence {NO_MATH}"{ident}><summary>{title}</summary>'
                     f"{''.join(items[:shown])}{more}</details>")
    return _html(f'<div class="evidence {NO_MATH}"{ident}><h4>{title}</h4>{"".join(items[:shown])}{more}</div>')


def evidence_html(evidence: pd.DataFrame) -> pd.Series:
    """Each row of an evidence table (`analysis.stats.evidence`) as its passage in HTML, escaped,
    with <mark class="a"> and <mark class="b"> around the two mentions."""
    marked = [str(highlight(row.passage, [(row.a_start, row.a_end, "a"), (row.b_start, row.b_end, "b")]))
              for row in evidence.itertuples()]
    return pd.Series(marked, index=evidence.index, dtype="string", name="html")


def passages_block(passages: pd.DataFrame, index: pd.DataFrame) -> HTML:
    """Passages (doc_id, passage, spans as (start, end, css class[, label]) lists relative to the
    passage, and optionally the `sentence` a link lands on) under their documents' labels."""
    items = [_passage(document_link(row.doc_id, index, getattr(row, "sentence", None)),
                      highlight(row.passage, row.spans))
             for row in passages.itertuples()]
    return _html(f'<div class="evidence {NO_MATH}">{"".join(items) or "<p>No sentences.</p>"}</div>')


# What every page means by "N actors" (the All actors page lists them; a page counting some
# categories only names them beside the number).
ACTORS_DEFINITION = "actor keys after linking, of the mentions the reports count"


def actors_said(mentions: pd.DataFrame, categories: Sequence[str]) -> str:
    """'N actors (actor keys after linking, ..., in the categories ...)' for the actor mentions
    a page counts, with the definition said where the number is, so pages that count different
    categories can be told apart from pages that disagree."""
    chosen = list(categories)
    scope = ("every category" if set(ACTOR_CATEGORIES) <= set(chosen)
             else "in the categories " + ", ".join(chosen) + "; All actors lists every category")
    return f"{mentions['key'].nunique()} actors ({ACTORS_DEFINITION}, {scope})"


def actor_index(actors: pd.DataFrame, profiles: dict[str, str], policy: str = "", command: str = "") -> Markup:
    """Every actor of the corpus (one row per actor key after linking, the definition every
    page's count of actors uses) with its key, category, mentions and documents, most mentioned
    first, in a searchable table: an actor with a profile links to it; `policy` says which
    actors have one and `command` how to render any other's."""
    rows = "".join(
        f"<tr><td>{profile_link(row.name, profiles)}</td><td>{escape_html(row.key)}</td>"
        f"<td>{escape_html(row.category)}</td>"
        f'<td class="num">{row.mentions}</td><td class="num">{row.documents}</td>'
        f"<td>{'profile' if row.name in profiles else ''}</td></tr>"
        for row in actors.itertuples()
    )
    linked = sum(1 for name in actors["name"] if name in profiles)
    per_category = actors["category"].astype("string").fillna("no category").value_counts()
    categories = ", ".join(f"{count} {category}" for category, count in per_category.items())
    said = f"<p>{escape_html(policy)}</p>" if policy else ""
    if command:
        said += (f"<p>Any other actor's profile is one command away (KEY from the key column): "
                 f"<code>{escape_html(command)}</code>, or <code>make reports PROFILES=\"KEY1 KEY2\"</code>. "
                 "A profile asked for once stays in this folder and is kept up to date.</p>")
    return Markup(
        f"<h1>All actors</h1><p class=\"meta\">{len(actors)} actors ({escape_html(ACTORS_DEFINITION)}, every "
        f"category: {escape_html(categories)}); the {linked} "
        f"with a profile link to it: search the table for a name or for <q>profile</q>.</p>{said}"
        f'<table class="{INTERACTIVE} {NO_MATH}" id="table-actors"><thead><tr><th>actor</th><th>key</th>'
        f"<th>category</th><th>mentions</th><th>documents</th><th>profile</th></tr></thead><tbody>{rows}</tbody>"
        "</table>"
    )


def profile_link(name: str, profiles: dict[str, str]) -> Markup:
    """An actor's name, linked to its profile page when it has one."""
    if name in profiles:
        return Markup(f'<a href="{escape_html(profiles[name])}">{escape_html(name)}</a>')
    return Markup(escape_html(name))


# Leading columns a table can keep in view (report.css has the widths for these).
STICKY_COLUMNS = (0, 2, 3)
TABLE_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,60}$")
# A table's download link in a notebook; the report renderer points it at the CSV file it writes.
TABLE_LINK_PREFIX = "table:"


class Table:
    """A table for a report: every row in the page (the page's script pages, sorts and searches
    over all of them; without JavaScript every row is there), the first `rows` shown open, and
    every row downloadable as CSV. The notebook output carries the CSV beside the HTML (a
    `text/csv` part, named in its metadata); `analysis.reports.reportset` writes it next to the
    page as <report>--<name>.csv and points the link at it. Cells are escaped here and never
    cut short; in a report page the page's script makes the table sortable, searchable and
    paged (`interactive`)."""

    def __init__(self, frame: pd.DataFrame, name: str, rows: int | None = None, index: bool = True,
                 links: dict[str, list[str]] | None = None, interactive: bool = True, sticky: int = 0):
        if not TABLE_NAME.match(name):
            raise ValueError(f"table name {name!r}: expected lower-case letters, digits and '-'")
        for column, hrefs in (links or {}).items():
            if len(hrefs) != len(frame):
                raise ValueError(f"table {name!r}: {len(hrefs)} links for column {column!r}, expected {len(frame)}")
        if sticky not in STICKY_COLUMNS:
            raise ValueError(f"table {name!r}: sticky={sticky!r}, expected one of {STICKY_COLUMNS}")
        self.frame, self.name, self.rows, self.index, self.links = frame, name, rows, index, links or {}
        self.interactive, self.sticky = interactive, sticky

    def __repr__(self) -> str:  # no memory address: outputs must be the same on every run
        return f"<table {self.name}: {len(self.frame)} rows x {len(self.frame.columns)} columns>"

    def _repr_mimebundle_(self, include=None, exclude=None) -> tuple[dict, dict]:
        classes = f"dataframe {INTERACTIVE} {NO_MATH}" if self.interactive else f"dataframe {NO_MATH}"
        if self.sticky:
            classes += f" sticky-{self.sticky}"
        opened = self.rows if self.rows is not None and self.rows < len(self.frame) else None
        body = table_html(self.frame, self.index, self.links, classes, ident=f"table-{self.name}", rows=opened)
        count = (f"All {len(self.frame)} rows are in this table, the first {opened} shown first: page, sort or "
                 "search to see the others. " if opened is not None else f"{len(self.frame)} row(s). ")
        link = (f'<p class="meta table-download">{escape_html(count)}<a href="{TABLE_LINK_PREFIX}{self.name}" '
                f'download>Download as CSV</a></p>')
        data = {"text/plain": repr(self), "text/html": f'<div class="table-scroll">{body}</div>{link}',
                "text/csv": write_csv(self.frame, index=self.index)}
        return data, {"text/csv": {"name": self.name}}


class Download:
    """A table offered only as a CSV file beside the page (the evidence of a whole pair table,
    too long to read as a table): a sentence saying what it holds and the link; written like
    every table's CSV (`Table`)."""

    def __init__(self, frame: pd.DataFrame, name: str, what: str):
        if not TABLE_NAME.match(name):
            raise ValueError(f"table name {name!r}: expected lower-case letters, digits and '-'")
        self.frame, self.name, self.what = frame, name, what

    def __repr__(self) -> str:
        return f"<download {self.name}: {len(self.frame)} rows x {len(self.frame.columns)} columns>"

    def _repr_mimebundle_(self, include=None, exclude=None) -> tuple[dict, dict]:
        link = (f'<p class="meta table-download evidence-download {NO_MATH}">{escape_html(self.what)} '
                f'<a href="{TABLE_LINK_PREFIX}{self.name}" download>Download as CSV</a></p>')
        data = {"text/plain": repr(self), "text/html": link, "text/csv": write_csv(self.frame, index=False)}
        return data, {"text/csv": {"name": self.name}}


def download(frame: pd.DataFrame, name: str, what: str) -> Download:
    """See `Download`: `frame` as the CSV `<report>--<name>.csv`, linked with the sentence `what`."""
    return Download(frame, name, what)


def table(frame: pd.DataFrame, name: str, rows: int | None = None, index: bool = True,
          links: dict[str, list[str]] | None = None, interactive: bool = True, sticky: int = 0) -> Table:
    """See `Table`; `links` maps a column to one href per row (its cells become links);
    `sticky` (0, 2 or 3) keeps that many leading columns in view while a wide table scrolls
    sideways (a pair table's rank and both names)."""
    return Table(frame, name, rows, index, links, interactive, sticky)


def _cell(value: object) -> str:
    """A value as a reader wants it: empty for a missing value, floats without float noise
    (at most 6 decimals, no exponent, no trailing zeros)."""
    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, float | np.floating):
        if np.isnan(value):
            return ""
        if np.isinf(value):
            return "inf" if value > 0 else "-inf"
        return np.format_float_positional(float(value), precision=6, unique=True, trim="-")
    return str(value)


def _header(label: object) -> str:
    """A column or index name as one header cell (levels of a MultiIndex column joined)."""
    if isinstance(label, tuple):
        return " / ".join(_cell(part) for part in label if _cell(part))
    return _cell(label)


def _is_number(values: pd.Series | pd.Index) -> bool:
    return pd.api.types.is_numeric_dtype(values.dtype) and not pd.api.types.is_bool_dtype(values.dtype)


# A row label longer than this (a document's label) gets a column wide enough to read it.
LONG_LABEL = 40
# The stylesheet right-aligns numeric columns up to this position (report.css, `num-<n>`).
MAX_NUMERIC_COLUMN = 40


def _cell_class(values: pd.Series | pd.Index, label: bool) -> str:
    """The class attribute of a column's cells: `long` for row labels too long for a narrow
    column, `num` for numbers (right-aligned), none otherwise."""
    if label and max((len(_cell(value)) for value in values), default=0) > LONG_LABEL:
        return ' class="long"'
    return ' class="num"' if _is_number(values) else ""


def table_html(frame: pd.DataFrame, index: bool = True, links: dict[str, list[str]] | None = None,
               classes: str = f"dataframe {NO_MATH}", ident: str | None = None, rows: int | None = None) -> str:
    """`frame` as one plain HTML table (with the id `ident`): index levels as row headers, every
    cell escaped, the `links` columns as links (one href per row). One header row and no merged
    cells, so a reader's browser can sort it row by row. `rows` (the rows a reader sees first)
    is given to the page's script as `data-rows`.

    A pair table holds thousands of rows, so a row carries nothing but its cells: a numeric
    column is right-aligned by one class on its header (`num`), which the stylesheet applies
    to the column by position (`num-<position>` on the table), not by a class on every cell."""
    links = links or {}
    labels = [frame.index.get_level_values(level) for level in range(frame.index.nlevels)] if index else []
    columns = [frame.iloc[:, position] for position in range(frame.shape[1])]
    names = [*(frame.index.names if index else []), *frame.columns]
    css = [_cell_class(values, True) for values in labels] + [_cell_class(values, False) for values in columns]
    head = "".join(f"<th{css[position]}>{escape_html(_header(name))}</th>" for position, name in enumerate(names))
    numeric = [f"num-{position + 1}" for position, cls in enumerate(css)
               if cls == ' class="num"' and position + 1 <= MAX_NUMERIC_COLUMN]
    label_cells = [[f"<th>{escape_html(_cell(value))}</th>" for value in values] for values in labels]
    cell_columns = []
    for name, values in zip(frame.columns, columns, strict=True):
        texts = [escape_html(_cell(value)) for value in values]
        if name in links:
            texts = [f'<a href="{escape_html(href)}">{text}</a>' for href, text in zip(links[name], texts, strict=True)]
        cell_columns.append(texts)
    body = []
    for number in range(len(frame)):
        cells = "".join(column[number] for column in label_cells)
        cells += "".join(f"<td>{column[number]}</td>" for column in cell_columns)
        body.append(f"<tr>{cells}</tr>")
    attributes = f' id="{escape_html(ident)}"' if ident else ""
    if rows is not None:
        attributes += f' data-rows="{int(rows)}"'
    table_classes = " ".join([classes, *numeric])
    return (f'<table{attributes} class="{escape_html(table_classes)}"><thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(body)}</tbody></table>")


# ---------------------------------------------------------------- the page's one script

STATIC = Path(__file__).resolve().parent / "static"
PAGE_SCRIPT = STATIC / "report.js"


@functools.cache
def page_script() -> str:
    """The text of the report pages' one script (static/report.js): no data ever goes into it,
    and it is checked to hold nothing that could end its <script> element early."""
    text = PAGE_SCRIPT.read_text(encoding="utf-8")
    lowered = text.lower()
    for unsafe in ("</", "<!--", "<script"):
        if unsafe in lowered:
            raise ValueError(f"{PAGE_SCRIPT}: {unsafe!r} would break out of the page's <script> element")
    return text


def script_hash() -> str:
    """The CSP source of the page script ('sha256-...'): the only script a page lets run."""
    digest = hashlib.sha256(page_script().encode("utf-8")).digest()
    return "sha256-" + base64.b64encode(digest).decode("ascii")


def content_security_policy() -> str:
    """What a report page may load and run: its own script (by hash), inline styles and data:
    images, nothing else and nothing from any host. Should escaping ever fail, a <script> or an
    onerror= that slipped into the page still does not run."""
    return (f"default-src 'none'; script-src '{script_hash()}'; style-src 'unsafe-inline'; img-src data:; "
            "base-uri 'none'; form-action 'none'")


def page_security() -> Markup:
    """The <meta> element that sets the page's Content-Security-Policy (first in <head>)."""
    return Markup(f'<meta http-equiv="Content-Security-Policy" content="{escape_html(content_security_policy())}">')


def script_element() -> Markup:
    """The page script as an inline <script> element (the page needs no other file)."""
    return Markup(f"<script>{page_script()}</script>")


# ---------------------------------------------------------------- figures whose parts are links

def figure_links(links: Sequence[dict]) -> Markup:
    """Links laid over a figure, one per region: each dict has `href`, `label` (what the region
    is, for the tooltip and screen readers) and `box` (left, top, width, height in percent of
    the image), so the regions follow the image at any displayed size."""
    anchors = []
    for link in links:
        left, top, width, height = (float(value) for value in link["box"])
        style = f"left:{left:.3f}%;top:{top:.3f}%;width:{width:.3f}%;height:{height:.3f}%"
        label = escape_html(link["label"])
        anchors.append(f'<a class="figure-link" href="{escape_html(link["href"])}" style="{style}" '
                       f'title="{label}" aria-label="{label}"></a>')
    return Markup("".join(anchors))


# ---------------------------------------------------------------- displays in a notebook


def answer_html(frame: pd.DataFrame, kind: str, message: str = "", shown: int = 20,
                a_name: str | None = None, b_name: str | None = None) -> str:
    """A notebook's display of an answer of the notebook API (analysis.stats.answers): its
    message when it is empty; evidence as readable passages, both mentions marked and named;
    a pair table as a plain table of its first `shown` rows with their number."""
    if frame.empty:
        return f'<p class="{NO_MATH}">{escape_html(message or "No rows.")}</p>'
    head = frame.head(shown)
    more = (f'<p class="{NO_MATH}">{escape_html(f"The first {shown} of {len(frame)} rows.")}</p>'
            if len(frame) > shown else "")
    if kind != "evidence":
        return table_html(head) + more
    items = []
    for row in head.itertuples():
        date = "" if pd.isna(row.date) else f", {pd.Timestamp(row.date):%Y-%m-%d}"
        label = Markup(escape_html(f"{row.doc_id}{date}, unit {row.unit}"))
        items.append(_passage(label, highlight(row.passage, [(row.a_start, row.a_end, "a", a_name or row.a_text),
                                                             (row.b_start, row.b_end, "b", b_name or row.b_text)])))
    count = escape_html(f"{len(frame)} passage(s)")
    return f'<div class="evidence {NO_MATH}"><p>{count}</p>{"".join(items)}</div>{more}'


# ---------------------------------------------------------------- a network the reader can change

NETWORK_ID = "network"


def json_attribute(data: object) -> str:
    """`data` as JSON escaped for a quoted attribute: a name holding `"`, `<`, `&` or
    `</script>` stays text inside the attribute (the page's script reads it back with
    JSON.parse). An attribute rather than a <script type="application/json"> block, so a page
    still holds exactly one <script> element, the package's own."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return escape_html(text)


def _swatch(colour: str) -> str:
    return (f'<svg class="network-swatch" width="12" height="12" viewBox="0 0 12 12" aria-hidden="true">'
            f'<circle cx="6" cy="6" r="5" fill="{escape_html(colour)}"></circle></svg>')


def _edge_paint(faint: bool) -> str:
    """How an edge is painted, as SVG attributes (so a notebook without the page's stylesheet
    draws it the same): grey, and a faint edge dashed and lighter. static/report.js: `paint`."""
    if faint:
        return 'fill="none" stroke="#999" stroke-opacity="0.45" stroke-dasharray="4 3"'
    return 'fill="none" stroke="#555" stroke-opacity="0.65"'


def _line(width: float, faint: bool) -> str:
    css = "network-edge network-faint" if faint else "network-edge"
    return (f'<svg class="network-swatch" width="36" height="12" viewBox="0 0 36 12" aria-hidden="true">'
            f'<line class="{css}" x1="2" y1="6" x2="34" y2="6" stroke-width="{width:.1f}" {_edge_paint(faint)}></line>'
            "</svg>")


def network_legend(data: dict, placed: pd.DataFrame, drawn: pd.DataFrame) -> str:
    """The legend of a drawing: colour = category (those drawn), disc = mentions (the largest
    drawn), line width = the ranked measure (its scale among the drawn edges), and which
    edges are faint. static/report.js writes the same items when the selection changes."""
    colours = data["colours"]
    categories = [c for c in dict.fromkeys(placed["category"]) if c is not None]
    items = [f"<li>{_swatch(colours.get(c, colours['']))} {escape_html(c or 'other')}</li>" for c in categories]
    largest = int(placed["mentions"].max()) if len(placed) else 0
    items.append(f"<li>disc area: mentions (largest drawn: {largest:,})</li>")
    strong = drawn.loc[~drawn["faint"]]
    ranked = escape_html(data["ranked"])
    if len(strong):
        widest = strong.loc[strong["strength"].idxmax(), "ranked"]
        items.append(f"<li>{_line(1.5, False)}{_line(7.0, False)} line width: {ranked}, from "
                     f"{escape_html(data['neutral'])} to {escape_html(_cell(widest))} (the widest drawn)</li>")
    items.append(f"<li>{_line(1.0, True)} {escape_html(data['faint'])}</li>")
    return f'<ul class="network-legend">{"".join(items)}</ul>'


def network_svg(placed: pd.DataFrame, drawn: pd.DataFrame, colours: dict, title: str) -> str:
    """The drawing as inline SVG: edges as curves (a title each with the pair's values),
    then nodes as discs with their label written outward along the radius, so that no two
    labels overlap. Every text is escaped; numbers are formatted here, never taken as text."""
    left, top, width, height = placed.attrs["box"]
    label_at = placed.attrs["label_at"]
    edges = "".join(
        f'<path class="network-edge{" network-faint" if row.faint else ""}" {_edge_paint(row.faint)} '
        f'd="M{row.x1:.1f} {row.y1:.1f} Q{row.cx:.1f} {row.cy:.1f} {row.x2:.1f} {row.y2:.1f}" '
        f'stroke-width="{row.width:.1f}"><title>{escape_html(row.title)}</title></path>'
        for row in drawn.itertuples()
    )
    nodes = []
    for row in placed.itertuples():
        about = f"{row.name} ({row.key}), {row.category or 'other'}, {row.mentions:,} mention(s)"
        degrees = math.degrees(row.angle)
        outward = math.cos(row.angle) >= -1e-9
        x, y = label_at * math.cos(row.angle), label_at * math.sin(row.angle)
        turn = degrees if outward else degrees + 180
        nodes.append(
            f'<g class="network-node" data-key="{escape_html(row.key)}">'
            f'<circle cx="{row.x:.1f}" cy="{row.y:.1f}" r="{row.size:.1f}" '
            f'fill="{escape_html(colours.get(row.category, colours[""]))}"><title>'
            f"{escape_html(about)}"
            f'</title></circle><text transform="translate({x:.1f} {y:.1f}) rotate({turn:.1f})" dy="0.35em" '
            f'text-anchor="{"start" if outward else "end"}">{escape_html(row.label)}</text></g>'
        )
    return (f'<svg class="network-svg" viewBox="{left} {top} {width} {height}" width="{width}" '
            f'height="{height}" font-size="12" role="group" '
            f'aria-label="{escape_html(title)}"><g class="network-edges">{edges}</g>'
            f'<g class="network-nodes">{"".join(nodes)}</g></svg>')


def network_view(data: dict, placed: pd.DataFrame, drawn: pd.DataFrame, table: pd.DataFrame,
                 caption: str) -> HTML:
    """A network a reader can change: the data of every actor and ranked pair (`data`, from
    `analysis.reports.network.network_data`) in an attribute, and the starting nodes drawn
    here (`placed`, `drawn`) with their legend and their edges as a plain table. Without
    JavaScript that is the whole view; in a report page static/report.js adds a search to add
    any actor, removes and resets, and redraws the same picture, legend and table."""
    title = f"Network of {len(placed)} actor(s) and {len(drawn)} pair(s)"
    rows = table_html(table, classes=f"network-table {NO_MATH}")
    return _html(
        f'<div class="network-view {NO_MATH}" id="{NETWORK_ID}" data-network="{json_attribute(data)}">'
        f'<p class="meta network-caption">{escape_html(caption)}</p>'
        f"{network_legend(data, placed, drawn)}"
        f'<div class="network-drawing">{network_svg(placed, drawn, data["colours"], title)}</div>'
        f'<p class="network-status meta">{escape_html(title)}.</p>'
        f'<div class="table-scroll network-pairs">{rows}</div></div>'
    )
