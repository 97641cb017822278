"""The report set rendered end to end: on a corpus that tries to inject markup, on a failing
notebook, and twice in a row (determinism). These run papermill, so they take a while."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from analysis.reports.html import make_deterministic
from analysis.reports.inputs import INPUTS_METADATA, report_inputs
from analysis.reports.outfolder import MANIFEST
from analysis.reports.presentation import content_security_policy, escape_html, page_script
from analysis.reports.render import render_reports

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow


class _Tags(HTMLParser):
    """Collects every tag and attribute of a page as a browser would parse them, and the text
    of every <script>."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.scripts: list[str] = []
        self.in_script = False

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "script":
            self.scripts.append("")
            self.in_script = True

    def handle_endtag(self, tag: str) -> None:
        self.in_script = self.in_script and tag != "script"

    def handle_data(self, data: str) -> None:
        if self.in_script:
            self.scripts[-1] += data


def tags_of(page: str) -> list[tuple[str, dict]]:
    parser = _Tags()
    parser.feed(page)
    return parser.tags


def scripts_of(page: str) -> list[str]:
    parser = _Tags()
    parser.feed(page)
    return parser.scripts


def test_every_report_is_rendered_and_indexed(injection_reports: Path) -> None:
    index = (injection_reports / "index.html").read_text(encoding="utf-8")
    links = [attrs["href"] for tag, attrs in tags_of(index) if tag == "a"]
    pages = [link for link in dict.fromkeys(links)
             if link.endswith(".html") and link not in ("index.html", "actors.html")
             and not link.startswith("documents-")]
    assert len(pages) >= 6
    assert "documents-1.html" in links and (injection_reports / "documents-1.html").exists()
    for page in pages:
        assert (injection_reports / page).exists(), page
        assert (injection_reports / page.replace(".html", ".ipynb")).exists()


@pytest.mark.parametrize("report_set", ["injection_reports", "payload_reports"])
def test_corpus_text_never_becomes_markup(report_set: str, request: pytest.FixtureRequest) -> None:
    folder = request.getfixturevalue(report_set)
    for page in sorted(folder.glob("*.html")):
        text = page.read_text(encoding="utf-8")
        # one script, the package's own, and a policy that lets nothing else run
        assert scripts_of(text) == [page_script()], f"{page.name}: a <script> other than the package's"
        assert f'content="{escape_html(content_security_policy())}"' in text, page.name
        for tag, attrs in tags_of(text):
            assert not any(name.startswith("on") for name in attrs), f"{page.name}: {tag} {attrs}"
            for value in attrs.values():
                assert not (value or "").strip().lower().startswith("javascript:"), f"{page.name}: {attrs}"
    # and the text itself is there, escaped, for a reader to see
    evidence = (folder / ("03-actor-network.html" if report_set == "injection_reports" else "03-network.html")
                ).read_text(encoding="utf-8")
    assert "&lt;script&gt;window.__injected = 1&lt;/script&gt;" in evidence or "&lt;img" in evidence


def test_pages_load_nothing_from_other_hosts(injection_reports: Path) -> None:
    for page in sorted(injection_reports.glob("*.html")):
        for tag, attrs in tags_of(page.read_text(encoding="utf-8")):
            for name in ("src", "href"):
                value = (attrs.get(name) or "").strip()
                if tag in ("script", "link", "img", "iframe") and value:
                    assert not value.startswith(("http:", "https:", "//")), f"{page.name}: {tag} {value}"


