"""Which mentions a count includes: those in the headline or only the body, and those found by
name or also through a role ("the head of state" standing for the person).

The annotation keeps every mention, marked by `section` and `via`; a researcher decides what
counts, and the same choice applies to the units (an excluded headline is not a unit either,
so it does not dilute expected counts with a unit that can hold nothing).
"""

from __future__ import annotations

import pandas as pd

from analysis.schema import SECTIONS

VIA = ("text", "role")


def select_mentions(
    mentions: pd.DataFrame, sentences: pd.DataFrame, include_titles: bool = True, include_roles: bool = True
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """`mentions` and `sentences` without headline rows (unless `include_titles`) and without
    role mentions (unless `include_roles`)."""
    sections = list(SECTIONS) if include_titles else [s for s in SECTIONS if s != "title"]
    via = list(VIA) if include_roles else [v for v in VIA if v != "role"]
    keep = mentions["section"].isin(sections) & (mentions["kind"].ne("actor") | mentions["via"].isin(via))
    return (mentions[keep].reset_index(drop=True),
            sentences[sentences["section"].isin(sections)].reset_index(drop=True))


def counted_actors(mentions: pd.DataFrame) -> pd.DataFrame:
    """The actor mentions a report can count: found by name or through a role, not those left
    unresolved (a generic body no rule could tie to one actor, `via` 'unresolved', counted
    nowhere). Their keys after linking are what every page means by "N actors"."""
    via = mentions["via"] if "via" in mentions.columns else pd.Series("text", index=mentions.index)
    return mentions[(mentions["kind"] == "actor") & via.isin(VIA)]
