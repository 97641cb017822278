"""Notebooks into pages: nbconvert's HTML of an executed notebook, put right (alt text and
links on figures, links to profiles and to the CSV of every table) and wrapped in the skeleton
every page of the set shares (security policy, stylesheet, navigation bar, the page script).

Data reaches a page only escaped (`analysis.reports.presentation`); the stylesheet and the
script are static files, never built from data.
"""

from __future__ import annotations

import functools
import re

import nbformat
from bs4 import BeautifulSoup
from nbconvert import HTMLExporter

from analysis.reports.presentation import (
    STATIC,
    TABLE_LINK_PREFIX,
    escape_html,
    figure_links,
    page_security,
    script_element,
)
from analysis.reports.reportset import Report

# Reports whose title starts with this are grouped as profiles in the navigation bar.
PROFILE_PREFIX = "Actor profile: "
PAGE_STYLESHEET = STATIC / "report.css"


@functools.cache
def page_style() -> str:
    """The pages' one stylesheet (static/report.css), inlined so a page needs no other file;
    checked to hold nothing that could end its <style> element early."""
    text = PAGE_STYLESHEET.read_text(encoding="utf-8")
    if "</" in text or "<!--" in text:
        raise ValueError(f"{PAGE_STYLESHEET}: '</' or '<!--' would break out of the page's <style> element")
    return text


