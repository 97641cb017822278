"""Fractional counting and story-level sampling: what a unit weighs and what a draw resamples.

**Why weight.** A summit's guest list ("the presidents of Russia, Kazakhstan, Kyrgyzstan,
Tajikistan, ... attended") puts every pair of its k actors in one sentence, so one roster
adds k(k-1)/2 pairs and on real news dominates the table. Newman's co-authorship weighting
(Newman 2001, Scientific collaboration networks II, Phys. Rev. E 64, 016132) lets a unit
naming k actors add 1/(k-1) to each of its pairs: every actor's pair weight in the unit then
sums to 1, so a 10-country roster weighs what one bilateral sentence does.

**The 2x2 table under weighting.** The weight is a property of the *unit*: w_u = 1/(k_u - 1)
for a unit naming k_u >= 2 actors, and 1 for a unit naming one actor or none. Every cell of
a pair's 2x2 table is then a weighted sum over the same units:

    c = sum of w_u over units holding both keys      (``weighted_count``)
    a = sum of w_u over units holding key a          (weighted margins)
    b = sum of w_u over units holding key b
    n = sum of w_u over all units

Because c, a, b and n sum the same non-negative weights over nested sets of units,
c <= min(a, b) and max(a, b) <= n hold exactly as for counts, and these are the two
conditions that keep NPMI in [-1, 1] (npmi <= 1 needs c^2 <= ab; npmi >= -1 needs ab <= n^2).
Weighting only the pair cell (and keeping raw margins) would break neither bound but would
compare a fractional count with an unweighted expectation: every roster pair would look
avoided. Themes are not counted in k: an actor-theme pair in a roster sentence gets the
roster's weight too, since a theme named in a list of ten actors says little about each.
With ``weighting="none"`` every w_u is 1 and the table is the usual one.

``roster_share`` is the share of a pair's (unweighted) units that name five or more actors,
so a reader sees how much of a count comes from lists.

**Stories.** Near-copies of one wire story (`analysis.corpus.stories`) are not independent
evidence, so the bootstrap draws stories, and every document of a drawn story comes with it
(`story_weights`); `stories` counts the distinct stories behind a pair beside `documents`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse

from analysis.parameters import WEIGHTINGS  # noqa: E402  (declared once, with the other parameters)
from analysis.stats.resampling import replicate_weights

# A unit naming this many actors or more is a roster (a list of guests, signatories, members).
ROSTER_ACTORS = 5


def check_weighting(value: object) -> str:
    if not isinstance(value, str) or value not in WEIGHTINGS:
        raise ValueError(f"unknown weighting {value!r}; expected one of {list(WEIGHTINGS)}")
    return value


def unit_weights(matrix: sparse.csr_matrix, actor_columns: np.ndarray, weighting: str) -> np.ndarray:
    """w_u per unit (row of the 0/1 units x keys matrix): 1/(k-1) for k >= 2 actors, else 1."""
    k = actors_per_unit(matrix, actor_columns)
    if check_weighting(weighting) == "none":
        return np.ones(matrix.shape[0])
    return np.where(k >= 2, 1.0 / np.maximum(k - 1, 1), 1.0)


def actors_per_unit(matrix: sparse.csr_matrix, actor_columns: np.ndarray) -> np.ndarray:
    """How many distinct actor keys each unit names."""
    present = matrix.indices[matrix.data > 0]
    rows = np.repeat(np.arange(matrix.shape[0]), np.diff(matrix.indptr))[matrix.data > 0]
    return np.bincount(rows[actor_columns[present]], minlength=matrix.shape[0]).astype(np.int64)


@dataclass(frozen=True)
class Design:
    """What a pair table measures on and resamples, beside the raw counts of the model.

    All matrices have the rows (documents) and columns (keys, pairs) of the model's
    `DocumentCounts`, so subsets by document and sums over documents stay exact.
    """

    weighting: str
    doc_units: np.ndarray  # weighted units per document
    key_units: sparse.csr_matrix  # documents x keys, weighted units holding the key
    pair_units: sparse.csr_matrix  # documents x pairs, weighted units holding both keys
    roster_units: sparse.csr_matrix | None  # documents x pairs, units holding both keys and >= ROSTER_ACTORS
    # actors; None when the counts came without their units (partitions)
    story: np.ndarray  # story code per document (0..n_stories-1)

    @property
    def n_stories(self) -> int:
        return int(self.story.max()) + 1 if len(self.story) else 0

    @property
    def n_units(self) -> float:
        return float(self.doc_units.sum())

    def subset(self, rows: np.ndarray) -> Design:
        """The design of some documents only (codes over the model's documents)."""
        story = pd.factorize(self.story[rows])[0].astype(np.int64)
        roster = None if self.roster_units is None else self.roster_units[rows]
        return Design(self.weighting, self.doc_units[rows], self.key_units[rows], self.pair_units[rows],
                      roster, story)

    def story_support(self, pair_units: sparse.spmatrix) -> np.ndarray:
        """In how many stories each column of a documents x columns matrix is non-zero."""
        if pair_units.shape[0] == 0:
            return np.zeros(pair_units.shape[1], dtype=np.int64)
        to_story = sparse.csr_matrix((np.ones(len(self.story)), (self.story, np.arange(len(self.story)))),
                                     shape=(self.n_stories, len(self.story)))
        by_story = to_story @ (pair_units != 0).astype(np.float64)
        return np.asarray((by_story > 0).sum(axis=0)).ravel().astype(np.int64)


def story_codes(doc_ids: pd.Index, documents: pd.DataFrame | None) -> np.ndarray:
    """Story code per document of `doc_ids`: from `documents.story` when given, else each
    document its own story. A document without a story is its own story."""
    if documents is None or "story" not in documents.columns:
        return np.arange(len(doc_ids), dtype=np.int64)
    stories = documents.drop_duplicates("doc_id").set_index("doc_id")["story"]
    stories.index = stories.index.astype("string")
    labels = stories.reindex(doc_ids).astype("string")
    labels = labels.fillna(pd.Series(["doc:" + str(d) for d in doc_ids], index=labels.index, dtype="string"))
    return pd.factorize(labels)[0].astype(np.int64)


def build_design(incidence, counts, weighting: str = "none", documents: pd.DataFrame | None = None) -> Design:
    """Weighted counts and roster units per document, laid out like `counts` (a `DocumentCounts`
    built from `incidence`), and the story of each document."""
    from analysis.stats.document_counts import _pairs_within_rows  # same enumeration of pairs as the counts

    weighting = check_weighting(weighting)
    layout, matrix = incidence.layout, incidence.matrix
    n_docs, n_keys = len(layout.sentences.doc_ids), matrix.shape[1]
    actor_columns = (incidence.keys["kind"] == "actor").to_numpy(bool)
    k = actors_per_unit(matrix, actor_columns)
    w = unit_weights(matrix, actor_columns, weighting)
    unit_doc = layout.unit_doc
    to_doc = sparse.csr_matrix((w, (unit_doc, np.arange(layout.n_units))), shape=(n_docs, layout.n_units))
    row, a, b = _pairs_within_rows(matrix)
    width = max(n_keys, 1)
    columns = np.searchsorted(counts.pair_a * width + counts.pair_b, a * width + b)
    shape = (n_docs, len(counts.pair_a))
    pair_units = sparse.csr_matrix((w[row], (unit_doc[row], columns)), shape=shape, dtype=np.float64)
    roster = k[row] >= ROSTER_ACTORS
    roster_units = sparse.csr_matrix((np.ones(int(roster.sum())), (unit_doc[row][roster], columns[roster])),
                                     shape=shape, dtype=np.float64)
    pair_units.sum_duplicates()
    roster_units.sum_duplicates()
    return Design(
        weighting=weighting,
        doc_units=np.bincount(unit_doc, weights=w, minlength=n_docs).astype(np.float64),
        key_units=(to_doc @ matrix.astype(np.float64)).tocsr(),
        pair_units=pair_units,
        roster_units=roster_units,
        story=story_codes(layout.sentences.doc_ids, documents),
    )


def plain_design(counts, documents: pd.DataFrame | None = None) -> Design:
    """The design of counts built without the unit tables (partitions): unweighted, rosters
    unknown (NaN shares), stories from `documents.story` when given, else one per document."""
    roster = None if counts.roster_units is None else counts.roster_units.astype(np.float64)
    return Design("none", counts.doc_units.astype(np.float64), counts.key_units.astype(np.float64),
                  counts.pair_units.astype(np.float64), roster, story_codes(counts.doc_ids, documents))


def column_sums(matrix: sparse.csr_matrix) -> np.ndarray:
    """Column sums of a documents x columns matrix, as floats."""
    return np.asarray(matrix.sum(axis=0), dtype=np.float64).ravel()


def pair_design_columns(design: Design, selected: np.ndarray, raw_count: np.ndarray) -> dict[str, np.ndarray]:
    """The weighting and story columns of a pair table's rows (pair columns `selected`)."""
    pairs = design.pair_units[:, selected]
    if design.roster_units is None:
        share = np.full(len(selected), np.nan)
    else:
        with np.errstate(divide="ignore", invalid="ignore"):
            share = column_sums(design.roster_units[:, selected]) / np.where(raw_count > 0, raw_count, np.nan)
    return {
        "weighted_count": column_sums(pairs),
        "stories": design.story_support(pairs),
        "roster_share": share,
    }


def story_weights(story: np.ndarray, replicates: int, seed: int) -> np.ndarray:
    """(replicates x documents) weights of a story bootstrap: stories are drawn with
    replacement and each document weighs as often as its story was drawn."""
    n_stories = int(story.max()) + 1 if len(story) else 0
    return replicate_weights(n_stories, replicates, seed)[:, story]
