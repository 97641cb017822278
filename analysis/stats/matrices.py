"""Pair tables as matrices, for heatmaps: the symmetric key x key matrix of an actor-actor
table, the a x b matrix of any pair table."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.parameters import Parameter
from analysis.stats.tables import VALUE_COLUMNS, require

_LABELS = Parameter("labels", str, "how rows and columns are labelled", "key", choices=("key", "name"))
_VALUE = Parameter("value", str, "the pair-table column in the cells", "count", choices=VALUE_COLUMNS)


def _labels(table: pd.DataFrame, keys: pd.Index, labels: str) -> pd.Index:
    if _LABELS.check(labels) == "key":
        return keys
    names = pd.concat(
        [
            table[["a_key", "a_name"]].set_axis(["key", "name"], axis=1),
            table[["b_key", "b_name"]].set_axis(["key", "name"], axis=1),
        ]
    ).drop_duplicates("key")
    name = names.set_index("key")["name"].reindex(keys).fillna(pd.Series(keys, index=keys))
    clash = name.duplicated(keep=False)
    name = name.where(~clash, name + " (" + pd.Series(keys, index=keys, dtype="string") + ")")
    return pd.Index(name.to_numpy(), dtype="string")


def _value_column(table: pd.DataFrame, value: str) -> np.ndarray:
    _VALUE.check(value)
    require(table, ["a_key", "b_key", value], "pair")
    if table.duplicated(["a_key", "b_key"]).any():
        raise ValueError(
            "pair table lists a pair more than once (a table by period?); "
            "select one period before building a matrix"
        )
    return table[value].to_numpy(dtype=np.float64)


def square_matrix(
    table: pd.DataFrame, value: str = "count", *, labels: str = "key", fill: float = 0.0
) -> pd.DataFrame:
    """The full symmetric key x key matrix of an actor-actor table, for heatmaps.

    The pair table lists each pair once; the matrix mirrors it. Missing pairs and the
    diagonal get `fill`. `labels` is 'key' or 'name' (a clashing name gets its key added).
    """
    values = _value_column(table, value)
    keys = pd.Index(sorted(set(table["a_key"]) | set(table["b_key"])), dtype="string")
    ia, ib = keys.get_indexer(table["a_key"]), keys.get_indexer(table["b_key"])
    grid = np.full((len(keys), len(keys)), fill, dtype=np.float64)
    grid[ia, ib] = values
    grid[ib, ia] = values
    index = _labels(table, keys, labels)
    return pd.DataFrame(grid, index=index.copy(), columns=index.copy())


def cross_matrix(
    table: pd.DataFrame, value: str = "count", *, labels: str = "key", fill: float = 0.0
) -> pd.DataFrame:
    """The a x b matrix of a pair table (actors x themes for 'actor-theme'), for heatmaps."""
    values = _value_column(table, value)
    rows = pd.Index(sorted(set(table["a_key"])), dtype="string")
    cols = pd.Index(sorted(set(table["b_key"])), dtype="string")
    grid = np.full((len(rows), len(cols)), fill, dtype=np.float64)
    grid[rows.get_indexer(table["a_key"]), cols.get_indexer(table["b_key"])] = values
    return pd.DataFrame(
        grid, index=_labels(table, rows, labels), columns=_labels(table, cols, labels)
    )

