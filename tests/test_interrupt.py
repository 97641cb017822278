"""Killing a run half-way must never leave a half-written report or a poisoned cache.

* Rendering: a run killed (SIGTERM to its process group, SIGKILL two seconds later) while it
  renders its reports (in parallel) leaves every published file either as it was before the
  run or exactly as an uninterrupted run writes it, never partial, and never a report's new
  notebook (which records its inputs) beside an old page; the next run completes and gives
  byte-identical files.
* Annotation: a cold `annotate` killed while it annotates, and a cache with a truncated Parquet
  part, both lead to a rerun that succeeds with exactly the mentions of an uninterrupted run.

These start the real command line as subprocesses. To keep the module within a few minutes,
the report runs render a fixed subset of the report set (`--only`): three notebooks are enough
to be killed in the middle of, and the full set is rendered by test_reports and test_browser.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
SUBSET = ["01-corpus-overview", "02-entities", "03-actor-network"]
PREVIOUS_MARK = "<!-- previous render -->\n"

pytestmark = pytest.mark.slow


class Run:
    """A command started in its own session, its stderr read line by line in a thread."""

    def __init__(self, args: list[str], cache: Path, stdout: Path) -> None:
        self.cache = cache
        self.env = {**os.environ, "KG_COOCCURRENCE_CACHE": str(cache)}
        self.lines: list[str] = []
        self._stdout = stdout.open("w", encoding="utf-8")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "analysis", *args], cwd=ROOT, env=self.env, stdout=self._stdout,
            stderr=subprocess.PIPE, text=True, start_new_session=True,
        )
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        for line in self.process.stderr:
            self.lines.append(line.rstrip("\n"))

    def wait_for(self, condition, what: str, timeout: float = 300) -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            if self.process.poll() is not None:
                pytest.fail(f"the run ended (exit {self.process.returncode}) before {what}:\n{self.stderr()}")
            if time.monotonic() > deadline:
                self.kill()
                pytest.fail(f"no {what} within {timeout} s:\n{self.stderr()}")
            time.sleep(0.02)

    def kill(self) -> bool:
        """SIGTERM to the process group, SIGKILL two seconds later; True if SIGTERM sufficed."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        time.sleep(2)
        ended = self.process.poll() is not None
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)
        self._finish()
        _reap_strays(self.cache)
        return ended

    def finish(self, timeout: float = 600) -> int:
        try:
            code = self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            pytest.fail(f"the run did not finish within {timeout} s:\n{self.stderr()}")
        self._finish()
        return code

    def _finish(self) -> None:
        self._reader.join(timeout=30)
        self._stdout.close()

    def stderr(self) -> str:
        return "\n".join(self.lines[-60:])


def _processes_using(cache: Path) -> list[int]:
    """Pids of processes started with this test's cache folder in their environment (the
    command and the Jupyter kernels it started, which live in sessions of their own)."""
    marker = f"KG_COOCCURRENCE_CACHE={cache}".encode() + b"\0"
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and int(entry.name) != os.getpid():
            try:
                if marker in (entry / "environ").read_bytes() + b"\0":
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def _reap_strays(cache: Path, grace: float = 15) -> None:
    """A kernel whose parent was killed notices within a second or two and exits; wait for
    that, and fail (after ending them) if any process of the killed run outlives the grace."""
    deadline = time.monotonic() + grace
    while (strays := _processes_using(cache)) and time.monotonic() < deadline:
        time.sleep(0.2)
    for pid in strays:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    assert not strays, f"processes of the killed run still alive {grace} s later: {strays}"


def _snapshot(out: Path) -> dict[str, bytes]:
    """The published files (not the run's own bookkeeping: manifest, lock, staging)."""
    return {
        file.relative_to(out).as_posix(): file.read_bytes()
        for file in sorted(out.rglob("*"))
        if file.is_file() and not file.relative_to(out).parts[0].startswith(".kg-")
    }


def _previous_version(name: str, data: bytes) -> bytes:
    """A different but complete file, standing for what an older run published (an older run
    had other inputs: its notebook records another inputs digest)."""
    if name.endswith(".ipynb"):
        notebook = json.loads(data)
        notebook["metadata"]["previous_render"] = True
        notebook["metadata"]["kg_cooccurrence"] = {"inputs": "previous"}
        return (json.dumps(notebook, indent=1, ensure_ascii=False) + "\n").encode()
    if name.endswith(".csv"):
        return data + b"previous,render\n"
    text = data.decode()
    assert text.startswith("<!DOCTYPE html>\n")
    return text.replace("<!DOCTYPE html>\n", "<!DOCTYPE html>\n" + PREVIOUS_MARK, 1).encode()


def _assert_complete(name: str, data: bytes) -> None:
    if name.endswith(".ipynb"):
        json.loads(data)
    elif name.endswith(".csv"):
        assert data.endswith(b"\n"), f"{name} is partial"
    else:
        assert data.endswith(b"</html>\n"), f"{name} is partial"