def test_a_failing_notebook_is_named_and_does_not_clobber_the_others(tmp_path: Path) -> None:
    notebooks = tmp_path / "notebooks"
    shutil.copytree(ROOT / "notebooks", notebooks)
    (notebooks / "reports.yaml").write_text(
        "reports:\n"
        "  - {name: 01-corpus-overview, notebook: 01_corpus_overview.ipynb, title: Overview}\n"
        "  - {name: 03-actor-network, notebook: 03_actor_network.ipynb, title: Network,"
        " parameters: {measure: no-such-measure}}\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    out.mkdir()
    # a page an earlier run published (the manifest says so: a file it did not write is never replaced)
    (out / "03-actor-network.html").write_text("previous version", encoding="utf-8")
    (out / MANIFEST).write_text(json.dumps({"files": {"03-actor-network.html": "03-actor-network"}}),
                                encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "analysis", "reports", "--corpus", str(ROOT / "seeds"), "--out", str(out),
         "--config", str(notebooks / "reports.yaml")],
        capture_output=True, text=True, cwd=ROOT, check=False,
    )
    assert result.returncode == 1
    assert "FAILED 03-actor-network (03_actor_network.ipynb): cell" in result.stderr
    assert "no-such-measure" in result.stderr
    assert (out / "03-actor-network.html").read_text(encoding="utf-8") == "previous version"
    assert (out / "01-corpus-overview.html").exists()
    assert "failed to render" in (out / "index.html").read_text(encoding="utf-8")


