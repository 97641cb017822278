"""The review list: what a person should look at before trusting the actor keys, most
consequential first, with a `decision` column to fill in (`same` / `different`). The filled-in
file is accepted as it is by `--merges` (`analysis.link.merges`).

Kinds of rows: `automatic merge` (undo with `different`), `candidate` (a merge not made, with
its score), `one document` (a candidate whose actor is seen in one document only), `cyrillic
only` (a key with no Latin name, so Russian and English coverage do not pool), `also a
source` (an actor's name that is also an outlet of the corpus), `generic body` (an institution
named without its country: "the Foreign Ministry")."""

from __future__ import annotations

import pandas as pd

from analysis.csvfile import write_csv
from analysis.link.link import Links
from analysis.link.names import is_cyrillic

REVIEW_COLUMNS = ["decision", "kind", "key", "name", "other", "other_name", "score", "mentions", "documents",
                  "reason", "context"]
CONTEXT_CHARS = 60  # of text either side of a mention in the context column


def _contexts(mentions: pd.DataFrame, documents: pd.DataFrame | None) -> dict[str, str]:
    """One line of text around the first mention of each original key."""
    if documents is None or documents.empty or mentions.empty:
        return {}
    first = mentions[mentions["kind"] == "actor"].sort_values(["doc_id", "start"]).drop_duplicates("key")
    texts = documents.set_index("doc_id")["text"]
    out = {}
    for key, doc, start, end in zip(first["key"], first["doc_id"], first["start"], first["end"], strict=True):
        text = str(texts.get(doc, ""))
        line = text[max(0, start - CONTEXT_CHARS):end + CONTEXT_CHARS]
        out[key] = f"{doc}: " + " ".join(line.split())
    return out


def review_actors(mentions: pd.DataFrame, links: Links, documents: pd.DataFrame | None = None,
                  generic_names: frozenset[str] = frozenset()) -> pd.DataFrame:
    """The review list of an annotated corpus: `mentions` as annotated (before linking, so
    each original key is seen), `links` as decided, `documents` for context lines and outlet
    names, `generic_names` the lower-case bare institution names of the lexicons."""
    from analysis.link.actors import actor_summary

    actors = actor_summary(mentions).set_index("key")
    table = links.table.set_index("key")
    context = _contexts(mentions, documents)
    rows = []

    def info(key: str) -> tuple[str, int, int]:
        if key in actors.index:
            return str(actors.at[key, "name"]), int(actors.at[key, "mentions"]), int(actors.at[key, "documents"])
        return str(table.at[key, "name"]) if key in table.index else "", 0, 0

    for key, row in table[table.index != table["linked"]].iterrows():
        name, count, docs = info(key)
        rows.append(("", "automatic merge", key, name, row["linked"], row["name"], row["score"], count, docs,
                     row["rule"], context.get(key, "")))
    for candidate in links.candidates.itertuples(index=False):
        name, count, docs = info(candidate.key)
        other_name, _, other_docs = info(candidate.other)
        kind = "one document" if min(docs, other_docs) == 1 else "candidate"
        rows.append(("", kind, candidate.key, name, candidate.other, other_name, candidate.score, count, docs,
                     candidate.reason, context.get(candidate.key, "")))
    for root, members in table.groupby("linked"):
        if all(is_cyrillic(info(key)[0]) for key in members.index):
            name, count, docs = info(root)
            rows.append(("", "cyrillic only", root, name, "", "", None, count, docs,
                         "no Latin name: its mentions do not pool with English documents", context.get(root, "")))
    sources = set()
    if documents is not None and "source" in documents:
        sources = {str(s).strip().lower() for s in documents["source"].dropna()}
    for key in actors.index:
        name, count, docs = info(key)
        lowered = name.strip().lower()
        if lowered and lowered in sources:
            rows.append(("", "also a source", key, name, "", "", None, count, docs,
                         "this name is also an outlet of the corpus", context.get(key, "")))
        if lowered in generic_names and pd.isna(actors.at[key, "affiliation"]):
            rows.append(("", "generic body", key, name, "", "", None, count, docs,
                         "an institution named without its country", context.get(key, "")))
    review = pd.DataFrame(rows, columns=REVIEW_COLUMNS)
    return review.sort_values(["mentions", "kind", "key", "other"], ascending=[False, True, True, True],
                              kind="stable").reset_index(drop=True)


def write_review(review: pd.DataFrame, path) -> None:
    """The review list as tab-separated text, ready to fill in and pass as `--merges`."""
    write_csv(review, path, sep="\t")
