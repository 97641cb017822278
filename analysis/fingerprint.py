"""One way to say "these files decide the result": the digest of a set of folders and files.

Caches and rendered reports are keyed by what decides them. Listing modules by hand goes
stale the day a module is added, so every fingerprint is the digest of whole folders: the
annotation code is its stages' folders, a language is its folder under `analysis/lang/`, a
report's code is the whole package.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
# What can change a result: code, data and the pages' static files; never caches.
FINGERPRINT_SUFFIXES = (".py", ".yaml", ".js", ".css", ".tsv")


def package_files(*parts: str | Path, recursive: bool = True) -> list[Path]:
    """The files under the package's folders or files `parts` (relative to `analysis/`) that
    can change a result, sorted by their path within the package."""
    files: set[Path] = set()
    for part in parts:
        path = PACKAGE_DIR / part
        if path.is_file():
            files.add(path)
        elif path.is_dir():
            found = path.rglob("*") if recursive else path.glob("*")
            files.update(f for f in found if f.is_file() and f.suffix in FINGERPRINT_SUFFIXES
                         and "__pycache__" not in f.parts)
    return sorted(files, key=lambda f: f.relative_to(PACKAGE_DIR).as_posix())


def digest_files(paths: Iterable[Path], base: Path = PACKAGE_DIR) -> str:
    """sha256 over each file's path (relative to `base` when under it) and content."""
    digest = hashlib.sha256()
    for path in paths:
        name = path.relative_to(base).as_posix() if path.is_relative_to(base) else path.name
        digest.update(name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def digest_package(*parts: str | Path, recursive: bool = True) -> str:
    """The digest of `package_files(*parts)`."""
    return digest_files(package_files(*parts, recursive=recursive))
