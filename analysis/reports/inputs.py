"""What a rendered report was made from, recorded in its notebook so that an unchanged report
is not executed again: one digest of the notebook, its parameters, the corpus, the annotator,
the package's code and the lock file."""

from __future__ import annotations

import hashlib
import json
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import nbformat

from analysis.fingerprint import digest_files, package_files

# Where a rendered notebook records what it was made from.
INPUTS_METADATA = "kg_cooccurrence"


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


def site_fingerprint(code: str, site: list[tuple[str, str]]) -> str:
    """The code fingerprint and the set's names and titles: every page's navigation shows them."""
    return code + hashlib.sha256(json.dumps(site, ensure_ascii=False).encode()).hexdigest()


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


def recorded_inputs(notebook: Path) -> str | None:
    """The inputs digest a rendered notebook records, or None (missing, unreadable, unstamped)."""
    try:
        recorded = json.loads(notebook.read_text(encoding="utf-8"))["metadata"].get(INPUTS_METADATA, {})
    except (OSError, ValueError, KeyError, AttributeError):
        return None
    return recorded.get("inputs") if isinstance(recorded, dict) else None


def is_current(out: Path, name: str, inputs: str) -> bool:
    """True when out/name.ipynb and .html exist and the notebook records the same inputs."""
    return (out / f"{name}.html").is_file() and recorded_inputs(out / f"{name}.ipynb") == inputs


def stamp(notebook: nbformat.NotebookNode, inputs: str) -> nbformat.NotebookNode:
    """Record `inputs` in the notebook's metadata."""
    notebook.metadata[INPUTS_METADATA] = {"inputs": inputs}
    return notebook
