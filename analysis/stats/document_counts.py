"""Additive counts of a corpus per document, from its incidence: units with each key, units
with each pair, units in all. Every number of a pair table is a sum over documents of these,
which is what makes three things cheap and exact: document support (in how many documents a
pair co-occurs), a document bootstrap (a replicate is weights x counts,
`analysis.stats.resampling`), and partitions (documents counted apart and added,
`analysis.stats.partitions`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse

from analysis.schema import empty_frame
from analysis.stats.incidence import Incidence
from analysis.stats.tables import KEY_COLUMNS


def _pairs_within_rows(matrix: sparse.csr_matrix) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every (row, i, j) with i < j both present in the row, vectorised over the CSR arrays."""
    per_row = np.diff(matrix.indptr)
    row_of = np.repeat(np.arange(matrix.shape[0], dtype=np.int64), per_row)
    local = np.arange(matrix.nnz, dtype=np.int64) - matrix.indptr[row_of]
    partners = per_row[row_of] - local - 1
    first = np.repeat(np.arange(matrix.nnz, dtype=np.int64), partners)
    step = np.arange(int(partners.sum()), dtype=np.int64) - np.repeat(np.cumsum(partners) - partners, partners) + 1
    second = first + step
    return row_of[first], matrix.indices[first].astype(np.int64), matrix.indices[second].astype(np.int64)


def _sparse(rows: np.ndarray, columns: np.ndarray, values: np.ndarray, shape: tuple[int, int]) -> sparse.csr_matrix:
    matrix = sparse.csr_matrix((values.astype(np.int64), (rows, columns)), shape=shape, dtype=np.int64)
    matrix.sum_duplicates()
    return matrix


def _pair_codes(
    doc: np.ndarray, a: np.ndarray, b: np.ndarray, values: np.ndarray, n_docs: int, n_keys: int
) -> tuple[np.ndarray, np.ndarray, sparse.csr_matrix]:
    """Distinct (a, b) key pairs and the documents x pairs matrix of their summed values."""
    code = a * max(n_keys, 1) + b
    uniq, index = np.unique(code, return_inverse=True)
    matrix = _sparse(doc, index.ravel(), values, (n_docs, len(uniq)))
    return uniq // max(n_keys, 1), uniq % max(n_keys, 1), matrix


