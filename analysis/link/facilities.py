"""Facilities (mines, reservoirs, plants, pipelines, dams, power stations) as their own
category: the annotator calls them places or organisations, and places are left out of the
networks, so "a gold mine x economy" could not be asked.

A name is a facility when its head word is a facility word of its language (`facility_words`
in `analysis/lang/<code>/words.yaml`, the language taken from the name's script): where the
head stands is language data too (`name_heads`: last in English, "Kumtor gold mine"; first or
last in Russian, "рудник Кумтор", "Камбаратинская ГЭС"). spaCy's FAC label makes a facility too.
"""

from __future__ import annotations

from functools import cache, lru_cache

import pandas as pd

from analysis.corpus.detect import script_language
from analysis.lang.registry import get_language
from analysis.lang.words import load_language
from analysis.link.names import words

RECATEGORISED = ("place", "organization")


@cache
def facility_words(code: str) -> frozenset[str]:
    """The facility head words of a language, in the form its names are compared in."""
    defaults = get_language(code)
    return frozenset(defaults.key_of(word) for word in load_language(code).facility_words)


@lru_cache(maxsize=100_000)
def is_facility_name(name: str) -> bool:
    """Whether a name's head word is a facility word of its script's language."""
    parts = words(name)
    while parts and parts[-1].isdigit():  # "Kambarata HPP-1": the number is not the head
        parts.pop()
    if not parts:
        return False
    code = script_language(name)
    heads = {get_language(code).key_of(word) for word in load_language(code).head_words(parts)}
    return bool(heads & facility_words(code))


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
