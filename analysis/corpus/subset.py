"""One way to select documents, everywhere: by date range, language, outlet and outlet group.

The command line (`--start --end --languages --sources --source-groups`), every count
notebook (parameters of the same names) and Python (`AnnotatedCorpus.subset(...)`) go through
`select_documents`, which also says what the selection left out ("116 undated documents are
outside any date range"), so a page never loses documents without a word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields

import numpy as np
import pandas as pd

from analysis.corpus.outlets import normalise_label
from analysis.schema import DEFAULT_LANGUAGE

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
SELECTION_PARAMETERS: tuple[str, ...] = ("start", "end", "languages", "sources", "source_groups")


def _date(value: object, what: str) -> pd.Timestamp | None:
    if value is None:
        return None
    expected = f"invalid {what} {value!r}; expected None or a date such as '2021-03-01'"
    if isinstance(value, str) and not _ISO_DATE.fullmatch(value.strip()):
        raise ValueError(expected)  # pandas would read 'March' as a date of the current year
    try:
        return pd.Timestamp(value)
    except (ValueError, TypeError):
        raise ValueError(expected) from None


def _names(value: object, what: str) -> tuple[str, ...] | None:
    if value is None:
        return None
    values = (value,) if isinstance(value, str) else value
    if not isinstance(values, list | tuple) or not values or not all(isinstance(v, str) and v for v in values):
        raise ValueError(f"invalid {what} {value!r}; expected None or a non-empty list of strings")
    return tuple(values)


@dataclass(frozen=True)
class Selection:
    """Which documents a count covers; None means no restriction on that field."""

    start: str | pd.Timestamp | None = None
    end: str | pd.Timestamp | None = None
    languages: tuple[str, ...] | None = None
    sources: tuple[str, ...] | None = None  # outlets (from the outlet table) or source labels as written
    source_groups: tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        start, end = _date(self.start, "start"), _date(self.end, "end")
        if start is not None and end is not None and start > end:
            raise ValueError(f"invalid date range: start {self.start!r} is after end {self.end!r}")
        object.__setattr__(self, "start", start)
        object.__setattr__(self, "end", end)
        for name in ("languages", "sources", "source_groups"):
            object.__setattr__(self, name, _names(getattr(self, name), name))

    @property
    def active(self) -> bool:
        return any(getattr(self, f.name) is not None for f in fields(self))


def _plural(n: int, one: str, many: str) -> str:
    return f"{n:,} {one if n == 1 else many}"


def select_documents(documents: pd.DataFrame, selection: Selection) -> tuple[np.ndarray, list[str]]:
    """A mask over `documents` of the selected rows, and one sentence per reason a document
    was left out (counted in the order the filters apply: dates, languages, sources, groups)."""
    keep = np.ones(len(documents), dtype=bool)
    notes: list[str] = []
    if selection.start is not None or selection.end is not None:
        dates = pd.to_datetime(documents["date"], errors="coerce")
        undated = dates.isna().to_numpy()
        if undated.any():
            notes.append(f"{_plural(int(undated.sum()), 'undated document is', 'undated documents are')} "
                         "outside any date range.")
        keep &= ~undated
        for bound, word in ((selection.start, "before"), (selection.end, "after")):
            if bound is not None:
                outside = dates < bound if word == "before" else dates > bound
                out = keep & outside.fillna(False).to_numpy(bool)
                if out.any():
                    notes.append(f"{_plural(int(out.sum()), 'document is', 'documents are')} dated {word} "
                                 f"{bound:%Y-%m-%d}.")
                keep &= ~out
    if selection.languages is not None:
        language = documents["language"].astype("string") if "language" in documents.columns else \
            pd.Series(DEFAULT_LANGUAGE, index=documents.index, dtype="string")
        out = keep & ~language.isin(selection.languages).fillna(False).to_numpy(bool)
        if out.any():
            others = ", ".join(f"{k}: {v}" for k, v in language[out].fillna("unknown").value_counts().items())
            notes.append(f"{_plural(int(out.sum()), 'document is', 'documents are')} in other languages ({others}).")
        keep &= ~out
    if selection.sources is not None:
        wanted = {normalise_label(s) for s in selection.sources}
        source = documents["source"].astype("string") if "source" in documents.columns else \
            pd.Series(pd.NA, index=documents.index, dtype="string")
        outlet = documents["outlet"].astype("string") if "outlet" in documents.columns else source
        match = (source.map(lambda s: isinstance(s, str) and normalise_label(s) in wanted)
                 | outlet.map(lambda s: isinstance(s, str) and normalise_label(s) in wanted))
        out = keep & ~match.to_numpy(bool)
        if out.any():
            notes.append(f"{_plural(int(out.sum()), 'document is', 'documents are')} from other sources.")
        keep &= ~out
    if selection.source_groups is not None:
        if "source_group" not in documents.columns:
            raise ValueError("selecting source_groups needs documents.source_group (analysis.corpus.outlets)")
        group = documents["source_group"].astype("string")
        out = keep & ~group.isin(selection.source_groups).fillna(False).to_numpy(bool)
        unknown = int((out & group.isna().to_numpy(bool)).sum())
        if out.any():
            notes.append(f"{_plural(int(out.sum()), 'document is', 'documents are')} outside the outlet groups "
                         f"{', '.join(selection.source_groups)}"
                         + (f" ({unknown:,} of them from outlets the outlet table does not know)." if unknown
                            else "."))
        keep &= ~out
    return keep, notes


# A selected document's place among all the corpus's documents in date order: the text pages are
# built from the whole corpus, so a report on a selection links to the pages where its documents are.
TEXT_POSITION = "text_position"


def text_order(documents: pd.DataFrame) -> pd.DataFrame:
    """The documents in the order of the text pages: by date, undated last, then doc_id."""
    return documents.sort_values(["date", "doc_id"], na_position="last", kind="stable")


def text_positions(documents: pd.DataFrame) -> np.ndarray:
    """Each document's place in `text_order`."""
    order = text_order(documents).index
    positions = np.empty(len(documents), dtype=np.int64)
    positions[documents.index.get_indexer(order)] = np.arange(len(documents))
    return positions


def subset_tables(documents: pd.DataFrame, mentions: pd.DataFrame, sentences: pd.DataFrame,
                  selection: Selection) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, list[str]]:
    """The three tables restricted to the selected documents, and what was left out."""
    keep, notes = select_documents(documents, selection)
    if keep.all():
        return documents, mentions, sentences, notes
    if TEXT_POSITION not in documents:
        documents = documents.assign(**{TEXT_POSITION: text_positions(documents.reset_index(drop=True))})
    chosen = documents[keep].reset_index(drop=True)
    ids = set(chosen["doc_id"].astype(str))
    return (chosen, mentions[mentions["doc_id"].astype(str).isin(ids)].reset_index(drop=True),
            sentences[sentences["doc_id"].astype(str).isin(ids)].reset_index(drop=True), notes)