def make_deterministic(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Drop papermill's and nbclient's timings, so the same inputs give the same file."""
    notebook.metadata.pop("papermill", None)
    notebook.metadata.pop("widgets", None)
    for cell in notebook.cells:
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
        cell.metadata.pop("ExecuteTime", None)
        cell.pop("id", None)
    notebook.nbformat_minor = 4
    return notebook


def _figure_metadata(notebook: nbformat.NotebookNode) -> dict[str, dict]:
    """The metadata each PNG output carries (`analysis.reports.plots.show`: its alt text, and the links
    laid over its regions), by image data."""
    found = {}
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {}).get("image/png")
            metadata = output.get("metadata", {}).get("image/png", {})
            if data and metadata:
                found["".join(data.split())] = metadata
    return found


def with_profile_links(body: str, profiles: dict[str, str], current: str | None = None) -> str:
    """Table cells and headings whose whole text is the name of a profiled actor become links to
    that profile (not on the profile itself), so a reader goes from any table to the actor."""
    if not profiles:
        return body
    soup = BeautifulSoup(body, features="html.parser")
    for cell in soup.find_all(["td", "th"]):
        name = cell.get_text(strip=True)
        if name in profiles and profiles[name] != current and cell.find("a") is None:
            link = soup.new_tag("a", href=profiles[name])
            link.string = name
            cell.clear()
            cell.append(link)
    return str(soup)


def table_files(notebook: nbformat.NotebookNode, report: str) -> dict[str, str]:
    """CSV file name -> content of every table the notebook shows (`analysis.reports.presentation.Table`)."""
    files = {}
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            csv = output.get("data", {}).get("text/csv")
            name = output.get("metadata", {}).get("text/csv", {}).get("name")
            if csv is not None and name:
                files[f"{report}--{name}.csv"] = csv
    return files


def with_table_links(body: str, report: str) -> str:
    """Point each table's download link at the CSV file written beside the page."""
    return re.sub(rf'href="{re.escape(TABLE_LINK_PREFIX)}([a-z0-9-]+)"',
                  lambda match: f'href="{escape_html(report)}--{match.group(1)}.csv"', body)


def _with_figure_metadata(body: str, notebook: nbformat.NotebookNode) -> str:
    """nbconvert's templates ignore an image's alt text (writing a placeholder) and its links:
    put the alt text back, and lay each figure's links over it (a heatmap's cells lead to the
    evidence of their pairs)."""
    found = _figure_metadata(notebook)
    if not found:
        return body
    soup = BeautifulSoup(body, features="html.parser")
    prefix = "data:image/png;base64,"
    for image in soup.find_all("img"):
        source = image.get("src", "")
        metadata = found.get("".join(source[len(prefix):].split())) if source.startswith(prefix) else None
        if not metadata:
            continue
        if metadata.get("alt"):
            image["alt"] = metadata["alt"]
        if metadata.get("links"):
            frame = soup.new_tag("div", attrs={"class": "linked-figure"})
            image.wrap(frame)
            frame.append(BeautifulSoup(figure_links(metadata["links"]), features="html.parser"))
    return str(soup)


def navigation(site: list[tuple[str, str]], current: str | None = None) -> str:
    """The bar across every page: the index, then each report of the set by title (the page
    itself marked); profiles only counted on a second line, with the one shown, since a large
    corpus has hundreds (the All actors page lists them, searchable)."""
    def link(name: str, title: str) -> str:
        here = ' aria-current="page"' if name == current else ""
        return f'<a href="{escape_html(name)}.html"{here}>{escape_html(title)}</a>'

    main = [link(name, title) for name, title in site if not title.startswith(PROFILE_PREFIX)]
    profiles = [link(name, title[len(PROFILE_PREFIX):]) for name, title in site if title.startswith(PROFILE_PREFIX)]
    lines = ['<a href="index.html">All reports</a> · ' + " · ".join(main)
             + ' · <a href="actors.html">All actors</a> · <a href="documents-1.html">Texts of the documents</a>']
    current_profile = [link(name, title[len(PROFILE_PREFIX):]) for name, title in site
                       if title.startswith(PROFILE_PREFIX) and name == current]
    if profiles:  # a searchable list on the All actors page, not a wall of links on every page
        lines.append(f"Actor profiles: {len(profiles)}, found by name on "
                     '<a href="actors.html">All actors</a>' + "".join(f" · {here}" for here in current_profile))
    return "<nav>" + "<br>".join(lines) + "</nav>"


def export_html(notebook: nbformat.NotebookNode, title: str, nav: str | None = None,
                notebook_link: str | None = None, profiles: dict[str, str] | None = None) -> str:
    """A self-contained page: no code, no script but the page's own, no style or font from any
    other host."""
    exporter = HTMLExporter(template_name="basic", exclude_input=True, exclude_input_prompt=True,
                            exclude_output_prompt=True, embed_images=True,
                            exclude_anchor_links=True)
    body, _ = exporter.from_notebook_node(notebook)
    body = _with_figure_metadata(body, notebook)
    if notebook_link:
        body = with_table_links(body, notebook_link.removesuffix(".ipynb"))
    body = with_profile_links(body, profiles or {}, f"{notebook_link.removesuffix('.ipynb')}.html" if notebook_link
                              else None)
    nav = nav if nav is not None else navigation([])
    download = (f'<p class="meta">This page is a rendered notebook: <a href="{escape_html(notebook_link)}" download>'
                "download the notebook</a> to rerun or change it (a browser showing a page from disk "
                "opens the notebook as text instead: right-click the link and choose \u201cSave link as\u201d)."
                "</p>" if notebook_link else "")
    return page_html(title, nav, body + download)


def page_html(title: str, nav: str, body: str) -> str:
    """The skeleton every page of the set shares: its security policy (only the page's own
    script runs), title, the one stylesheet, the navigation bar, and the script that makes
    tables sortable, searchable and paged (static/report.js) at the end."""
    return (
        f"<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n{page_security()}\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        f"<title>{escape_html(title)}</title>\n<style>\n{page_style()}</style>\n</head>\n<body>\n<main>\n"
        f"{nav}\n{body}\n</main>\n{script_element()}\n</body>\n</html>\n"
    )


def readable_parameters(parameters: dict) -> str:
    """Parameters as a reader says them ('unit: sentence · measure: npmi'), or 'the defaults'."""
    if not parameters:
        return "the notebook's defaults"
    shown = []
    for name, value in sorted(parameters.items()):
        text = ", ".join(map(str, value)) if isinstance(value, list | tuple) else str(value)
        shown.append(f"{name}: {text}")
    return " · ".join(shown)


def index_html(reports: list[Report], corpus: str, corpus_fingerprint: str, n_documents: int,
               pipeline_fingerprint: str, failed: dict[str, str]) -> str:
    rows = []
    for report in reports:
        status = (f"<br><strong>failed to render:</strong> {escape_html(failed[report.name])}"
                  if report.name in failed else "")
        rows.append(
            f"<tr><td><a href=\"{escape_html(report.name)}.html\">{escape_html(report.title)}</a>{status}</td>"
            f"<td>{escape_html(report.description)}</td><td>{escape_html(readable_parameters(report.parameters))}</td>"
            f"<td><a href=\"{escape_html(report.name)}.ipynb\" download>download notebook</a></td></tr>"
        )
    body = (
        "<h1>Actors and themes in the news: reports</h1>\n"
        f"<p class=\"meta\">Corpus <code>{escape_html(corpus)}</code>: {n_documents} documents, "
        f"fingerprint <code>{corpus_fingerprint}</code>; annotation pipeline fingerprint "
        f"<code>{pipeline_fingerprint}</code>. Each report is a notebook run with papermill; "
        "the notebook itself can be downloaded beside it.</p>\n"
        "<table>\n<thead><tr><th>Report</th><th>What it shows</th><th>Parameters</th><th>Notebook</th></tr></thead>\n"
        f"<tbody>\n{chr(10).join(rows)}\n</tbody>\n</table>"
    )
    return page_html(f"Reports: {corpus}", navigation([(r.name, r.title) for r in reports], "index"), body)
