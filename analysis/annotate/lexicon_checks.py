"""Checks across the actor lexicon and the theme taxonomy.

A theme trigger that is also an actor's name makes a circular pair: every mention of the
actor would also be a mention of the theme, so the actor-theme pair measures nothing but
the actor's own frequency ("SCO" as a trigger of regional integration). The annotation drops
a theme match inside an actor mention; this check keeps the data from relying on that.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from analysis.annotate.actors import Institution
from analysis.annotate.lexicon import Lexicon
from analysis.annotate.themes import Theme

CIRCULAR_COLUMNS = {"theme": "string", "trigger": "string", "actor": "string"}


def triggers_naming_actors(
    themes: Iterable[Theme], lexicon: Lexicon, institutions: Iterable[Institution] = ()
) -> pd.DataFrame:
    """Theme triggers equal to an actor alias or a generic institution's name (one row each),
    compared as the lexicon's language compares names (`lexicon.normalise`: for Russian, in
    normal forms, so "выборы" and an alias "Выборы" would meet whatever their case)."""
    normalise = lexicon.normalise
    names = dict(lexicon.alias_index)
    for institution in institutions:
        for form in institution.synonyms:
            names.setdefault(normalise(form), f"<country>-{institution.suffix}")
    rows = [
        (theme.key, trigger, names[normalise(trigger)])
        for theme in themes
        for trigger in theme.triggers
        if normalise(trigger) in names
    ]
    return pd.DataFrame(rows, columns=list(CIRCULAR_COLUMNS)).astype(CIRCULAR_COLUMNS)
