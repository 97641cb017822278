"""Linking applied to an annotated corpus: the actor counts are gathered a cache part at a
time, the links decided once on the distinct keys, and every part's mentions rewritten as
they are read."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import pandas as pd

from analysis.link.actors import ActorCounts, summarise
from analysis.link.link import Links, apply_links, link_actors
from analysis.link.merges import Decisions


def decide_counts(counts: Iterable[ActorCounts], protected: Iterable[str] = (),
                  decisions: Decisions | None = None) -> Links:
    """The links of a corpus from the actor counts of its parts (whole documents each)."""
    summary, labels = summarise(ActorCounts.combine(list(counts)))
    return link_actors(summary, protected, decisions, labels)


def decide(mention_parts: Iterable[pd.DataFrame], protected: Iterable[str] = (),
           decisions: Decisions | None = None) -> Links:
    """The links of a corpus whose mentions come in parts (whole documents each)."""
    return decide_counts((ActorCounts.of(mentions) for mentions in mention_parts), protected, decisions)


def link_mentions(mentions: pd.DataFrame, protected: Iterable[str] = (),
                  decisions: Decisions | None = None) -> tuple[pd.DataFrame, Links]:
    """One table in memory: its links, and the table under the linked keys."""
    links = decide([mentions], protected, decisions)
    return apply_links(mentions, links), links


def linked_parts(parts: Iterable[tuple[pd.DataFrame, pd.DataFrame]], links: Links
                 ) -> Iterator[tuple[pd.DataFrame, pd.DataFrame]]:
    """Each (mentions, sentences) part with its mentions under the linked keys."""
    for mentions, sentences in parts:
        yield apply_links(mentions, links), sentences