@dataclass(frozen=True)
class DocumentCounts:
    """Additive counts of a corpus per document: every pair-table number is a sum of these.

    Pairs are unordered key pairs (a < b by key) of any kinds; a pair table picks its kinds.
    """

    keys: pd.DataFrame  # key, name, kind, category; row = key code, sorted by key
    doc_ids: pd.Index  # sorted
    doc_units: np.ndarray  # units per document
    key_units: sparse.csr_matrix  # documents x keys: units of the document containing the key
    key_mentions: sparse.csr_matrix  # documents x keys: mention rows
    pair_a: np.ndarray  # key code of each pair's first key
    pair_b: np.ndarray
    pair_units: sparse.csr_matrix  # documents x pairs: units containing both keys

    @property
    def n_units(self) -> int:
        return int(self.doc_units.sum())

    @staticmethod
    def from_incidence(incidence: Incidence) -> DocumentCounts:
        layout, matrix = incidence.layout, incidence.matrix
        n_docs, n_keys = len(layout.sentences.doc_ids), matrix.shape[1]
        unit_doc = layout.unit_doc
        to_doc = sparse.csr_matrix(
            (np.ones(layout.n_units, dtype=np.int64), (unit_doc, np.arange(layout.n_units))),
            shape=(n_docs, layout.n_units),
        )
        mention_doc = layout.sentences.doc[incidence.mention_row]
        row, a, b = _pairs_within_rows(matrix)
        pair_a, pair_b, pair_units = _pair_codes(unit_doc[row], a, b, np.ones(len(row)), n_docs, n_keys)
        return DocumentCounts(
            keys=incidence.keys,
            doc_ids=layout.sentences.doc_ids,
            doc_units=np.bincount(unit_doc, minlength=n_docs).astype(np.int64),
            key_units=(to_doc @ matrix).tocsr(),
            key_mentions=_sparse(mention_doc, incidence.mention_key, np.ones(len(mention_doc)), (n_docs, n_keys)),
            pair_a=pair_a,
            pair_b=pair_b,
            pair_units=pair_units,
        )

    @staticmethod
    def combine(parts: Iterable[DocumentCounts]) -> DocumentCounts:
        """The counts of the union of partitions that hold disjoint sets of whole documents."""
        parts = list(parts)
        keys = _combined_keys([p.keys for p in parts])
        doc_ids = pd.Index([d for p in parts for d in p.doc_ids], dtype="string")
        if doc_ids.has_duplicates:
            raise ValueError(f"partitions share documents, e.g. {list(doc_ids[doc_ids.duplicated()][:5])}; "
                             "a partition must hold whole documents, each in one partition only")
        doc_ids = doc_ids.sort_values()
        n_docs, n_keys = len(doc_ids), len(keys)
        doc_codes = [doc_ids.get_indexer(p.doc_ids).astype(np.int64) for p in parts]
        key_codes = [pd.Index(keys["key"]).get_indexer(p.keys["key"]).astype(np.int64) for p in parts]
        pair_codes = [k[p.pair_a] * max(n_keys, 1) + k[p.pair_b] for p, k in zip(parts, key_codes, strict=True)]
        all_pairs = np.unique(np.concatenate(pair_codes)) if parts else np.zeros(0, dtype=np.int64)
        doc_units = np.zeros(n_docs, dtype=np.int64)
        for part, docs in zip(parts, doc_codes, strict=True):
            doc_units[docs] = part.doc_units
        recoded = list(zip(parts, doc_codes, key_codes, strict=True))
        return DocumentCounts(
            keys=keys,
            doc_ids=doc_ids,
            doc_units=doc_units,
            key_units=_stack([(p.key_units, d, k) for p, d, k in recoded], (n_docs, n_keys)),
            key_mentions=_stack([(p.key_mentions, d, k) for p, d, k in recoded], (n_docs, n_keys)),
            pair_a=all_pairs // max(n_keys, 1),
            pair_b=all_pairs % max(n_keys, 1),
            pair_units=_stack([(p.pair_units, d, np.searchsorted(all_pairs, c))
                               for (p, d, _), c in zip(recoded, pair_codes, strict=True)], (n_docs, len(all_pairs))),
        )

    def subset(self, documents: np.ndarray) -> DocumentCounts:
        """The counts of some documents only (a boolean mask or codes over `doc_ids`)."""
        rows = np.flatnonzero(documents) if np.asarray(documents).dtype == bool else np.asarray(documents)
        return DocumentCounts(self.keys, self.doc_ids.take(rows), self.doc_units[rows], self.key_units[rows],
                              self.key_mentions[rows], self.pair_a, self.pair_b, self.pair_units[rows])


def _stack(pieces: list[tuple[sparse.csr_matrix, np.ndarray, np.ndarray]], shape: tuple[int, int]) -> sparse.csr_matrix:
    """One matrix from several whose rows and columns are renumbered by the given code arrays."""
    rows, columns, values = [], [], []
    for matrix, row_code, column_code in pieces:
        coo = matrix.tocoo()
        rows.append(row_code[coo.row])
        columns.append(column_code[coo.col])
        values.append(coo.data)
    if not pieces:
        return sparse.csr_matrix(shape, dtype=np.int64)
    return _sparse(np.concatenate(rows), np.concatenate(columns), np.concatenate(values), shape)


def _combined_keys(tables: list[pd.DataFrame]) -> pd.DataFrame:
    """One key table from several; a name equal to its key is a fallback, so a real name wins."""
    if not tables:
        return empty_frame(KEY_COLUMNS)
    keys = pd.concat(tables, ignore_index=True)
    keys = keys.assign(_fallback=keys["name"] == keys["key"]).sort_values(["key", "_fallback"], kind="stable")
    return keys.drop_duplicates("key").drop(columns="_fallback").reset_index(drop=True).astype(KEY_COLUMNS)


def column_sums(matrix: sparse.csr_matrix) -> np.ndarray:
    return np.bincount(matrix.indices, weights=matrix.data, minlength=matrix.shape[1]).astype(np.int64)


def column_support(matrix: sparse.csr_matrix) -> np.ndarray:
    return np.bincount(matrix.indices[matrix.data > 0], minlength=matrix.shape[1]).astype(np.int64)

