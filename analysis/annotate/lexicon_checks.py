"""Checks across the actor lexicon and the theme taxonomy.

A theme trigger that is also an actor's name makes a circular pair: every mention of the
actor would also be a mention of the theme, so the actor-theme pair measures nothing but
the actor's own frequency ("SCO" as a trigger of regional integration). The annotation drops
a theme match inside an actor mention; this check keeps the data from relying on that.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from analysis.annotate.actors import Institution
from analysis.annotate.lexicon import Lexicon, LexiconError
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


def refuse_triggers_naming_actors(
    themes: Iterable[Theme], lexicon: Lexicon, institutions: Iterable[Institution],
    lexicon_path: str | Path | None, themes_path: str | Path | None,
) -> None:
    """Run when a user's lexicon or theme file is loaded: a trigger that is an actor's name
    is refused with a message naming both, rather than the theme silently getting no
    mention where the actor is named."""
    if lexicon_path is None and themes_path is None:
        return  # the package's own files are checked by its tests
    circular = triggers_naming_actors(themes, lexicon, institutions)
    if len(circular):
        row = circular.iloc[0]
        more = f" (and {len(circular) - 1} more such trigger(s))" if len(circular) > 1 else ""
        files = " and ".join(str(path) for path in (themes_path, lexicon_path) if path is not None)
        raise LexiconError(
            f"{files}: theme {row['theme']!r} has the trigger {row['trigger']!r}, which is also a name of the actor "
            f"{row['actor']!r}; the theme would never be found where the actor is named: remove the trigger "
            f"or the actor's alias{more}"
        )
