"""Render the report set: papermill runs each notebook, nbconvert turns it into a
self-contained HTML page, and an index links them all.

The set is data (`notebooks/reports.yaml`). Rendering goes to a staging folder first and
replaces the published files only for notebooks that succeeded, so a failing or interrupted
run never leaves half a report set behind. Outputs are made deterministic (no timings, no
absolute paths) so that rendering twice with nothing changed changes no file.
"""

from __future__ import annotations

import glob
import hashlib
import json
import os
import re
import shutil
import sys
import uuid
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import nbformat
import papermill
import yaml
from bs4 import BeautifulSoup
from jupyter_client.manager import AsyncKernelManager
from jupyter_core.paths import jupyter_runtime_dir
from nbconvert import HTMLExporter
from papermill.exceptions import PapermillExecutionError
from traitlets import CaselessStrEnum, default

from analysis.errors import AnalysisError
from analysis.stats.counts import actor_counts
from analysis.reports.presentation import (
    TABLE_LINK_PREFIX,
    actor_index,
    document_pages,
    escape_html,
    figure_links,
    page_security,
    script_element,
)
from analysis.workflow import load_annotated_corpus, project_root
from analysis.fingerprint import digest_files, package_files
from analysis.yamlfile import safe_load_unique, short

DEFAULT_CONFIG = Path("notebooks") / "reports.yaml"
# Where a rendered notebook records what it was made from, so an unchanged report is not re-run.
INPUTS_METADATA = "kg_cooccurrence"
DEFAULT_KERNEL = "kg-cooccurrence"
# Reports whose title starts with this are grouped as profiles in the navigation bar.
PROFILE_PREFIX = "Actor profile: "
REPORT_FIELDS = {"name", "notebook", "title", "description", "parameters", "for_each_top_actor", "needs_gold"}
# The gold the seeds' set is scored against (copies of the project's shared gold files).
SEED_GOLD = {"gold": "notebooks/gold/seed_actors.tsv", "theme_gold": "notebooks/gold/seed_themes.tsv"}
# A report name is a file stem and a relative link: letters of any script, digits, '.', '_'
# and '-' (actor keys such as 'садыр-жапаров' are names too); no path separator, no URL scheme.
REPORT_NAME = re.compile(r"^\w[\w.-]{0,120}$")

PAGE_STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0;
       color: #222; background: #fafafa; line-height: 1.45; }