@pytest.fixture(scope="module")
def uninterrupted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """Every file of an uninterrupted render of the subset for the seeds."""
    base = tmp_path_factory.mktemp("uninterrupted")
    run = Run(["reports", "--corpus", str(SEEDS), "--out", str(base / "out"), "--only", *SUBSET],
              base / "cache", base / "stdout.txt")
    assert run.finish() == 0, run.stderr()
    files = _snapshot(base / "out")
    pages = {f"{name}{suffix}" for name in SUBSET for suffix in (".html", ".ipynb")}
    assert pages | {"index.html", "actors.html", "documents-1.html"} <= set(files)
    assert all(name in pages or name.endswith(".csv") or name in ("index.html", "actors.html", "documents-1.html")
               for name in files), sorted(files)
    return files


def test_killed_render_leaves_old_or_complete_files_and_the_rerun_completes(
    uninterrupted: dict[str, bytes], tmp_path: Path
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    before = {name: _previous_version(name, data) for name, data in uninterrupted.items()}
    for name, data in before.items():
        (out / name).write_bytes(data)

    cache = tmp_path / "cache2"  # cold: the run annotates the seeds first, then renders
    args = ["reports", "--corpus", str(SEEDS), "--out", str(out), "--only", *SUBSET]
    run = Run(args, cache, tmp_path / "stdout-killed.txt")
    run.wait_for(lambda: any(line.startswith("rendering 3 report(s)") for line in run.lines), "'rendering' on stderr")
    run.wait_for(lambda: any((out / ".kg-staging").glob("*.ipynb")), "a staged notebook")
    time.sleep(1)
    run.kill()

    after = _snapshot(out)
    assert set(after) == set(before), "published files appeared or disappeared"
    for name, data in after.items():
        _assert_complete(name, data)
        assert data in (before[name], uninterrupted[name]), f"{name} is neither the old nor the new version"
    for name in SUBSET:  # a report's notebook is published last: a new notebook means a new page
        if after[f"{name}.ipynb"] == uninterrupted[f"{name}.ipynb"]:
            assert after[f"{name}.html"] == uninterrupted[f"{name}.html"], name
    assert after["index.html"] == before["index.html"]  # the index is written only at the very end

    rerun = Run(args, cache, tmp_path / "stdout-rerun.txt")
    assert rerun.finish() == 0, rerun.stderr()
    final = _snapshot(out)
    assert sorted(final) == sorted(uninterrupted)
    different = [name for name in final if final[name] != uninterrupted[name]]
    assert not different, f"differ from the uninterrupted render: {different}"
    assert not (out / ".kg-staging").exists()


def _annotate(seeds_cache: Path, tables: Path, stdout: Path) -> Run:
    return Run(["annotate", str(SEEDS), "--cache", str(seeds_cache), "--out", str(tables)], seeds_cache, stdout)


@pytest.fixture(scope="module")
def reference_tables(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Tables and cache of an uninterrupted cold `annotate` of the seeds."""
    base = tmp_path_factory.mktemp("annotate-reference")
    run = _annotate(base / "cache", base / "tables", base / "stdout.txt")
    assert run.finish() == 0, run.stderr()
    assert (base / "tables" / "mentions.csv").stat().st_size > 1000
    return base / "tables", base / "cache"


def _assert_same_tables(tables: Path, reference: Path) -> None:
    for name in ("mentions.csv", "sentences.csv", "documents.csv"):
        assert (tables / name).read_bytes() == (reference / name).read_bytes(), name


def _parts(cache: Path) -> list[Path]:
    return sorted(cache.glob("*/part-*.parquet"))


def test_killed_annotation_then_rerun_gives_the_same_mentions(
    reference_tables: tuple[Path, Path], tmp_path: Path
) -> None:
    reference, _ = reference_tables
    cache = tmp_path / "cache"
    run = _annotate(cache, tmp_path / "unused", tmp_path / "stdout-killed.txt")
    # the fingerprint folder appears just before spaCy starts on the documents
    run.wait_for(lambda: any(cache.glob("*/")), "an annotation cache folder")
    run.kill()
    assert not (tmp_path / "unused" / "mentions.csv").exists(), "the run finished before it was killed"

    rerun = _annotate(cache, tmp_path / "tables", tmp_path / "stdout-rerun.txt")
    assert rerun.finish() == 0, rerun.stderr()
    _assert_same_tables(tmp_path / "tables", reference)


@pytest.mark.parametrize("kind", ["mentions", "sentences"])
def test_truncated_cache_part_is_rebuilt(reference_tables: tuple[Path, Path], tmp_path: Path, kind: str) -> None:
    reference, reference_cache = reference_tables
    cache = tmp_path / "cache"
    shutil.copytree(reference_cache, cache)
    parts = [part for part in _parts(cache) if part.name.endswith(f".{kind}.parquet")]
    assert parts, sorted(cache.rglob("*"))
    size = parts[0].stat().st_size
    with parts[0].open("r+b") as handle:
        handle.truncate(size // 2)

    rerun = _annotate(cache, tmp_path / "tables", tmp_path / "stdout.txt")
    assert rerun.finish() == 0, rerun.stderr()
    assert any("unreadable" in line for line in rerun.lines), rerun.stderr()
    _assert_same_tables(tmp_path / "tables", reference)
    for part in _parts(cache):  # the cache holds only readable parts again
        pq.read_table(part)
