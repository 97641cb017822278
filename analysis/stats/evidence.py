"""The passages behind a pair's count: one row per unit containing both keys, with the unit's
offsets in its document and the offsets of the first mention of each key in the unit.

Only offsets and text come back; `analysis.reports.presentation.evidence_html` turns a row
into highlighted HTML, so this stage never builds markup.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis import parameters
from analysis.link.find import did_you_mean
from analysis.schema import empty_frame
from analysis.stats import weighting as _weighting
from analysis.stats.incidence import Incidence, expand
from analysis.stats.tables import EVIDENCE_COLUMNS, doc_lookup, require


def evidence(incidence: Incidence, mentions: pd.DataFrame, documents: pd.DataFrame, a_key: str, b_key: str,
             level: str = "actor", limit: int | None = None) -> pd.DataFrame:
    """The evidence of the pair (a_key, b_key) in a corpus's incidence.

    One row per unit containing both keys (so the row count equals the pair's count),
    most informative first: fewest actors named in the unit (a bilateral sentence says more
    about a pair than a guest list), then by date (undated last), doc_id, unit. The two keys
    may be given in either order: `a` is always the side a pair table puts first
    (`pair_order`), so both orders give the same rows. A pair that never co-occurs gives an
    empty table. `start` and `end` locate the unit (the passage) in its document; mention
    offsets are relative to the passage.
    """
    limit = parameters.check("limit", limit)
    require(mentions, ("start", "end", "text"), "mentions")
    codes = [key_code(incidence.keys, key, level) for key in (a_key, b_key)]
    if codes[0] == codes[1]:
        raise ValueError(f"a_key and b_key are the same key {a_key!r}; expected two keys")
    codes = pair_order(incidence.keys, *codes)
    first_a = _first_in_unit(incidence, mentions, codes[0])
    first_b = _first_in_unit(incidence, mentions, codes[1])
    both = first_a.merge(first_b, on="unit_id", suffixes=("_a", "_b"))
    if both.empty:
        return empty_frame(EVIDENCE_COLUMNS)
    layout = incidence.layout
    s = layout.sentences
    uid = both["unit_id"].to_numpy(np.int64)
    doc_code = layout.unit_doc[uid]
    doc_ids = s.doc_ids.take(doc_code)
    docs = doc_lookup(documents, s.doc_ids.take(np.unique(doc_code)), ["date", "text"])
    span_start = s.start[layout.first[uid]]
    span_end = s.end[layout.last[uid]]
    texts = docs["text"].reindex(doc_ids).to_numpy(dtype=object)
    passages = [str(t)[lo:hi] for t, lo, hi in zip(texts, span_start, span_end, strict=True)]
    frame = pd.DataFrame(
        {
            "doc_id": np.asarray(doc_ids, dtype=object),
            "date": pd.to_datetime(docs["date"].reindex(doc_ids), errors="coerce").to_numpy(),
            "unit": layout.label[uid],
            "actors": _weighting.actors_per_unit(
                incidence.matrix, (incidence.keys["kind"] == "actor").to_numpy(bool))[uid],
            "start": span_start,
            "end": span_end,
            "passage": passages,
            "a_text": both["text_a"].to_numpy(),
            "b_text": both["text_b"].to_numpy(),
            "a_start": both["start_a"].to_numpy() - span_start,
            "a_end": both["end_a"].to_numpy() - span_start,
            "b_start": both["start_b"].to_numpy() - span_start,
            "b_end": both["end_b"].to_numpy() - span_start,
            **{f"{side}_{column}": both[f"{column}_{side}"].to_numpy()
               for side in ("a", "b") for column in ("rule", "trigger")},
        }
    )
    frame = frame.sort_values(["actors", "date", "doc_id", "unit"], na_position="last", kind="stable")
    if limit is not None:
        frame = frame.head(limit)
    return frame.reset_index(drop=True).astype(EVIDENCE_COLUMNS)


def _first_in_unit(incidence: Incidence, mentions: pd.DataFrame, code: int) -> pd.DataFrame:
    """The first mention (by offset) of one key in each unit that contains it."""
    which = np.flatnonzero(incidence.mention_key == code)
    rows = incidence.mention_row[which]
    idx, unit_ids = expand(incidence.layout.lo[rows], incidence.layout.hi[rows])
    picked = mentions.iloc[which[idx]]
    frame = pd.DataFrame(
        {
            "unit_id": unit_ids,
            "start": picked["start"].to_numpy(np.int64),
            "end": picked["end"].to_numpy(np.int64),
            "text": picked["text"].astype("string").to_numpy(),
            **{column: (picked[column] if column in picked else pd.Series(pd.NA, index=picked.index))
               .astype("string").to_numpy() for column in ("rule", "trigger")},
        }
    )
    return frame.sort_values(["unit_id", "start", "end"], kind="stable").drop_duplicates("unit_id")


def key_code(keys: pd.DataFrame, key: object, level: str = "actor") -> int:
    """The code (row of `keys`) of one key; an unknown key is refused in one line that proposes
    the keys spelt alike in any script (`analysis.link.find.did_you_mean`)."""
    index = pd.Index(keys["key"])
    code = index.get_indexer([key])[0] if isinstance(key, str) else -1
    if code < 0:
        hint = did_you_mean(key, keys["key"], keys.get("name"))
        few = "" if hint else f"; valid keys include {list(index[:10])}" + (
            f" ({len(index)} in all)" if len(index) > 10 else "")
        raise ValueError(f"unknown key {key!r} at level {level!r}{hint}{few}; "
                         "corpus.find_actor(name) finds a key by any spelling")
    return int(code)


def pair_order(keys: pd.DataFrame, a: int, b: int) -> list[int]:
    """Two key codes in the order a pair table gives them: an actor before a theme, otherwise
    the smaller key first (keys are sorted, so the smaller code)."""
    kinds = keys["kind"].to_numpy(dtype=object) if "kind" in keys else None
    if kinds is not None and kinds[a] != kinds[b]:
        return [a, b] if kinds[a] == "actor" else [b, a]
    return sorted((a, b))