main { max-width: 1100px; margin: 0 auto; padding: 1.5rem 2rem 4rem; background: #fff; }
nav { font-size: 0.9rem; margin-bottom: 1rem; line-height: 1.7; } nav a { color: #1f5fa8; }
nav a[aria-current] { font-weight: bold; color: #222; text-decoration: none; }
h1 { font-size: 1.7rem; margin-top: 0.5rem; } h2 { font-size: 1.3rem; margin-top: 2rem;
     border-bottom: 1px solid #ddd; padding-bottom: 0.2rem; }
table { border-collapse: collapse; font-size: 0.85rem; margin: 0.5rem 0 1rem; }
th, td { border: 1px solid #ddd; padding: 0.25rem 0.5rem; text-align: left; vertical-align: top; }
thead th { background: #f0f3f7; } tbody tr:nth-child(even) { background: #fafbfc; }
img { max-width: 100%; height: auto; }
pre { background: #f6f8fa; padding: 0.5rem; overflow-x: auto; font-size: 0.85rem; }
mark.a { background: #ffe08a; } mark.b { background: #b8e0ff; }
.evidence p { margin: 0.3rem 0 0.8rem; } .meta { color: #666; font-size: 0.85rem; }
.note { background: #fff8e1; border-left: 4px solid #f0b400; padding: 0.5rem 0.8rem; }
.document-text { white-space: pre-wrap; } .table-scroll { overflow-x: auto; max-width: 100%; }
.table-download { margin-top: -0.6rem; } .documents section { margin-bottom: 1.5rem; }
details summary { cursor: pointer; color: #1f5fa8; }
details.evidence { margin: 0.4rem 0; } details.evidence > summary { font-weight: 600; }
:target, :target > summary { background: #fff3b0; }
.jp-OutputArea-output, .output_area { overflow-x: auto; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
tbody th.long { min-width: 16em; }
.table-scroll tbody th:first-child { position: sticky; left: 0; background: #fff; }
.table-scroll tbody tr:nth-child(even) th:first-child { background: #fafbfc; }
.table-scroll.is-wide { border-right: 3px solid #c8d3e0; }
.table-tools { display: flex; flex-wrap: wrap; gap: 0.4rem 1rem; align-items: center; font-size: 0.85rem;
               margin: 0.6rem 0 0.2rem; color: #444; }
.table-tools:not(:has(> :not([hidden]))) { display: none; }
.table-tools input[type=search] { padding: 0.2rem 0.4rem; min-width: 14rem; }
.table-wide-hint { color: #1f5fa8; font-weight: 600; } .table-pager { font-size: 0.85rem; margin: -0.6rem 0 1rem; }
.table-pager button { margin: 0 0.4rem; } .table-pager[hidden] { display: none; }
th[aria-sort] { padding: 0; } th[aria-sort] > a { display: inline-block; padding: 0.25rem 0 0.25rem 0.5rem; }
button.table-sort { all: inherit; border: 0; background: transparent; margin: 0; cursor: pointer; display: block;
                    width: 100%; box-sizing: border-box; padding: 0.25rem 1.2rem 0.25rem 0.5rem; position: relative; }
button.table-sort::after { content: "↕"; position: absolute; right: 0.3rem; color: #999; }
button.table-sort-only { display: inline-block; width: auto; padding: 0.25rem 0.4rem 0.25rem 0.2rem; }
button.table-sort-only::after { position: static; }
th[aria-sort=ascending] button.table-sort::after { content: "▲"; color: #1f5fa8; }
th[aria-sort=descending] button.table-sort::after { content: "▼"; color: #1f5fa8; }
button.table-sort:focus-visible { outline: 2px solid #1f5fa8; }
.linked-figure { position: relative; display: inline-block; max-width: 100%; }
.linked-figure img { display: block; }
a.figure-link { position: absolute; display: block; }
a.figure-link:hover, a.figure-link:focus { outline: 2px solid #d62728; outline-offset: -1px;
                                           background: rgba(255, 255, 255, 0.2); }
"""


@dataclass(frozen=True)
class Report:
    name: str
    notebook: str
    title: str
    description: str = ""
    parameters: dict = field(default_factory=dict)
    actor_name: str | None = None  # the actor a per-actor report profiles: its name links here
    needs_gold: bool = False  # rendered only when there is a gold file for the corpus


class ReportConfigError(AnalysisError):
    """The report set file is malformed."""


def _expand(entry: dict, where: str, top_actors) -> list[Report]:
    expand = entry.get("for_each_top_actor")
    if expand and top_actors is None:  # checking the set before the corpus is annotated
        return []
    if not expand:
        return [Report(entry["name"], entry["notebook"], entry["title"], entry.get("description", ""),
                       dict(entry.get("parameters") or {}), needs_gold=bool(entry.get("needs_gold")))]
    categories = expand.get("categories")
    chosen = top_actors if categories is None else top_actors[top_actors["category"].isin(categories)]
    if "min_mentions" in expand:  # every actor at or above the threshold: no tie is cut
        chosen = chosen[chosen["mentions"] >= int(expand["min_mentions"])]
    if "count" in expand or "min_mentions" not in expand:
        chosen = chosen.head(int(expand.get("count", 5)))
    reports = []
    for actor in chosen.itertuples():
        values = {"actor_key": actor.key, "actor_name": actor.name}
        try:
            reports.append(
                Report(
                    entry["name"].format(**values),
                    entry["notebook"],
                    entry["title"].format(**values),
                    entry.get("description", "").format(**values),
                    {**(entry.get("parameters") or {}), "actor": actor.key},
                    actor.name,
                )
            )
        except KeyError as error:
            raise ReportConfigError(f"{where}: unknown placeholder {error} (use actor_key, actor_name)") from None
    return reports


def load_yaml(path: Path) -> object:
    """The report set file's data; malformed YAML or a repeated key names the file and line."""
    try:
        return safe_load_unique(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = f"{mark.line + 1}:" if mark else ""
        problem = " ".join(str(getattr(error, "problem", None) or error).split())  # one line
        raise ReportConfigError(f"{path}:{line} not valid YAML: {problem}") from None


def notebook_parameters(notebook: Path) -> list[str]:
    """The names the notebook's `parameters` cell declares (papermill's own reading of it)."""
    return sorted(papermill.inspect_notebook(str(notebook)))


def _check_report_parameters(entry: dict, where: str, notebook: Path) -> None:
    """Every parameter a report sets must be declared by its notebook: papermill injects
    unknown names with only a warning, and the index would list them as if applied."""
    parameters = entry.get("parameters") or {}
    if not isinstance(parameters, dict):
        raise ReportConfigError(f"{where}: 'parameters' must be a mapping of name: value, got {short(parameters)}")
    given = set(parameters) | ({"actor"} if entry.get("for_each_top_actor") else set())
    declared = notebook_parameters(notebook)
    unknown = sorted(given - set(declared))
    if unknown:
        raise ReportConfigError(
            f"{where}: parameter(s) {unknown} are not parameters of {notebook.name}; it accepts {declared}"
        )


def _check_names(reports: list[Report], path: Path) -> None:
    bad = [report.name for report in reports if not REPORT_NAME.match(report.name)]
    if bad:
        raise ReportConfigError(
            f"{path}: report name(s) {bad} are not file names; use letters, digits, '.', '_' and '-' "
            "(no spaces, ':' or '/')"
        )
    names = [report.name for report in reports]
    duplicated = sorted({name for name in names if names.count(name) > 1})
    if duplicated:
        raise ReportConfigError(f"{path}: report names must be unique; repeated: {duplicated}")


def load_report_set(path: Path, top_actors) -> list[Report]:
    """Reports declared in `path`, with per-actor entries expanded for the top actors (with
    `top_actors=None` they are checked, not expanded); each report's parameters are checked
    against its notebook's parameters cell."""
    data = load_yaml(path)
    if not isinstance(data, dict) or not isinstance(data.get("reports"), list):
        raise ReportConfigError(f"{path}: expected a mapping with a 'reports' list")
    reports: list[Report] = []
    for number, entry in enumerate(data["reports"]):
        where = f"{path}: report {number}"
        if not isinstance(entry, dict) or not {"name", "notebook", "title"} <= set(entry):
            raise ReportConfigError(f"{where}: needs name, notebook and title")
        unknown = set(entry) - REPORT_FIELDS
        if unknown:
            raise ReportConfigError(f"{where}: unknown field(s) {sorted(unknown)}; expected {sorted(REPORT_FIELDS)}")
        if not (path.parent / entry["notebook"]).exists():
            raise ReportConfigError(f"{where}: notebook {entry['notebook']!r} not found in {path.parent}")
        _check_report_parameters(entry, f"{where} ({entry['name']})", path.parent / entry["notebook"])
        reports.extend(_expand(entry, where, top_actors))
    _check_names(reports, path)
    return reports


def _kernel_name() -> str:
    from jupyter_client.kernelspec import find_kernel_specs

    return DEFAULT_KERNEL if DEFAULT_KERNEL in find_kernel_specs() else "python3"


class LocalKernelManager(AsyncKernelManager):
    """A kernel on this machine talking over IPC sockets instead of TCP: nothing listens on a
    network port, and ipykernel has no reason to warn about unencrypted traffic."""

    transport = CaselessStrEnum(["tcp", "ipc"], default_value="ipc", config=True)

    @default("connection_file")
    def _unique_connection_file(self) -> str:
        # the IPC socket files are named after the connection file: kernels started at the same
        # time by parallel workers must not share (or race for) a name
        runtime = jupyter_runtime_dir()
        os.makedirs(runtime, exist_ok=True)
        return os.path.join(runtime, f"kernel-kg-{uuid.uuid4().hex}.json")


def _package_version() -> str:
    try:
        return version("kg-cooccurrence")
    except PackageNotFoundError:  # running from a checkout without installing
        return "unknown"


def code_fingerprint(root: Path) -> str:
    """The package's code and data (every file under analysis/ that can change a result) and
    the pinned dependencies: anything that can change what a report shows besides its own
    inputs."""
    lock = root / "requirements.lock"
    files = package_files(".") + ([lock] if lock.exists() else [])
    return digest_files(files) + f"-{_package_version()}"


def report_inputs(notebook: Path, parameters: dict, corpus_fingerprint: str, pipeline_fingerprint: str,
                  code: str) -> str:
    """One digest of everything a rendered report depends on: the notebook, its parameters, the
    corpus, the annotator, the package code and the lock. Same digest, same report."""
    record = {
        "notebook": hashlib.sha256(notebook.read_bytes()).hexdigest(),
        "parameters": parameters,
        "corpus": corpus_fingerprint,
        "annotator": pipeline_fingerprint,
        "code": code,
    }
    return hashlib.sha256(json.dumps(record, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:32]


def _is_current(out: Path, name: str, inputs: str) -> bool:
    """True when out/name.ipynb and .html exist and the notebook records the same inputs."""
    notebook, page = out / f"{name}.ipynb", out / f"{name}.html"
    if not (notebook.exists() and page.exists()):
        return False
    try:
        recorded = json.loads(notebook.read_text(encoding="utf-8"))["metadata"].get(INPUTS_METADATA, {})
    except (OSError, ValueError, KeyError, AttributeError):
        return False
    return isinstance(recorded, dict) and recorded.get("inputs") == inputs


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
    itself marked), profiles grouped on a second line."""
    def link(name: str, title: str) -> str:
        here = ' aria-current="page"' if name == current else ""
        return f'<a href="{escape_html(name)}.html"{here}>{escape_html(title)}</a>'

    main = [link(name, title) for name, title in site if not title.startswith(PROFILE_PREFIX)]
    profiles = [link(name, title[len(PROFILE_PREFIX):]) for name, title in site if title.startswith(PROFILE_PREFIX)]
    lines = ['<a href="index.html">All reports</a> · ' + " · ".join(main)
             + ' · <a href="actors.html">All actors</a> · <a href="documents-1.html">Texts of the documents</a>']
    if profiles:
        lines.append("Actor profiles: " + " · ".join(profiles))
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
                "download the notebook</a> to rerun or change it.</p>" if notebook_link else "")
    return page_html(title, nav, body + download)


def page_html(title: str, nav: str, body: str) -> str:
    """The skeleton every page of the set shares: its security policy (only the page's own
    script runs), title, the one stylesheet, the navigation bar, and the script that makes
    tables sortable, searchable and paged (static/report.js) at the end."""
    return (
        f"<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n{page_security()}\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        f"<title>{escape_html(title)}</title>\n<style>{PAGE_STYLE}</style>\n</head>\n<body>\n<main>\n"
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


def _shown_corpus(corpus: str | Path) -> str:
    """The corpus as notebooks receive it: relative to the project when inside it."""
    path = Path(corpus).resolve()
    try:
        return path.relative_to(project_root()).as_posix()
    except ValueError:
        return str(path)


def default_out(shown_corpus: str) -> Path:
    """reports/ for the seeds (committed), out/<corpus name without .jsonl/.csv/.txt> otherwise."""
    if shown_corpus == "seeds":
        return project_root() / "reports"
    name = Path(shown_corpus)
    return project_root() / "out" / (name.stem if name.suffix in (".jsonl", ".csv", ".txt") else name.name)


def _failure(error: Exception) -> str:
    if isinstance(error, PapermillExecutionError):
        return f"cell {error.exec_count}: {error.ename}: {error.evalue}"
    return f"{type(error).__name__}: {error}"


def _with_gold(reports: list[Report], shown_corpus: str, gold: dict[str, str] | None) -> list[Report]:
    """The report set with its gold-needing reports given their gold files, or left out when the
    corpus has none (a gold file describes one corpus: the seeds' gold says nothing of another)."""
    files = {k: v for k, v in (gold or {}).items() if v} or (SEED_GOLD if shown_corpus == "seeds" else {})
    kept = []
    for report in reports:
        if report.needs_gold and not files:
            continue
        kept.append(replace(report, parameters={**report.parameters, **files}) if report.needs_gold else report)
    return kept


@dataclass(frozen=True)
class _Job:
    """One report to execute, in a form a worker process can receive."""

    name: str
    title: str
    notebook: str
    parameters: dict
    inputs: str
    staging: str
    root: str
    nav: str
    profiles: dict


def _render_one(job: _Job) -> str | None:
    """Execute one notebook into the staging folder and export its page; the error, or None."""
    staging = Path(job.staging)
    executed = staging / f"{job.name}.ipynb"
    try:
        papermill.execute_notebook(
            job.notebook, str(executed), parameters=job.parameters, kernel_name=_kernel_name(),
            progress_bar=False, cwd=job.root, kernel_manager_class=LocalKernelManager,
        )
    except Exception as error:  # noqa: BLE001 - any failure is reported and the others still render
        return _failure(error)
    notebook = make_deterministic(nbformat.read(executed, as_version=4))
    notebook.metadata[INPUTS_METADATA] = {"inputs": job.inputs}
    nbformat.write(notebook, executed)
    page = export_html(notebook, job.title, job.nav, f"{job.name}.ipynb", job.profiles)
    (staging / f"{job.name}.html").write_text(page, encoding="utf-8")
    for name, content in table_files(notebook, job.name).items():
        (staging / name).write_text(content, encoding="utf-8")
    return None


def render_reports(
    corpus: str | Path = "seeds",
    out: str | Path | None = None,
    only: list[str] | None = None,
    config: str | Path | None = None,
    force: bool = False,
    gold: dict[str, str] | None = None,
    merges: str | Path | None = None,
) -> int:
    """Render every report (or `only` some) for `corpus` into `out`; 0 when all succeeded.

    A report whose inputs (`report_inputs`) match those recorded in its rendered notebook is
    left as it is unless `force`; the others render in parallel, one kernel per core.
    Reports that need a gold file (`needs_gold`) render with `gold` ({'gold': actor gold,
    'theme_gold': theme gold}), with the shipped seed gold for the seeds, and not at all otherwise.
    """
    root = project_root()
    shown = _shown_corpus(corpus)
    out = Path(out) if out else default_out(shown)
    config_path = Path(config) if config else root / DEFAULT_CONFIG
    load_report_set(config_path, top_actors=None)  # a malformed set fails before the corpus is annotated
    merges = str(Path(merges).resolve()) if merges else None
    annotated = load_annotated_corpus(corpus, merges=merges)  # annotate once, here; notebooks read the cache
    top_actors = actor_counts(annotated.mentions[annotated.mentions["kind"] == "actor"])
    reports = _with_gold(load_report_set(config_path, top_actors), shown, gold)
    selected = [r for r in reports if not only or r.name in only]
    if only and len(selected) != len(set(only)):
        unknown = sorted(set(only) - {r.name for r in reports})
        raise ReportConfigError(f"unknown report name(s) {unknown}; known: {[r.name for r in reports]}")

    out.mkdir(parents=True, exist_ok=True)
    staging = out / ".staging"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    site = [(report.name, report.title) for report in reports]
    profiles = {report.actor_name: f"{report.name}.html" for report in reports if report.actor_name}
    code = code_fingerprint(root) + hashlib.sha256(json.dumps(site, ensure_ascii=False).encode()).hexdigest()
    if merges:  # the user's decisions on actor identity change every table: their content is an input
        code += "-merges-" + hashlib.sha256(Path(merges).read_bytes()).hexdigest()
    jobs = []
    for report in selected:
        parameters = {**report.parameters, "corpus": shown, **({"merges": merges} if merges else {})}
        notebook = config_path.parent / report.notebook
        inputs = report_inputs(notebook, parameters, annotated.corpus_fingerprint, annotated.pipeline_fingerprint,
                               code)
        if not force and _is_current(out, report.name, inputs):
            print(f"up to date: {report.name}", file=sys.stderr)
            continue
        jobs.append(_Job(report.name, report.title, str(notebook), parameters, inputs, str(staging), str(root),
                         navigation(site, report.name), profiles))
    failed: dict[str, str] = {}
    workers = max(1, min(len(jobs), os.cpu_count() or 1))
    if jobs:
        print(f"rendering {len(jobs)} report(s) with {workers} worker(s)", file=sys.stderr)
        with ProcessPoolExecutor(max_workers=workers) as pool:
            for job, error in zip(jobs, pool.map(_render_one, jobs), strict=True):
                if error is not None:
                    failed[job.name] = error
                    print(f"FAILED {job.name} ({Path(job.notebook).name}): {error}", file=sys.stderr)
                    continue
                # the notebook goes last: it records the inputs, so a run killed before it is
                # published leaves the old stamp and the next run renders this report again
                produced = sorted(staging.glob(f"{glob.escape(job.name)}--*.csv"))
                for stale in out.glob(f"{glob.escape(job.name)}--*.csv"):
                    if stale.name not in {file.name for file in produced}:
                        stale.unlink()
                for file in [*produced, staging / f"{job.name}.html", staging / f"{job.name}.ipynb"]:
                    os.replace(file, out / file.name)
                print(f"rendered {job.name}", file=sys.stderr)

    text_pages = document_pages(annotated.documents, annotated.mentions)
    text_pages.append(("actors.html", "All actors", actor_index(top_actors, profiles)))
    for name, title, body in text_pages:
        temporary = staging / name
        temporary.write_text(page_html(title, navigation(site, name.removesuffix(".html")), body), encoding="utf-8")
        os.replace(temporary, out / name)
    if not only and not failed:  # remove reports (and pages of texts) that are no longer in the set
        keep = {f"{r.name}{s}" for r in reports for s in (".ipynb", ".html")} | {"index.html"}
        keep |= {name for name, _, _ in text_pages}
        names = {r.name for r in reports}
        for stale in [*out.glob("*.ipynb"), *out.glob("*.html"), *out.glob("*--*.csv")]:
            if stale.name not in keep and not (stale.suffix == ".csv" and stale.name.split("--")[0] in names):
                stale.unlink()
    # a report of the set never rendered here (`only` on a new folder) is not linked to nothing
    listed = [r for r in reports if (out / f"{r.name}.html").exists() or r.name in failed]
    index = index_html(listed, shown, annotated.corpus_fingerprint, len(annotated.documents),
                       annotated.pipeline_fingerprint, failed)
    temporary = staging / "index.html"
    temporary.write_text(index, encoding="utf-8")
    os.replace(temporary, out / "index.html")
    shutil.rmtree(staging, ignore_errors=True)
    if failed:
        print(f"{len(failed)} of {len(selected)} report(s) failed: {', '.join(sorted(failed))}", file=sys.stderr)
        return 1
    print(f"{len(jobs)} of {len(selected)} report(s) rendered, the rest up to date, in {out}", file=sys.stderr)
    return 0
