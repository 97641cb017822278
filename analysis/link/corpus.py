"""Linking applied to an annotated corpus: the summary is gathered a cache part at a time,
the links decided once, and every part's mentions rewritten as they are read."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import pandas as pd

from analysis.link.actors import actor_summary, combine_summaries
from analysis.link.link import Links, apply_links, link_actors
from analysis.link.merges import Decisions


def _labels(mentions: pd.DataFrame) -> pd.DataFrame:
    """The keys spaCy labelled FAC somewhere (key, label)."""
    actors = mentions[(mentions["kind"] == "actor") & (mentions["label"] == "FAC")]
    return actors[["key", "label"]].drop_duplicates()


def decide(mention_parts: Iterable[pd.DataFrame], protected: Iterable[str] = (),
           decisions: Decisions | None = None) -> Links:
    """The links of a corpus whose mentions come in parts (whole documents each)."""
    summaries, labels = [], []
    for mentions in mention_parts:
        summaries.append(actor_summary(mentions))
        labels.append(_labels(mentions))
    label_table = pd.concat(labels, ignore_index=True) if labels else None
    return link_actors(combine_summaries(summaries), protected, decisions, label_table)


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
