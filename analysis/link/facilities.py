"""Facilities (mines, reservoirs, plants, pipelines, dams, power stations) as their own
category: the annotator calls them places or organisations, and places are left out of the
networks, so "a gold mine x economy" could not be asked.

A name is a facility when its head word is a facility word of its language (`facility_words`
in `analysis/lang/<code>/words.yaml`): the last word in English ("Kumtor gold mine"), the
first in Russian ("рудник Кумтор", "водохранилище Папан"), either way for a one-word name
("Kambarata HPP"). spaCy's FAC label makes a facility too.
"""

from __future__ import annotations

from functools import cache, lru_cache

import pandas as pd

from analysis.lang.ru import morphology
from analysis.lang.words import LANG_DIR
from analysis.link.names import is_cyrillic, words
from analysis.yamlfile import safe_load_unique

RECATEGORISED = ("place", "organization")


@cache
def facility_words(code: str) -> frozenset[str]:
    """The facility head words of a language, lower case (Russian ones in their normal form)."""
    path = LANG_DIR / code / "words.yaml"
    data = safe_load_unique(path.read_text(encoding="utf-8")) or {}
    listed = data.get("facility_words") or []
    if not isinstance(listed, list) or not all(isinstance(word, str) for word in listed):
        raise ValueError(f"{path}: 'facility_words' must be a list of words")
    return frozenset(word.lower() for word in listed)


@lru_cache(maxsize=100_000)
def is_facility_name(name: str) -> bool:
    """Whether a name's head word is a facility word of its script's language."""
    parts = words(name)
    while parts and parts[-1].isdigit():  # "Kambarata HPP-1": the number is not the head
        parts.pop()
    if not parts:
        return False
    if is_cyrillic(name):
        heads = {morphology.lemma(parts[0]), morphology.lemma(parts[-1])}
        return bool(heads & facility_words("ru"))
    return parts[-1].lower() in facility_words("en")


def facility_keys(actors: pd.DataFrame, labels: pd.DataFrame | None = None) -> set[str]:
    """Keys of places and organisations named like facilities, or written so in at least half
    their mentions ("the Kumtor gold mine", though the lexicon's name is "Kumtor"), and keys
    spaCy labelled FAC (`labels`: key and label columns)."""
    candidates = actors[actors["category"].isin(RECATEGORISED)]
    written = candidates["facility_mentions"] * 2 >= candidates["mentions"] if "facility_mentions" in candidates \
        else pd.Series(False, index=candidates.index)
    keys = {key for key, name, by_text in zip(candidates["key"], candidates["name"], written, strict=True)
            if by_text or is_facility_name(name)}
    if labels is not None and len(labels):
        keys |= set(labels.loc[labels["label"] == "FAC", "key"]) & set(candidates["key"])
    return keys
