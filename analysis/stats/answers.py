"""Tables the notebook API answers with: a DataFrame that, when empty, says why.

An empty frame in a notebook reads as "something went wrong"; an answer carries the
sentence that explains it ("X and Y never co-occur in one sentence ...") and a `kind`
that tells a display (analysis.reports.explore) how to draw it. Any operation on an answer
gives a plain DataFrame, so it is a DataFrame everywhere else.
"""

from __future__ import annotations

import pandas as pd


class Answer(pd.DataFrame):
    """A pair table or evidence with the sentence that explains it when it is empty."""

    _metadata = ["message", "kind", "names"]

    @property
    def _constructor(self):  # slicing or computing on an answer gives a plain table
        return pd.DataFrame

    def __repr__(self) -> str:
        message = getattr(self, "message", "")
        return message if self.empty and message else super().__repr__()


def answer(frame: pd.DataFrame, kind: str, message: str = "", names: tuple[str, str] | None = None) -> Answer:
    """`frame` as an answer of `kind` ("pairs", "evidence") with its `message`; evidence
    carries the `names` of its a and b keys, which its display gives each mark."""
    result = Answer(frame)
    result.kind, result.message, result.names = kind, message, names
    return result
