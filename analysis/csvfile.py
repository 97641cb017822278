"""Every CSV the package writes goes through `write_csv`, so that no cell taken from the data
can run as a spreadsheet formula when a user opens the file.

A spreadsheet (Excel, LibreOffice, Google Sheets) treats a cell that starts with `=`, `+`,
`-` or `@` (and, in some versions, a tab or carriage return before one) as a formula:
`=HYPERLINK(...)` in a source name, or `+cmd|' /C calc'!A0` as an actor name, would run or
leak data when a report download is opened (OWASP "CSV injection"). Such a text cell is
written with a leading `'`, which spreadsheets show as text and do not evaluate. Numbers are
never touched: a numeric column is written as numbers, and a text cell that is a number
("-3", "+1.5") cannot run.

`unprefix` undoes it, for files a user corrects and gives back (validation sheets): a value
that was written with the quote comes back as it was; a value that itself began with a quote
before a formula character got a second one, so reading back is exact.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"


NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def _needs_quote(text: str) -> bool:
    """Whether a spreadsheet could read `text` as a formula, or it would be taken for one
    written with our quote (so the quote is doubled and reading back stays exact)."""
    bare = text.lstrip(QUOTE)
    if not bare.startswith(FORMULA_STARTS):
        return False
    return len(bare) != len(text) or not NUMBER.fullmatch(text)


def neutralise(value: object) -> object:
    """`value` as it may be written to a CSV cell: a text that could run as a formula gets a
    leading `'`; anything else is returned as it is."""
    if isinstance(value, str) and _needs_quote(value):
        return QUOTE + value
    return value


def unprefix(value: object) -> object:
    """The inverse of `neutralise`, for a cell read back from a CSV this package wrote."""
    if isinstance(value, str) and value.startswith(QUOTE) and value[1:].lstrip(QUOTE).startswith(FORMULA_STARTS):
        return value[1:]
    return value


def _is_text(values: pd.Series | pd.Index) -> bool:
    dtype = values.dtype
    return not (pd.api.types.is_numeric_dtype(dtype) or pd.api.types.is_bool_dtype(dtype)
                or pd.api.types.is_datetime64_any_dtype(dtype) or pd.api.types.is_timedelta64_dtype(dtype))


def _safe_values(values: pd.Series) -> pd.Series:
    if not _is_text(values):
        return values
    if isinstance(values.dtype, pd.CategoricalDtype):
        values = values.astype(object)
    return values.map(neutralise, na_action="ignore")


def _safe_index(index: pd.Index) -> pd.Index:
    if isinstance(index, pd.MultiIndex):
        return pd.MultiIndex.from_tuples([tuple(neutralise(part) for part in row) for row in index],
                                         names=[neutralise(name) for name in index.names])
    if not _is_text(index):
        return index.rename(neutralise(index.name))
    return pd.Index([neutralise(value) for value in index], name=neutralise(index.name), dtype=object)


def safe_frame(frame: pd.DataFrame, index: bool = True) -> pd.DataFrame:
    """A copy of `frame` whose text cells, column labels and (with `index`) index labels are
    safe to open in a spreadsheet; numeric columns are unchanged."""
    safe = pd.DataFrame({position: _safe_values(frame.iloc[:, position]) for position in range(frame.shape[1])},
                        index=frame.index)
    safe.columns = _safe_index(frame.columns)
    if index:
        safe.index = _safe_index(frame.index)
    return safe


def write_csv(frame: pd.DataFrame, path_or_buffer: str | Path | io.TextIOBase | None = None,
              *, index: bool = False, **options: object) -> str | None:
    """`frame.to_csv`, with every text cell from the data made safe to open in a spreadsheet
    (`neutralise`). Without a path returns the text, as `DataFrame.to_csv` does. Options
    (`sep`, `mode`, `header`, ...) are those of `DataFrame.to_csv`; `index` defaults to False.

    Lines end in CRLF (RFC 4180): the csv module quotes a cell only when it holds a character
    of the line ending, and a bare carriage return in an unquoted cell starts a new row in a
    spreadsheet, where "x\r=cmd()" would put a formula at the start of a line."""
    options.setdefault("lineterminator", "\r\n")
    return safe_frame(frame, index=index).to_csv(path_or_buffer, index=index, **options)
