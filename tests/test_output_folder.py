"""Issue 23: the output folder is the package's only where it wrote.

* A folder holding the user's own files (and even the report set's source notebooks) is
  rendered into, again and again, and those files stay byte-identical; a file the package would
  write over that it did not write is refused, naming it, before any annotation.
* Report names that could reach another report's files, or the set's own pages, are refused
  when the set is loaded, as are bad per-actor templates.
* `--out` that cannot be a folder, a folder another run holds, and a disk that fills up: one
  line each, nothing half-written left.
* SIGTERM and SIGINT end the workers and their kernels, remove the staging folder and leave the
  published files as they were.

The fast cases run the command line on a corpus that does not exist: reaching the corpus would
fail differently, so each of them shows the refusal comes before any annotation.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil
import pytest

from analysis.reports import render
from analysis.reports.outfolder import LOCK, MANIFEST, STAGING, OutputFolder, OutputFolderError, PublishError
from analysis.reports.reportset import ReportConfigError, load_report_set

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
ONE_REPORT = "reports:\n  - {name: 01-corpus-overview, notebook: 01_corpus_overview.ipynb, title: Overview}\n"
USER_FILES = {
    "my_thesis_analysis.ipynb": b'{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}\n',
    "homepage.html": b"<!DOCTYPE html>\n<html><body>my page</body></html>\n",
    "survey--wave1.csv": b"id,answer\n1,yes\n",
    "notes.txt": b"remember the milk\n",
}


def _cli(*args: str, cwd: Path = ROOT, timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "analysis", "reports", *args], capture_output=True, text=True,
                          cwd=cwd, timeout=timeout, check=False)


def _lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.strip()]


def _report_set(folder: Path, text: str = ONE_REPORT) -> Path:
    """The project's notebooks and a report set file in `folder` (created)."""
    folder.mkdir(parents=True, exist_ok=True)
    for notebook in (ROOT / "notebooks").glob("*.ipynb"):
        shutil.copy(notebook, folder / notebook.name)
    (folder / "reports.yaml").write_text(text, encoding="utf-8")
    return folder / "reports.yaml"


def _snapshot(folder: Path, names=None) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())
            if path.is_file() and (names is None or path.name in names)}


# ---------------------------------------------------------------- names, when the set is loaded

@pytest.mark.parametrize(("entries", "message"), [
    (["a", "a--b"], "'a--b' holds '--'"),
    (["a-"], "'a-' holds '--' or ends in '-'"),
    (["index"], "'index' is the name of a page every report set has"),
    (["actors"], "'actors' is the name of a page"),
    (["documents-3"], "'documents-3' is the name of a page"),
    (["Index"], "'Index' is the name of a page"),
    (["net\n"], r"\['net\\n'\] are not file names"),
    (["net\t2"], r"are not file names"),
    (["Net", "net"], r"unique \(letter case aside\); repeated: \['Net', 'net'\]"),
])
def test_names_that_collide_or_are_reserved_are_refused(tmp_path: Path, entries: list[str], message: str) -> None:
    text = "reports:\n" + "".join(f"  - {{name: {json.dumps(name)}, notebook: 02_entities.ipynb, title: T}}\n"
                                  for name in entries)
    config = _report_set(tmp_path / "set", text)
    with pytest.raises(ReportConfigError, match=message):
        load_report_set(config, top_actors=None)


@pytest.mark.parametrize(("name", "message"), [
    ("p-{0}", r"'p-\{0\}' uses unknown placeholder\(s\) \['0'\]"),
    ("p-{actor_key", r"is not a valid template"),
    ("p-{actor_key.upper}", r"unknown placeholder\(s\) \['actor_key.upper'\]"),
    ("p-{actor_key!z}", r"is not a valid template"),
    ("p-{actor}", r"unknown placeholder\(s\) \['actor'\]"),
    ("{actor_key}--x", "holds '--'"),
])
def test_a_bad_per_actor_name_is_refused_before_annotation(tmp_path: Path, name: str, message: str) -> None:
    entry = (f"{{name: {json.dumps(name)}, notebook: 05_actor_profile.ipynb, title: T,"
             " for_each_top_actor: {count: 1}}")
    config = _report_set(tmp_path / "set", f"reports:\n  - {entry}\n")
    with pytest.raises(ReportConfigError, match=message):
        load_report_set(config, top_actors=None)  # no corpus, no annotation: the template alone
    result = _cli("--corpus", str(tmp_path / "no-such-corpus"), "--out", str(tmp_path / "out"),
                  "--config", str(config))
    assert result.returncode == 2 and len(_lines(result.stderr)) == 1, result.stderr


