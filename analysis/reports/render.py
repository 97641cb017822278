"""Render the report set: papermill runs each notebook, nbconvert turns it into a
self-contained HTML page, and an index links them all.

`render_reports` is a list of named steps, each a function below. The output folder is
checked and locked before the corpus is annotated, files the package did not write are never
touched (`outfolder`), reports render in parallel workers into a staging folder and are
published one by one, whole, as they finish; SIGINT or SIGTERM stops the workers and their
kernels, removes the staging folder and leaves every published file as it was. Outputs are
deterministic (no timings, no absolute paths), so rendering twice with nothing changed
changes no file.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shlex
import signal
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis.reports.execute import Job, render_one, worker_pool
from analysis.reports.html import index_html, navigation, page_html
from analysis.reports.inputs import code_fingerprint, is_current, report_inputs, site_fingerprint
from analysis.reports.outfolder import (
    INDEX,
    PAGES,
    STOP_SIGNALS,
    OutputFolder,
    PublishError,
    check_out_folder,
    locked,
    write_text,
)
from analysis.reports.presentation import actor_index, document_pages
from analysis.reports.reportset import (
    DEFAULT_CONFIG,
    Report,
    ReportConfigError,
    load_report_set,
    name_patterns,
    profile_policy,
    profiled_keys,
    with_gold,
)
from analysis.stats.counts import actor_counts
from analysis.stats.selection import counted_actors
from analysis.workflow import AnnotatedCorpus, load_annotated_corpus, project_path, project_root

# The notebook parameters that decide the annotation a report reads.
ANNOTATOR_PARAMETERS = ("pipeline", "lexicon", "themes")


class Interrupted(BaseException):
    """The run was stopped by SIGINT or SIGTERM (a BaseException, like KeyboardInterrupt, so no
    `except Exception` on the way swallows it)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum

    @property
    def exit_code(self) -> int:
        return 128 + self.signum


@dataclass(frozen=True)
class Paths:
    root: Path
    corpus: Path
    shown: str  # the corpus as notebooks receive it
    out: Path
    config: Path
    merges: str | None = None  # the user's decisions on actor identity, as an absolute path


def render_reports(
    corpus: str | Path = "seeds",
    out: str | Path | None = None,
    only: list[str] | None = None,
    config: str | Path | None = None,
    force: bool = False,
    gold: dict[str, str] | None = None,
    merges: str | Path | None = None,
    profiles: list[str] | None = None,
) -> int:
    """Render every report (or `only` some) for `corpus` into `out`; 0 when all succeeded.

    Actor profiles are rendered as the set's policy says, for the actors keyed in `profiles`,
    and for those already profiled in `out` (a profile asked for once is kept up to date).

    A report whose inputs (`report_inputs`) match those recorded in its rendered notebook is
    left as it is unless `force`; the others render in parallel, one kernel per core.
    Reports that need a gold file (`needs_gold`) render with `gold` ({'gold': actor gold,
    'theme_gold': theme gold}), with the shipped seed gold for the seeds, and not at all otherwise.
    Raises `Interrupted` on SIGINT/SIGTERM, `PublishError` when a file cannot be written, and
    `ReportConfigError`/`OutputFolderError` (one line each) before anything runs.
    """
    paths = resolve_paths(corpus, out, config, merges)
    check_out_folder(paths.out)
    load_report_set(paths.config, top_actors=None)  # a malformed set fails before the corpus is annotated
    with stopping_on_signals(), locked(paths.out):
        folder = OutputFolder.open(paths.out)
        folder.refuse_foreign_patterns(name_patterns(paths.config))
        # annotate once, here; notebooks read the cache
        annotated = load_annotated_corpus(paths.corpus, merges=paths.merges)
        stems = [name.removesuffix(".html") for name in folder.files if name.endswith(".html")]
        reports = choose_reports(paths, annotated, gold, profiles or [], profiled_keys(paths.config, stems))
        if only and profiles:  # `--only X --profiles KEY`: the profiles asked for are wanted too
            only = [*only, *(report.name for report in reports if report.parameters.get("actor") in profiles)]
        selected = select(reports, only)
        folder.refuse_foreign(report_files(reports))
        with folder.staged() as staging:
            site = [(report.name, report.title) for report in reports]
            jobs = plan_jobs(paths, selected, reports, annotated, folder, staging, force)
            failed = execute_and_publish(jobs, folder)
            publish_pages(folder, staging, annotated, site, reports, paths)
            if not only and not failed:  # reports no longer in the set go, with their tables
                folder.sweep({report.name for report in reports} | {PAGES, INDEX})
            publish_index(folder, staging, paths, reports, annotated, failed)
    return summarize(paths.out, selected, jobs, failed)


