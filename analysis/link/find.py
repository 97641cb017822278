"""Finding an actor by what a reader remembers of it: its key, or any spelling of its name in
any script ("Tashiev", "Ташиев", "Kamchybek Tashiev", "kamchybek-tashiev").

Names are compared through the link stage's skeletons (`analysis.link.names`), so the
transliteration and case-ending variants the linking already treats as one name are found
by one query. Also what every "unknown key" message proposes as "did you mean".
"""

from __future__ import annotations

import pandas as pd
from rapidfuzz.distance import Levenshtein

from analysis.link.names import name_skeleton, skeleton, words

# how a candidate matched, best first: the ranking of `find_actor`'s rows
MATCHES = ("key", "name", "surname", "words", "similar")
FOUND_COLUMNS = {"key": "string", "name": "string", "category": "string", "mentions": "int64",
                 "match": "string"}
# a skeleton this alike (1 - edits / length) is offered as a misspelling: one letter in five;
# Jaro-Winkler was not used: its weight on a shared beginning finds "nations" for "nato"
SIMILAR = 0.8


def _match(query: str, key: str, names: list[str]) -> tuple[int, float] | None:
    """(rank of the kind of match in MATCHES, similarity) of one actor, None if it does not match."""
    query_key = query.strip().lower()
    if query_key == key.lower():
        return 0, 1.0
    wanted = name_skeleton(query)
    if not wanted:
        return None
    query_words = set(wanted.split())
    best: tuple[int, float] | None = None
    for name in names:
        full = name_skeleton(name)
        parts = full.split()
        if full == wanted:
            found = (1, 1.0)
        elif len(query_words) == 1 and parts and parts[-1] == wanted:
            found = (2, 1.0)
        elif query_words <= set(parts):
            found = (3, 1.0)
        else:
            similarity = max((Levenshtein.normalized_similarity(wanted, candidate) for candidate in (full, *parts)),
                             default=0.0)
            found = (4, similarity) if similarity >= SIMILAR else None
        if found is not None and (best is None or (found[0], -found[1]) < (best[0], -best[1])):
            best = found
    return best


def actor_names(mentions: pd.DataFrame) -> pd.DataFrame:
    """key, name, category, mentions and every surface form of each actor key of a mentions
    table (the forms are what a reader may have read: "Ташиева", "Tashiev")."""
    actors = mentions[mentions["kind"] == "actor"]
    if actors.empty:
        return pd.DataFrame({"key": [], "name": [], "category": [], "mentions": [], "forms": []})
    grouped = actors.groupby("key", sort=True)
    return pd.DataFrame({
        "name": grouped["name"].agg(lambda names: names.mode().iloc[0]),
        "category": grouped["category"].agg(lambda values: values.mode().iloc[0] if values.notna().any() else ""),
        "mentions": grouped.size(),
        "forms": grouped["text"].agg(lambda texts: sorted(set(texts.astype(str)))),
    }).rename_axis("key").reset_index()


def find_actor(actors: pd.DataFrame, query: str, limit: int = 10) -> pd.DataFrame:
    """The actors (of an `actor_names` table) a query names, best match first, then most
    mentioned: the key itself, the whole name, the surname, every word of the query, or a
    name spelt alike. Every comparison is over skeletons, so scripts and spellings meet."""
    rows = []
    for actor in actors.itertuples(index=False):
        found = _match(query, str(actor.key), [str(actor.name), *actor.forms])
        if found is not None:
            rows.append({"key": actor.key, "name": actor.name, "category": actor.category,
                         "mentions": actor.mentions, "match": MATCHES[found[0]], "_rank": found[0],
                         "_similarity": found[1]})
    if not rows:
        return pd.DataFrame({column: pd.Series(dtype=dtype) for column, dtype in FOUND_COLUMNS.items()})
    frame = pd.DataFrame(rows).sort_values(["_rank", "_similarity", "mentions", "key"],
                                           ascending=[True, False, False, True], kind="stable")
    return frame[list(FOUND_COLUMNS)].head(limit).reset_index(drop=True).astype(FOUND_COLUMNS)


def did_you_mean(query: object, keys: pd.Series, names: pd.Series | None = None, limit: int = 3) -> str:
    """' (did you mean 'x', 'y'?)' for an unknown key, the keys whose key or name is spelt like
    the query in any script; '' when nothing is alike."""
    if not isinstance(query, str) or not words(query.replace("-", " ")):
        return ""
    wanted = name_skeleton(query.replace("-", " "))
    scored = []
    for key, name in zip(keys, names if names is not None else keys, strict=True):
        candidates = {name_skeleton(str(key).replace("-", " ")), name_skeleton(str(name))}
        parts = {part for candidate in candidates for part in candidate.split()}
        score = max((Levenshtein.normalized_similarity(wanted, candidate) for candidate in candidates | parts),
                    default=0.0)
        if wanted in parts or score >= SIMILAR:
            scored.append((-score, str(key)))
    if not scored:
        return ""
    close = [key for _, key in sorted(scored)[:limit]]
    return " (did you mean " + ", ".join(repr(key) for key in close) + "?)"


__all__ = ["FOUND_COLUMNS", "actor_names", "did_you_mean", "find_actor", "skeleton"]
