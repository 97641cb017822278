"""Uncertainty from resampling documents, and multiple-testing correction.

Sentences of one press release are not independent observations; documents are the sampling
unit. A document-level bootstrap draws whole documents with replacement: replicate r gives
document d a weight w[r, d] (how often it was drawn), so every additive count of the
replicate is one matrix product, weights x (documents x pairs), with no loop over pairs.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse
from scipy.stats import false_discovery_control

from analysis import parameters
from analysis.stats.measures import MeasureFunction

# pairs per block of the (pairs x replicates) arrays: bounds memory whatever the corpus size
_BLOCK_PAIRS = 20_000


@dataclass(frozen=True)
class Bootstrap:
    """A document bootstrap: how many replicates, the interval's level and the random seed."""

    level: float = 0.95
    replicates: int = 1000
    seed: int = 0

    def __post_init__(self) -> None:
        parameters.check("ci", self.level, optional=False)
        parameters.check("bootstrap", self.replicates)
        parameters.check("seed", self.seed)


def replicate_weights(n_documents: int, replicates: int, seed: int) -> np.ndarray:
    """(replicates x documents) draw counts: each row resamples n documents with replacement.

    Drawn as indices and counted with one bincount, which is much faster than a multinomial
    over 100,000 categories and has the same distribution.
    """
    rng = np.random.default_rng(seed)
    if n_documents == 0:
        return np.zeros((replicates, 0))
    drawn = rng.integers(0, n_documents, size=(replicates, n_documents), dtype=np.int64)
    drawn += (np.arange(replicates, dtype=np.int64) * n_documents)[:, None]
    counts = np.bincount(drawn.ravel(), minlength=replicates * n_documents)
    return counts.reshape(replicates, n_documents).astype(np.float64)


def percentile_intervals(
    function: MeasureFunction,
    point: np.ndarray,
    pair_units: sparse.csc_matrix,
    a_codes: np.ndarray,
    b_codes: np.ndarray,
    key_units: sparse.csr_matrix,
    doc_units: np.ndarray,
    bootstrap: Bootstrap,
) -> tuple[np.ndarray, np.ndarray]:
    """Percentile interval of a measure for each pair column of `pair_units` (documents x pairs).

    The margins (units with each key) and N are resampled with the same weights as the pair
    counts, so each replicate is a whole corpus of resampled documents. Where a skewed
    resampling distribution leaves the point estimate outside the percentile interval (small
    counts), the interval is widened to include it, so that it never excludes the observed value.
    """
    weights = replicate_weights(len(doc_units), bootstrap.replicates, bootstrap.seed)
    columns = np.ascontiguousarray(weights.T)  # documents x replicates
    key_totals = np.asarray(key_units.T @ columns)  # keys x replicates
    unit_totals = doc_units.astype(np.float64) @ columns  # replicates
    alpha = 1.0 - bootstrap.level
    low = np.empty(len(a_codes))
    high = np.empty(len(a_codes))
    for begin in range(0, len(a_codes), _BLOCK_PAIRS):
        block = slice(begin, begin + _BLOCK_PAIRS)
        pair_totals = np.asarray(pair_units[:, block].T @ columns)  # pairs x replicates
        values = function(pair_totals, key_totals[a_codes[block]], key_totals[b_codes[block]], unit_totals[None, :])
        low[block], high[block] = np.quantile(values, [alpha / 2, 1 - alpha / 2], axis=1, method="inverted_cdf")
    return np.minimum(low, point), np.maximum(high, point)


def q_values(p_values: np.ndarray) -> np.ndarray:
    """Benjamini-Hochberg adjusted p-values over the pairs of one table."""
    p_values = np.asarray(p_values, dtype=np.float64)
    if len(p_values) == 0:
        return p_values.copy()
    return false_discovery_control(np.clip(p_values, 0.0, 1.0), method="bh")