# ---------------------------------------------------------------- --out, checked before anything runs

@pytest.mark.parametrize("kind", ["file", "broken symlink", "missing parent"])
def test_an_out_that_cannot_be_a_folder_is_one_line_and_exit_2(tmp_path: Path, kind: str) -> None:
    out = tmp_path / "out"
    if kind == "file":
        out.write_text("mine", encoding="utf-8")
    elif kind == "broken symlink":
        out.symlink_to(tmp_path / "nowhere")
    else:
        out = tmp_path / "missing" / "out"
    result = _cli("--corpus", str(tmp_path / "no-such-corpus"), "--out", str(out))
    assert result.returncode == 2, result.stderr
    lines = _lines(result.stderr)
    assert len(lines) == 1 and lines[0].startswith(f"error: --out {out}"), result.stderr
    assert {"file": "is a file", "broken symlink": "broken symbolic link",
            "missing parent": "parent folder"}[kind] in lines[0]
    if kind == "file":
        assert out.read_text(encoding="utf-8") == "mine"


@pytest.mark.parametrize("name", ["index.html", "02-entities.ipynb", "03-actor-network--pairs.csv",
                                  "05-profile-someone.html", "documents-2.html"])
def test_a_file_the_package_did_not_write_is_refused_before_annotation(tmp_path: Path, name: str) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / name).write_bytes(b"the user's own\n")
    result = _cli("--corpus", str(tmp_path / "no-such-corpus"), "--out", str(out))
    assert result.returncode == 2, result.stderr
    lines = _lines(result.stderr)
    assert len(lines) == 1 and f"{out / name}: not written by kg-cooccurrence" in lines[0], result.stderr
    assert (out / name).read_bytes() == b"the user's own\n"


def test_a_second_run_into_a_locked_folder_fails_at_once(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    with (out / LOCK).open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)  # as a run in progress holds it
        result = _cli("--corpus", str(tmp_path / "no-such-corpus"), "--out", str(out))
    assert result.returncode == 2, result.stderr
    assert _lines(result.stderr) == [f"error: --out {out}: another `reports` run is writing this folder; "
                                     "wait for it to end"]


# ---------------------------------------------------------------- the manifest

def _publish(folder: OutputFolder, owner: str, files: dict[str, str]) -> None:
    staged = []
    for name, text in files.items():
        (folder.staging / name).write_text(text, encoding="utf-8")
        staged.append(folder.staging / name)
    folder.publish(owner, staged)