def resolve_paths(corpus: str | Path, out: str | Path | None, config: str | Path | None,
                  merges: str | Path | None = None) -> Paths:
    root = project_root()
    shown = shown_corpus(corpus)
    return Paths(root, Path(corpus), shown, Path(out) if out else default_out(shown),
                 Path(config) if config else root / DEFAULT_CONFIG, str(Path(merges).resolve()) if merges else None)


def shown_corpus(corpus: str | Path) -> str:
    """The corpus as notebooks receive it: relative to the project when inside it."""
    path = Path(corpus).resolve()
    try:
        return path.relative_to(project_root()).as_posix()
    except ValueError:
        return str(path)


def default_out(shown: str) -> Path:
    """reports/ for the seeds (committed), out/<corpus name without .jsonl/.csv/.txt> otherwise."""
    if shown == "seeds":
        return project_root() / "reports"
    name = Path(shown)
    return project_root() / "out" / (name.stem if name.suffix in (".jsonl", ".csv", ".txt") else name.name)


@contextlib.contextmanager
def stopping_on_signals() -> Iterator[None]:
    """SIGINT and SIGTERM raise `Interrupted` in the main process, so every `with` on the way
    out runs (workers stopped, staging removed, lock released); a second signal is ignored
    while that happens."""
    if threading.current_thread() is not threading.main_thread():  # only the main thread has handlers
        yield
        return

    def stop(signum: int, frame: object) -> None:
        for number in STOP_SIGNALS:
            signal.signal(number, signal.SIG_IGN)
        raise Interrupted(signum)

    previous = {number: signal.getsignal(number) for number in STOP_SIGNALS}
    for number in STOP_SIGNALS:
        signal.signal(number, stop)
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def _top_actors(mentions: pd.DataFrame) -> pd.DataFrame:
    """Every actor a report can count (`counted_actors`), most mentioned first: the All actors
    page's rows and the pool profiles are chosen from."""
    return actor_counts(counted_actors(mentions))


def choose_reports(paths: Paths, annotated: AnnotatedCorpus, gold: dict[str, str] | None,
                   profiles: list[str] | None = None, kept: set[str] | None = None) -> list[Report]:
    """The report set with per-actor entries expanded, each from the corpus annotated as its own
    parameters say (a report's lexicon may rename or add actors), and gold given or dropped.
    `profiles` are the keys the user asked for (an unknown one is an error), `kept` those
    already profiled in the output folder (dropped silently once the corpus lacks them)."""
    default = _top_actors(annotated.mentions)
    other: dict[tuple, pd.DataFrame] = {}

    def top_actors(parameters: dict) -> pd.DataFrame:
        given = {name: parameters[name] for name in ANNOTATOR_PARAMETERS if parameters.get(name) is not None}
        if not given:
            return default
        key = tuple(sorted((name, str(value)) for name, value in given.items()))
        if key not in other:
            own = {name: (value if name == "pipeline" else project_path(value)) for name, value in given.items()}
            loaded = load_annotated_corpus(paths.corpus, progress=False, merges=paths.merges, **own)
            other[key] = _top_actors(loaded.mentions)
        return other[key]

    asked = [*(profiles or []), *sorted(set(kept or ()) & set(default["key"]) - set(profiles or []))]
    return with_gold(load_report_set(paths.config, top_actors, asked), paths.shown, gold)


def select(reports: list[Report], only: list[str] | None) -> list[Report]:
    selected = [report for report in reports if not only or report.name in only]
    if only and len(selected) != len(set(only)):
        unknown = sorted(set(only) - {report.name for report in reports})
        raise ReportConfigError(f"unknown report name(s) {unknown}; known: {[r.name for r in reports]}")
    return selected


def report_files(reports: list[Report]) -> list[str]:
    """The files the run writes whose names are known before rendering."""
    pages = ["index.html", "actors.html"]
    return pages + [f"{report.name}{suffix}" for report in reports for suffix in (".ipynb", ".html")]


def profile_pages(reports: list[Report]) -> dict[str, str]:
    """Actor name -> the page profiling that actor."""
    return {report.actor_name: f"{report.name}.html" for report in reports if report.actor_name}


