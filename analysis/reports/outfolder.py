"""The output folder of a report run: the one place the package writes, and only its own files.

A folder given as `--out` may hold a user's own notebooks, pages and tables (or be the folder of
the report set itself). So the folder keeps a manifest (`.kg-manifest.json`) of every file a run
published, each with its owner (a report, the set's pages, the index); a later run replaces or
removes only files listed there, and refuses, naming it, a file it would write over that it did
not write. One run at a time holds the folder's lock (`flock` on `.kg-lock`, released by the
kernel when the holder ends, so a killed run leaves no stale lock). Files are written to
`.kg-staging/` in the folder and moved into place with `os.replace`, so a reader sees the old
file or the new one, never half of one.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
import shutil
import signal
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from analysis.reports.inputs import recorded_inputs
from analysis.reports.reportset import RESERVED_STEM, TABLE_SEPARATOR

MANIFEST = ".kg-manifest.json"
LOCK = ".kg-lock"
STAGING = ".kg-staging"
# Owners of files that belong to no report (a colon is never part of a report name).
PAGES = ":pages"
INDEX = ":index"
# Signals that stop a run: held back while one report's files move into place, so a report is
# published whole or not at all.
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)
# How a page of the set begins, for folders written before manifests existed: its security
# policy and the navigation bar's first link, both within the first few kilobytes.
LEGACY_PAGE_MARKS = ('http-equiv="Content-Security-Policy"', '<a href="index.html">All reports</a>')
LEGACY_PAGE_HEAD = 64 * 1024


class OutputFolderError(ValueError):
    """The output folder cannot be used: not a folder, locked by another run, or holding a file
    the package did not write where it would write one."""


class PublishError(RuntimeError):
    """A file could not be written (disk full, permissions); the message names it."""


def check_out_folder(out: Path) -> None:
    """`--out` must be a folder, or a new folder in an existing, writable one (checked before
    anything runs, and without creating anything)."""
    if out.is_symlink() and not out.exists():
        raise OutputFolderError(f"--out {out}: a broken symbolic link; expected a folder")
    if out.exists() and not out.is_dir():
        raise OutputFolderError(f"--out {out}: is a file; expected a folder")
    parent = out.absolute().parent
    if not out.exists() and not parent.is_dir():
        raise OutputFolderError(f"--out {out}: its parent folder {parent} does not exist")
    target = out if out.exists() else parent
    if not os.access(target, os.W_OK | os.X_OK):
        raise OutputFolderError(f"--out {out}: {target} is not writable")


@contextlib.contextmanager
def locked(out: Path) -> Iterator[None]:
    """Hold the folder's lock for the block; a second run fails at once instead of rendering
    into the same staging folder. The descriptor is not inherited by kernels (close-on-exec),
    but forked workers share it, so the lock lasts as long as any process of the run."""
    out.mkdir(exist_ok=True)
    descriptor = os.open(out / LOCK, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise OutputFolderError(f"--out {out}: another `reports` run is writing this folder; "
                                    "wait for it to end") from None
        yield
    finally:
        os.close(descriptor)


@contextlib.contextmanager
def signals_held() -> Iterator[None]:
    """Defer SIGINT and SIGTERM for the block (delivered when it ends)."""
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def write_text(path: Path, text: str) -> None:
    """Write a file of the run; a failure (disk full, no permission) names the file."""
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as error:
        raise PublishError(f"{path}: cannot write: {error.strerror or error}") from None


def _report_of_table(name: str) -> str | None:
    """The report a `<report>--<table>.csv` belongs to (names never hold '--'), or None."""
    if name.endswith(".csv") and TABLE_SEPARATOR in name:
        return name.split(TABLE_SEPARATOR, 1)[0]
    return None


def _looks_like_page(path: Path) -> bool:
    try:
        with path.open(encoding="utf-8", errors="replace") as handle:
            head = handle.read(LEGACY_PAGE_HEAD)
    except OSError:
        return False
    return all(mark in head for mark in LEGACY_PAGE_MARKS)


def adopt_legacy(out: Path) -> dict[str, str]:
    """The files of a folder rendered before manifests existed that carry the package's own
    marks: notebooks recording their inputs, pages with the set's security policy and
    navigation bar, and the tables of those notebooks. Nothing else is ever claimed."""
    reports = {path.stem for path in out.glob("*.ipynb") if path.is_file() and recorded_inputs(path) is not None}
    files = {f"{name}.ipynb": name for name in reports}
    for page in out.glob("*.html"):
        if page.is_file() and not page.is_symlink() and _looks_like_page(page):
            stem = page.stem
            files[page.name] = INDEX if stem == "index" else (PAGES if RESERVED_STEM.fullmatch(stem) else stem)
    for table in out.glob("*.csv"):
        report = _report_of_table(table.name)
        if report in reports and table.is_file() and not table.is_symlink():
            files[table.name] = report
    return files


@dataclass
class OutputFolder:
    """The folder and the files its manifest says the package wrote (name -> owner)."""

    path: Path
    files: dict[str, str] = field(default_factory=dict)
    # Files taken as ours by their marks alone (a folder without a manifest): replaced when a
    # run writes the same name, never deleted (a user's renamed copy of a report carries the
    # same marks).
    adopted: set[str] = field(default_factory=set)

    @classmethod
    def open(cls, path: Path) -> OutputFolder:
        manifest = path / MANIFEST
        if not manifest.exists():
            files = adopt_legacy(path)
            return cls(path, files, set(files))
        try:
            files = json.loads(manifest.read_text(encoding="utf-8"))["files"]
            if not (isinstance(files, dict) and all(isinstance(v, str) for v in files.values())):
                raise ValueError("'files' is not a mapping of file name to owner")
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise OutputFolderError(f"{manifest}: not a manifest this package wrote ({error}); remove it only "
                                    "if the folder holds nothing of yours besides rendered reports") from None
        return cls(path, files)

    @property
    def staging(self) -> Path:
        return self.path / STAGING

    def _ours(self, name: str) -> bool:
        return name in self.files and not (self.path / name).is_symlink()

    def refuse_foreign(self, names: Iterable[str]) -> None:
        """Fail, naming the first, when a file this run would write exists and is not ours."""
        foreign = sorted(name for name in set(names)
                         if os.path.lexists(self.path / name) and not self._ours(name))
        if foreign:
            more = f" (and {len(foreign) - 1} more)" if len(foreign) > 1 else ""
            raise OutputFolderError(
                f"{self.path / foreign[0]}: not written by kg-cooccurrence (not in {MANIFEST}){more}; "
                "move it away or choose another --out"
            )

    def refuse_foreign_patterns(self, stems: list[re.Pattern]) -> None:
        """Before annotation, when per-actor names are not yet known: refuse every file not ours
        that a report of the set (any name its patterns match) or the set's pages could write."""
        candidates = []
        for entry in self.path.iterdir():
            name = entry.name
            stem = _report_of_table(name) or (name.rsplit(".", 1)[0] if name.endswith((".ipynb", ".html")) else None)
            if stem is None:
                continue
            page = name.endswith(".html") and RESERVED_STEM.fullmatch(stem)
            if page or any(pattern.fullmatch(stem) for pattern in stems):
                candidates.append(name)
        self.refuse_foreign(candidates)

    @contextlib.contextmanager
    def staged(self) -> Iterator[Path]:
        """A fresh staging folder (one left by a killed run is removed), removed when the block
        ends however it ends."""
        shutil.rmtree(self.staging, ignore_errors=True)
        try:
            self.staging.mkdir()
        except OSError as error:
            raise PublishError(f"{self.staging}: cannot create: {error.strerror or error}") from None
        try:
            yield self.staging
        finally:
            shutil.rmtree(self.staging, ignore_errors=True)

    def _save(self) -> None:
        staged = self.staging / MANIFEST
        text = json.dumps({"written_by": "kg-cooccurrence", "files": dict(sorted(self.files.items()))},
                          indent=1, ensure_ascii=False) + "\n"
        write_text(staged, text)
        self._replace(staged, self.path / MANIFEST)

    @staticmethod
    def _replace(source: Path, target: Path) -> None:
        try:
            os.replace(source, target)
        except OSError as error:
            raise PublishError(f"{target}: cannot write: {error.strerror or error}") from None

    def publish(self, owner: str, staged: list[Path]) -> None:
        """Move `staged` (files in the staging folder) into place as `owner`'s files, in order,
        and remove `owner`'s files that are not among them. The manifest lists a file before it
        appears, so a run killed in between never leaves a file of ours unlisted."""
        names = [file.name for file in staged]
        self.refuse_foreign(names)
        stale = sorted(name for name, who in self.files.items() if who == owner and name not in names)
        with signals_held():
            self.files.update(dict.fromkeys(names, owner))
            self.adopted.difference_update(names)
            self._save()
            for file in staged:
                self._replace(file, self.path / file.name)
            self._remove(stale)

    def sweep(self, owners: set[str]) -> None:
        """Remove every file of ours whose owner is not in `owners` (reports no longer in the set)."""
        with signals_held():
            self._remove(sorted(name for name, who in self.files.items() if who not in owners))

    def _remove(self, names: list[str]) -> None:
        if not names:
            return
        for name in names:
            path = self.path / name
            if self._ours(name) and name not in self.adopted and path.is_file():
                try:
                    path.unlink()
                except FileNotFoundError:
                    pass
                except OSError as error:
                    raise PublishError(f"{path}: cannot remove: {error.strerror or error}") from None
            self.files.pop(name, None)
        self._save()

    def exists(self, name: str) -> bool:
        return self._ours(name) and (self.path / name).is_file()