def test_publishing_replaces_and_removes_only_files_in_the_manifest(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    for name, data in USER_FILES.items():
        (out / name).write_bytes(data)
    folder = OutputFolder.open(out)
    assert folder.files == {}  # nothing of the user's is claimed
    with folder.staged():
        _publish(folder, "a", {"a--x.csv": "1\n", "a--y.csv": "2\n", "a.html": "page\n", "a.ipynb": "{}\n"})
        _publish(folder, "a", {"a--x.csv": "3\n", "a.html": "page 2\n", "a.ipynb": "{}\n"})  # a--y is gone
        assert not (out / "a--y.csv").exists() and (out / "a--x.csv").read_text(encoding="utf-8") == "3\n"
        with pytest.raises(OutputFolderError, match="survey--wave1.csv: not written by kg-cooccurrence"):
            _publish(folder, "survey", {"survey--wave1.csv": "overwritten\n"})
        folder.sweep(set())  # every report gone from the set
    assert not (out / STAGING).exists()
    assert _snapshot(out, set(USER_FILES)) == USER_FILES
    assert sorted(path.name for path in out.iterdir()) == sorted([*USER_FILES, MANIFEST])
    assert json.loads((out / MANIFEST).read_text(encoding="utf-8"))["files"] == {}


def test_a_folder_rendered_before_manifests_is_adopted_by_the_marks_of_its_files(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    stamped = {"metadata": {"kg_cooccurrence": {"inputs": "x"}}, "cells": [], "nbformat": 4, "nbformat_minor": 4}
    (out / "02-entities.ipynb").write_text(json.dumps(stamped), encoding="utf-8")
    (out / "02-entities--actors.csv").write_text("a\n", encoding="utf-8")
    page = ('<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta http-equiv="Content-Security-Policy" content="x">\n'
            '</head><body><nav><a href="index.html">All reports</a></nav></body></html>\n')
    (out / "02-entities.html").write_text(page, encoding="utf-8")
    (out / "index.html").write_text(page, encoding="utf-8")
    for name, data in USER_FILES.items():
        (out / name).write_bytes(data)
    folder = OutputFolder.open(out)
    assert folder.files == {"02-entities.ipynb": "02-entities", "02-entities.html": "02-entities",
                            "02-entities--actors.csv": "02-entities", "index.html": ":index"}
    with folder.staged():
        _publish(folder, "02-entities", {"02-entities.html": "new\n", "02-entities.ipynb": "{}\n"})
        folder.sweep({"02-entities"})
    # replaced where a run wrote the same name; never deleted on the strength of its marks alone
    assert (out / "02-entities.html").read_text(encoding="utf-8") == "new\n"
    assert (out / "02-entities--actors.csv").exists() and (out / "index.html").read_text(encoding="utf-8") == page
    assert _snapshot(out, set(USER_FILES)) == USER_FILES


# ---------------------------------------------------------------- real renders

@pytest.fixture(scope="module")
def shared_folder(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A folder that is the user's own, the report set's (its source notebooks and
    reports.yaml) and the output folder at once, rendered into with one report."""
    folder = tmp_path_factory.mktemp("mywork") / "mywork"
    config = _report_set(folder)
    for name, data in USER_FILES.items():
        (folder / name).write_bytes(data)
    return folder, config


@pytest.mark.slow
def test_rendering_into_a_folder_of_the_users_leaves_their_files_byte_identical(
    shared_folder: tuple[Path, Path]
) -> None:
    folder, config = shared_folder
    theirs = _snapshot(folder)
    result = _cli("--corpus", str(SEEDS), "--out", str(folder), "--config", str(config))
    assert result.returncode == 0, result.stderr
    assert (folder / "01-corpus-overview.html").exists() and (folder / "index.html").exists()
    assert _snapshot(folder, set(theirs)) == theirs
    # the set changes: the old report and its tables go, the user's files (and sources) stay
    config.write_text(ONE_REPORT.replace("01-corpus-overview", "overview"), encoding="utf-8")
    theirs = _snapshot(folder, set(theirs))
    result = _cli("--corpus", str(SEEDS), "--out", str(folder), "--config", str(config))
    assert result.returncode == 0, result.stderr
    assert not list(folder.glob("01-corpus-overview*")) and (folder / "overview.html").exists()
    assert _snapshot(folder, set(theirs)) == theirs
    assert not (folder / STAGING).exists()


@pytest.mark.slow
def test_a_full_disk_while_rendering_is_one_line_and_leaves_nothing_half_written(tmp_path: Path) -> None:
    mount = tmp_path / "small"
    mount.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=96k", "tmpfs", str(mount)],
                             capture_output=True, check=False).returncode == 0
    if not mounted:
        pytest.skip("mount -t tmpfs is not permitted here (the manifest test above covers a failing writer)")
    try:
        result = _cli("--corpus", str(SEEDS), "--out", str(mount / "out"), "--only", "01-corpus-overview",
                      "--force")
        assert result.returncode == 1, result.stderr
        lines = _lines(result.stderr)
        assert lines[-1].startswith(f"error: {mount / 'out'}") and "No space left on device" in lines[-1]
        assert not any("Traceback" in line for line in lines), result.stderr
        assert not (mount / "out" / STAGING).exists()
        assert not list((mount / "out").glob("*.ipynb"))
    finally:
        subprocess.run(["umount", str(mount)], check=False)


class _Run:
    """`reports` started in a session of its own, its stderr read line by line."""

    def __init__(self, out: Path, *extra: str) -> None:
        self.lines: list[str] = []
        self.process = subprocess.Popen(
            [sys.executable, "-m", "analysis", "reports", "--corpus", str(SEEDS), "--out", str(out),
             "--only", "01-corpus-overview", "02-entities", *extra],
            cwd=ROOT, stderr=subprocess.PIPE, text=True, start_new_session=True,
        )
        self.reader = threading.Thread(target=lambda: self.lines.extend(line.rstrip("\n")
                                                                         for line in self.process.stderr))
        self.reader.start()

    def wait_for(self, text: str, timeout: float = 300) -> None:
        deadline = time.monotonic() + timeout
        while not any(text in line for line in self.lines):
            assert self.process.poll() is None, "\n".join(self.lines)
            assert time.monotonic() < deadline, "\n".join(self.lines)
            time.sleep(0.05)

    def descendants(self) -> list[psutil.Process]:
        return psutil.Process(self.process.pid).children(recursive=True)

    def end(self) -> int:
        code = self.process.wait(timeout=120)
        self.reader.join(timeout=30)
        return code


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("published") / "out"
    run = _Run(out)
    assert run.end() == 0, "\n".join(run.lines)
    return out


@pytest.mark.slow
@pytest.mark.parametrize(("signum", "group", "code"), [(signal.SIGTERM, False, 143), (signal.SIGINT, True, 130)])
def test_a_stopped_run_ends_its_workers_and_kernels_and_leaves_the_published_files(
    published: Path, signum: int, group: bool, code: int
) -> None:
    before = _snapshot(published)
    run = _Run(published, "--force")
    run.wait_for("rendering 2 report(s)")
    deadline = time.monotonic() + 120
    # both workers have started a kernel (a worker's child)
    while len([p for p in run.descendants() if "ipykernel" in " ".join(p.cmdline())]) < 2:
        assert time.monotonic() < deadline and run.process.poll() is None, "\n".join(run.lines)
        time.sleep(0.05)
    children = run.descendants()
    # a second run into the same folder meanwhile fails at once, naming it; the first is held still
    # meanwhile, so that on a loaded machine it cannot finish (and free the folder) before the second
    # has started
    os.kill(run.process.pid, signal.SIGSTOP)
    try:
        second = _cli("--corpus", str(SEEDS), "--out", str(published), "--only", "01-corpus-overview")
    finally:
        os.kill(run.process.pid, signal.SIGCONT)
    assert second.returncode == 2 and "another `reports` run is writing this folder" in second.stderr
    assert len(_lines(second.stderr)) == 1, second.stderr
    # SIGTERM to the main process alone; SIGINT to the whole group, as a terminal's Ctrl-C
    if group:
        os.killpg(run.process.pid, signum)
    else:
        os.kill(run.process.pid, signum)
    assert run.end() == code, "\n".join(run.lines)
    survivors = [child.pid for child in children if child.is_running() and child.status() != psutil.STATUS_ZOMBIE]
    for pid in survivors:
        with contextlib.suppress(psutil.Error):
            psutil.Process(pid).kill()
    assert not survivors, f"processes of the stopped run outlived it: {survivors}"
    assert run.lines[-1].startswith(f"stopped by {signal.Signals(signum).name}"), "\n".join(run.lines)
    assert not any("Traceback" in line for line in run.lines), "\n".join(run.lines)
    assert not (published / STAGING).exists()
    assert _snapshot(published) == before


@pytest.mark.slow
def test_a_write_failing_while_publishing_names_the_file_and_leaves_no_staging(published: Path, monkeypatch) -> None:
    before = _snapshot(published)
    real = Path.write_text

    def full(path: Path, *args, **kwargs):
        if path.name == "documents-1.html":
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
        return real(path, *args, **kwargs)

    monkeypatch.setattr(Path, "write_text", full)
    with pytest.raises(PublishError, match=r"\.kg-staging/documents-1\.html: cannot write: No space left on device"):
        render.render_reports(corpus=SEEDS, out=published, only=["01-corpus-overview", "02-entities"])
    assert not (published / STAGING).exists()
    assert _snapshot(published) == before


def test_per_actor_reports_are_chosen_from_the_annotation_their_own_lexicon_gives(tmp_path: Path) -> None:
    """A profile entry with its own lexicon profiles that lexicon's actors: chosen from the
    default annotation, it would name an actor the notebook never sees."""
    from analysis.workflow import load_annotated_corpus

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for number in range(2):
        (corpus / f"{number}.txt").write_text(
            "Acme Holdings signed a contract with Kyrgyzstan. Acme Holdings will build a road in Osh, "
            "and Acme Holdings hired local workers.\n", encoding="utf-8")
    lexicon = tmp_path / "acme.yaml"
    lexicon.write_text("actors:\n  - key: acme\n    name: Acme\n    category: organization\n"
                       "    aliases: [Acme Holdings]\n", encoding="utf-8")
    config = _report_set(tmp_path / "set", (
        "reports:\n  - {name: 'p-{actor_key}', notebook: 05_actor_profile.ipynb, title: 'Actor profile: {actor_name}',"
        " for_each_top_actor: {count: 1, categories: [organization]},"
        f" parameters: {{lexicon: {json.dumps(str(lexicon))}}}}}\n"))
    paths = render.Paths(ROOT, corpus, str(corpus), tmp_path / "out", config)
    reports = render.choose_reports(paths, load_annotated_corpus(corpus, progress=False), None)
    assert [(report.name, report.actor_name) for report in reports] == [("p-acme", "Acme")]
