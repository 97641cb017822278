"""The problems met while reading a corpus: one record per file or row not loaded or loaded
with a caveat, their table, and the error that lists them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis.errors import AnalysisError
from analysis.schema import empty_frame

PROBLEM_COLUMNS = {"file": "string", "line": "Int64", "reason": "string", "action": "string"}


class CorpusError(AnalysisError):
    """The corpus cannot be read as asked (missing path, no documents, strict mode)."""


@dataclass(frozen=True)
class Problem:
    file: str
    reason: str
    action: str = "skipped"  # skipped: the document is not in the table; loaded: it is
    line: int | None = None


Row = tuple[dict | None, list[Problem]]  # a document (or None when none was read) and the problems met


def problems_frame(problems: list[Problem]) -> pd.DataFrame:
    if not problems:
        return empty_frame(PROBLEM_COLUMNS)
    frame = pd.DataFrame([vars(problem) for problem in problems])
    return frame[list(PROBLEM_COLUMNS)].astype(PROBLEM_COLUMNS).reset_index(drop=True)


def problem_error(path: str | Path, problems: pd.DataFrame) -> CorpusError:
    listing = "; ".join(f"{row.file}{'' if pd.isna(row.line) else f':{row.line}'}: {row.reason}"
                        for row in problems.itertuples())
    return CorpusError(f"{len(problems)} problem(s) reading {str(path)!r}: {listing}")