def plan_jobs(paths: Paths, selected: list[Report], reports: list[Report], annotated: AnnotatedCorpus,
              folder: OutputFolder, staging: Path, force: bool) -> list[Job]:
    """A job for every selected report whose recorded inputs differ from today's (all if `force`)."""
    site = [(report.name, report.title) for report in reports]
    code = site_fingerprint(code_fingerprint(paths.root), site)
    if paths.merges:  # the user's decisions on actor identity change every table: their content is an input
        code += "-merges-" + hashlib.sha256(Path(paths.merges).read_bytes()).hexdigest()
    jobs = []
    for report in selected:
        parameters = {**report.parameters, "corpus": paths.shown, **({"merges": paths.merges} if paths.merges else {})}
        notebook = paths.config.parent / report.notebook
        inputs = report_inputs(notebook, parameters, annotated.corpus_fingerprint, annotated.pipeline_fingerprint,
                               code)
        if not force and is_current(folder.path, report.name, inputs):
            print(f"up to date: {report.name}", file=sys.stderr)
            continue
        jobs.append(Job(report.name, report.title, str(notebook), parameters, inputs, str(staging), str(paths.root),
                        navigation(site, report.name), profile_pages(reports)))
    return jobs


def execute_and_publish(jobs: list[Job], folder: OutputFolder) -> dict[str, str]:
    """Execute the jobs in parallel and publish each report as it finishes; name -> error of
    each report that failed (the others still render). A file that cannot be written stops the run."""
    failed: dict[str, str] = {}
    if not jobs:
        return failed
    workers = max(1, min(len(jobs), os.cpu_count() or 1))
    print(f"rendering {len(jobs)} report(s) with {workers} worker(s)", file=sys.stderr)
    with worker_pool(workers) as pool:
        for job, outcome in zip(jobs, pool.map(render_one, jobs), strict=True):
            if outcome.unwritable:
                raise PublishError(outcome.unwritable)
            if outcome.error is not None:
                failed[job.name] = outcome.error
                print(f"FAILED {job.name} ({Path(job.notebook).name}): {outcome.error}", file=sys.stderr)
                continue
            folder.publish(job.name, [folder.staging / name for name in outcome.files])
            print(f"rendered {job.name}", file=sys.stderr)
    return failed


def publish_pages(folder: OutputFolder, staging: Path, annotated: AnnotatedCorpus, site: list[tuple[str, str]],
                  reports: list[Report], paths: Paths | None = None) -> None:
    """The texts of the documents and the All actors page (linking only profiles that exist,
    saying which actors have one and how to render any other)."""
    profiles = {name: page for name, page in profile_pages(reports).items() if folder.exists(page)}
    pages = document_pages(annotated.documents, annotated.mentions, annotated.sentences)
    actors = _top_actors(annotated.mentions)
    policy = profile_policy(paths.config, actors) if paths else ""
    command = (f"python -m analysis reports --corpus {shlex.quote(paths.shown)} --profiles KEY [KEY ...]"
               if paths else "")
    pages.append(("actors.html", "All actors", actor_index(actors, profiles, policy, command)))
    staged = []
    for name, title, body in pages:
        write_text(staging / name, page_html(title, navigation(site, name.removesuffix(".html")), body))
        staged.append(staging / name)
    folder.publish(PAGES, staged)


def publish_index(folder: OutputFolder, staging: Path, paths: Paths, reports: list[Report],
                  annotated: AnnotatedCorpus, failed: dict[str, str]) -> None:
    """The index, last: it lists the reports of the set that have a page here (a report never
    rendered into this folder, with `only`, is not linked to nothing) and those that failed."""
    listed = [report for report in reports if folder.exists(f"{report.name}.html") or report.name in failed]
    index = index_html(listed, paths.shown, annotated.corpus_fingerprint, len(annotated.documents),
                       annotated.pipeline_fingerprint, failed)
    write_text(staging / "index.html", index)
    folder.publish(INDEX, [staging / "index.html"])


def summarize(out: Path, selected: list[Report], jobs: list[Job], failed: dict[str, str]) -> int:
    if failed:
        print(f"{len(failed)} of {len(selected)} report(s) failed: {', '.join(sorted(failed))}", file=sys.stderr)
        return 1
    print(f"{len(jobs)} of {len(selected)} report(s) rendered, the rest up to date, in {out}", file=sys.stderr)
    return 0
