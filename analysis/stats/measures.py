"""Association measures of two keys over N units: one small function per measure, one registry.

Every measure is a function of the 2x2 table of a pair: ``count`` units with both keys,
``a`` and ``b`` units with each key, ``n`` units in all (arrays that broadcast, so the same
function serves a pair table and a (pairs x bootstrap replicates) block). Each function says
what it is at the edges (a pair never seen together, a key absent from a resample), so that
resampled values are defined too. Adding a measure is one function and one `Measure` entry:
the pair-table columns, the command line's choices, the notebooks' parameter checks and the
reports' guide to the measures all derive from `MEASURES` (networkx's link_prediction module
is the model: one function per measure sharing one helper).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy.special import erfc

from analysis import parameters

Array = np.ndarray
MeasureFunction = Callable[[Array, Array, Array, Array], Array]


def _floats(count, a, b, n) -> tuple[Array, Array, Array, Array]:
    """The four cells as float arrays broadcast to one shape (the shared helper)."""
    return tuple(np.broadcast_arrays(*(np.asarray(x, dtype=np.float64) for x in (count, a, b, n))))


def count(count, a, b, n) -> Array:
    """Units in which both keys appear: c."""
    return _floats(count, a, b, n)[0].copy()


def expected(count, a, b, n) -> Array:
    """Units with both keys if they were independent: E = a*b/N.

    Example: a=3, b=3, N=6 gives 1.5.
    """
    _, a, b, n = _floats(count, a, b, n)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(n > 0, a * b / n, 0.0)


def lift(count, a, b, n) -> Array:
    """Observed over expected: c/E (1 = independence, 0 = never together)."""
    c, a, b, n = _floats(count, a, b, n)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(c > 0, c * n / (a * b), 0.0)


def pmi(count, a, b, n) -> Array:
    """Pointwise mutual information: log2(c*N/(a*b)) (-inf when never together).

    Church and Hanks (1990), Word association norms, mutual information, and lexicography.
    """
    c, a, b, n = _floats(count, a, b, n)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(c > 0, np.log2(c * n / (a * b)), -np.inf)


def npmi(count, a, b, n) -> Array:
    """Normalised PMI: pmi / -log2(c/N), from -1 (never together) through 0 (independent) to 1.

    1 when the pair fills every unit (c = N). Bouma (2009), Normalized (pointwise) mutual
    information in collocation extraction.
    """
    c, a, b, n = _floats(count, a, b, n)
    with np.errstate(divide="ignore", invalid="ignore"):
        value = np.log2(c * n / (a * b)) / -np.log2(c / n)
        value = np.where(c >= n, 1.0, value)
        return np.clip(np.where(c > 0, value, -1.0), -1.0, 1.0)


def jaccard(count, a, b, n) -> Array:
    """Share of the units with either key that have both: c/(a+b-c)."""
    c, a, b, _ = _floats(count, a, b, n)
    union = a + b - c
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(union > 0, c / union, 0.0)


def llr(count, a, b, n) -> Array:
    """Dunning's log-likelihood ratio G2 of the 2x2 table (0*log 0 = 0); large for any departure
    from independence, attraction or repulsion. Dunning (1993), Accurate methods for the
    statistics of surprise and coincidence.
    """
    c, a, b, n = _floats(count, a, b, n)
    total = np.zeros_like(c)
    with np.errstate(divide="ignore", invalid="ignore"):
        for observed, row, column in ((c, a, b), (a - c, a, n - b), (b - c, n - a, b), (n - a - b + c, n - a, n - b)):
            cell_expected = row * column / np.where(n > 0, n, 1.0)
            ratio = np.divide(observed, cell_expected, out=np.ones_like(observed), where=observed > 0)
            total += np.where(observed > 0, observed * np.log(ratio), 0.0)
    return np.maximum(2.0 * total, 0.0)


def p_value(count, a, b, n) -> Array:
    """Chi-squared (1 degree of freedom) tail of G2: small when the table is unlikely under
    independence. Treats units as independent draws, which sentences of one article are not."""
    return erfc(np.sqrt(llr(count, a, b, n) / 2.0))  # = scipy.stats.chi2.sf(G2, 1), 60x faster


@dataclass(frozen=True)
class Measure:
    """One association measure: how to compute it, its range, and what it means to a reader."""

    name: str
    function: MeasureFunction
    can_be_negative: bool
    range: str
    meaning: str
    higher_is_stronger: bool = True


MEASURES: dict[str, Measure] = {
    measure.name: measure
    for measure in (
        Measure("count", count, False, "0 to N",
                "units in which both appear: how much evidence there is, not how strong the tie is"),
        Measure("expected", expected, False, "0 to N",
                "units with both that chance alone would give, from each one's frequency"),
        Measure("npmi", npmi, True, "-1 to 1",
                "read this first: 1 always together, 0 as often as chance predicts, -1 never together; "
                "an actor present almost everywhere gets values near or below 0 with everything"),
        Measure("pmi", pmi, True, "-inf to inf",
                "log2 of observed over expected; unbounded, so rare pairs look strongest"),
        Measure("lift", lift, False, "0 to inf", "observed over expected: 2 means twice as often as chance"),
        Measure("jaccard", jaccard, False, "0 to 1", "of the units with either, the share that have both"),
        Measure("llr", llr, False, "0 to inf",
                "Dunning's log-likelihood: how surprising the table is under independence (attraction or repulsion)"),
        Measure("p_value", p_value, False, "0 to 1",
                "chance of a table this surprising if they were independent and units were independent draws "
                "(they are not: read q_value and the document count)", higher_is_stronger=False),
    )
}


parameters.provide("measure", lambda: MEASURES)


def measure(name: object) -> Measure:
    """The registered measure `name`; an unknown name is an error listing the known ones."""
    return MEASURES[parameters.check("measure", name)]


def compute_all(count, a, b, n) -> dict[str, Array]:
    """Every registered measure of the same 2x2 tables."""
    return {name: entry.function(count, a, b, n) for name, entry in MEASURES.items()}