def test_rendering_twice_gives_identical_files(tmp_path: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    for out in (first, second):
        assert render_reports(corpus=ROOT / "seeds", out=out, only=["01-corpus-overview", "04-actors-and-themes"],
                              force=True) == 0
    for name in ("01-corpus-overview.ipynb", "01-corpus-overview.html", "04-actors-and-themes.html"):
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    notebook = json.loads((first / "01-corpus-overview.ipynb").read_text(encoding="utf-8"))
    assert "papermill" not in notebook["metadata"]
    assert str(ROOT) not in (first / "01-corpus-overview.ipynb").read_text(encoding="utf-8")


def test_make_deterministic_drops_timings() -> None:
    import nbformat

    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1")])
    notebook.metadata["papermill"] = {"duration": 1.0}
    notebook.cells[0].metadata["execution"] = {"iopub.status.busy": "2026-01-01"}
    notebook.cells[0].metadata["papermill"] = {"duration": 1.0}
    cleaned = make_deterministic(notebook)
    assert "papermill" not in cleaned.metadata
    assert cleaned.cells[0].metadata == {}


# --------------------------------------------------------------------------- the committed seed reports


COMMITTED = sorted((ROOT / "reports").glob("0*.html"))


def _visible_text(page: Path) -> str:
    class Text(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.parts: list[str] = []
            self.skip = 0

        def handle_starttag(self, tag, attrs):
            self.skip += tag in ("style", "script")

        def handle_endtag(self, tag):
            self.skip -= tag in ("style", "script")

        def handle_data(self, data):
            if not self.skip:
                self.parts.append(data)

    parser = Text()
    parser.feed(page.read_text(encoding="utf-8"))
    return " ".join(" ".join(parser.parts).split())


# The review list counts nothing a reader could over-read: it lists keys to decide on.
COUNTING = [page for page in COMMITTED if not page.name.startswith("07-actors-to-review")]


@pytest.mark.parametrize("page", COUNTING, ids=lambda path: path.name)
def test_every_seed_report_opens_with_the_small_corpus_note(page: Path) -> None:
    assert "Small corpus: 5 document(s)" in _visible_text(page)


def test_the_seed_network_draws_the_president_and_his_guest() -> None:
    """A whole seed document is Japarov's meeting with Putin: the network must not drop them
    for actors mentioned once (nodes are chosen first, ties kept)."""
    text = _visible_text(ROOT / "reports" / "03-actor-network.html")
    network = text[text.index("Network"):text.index("Who with whom")]
    assert "Sadyr Japarov" in network and "Vladimir Putin" in network
    assert "lower end of the 95% interval of npmi" in text


def test_unchanged_reports_are_not_executed_again(tmp_path: Path, capsys) -> None:
    out = tmp_path / "out"
    only = ["01-corpus-overview", "02-entities"]
    assert render_reports(corpus=ROOT / "seeds", out=out, only=only) == 0
    before = {path.name: (path.read_bytes(), path.stat().st_mtime_ns) for path in out.glob("0*")}
    capsys.readouterr()
    assert render_reports(corpus=ROOT / "seeds", out=out, only=only) == 0
    err = capsys.readouterr().err
    assert "up to date: 01-corpus-overview" in err and "up to date: 02-entities" in err
    assert {path.name: (path.read_bytes(), path.stat().st_mtime_ns) for path in out.glob("0*")} == before
    assert "without encryption" not in err  # kernels talk over IPC sockets, not TCP
    # a report whose recorded inputs differ (its notebook, parameters, corpus or code changed) runs again
    stale = out / "02-entities.ipynb"
    notebook = json.loads(stale.read_text(encoding="utf-8"))
    notebook["metadata"][INPUTS_METADATA]["inputs"] = "something else"
    stale.write_text(json.dumps(notebook), encoding="utf-8")
    assert render_reports(corpus=ROOT / "seeds", out=out, only=only) == 0
    err = capsys.readouterr().err
    assert "up to date: 01-corpus-overview" in err and "rendered 02-entities" in err
    assert stale.read_bytes() == before["02-entities.ipynb"][0]


def test_report_inputs_change_with_each_input(tmp_path: Path) -> None:
    notebook = tmp_path / "n.ipynb"
    notebook.write_text("{}", encoding="utf-8")
    base = report_inputs(notebook, {"unit": "sentence"}, "corpus", "annotator", "code")
    assert base == report_inputs(notebook, {"unit": "sentence"}, "corpus", "annotator", "code")
    variants = [
        report_inputs(notebook, {"unit": "paragraph"}, "corpus", "annotator", "code"),
        report_inputs(notebook, {"unit": "sentence"}, "other corpus", "annotator", "code"),
        report_inputs(notebook, {"unit": "sentence"}, "corpus", "other annotator", "code"),
        report_inputs(notebook, {"unit": "sentence"}, "corpus", "annotator", "other code"),
    ]
    notebook.write_text('{"cells": []}', encoding="utf-8")
    variants.append(report_inputs(notebook, {"unit": "sentence"}, "corpus", "annotator", "code"))
    assert len({base, *variants}) == 6


def test_no_committed_report_carries_a_warning_or_error_stream() -> None:
    """A warning printed while a report renders (a library's, with this machine's paths in it)
    would be shown to every reader and fail nbval on any other machine."""
    root = Path(__file__).resolve().parents[1] / "reports"
    streams = [
        f"{notebook.name}: {''.join(output.get('text', ''))[:120]!r}"
        for notebook in sorted(root.glob("*.ipynb"))
        for cell in json.loads(notebook.read_text(encoding="utf-8"))["cells"]
        for output in cell.get("outputs", [])
        if output.get("output_type") == "stream" and output.get("name") == "stderr"
    ]
    assert streams == []


def test_a_report_waits_for_output_that_trails_its_cell(monkeypatch, tmp_path: Path) -> None:
    """papermill makes nbclient's 4-second wait for a cell's last output fatal; on a machine busy
    with other work a profile's large table arrived later than that and failed a correct report
    (the 2,549-article development run). The worker asks for a wait long enough for a busy
    machine."""
    from analysis.reports import execute

    seen: dict = {}

    def record(*args, **kwargs):
        seen.update(kwargs)
        raise RuntimeError("not run")

    monkeypatch.setattr(execute.papermill, "execute_notebook", record)
    job = execute.Job(name="r", title="R", notebook=str(tmp_path / "r.ipynb"), parameters={}, inputs="",
                      staging=str(tmp_path), root=str(tmp_path), nav="", profiles={})
    assert execute.render_one(job).error == "RuntimeError: not run"
    assert seen["iopub_timeout"] >= 60
