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
    offsets are relative to the passage; `sentence` is the sentence (as numbered in the
    sentences table) of the earlier of the two mentions, the one a link to the text lands on.
    """
    limit = parameters.check("limit", limit)
    codes = [key_code(incidence.keys, key, level) for key in (a_key, b_key)]
    if codes[0] == codes[1]:
        raise ValueError(f"a_key and b_key are the same key {a_key!r}; expected two keys")
    a, b = pair_order(incidence.keys, *codes)
    frame = _evidence_rows(incidence, mentions, documents, np.array([a]), np.array([b]))
    if limit is not None:
        frame = frame.head(limit)
    return frame.drop(columns=["pair"]).reset_index(drop=True).astype(EVIDENCE_COLUMNS)


def pairs_evidence(incidence: Incidence, mentions: pd.DataFrame, documents: pd.DataFrame,
                   pairs: pd.DataFrame) -> pd.DataFrame:
    """The evidence of every pair of a pair table at once (`a_key`, `b_key` as the table has
    them): one row per pair and unit, the rows of `evidence` for each pair, pairs in the
    table's order, with the pair's `a_key` and `b_key` first. One join over the units, not one
    call per pair, so the evidence of a table of thousands of pairs costs about what its
    counts did."""
    index = pd.Index(incidence.keys["key"])
    a = index.get_indexer(pairs["a_key"].astype(object))
    b = index.get_indexer(pairs["b_key"].astype(object))
    if (a < 0).any() or (b < 0).any():
        missing = pairs.loc[(a < 0) | (b < 0), ["a_key", "b_key"]].iloc[0].tolist()
        raise ValueError(f"pair {missing}: a key this model does not know; expected a pair table of this model")
    frame = _evidence_rows(incidence, mentions, documents, a.astype(np.int64), b.astype(np.int64))
    keys = incidence.keys["key"].to_numpy(dtype=object)
    out = frame.drop(columns=["pair"]).astype(EVIDENCE_COLUMNS)
    out.insert(0, "b_key", pd.array(keys[b[frame["pair"].to_numpy()]], dtype="string"))
    out.insert(0, "a_key", pd.array(keys[a[frame["pair"].to_numpy()]], dtype="string"))
    return out.reset_index(drop=True)


def _evidence_rows(incidence: Incidence, mentions: pd.DataFrame, documents: pd.DataFrame, a: np.ndarray,
                   b: np.ndarray) -> pd.DataFrame:
    """The evidence rows of the pairs (a[i], b[i]) (key codes), with `pair` = i, each pair's rows
    most informative first: the units holding both keys, joined on the first mention of each."""
    require(mentions, ("start", "end", "text"), "mentions")
    firsts = _first_in_unit(incidence, mentions, np.union1d(a, b))
    wanted = pd.DataFrame({"pair": np.arange(len(a), dtype=np.int64), "code_a": a, "code_b": b})
    both = (firsts.rename(columns=lambda c: c if c == "unit_id" else f"{c}_a")
            .merge(wanted, on="code_a")
            .merge(firsts.rename(columns=lambda c: c if c == "unit_id" else f"{c}_b"), on=["unit_id", "code_b"]))
    if both.empty:
        return empty_frame({"pair": "int64", **EVIDENCE_COLUMNS})
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
    a_first = both["start_a"].to_numpy() <= both["start_b"].to_numpy()
    frame = pd.DataFrame(
        {
            "pair": both["pair"].to_numpy(np.int64),
            "doc_id": np.asarray(doc_ids, dtype=object),
            "date": pd.to_datetime(docs["date"].reindex(doc_ids), errors="coerce").to_numpy(),
            "unit": layout.label[uid],
            "sentence": np.where(a_first, both["sentence_a"].to_numpy(), both["sentence_b"].to_numpy()),
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
    return frame.sort_values(["pair", "actors", "date", "doc_id", "unit"], na_position="last", kind="stable")


def _first_in_unit(incidence: Incidence, mentions: pd.DataFrame, codes: np.ndarray) -> pd.DataFrame:
    """The first mention (by offset) of each of the keys `codes` in each unit that contains it,
    with the sentence (as the sentences table numbers it) the mention is in."""
    which = np.flatnonzero(np.isin(incidence.mention_key, codes))
    rows = incidence.mention_row[which]
    idx, unit_ids = expand(incidence.layout.lo[rows], incidence.layout.hi[rows])
    picked = mentions.iloc[which[idx]]
    frame = pd.DataFrame(
        {
            "unit_id": unit_ids,
            "code": incidence.mention_key[which[idx]],
            "start": picked["start"].to_numpy(np.int64),
            "end": picked["end"].to_numpy(np.int64),
            "sentence": incidence.layout.sentences.sentence[rows[idx]],
            "text": picked["text"].astype("string").to_numpy(),
            **{column: (picked[column] if column in picked else pd.Series(pd.NA, index=picked.index))
               .astype("string").to_numpy() for column in ("rule", "trigger")},
        }
    )
    return frame.sort_values(["unit_id", "code", "start", "end"], kind="stable").drop_duplicates(["unit_id", "code"])


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
