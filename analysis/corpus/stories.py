"""Stories: near-copies of one text (a press release rewritten by five outlets, a wire story
reprinted with a new headline) grouped, so they count as one observation, not five.

Each document's body (the text after its headline, so a new headline does not hide a copy)
is cut into overlapping shingles of `SHINGLE_WORDS` lower-cased words; MinHash signatures
(datasketch, `NUM_PERMUTATIONS` permutations) estimate the Jaccard similarity of two shingle
sets, and locality-sensitive hashing proposes the pairs worth comparing, so the cost grows with
the corpus, not with its square. Two documents whose estimated similarity reaches `threshold`
are copies, and copies of copies are one story (connected components).

Why 0.8 by default: changing one word of a text changes at most `SHINGLE_WORDS` of its
shingles, so a 200-word copy with a few edits still shares well over 90% of its shingles,
while two independent reports of one event (same names, same quotes, own sentences) share far
fewer than half. Lower it (e.g. 0.5) to also join rewrites that keep most sentences.

Exact duplicates (`documents.duplicate_of`, flagged by the reader) are kept as documents as
before, and are always in the story of their original. A story is named by its earliest
document (by date, undated last, then doc_id), so `documents.story == doc_id` marks the
document a story is known by.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
from datasketch import MinHash, MinHashLSH

DEFAULT_THRESHOLD = 0.8
SHINGLE_WORDS = 5
NUM_PERMUTATIONS = 128
_WORD = re.compile(r"\w+", re.UNICODE)


def check_threshold(value: object, what: str = "story_threshold") -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= 1:
        raise ValueError(f"invalid {what} {value!r}; expected a similarity above 0 and at most 1, e.g. 0.8")
    return float(value)


def shingles(text: str, size: int = SHINGLE_WORDS) -> set[bytes]:
    """The set of overlapping `size`-word sequences of a text, lower-cased (a shorter text is one)."""
    words = _WORD.findall(text.lower())
    if len(words) <= size:
        return {" ".join(words).encode("utf-8", "surrogatepass")} if words else set()
    return {" ".join(words[i:i + size]).encode("utf-8", "surrogatepass") for i in range(len(words) - size + 1)}


def _signature(text: str) -> MinHash | None:
    found = shingles(text)
    if not found:
        return None
    signature = MinHash(num_perm=NUM_PERMUTATIONS, seed=1)
    signature.update_batch(list(found))
    return signature


def _bodies(documents: pd.DataFrame) -> list[str]:
    text = documents["text"].astype("string").fillna("")
    if "body_start" not in documents.columns:
        return list(text)
    starts = documents["body_start"].fillna(0).astype("int64")
    return [t[s:] if len(t) > s else t for t, s in zip(text, starts, strict=True)]


def _components(n: int, pairs: list[tuple[int, int]]) -> np.ndarray:
    """Connected component (smallest member) of each of n items joined by `pairs`."""
    parent = np.arange(n)

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, j in pairs:
        a, b = root(i), root(j)
        if a != b:
            parent[max(a, b)] = min(a, b)
    return np.array([root(i) for i in range(n)])


def assign_stories(documents: pd.DataFrame, threshold: float = DEFAULT_THRESHOLD) -> pd.Series:
    """The story of each document (a doc_id: the story's earliest document), indexed like
    `documents`. Needs `doc_id` and `text`; uses `date`, `body_start` and `duplicate_of` when present."""
    threshold = check_threshold(threshold)
    order = documents.assign(_date=pd.to_datetime(documents["date"], errors="coerce")
                             if "date" in documents.columns else pd.NaT)
    order = order.sort_values(["_date", "doc_id"], na_position="last", kind="stable")
    ids = order["doc_id"].astype("string").to_numpy(dtype=object)
    position = {doc_id: i for i, doc_id in enumerate(ids)}
    pairs: list[tuple[int, int]] = []
    if "duplicate_of" in order.columns:
        for i, original in enumerate(order["duplicate_of"].astype("string")):
            if not pd.isna(original) and original in position:
                pairs.append((i, position[original]))
    index = MinHashLSH(threshold=threshold, num_perm=NUM_PERMUTATIONS)
    signatures: list[MinHash | None] = []
    for i, body in enumerate(_bodies(order)):
        signature = _signature(body)
        signatures.append(signature)
        if signature is None:
            continue
        for j in index.query(signature):
            if signature.jaccard(signatures[j]) >= threshold:
                pairs.append((i, j))
        index.insert(i, signature)
    story = ids[_components(len(ids), pairs)]
    return pd.Series(story, index=order.index, dtype="string", name="story").reindex(documents.index)


def with_stories(documents: pd.DataFrame, threshold: float = DEFAULT_THRESHOLD) -> pd.DataFrame:
    """`documents` with a `story` column."""
    return documents.assign(story=assign_stories(documents, threshold))


def story_copies(documents: pd.DataFrame) -> pd.DataFrame:
    """The stories told by more than one document, one row per document, for the Corpus
    overview: story, doc_id, source, date, title; largest stories first."""
    size = documents.groupby("story")["doc_id"].transform("size")
    columns = [c for c in ("story", "doc_id", "source", "date", "title") if c in documents.columns]
    copies = documents.loc[size > 1, columns].assign(_size=size[size > 1])
    copies = copies.sort_values(["_size", "story", "doc_id"], ascending=[False, True, True], kind="stable")
    return copies.drop(columns="_size").reset_index(drop=True)
