"""Read a corpus into the `documents` table, listing every problem instead of skipping silently.

Two input shapes:

* a folder of `.txt` files in the seed format (`analysis.corpus.headers`: an optional header
  line or headline, a byline or dateline, wire boilerplate; the rules of every registered
  language are tried);
* a `.jsonl` or `.csv` file with columns ``id``, ``text`` and optional ``date``,
  ``title``, ``source``, ``language`` (`analysis.corpus.tables`), so users can bring their own
  news dataset.

This module walks a folder, admits documents (no repeated id; a repeated text flagged) and
yields them in batches. The body is normalised once (`analysis.corpus.text`) and every
character offset downstream points into that normalised `text`.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

import pandas as pd

from analysis.corpus.compact import DigestMap, StringList
from analysis.corpus.datelines import parse_date
from analysis.corpus.detect import with_languages
from analysis.corpus.formats import DEFAULT_MAX_BYTES, TABLE_SUFFIXES, TEXT_SUFFIXES, read_text_file
from analysis.corpus.headers import ParsedText, clean_body, parse_seed_text, take_byline
from analysis.corpus.identity import CorpusFingerprint, corpus_fingerprint
from analysis.corpus.problems import PROBLEM_COLUMNS, CorpusError, Problem, Row, problem_error, problems_frame
from analysis.corpus.tables import TableHeaderError, UnreadableTableError, table_rows
from analysis.corpus.text import MAX_PIECE_CHARS, normalise_text, split_paragraphs
from analysis.schema import DOCUMENT_COLUMNS, conform, empty_frame

# Callers import the reader's names from here, wherever they are made.
__all__ = [
    "DEFAULT_BATCH_DOCUMENTS", "DEFAULT_MAX_BYTES", "MAX_PIECE_CHARS", "PROBLEM_COLUMNS", "CorpusBatch",
    "CorpusError", "CorpusFingerprint", "CorpusResult", "ParsedText", "Problem", "Row", "TableHeaderError",
    "UnreadableTableError", "check_corpus", "clean_body", "corpus_fingerprint", "iter_corpus", "normalise_text",
    "parse_date", "parse_seed_text", "read_corpus", "split_paragraphs", "take_byline",
]

# Documents per batch of `iter_corpus`: the texts a reader holds at once (one cache part's worth).
DEFAULT_BATCH_DOCUMENTS = 500


class CorpusResult(NamedTuple):
    """`documents` table and the problems met while reading (file, line, reason, action)."""

    documents: pd.DataFrame
    problems: pd.DataFrame


class CorpusBatch(NamedTuple):
    """Documents read in one batch of `iter_corpus` (reading order) and the problems met
    while reading them."""

    documents: pd.DataFrame
    problems: pd.DataFrame


def _entries(root: Path) -> Iterator[Path | Problem]:
    """The files to read under `root` in path order, and a problem line for everything else
    met: hidden files and folders, symbolic links to folders (not followed), broken links, and
    links to files outside the corpus folder (not read: a corpus is what is inside its
    folder). Lazy: only the names of the folder being walked are held, never the whole list."""
    base, real_root = root.parent, root.resolve()

    def visit(here: Path) -> Iterator[Path | Problem]:
        try:
            names = sorted(os.listdir(here))
        except OSError as error:
            yield Problem(here.relative_to(base).as_posix(), f"folder cannot be read: {error.strerror or error}")
            return
        for name in names:  # files and folders in one sorted list: the order of sorted paths
            path = here / name
            shown = path.relative_to(base).as_posix()
            if path.is_dir():
                if path.is_symlink():
                    yield Problem(shown, "symbolic link to a folder; not followed (copy the files in)")
                elif name.startswith("."):
                    yield Problem(shown, "hidden folder; not read (rename it without the leading '.')")
                else:
                    yield from visit(path)
            elif name.startswith("."):
                yield Problem(shown, "hidden file; not read (rename it without the leading '.')")
            elif path.is_symlink() and not path.exists():
                yield Problem(shown, f"broken symbolic link (to {os.readlink(path)!r})")
            elif path.is_symlink() and not path.resolve().is_relative_to(real_root):
                yield Problem(shown, "symbolic link to a file outside the corpus folder; not read")
            elif path.is_file():
                yield path
            else:
                yield Problem(shown, "not a regular file (a device, pipe or socket); not read")

    return visit(root)


class _Admission:
    """Which documents enter the table, decided in reading order while keeping, per document,
    only digests of its id and text and the id itself, compactly (`analysis.corpus.compact`), never
    its text: a repeated id is left out (the first one kept), a repeated text is kept and
    flagged as a duplicate of the first document read with it."""

    def __init__(self) -> None:
        self.ids = DigestMap()  # SHA-256 of the doc_id -> 0
        self.texts = DigestMap()  # SHA-256 of the text -> number of the first document with it
        self.names = StringList()  # doc_id of each document admitted, by number

    def admit(self, row: dict, problems: list[Problem]) -> bool:
        doc_id = row["doc_id"]
        id_digest = hashlib.sha256(doc_id.encode("utf-8", "surrogatepass")).hexdigest()
        if self.ids.get(id_digest) != DigestMap.MISSING:
            problems.append(Problem(row["path"], f"duplicate document id {doc_id!r}; first one kept"))
            return False
        self.ids.set(id_digest, 0)
        first = self.texts.get(row["sha256"])
        if first == DigestMap.MISSING:
            self.texts.set(row["sha256"], len(self.names))
        else:
            original = row["duplicate_of"] = self.names[first]
            problems.append(Problem(row["path"], f"same text as {original!r}; kept and flagged as duplicate",
                                    action="loaded"))
        self.names.append(doc_id)
        return True


def _corpus_root(path: str | Path, max_bytes: int) -> Path:
    """`path` as a corpus to read, or CorpusError saying why it is not one."""
    root = Path(path)
    if not root.exists():
        raise CorpusError(f"corpus path {str(path)!r} does not exist")
    if max_bytes < 1:
        raise CorpusError(f"max_bytes = {max_bytes!r}: expected a positive number of bytes")
    if root.is_file() and root.suffix not in TABLE_SUFFIXES + TEXT_SUFFIXES:
        raise CorpusError(f"corpus file {str(path)!r}: expected a folder, .jsonl, .csv or .txt")
    return root


def _file_rows(root: Path, file: Path, max_bytes: int) -> Iterator[Row]:
    """(document or None, problems) for each document of one corpus file."""
    shown = file.relative_to(root.parent).as_posix()
    if file.suffix in TEXT_SUFFIXES:
        doc_id = file.relative_to(root if root.is_dir() else root.parent).with_suffix("").as_posix()
        yield read_text_file(file, doc_id, shown, max_bytes)
    elif file.suffix in TABLE_SUFFIXES:
        try:
            yield from table_rows(file, shown, max_bytes)
        except UnreadableTableError as error:
            if file == root:
                raise CorpusError(f"{file}: {error}") from None
            yield None, [Problem(shown, f"{error}; file not read", line=1 if isinstance(error, TableHeaderError)
                                 else None)]
    else:
        yield None, [Problem(shown, f"unsupported file type {file.suffix or '(none)'!r}")]


def _batch(rows: list[dict], problems: list[Problem]) -> CorpusBatch:
    """The batch's table, each document with its language (given, else detected), and its
    problems, a language without a pipeline among them."""
    if not rows:
        return CorpusBatch(empty_frame(DOCUMENT_COLUMNS), problems_frame(problems))
    documents, language_problems = with_languages(pd.DataFrame(rows))
    problems.extend(Problem(path, reason, action="loaded") for path, reason in language_problems)
    return CorpusBatch(conform(documents, DOCUMENT_COLUMNS), problems_frame(problems))


def _read_batches(root: Path, given: str, batch_size: int, max_bytes: int) -> Iterator[CorpusBatch]:
    admission = _Admission()
    rows: list[dict] = []
    problems: list[Problem] = []
    files = 0
    for entry in [root] if root.is_file() else _entries(root):
        if isinstance(entry, Problem):
            problems.append(entry)
            continue
        files += 1
        for row, row_problems in _file_rows(root, entry, max_bytes):
            problems.extend(row_problems)
            if row is not None and admission.admit(row, problems):
                rows.append(row)
            if len(rows) >= batch_size:
                yield _batch(rows, problems)
                rows, problems = [], []
    if not files:  # nothing was yielded: no file means no document
        listed = "".join(f"; {problem.file}: {problem.reason}" for problem in problems)
        raise CorpusError(f"corpus folder {given!r} has no files to read: expected .txt, .jsonl "
                          f"or .csv files{listed}")
    if rows or problems:
        yield _batch(rows, problems)


def iter_corpus(
    path: str | Path, batch_size: int = DEFAULT_BATCH_DOCUMENTS, max_bytes: int = DEFAULT_MAX_BYTES
) -> Iterator[CorpusBatch]:
    """The documents of a folder of .txt files or a .jsonl/.csv file, `batch_size` at a time in
    reading order (files in path order, rows in file order), each batch with the problems met
    while reading it: a corpus of any size is read holding one batch of texts.

    What is checked across batches keeps only ids and text digests (`_Admission`): a repeated
    id is listed and left out, a repeated text kept and flagged as duplicate of the first
    document read with it. A bad path raises CorpusError here; a folder with no files to read
    raises it on iteration, before any batch. `read_corpus` is this, gathered whole."""
    if batch_size < 1:
        raise CorpusError(f"batch_size = {batch_size!r}: expected a positive number of documents")
    return _read_batches(_corpus_root(path, max_bytes), str(path), batch_size, max_bytes)


def _gathered(frames: list[pd.DataFrame], columns: dict[str, str]) -> pd.DataFrame:
    return conform(pd.concat(frames, ignore_index=True), columns) if frames else empty_frame(columns)


def read_corpus(path: str | Path, strict: bool = False, max_bytes: int = DEFAULT_MAX_BYTES) -> CorpusResult:
    """Read a folder of .txt files or a .jsonl/.csv file into `documents` (sorted by doc_id),
    plus problems: `iter_corpus` gathered whole, for callers that want the whole table.

    Nothing is dropped silently: every file or row that is not loaded, and every file loaded
    with a caveat (bad date, duplicate), appears in `problems`; so do hidden files and
    folders and symbolic links that are not read (`_entries`). With `strict`, any
    problem raises `CorpusError` instead. A .txt file or a table row over `max_bytes` is
    listed, not read. A folder's .csv without the required columns is listed and the rest
    read; a single such file given as the corpus is an error.
    """
    batches = list(iter_corpus(path, max_bytes=max_bytes))
    documents = _gathered([batch.documents for batch in batches if len(batch.documents)], DOCUMENT_COLUMNS)
    documents = conform(documents.sort_values("doc_id", kind="stable"), DOCUMENT_COLUMNS)
    problems = _gathered([batch.problems for batch in batches if len(batch.problems)], PROBLEM_COLUMNS)
    if strict and len(problems):
        raise problem_error(path, problems)
    return CorpusResult(documents, problems)


def check_corpus(path: str | Path, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
    """CorpusError listing every problem of reading `path`, as `read_corpus(strict=True)` gives
    it, from one pass that keeps no text: what `--strict` checks before annotating anything."""
    problems = [batch.problems for batch in iter_corpus(path, max_bytes=max_bytes) if len(batch.problems)]
    if problems:
        raise problem_error(path, _gathered(problems, PROBLEM_COLUMNS))
