"""The documents table of a corpus read in batches, kept on disk rather than in memory.

Annotating a corpus reads it one batch at a time (`corpus.iter_corpus`); each batch of the
documents table, texts included, is appended to a Parquet file as it passes, so the process
never holds every text at once and can still give the whole table afterwards (notebooks,
evidence) or its batches (export). The file is private to one process and one corpus
reading: an anonymous temporary file (`tempfile.TemporaryFile`, unlinked at once on POSIX),
so the system frees it when the store is closed or garbage-collected, or the process ends,
even killed; nothing accumulates in the annotation cache, and a read-only cache still works.
"""

from __future__ import annotations

import tempfile
import weakref
from collections.abc import Iterable, Iterator

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from analysis.schema import DOCUMENT_COLUMNS, conform, empty_frame


class DocumentStore:
    """Append batches of the documents table; read it back whole (sorted by doc_id, as
    `read_corpus` gives it) or batch by batch (in the order appended)."""

    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile(prefix="kg-documents-")  # noqa: SIM115 - lives as long as the store
        weakref.finalize(self, self._file.close)
        self._schema = pa.Schema.from_pandas(empty_frame(DOCUMENT_COLUMNS), preserve_index=False)
        self._writer: pq.ParquetWriter | None = pq.ParquetWriter(self._file, self._schema)
        self.rows = 0

    def append(self, documents: pd.DataFrame) -> None:
        if self._writer is None:
            raise RuntimeError("the document store is closed: it is read, no longer written")
        table = pa.Table.from_pandas(conform(documents, DOCUMENT_COLUMNS), schema=self._schema, preserve_index=False)
        self._writer.write_table(table)
        self.rows += len(documents)

    def close(self) -> None:
        """Finish writing (idempotent); reading finishes it first."""
        if self._writer is not None:
            self._writer.close()
            self._writer = None

    def passing(self, frames: Iterable[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        """Each table of `frames`, appended to the store as it passes; the store is closed
        once they are all through."""
        for frame in frames:
            self.append(frame)
            yield frame
        self.close()

    def batches(self, batch_size: int = 1000) -> Iterator[pd.DataFrame]:
        """The table `batch_size` rows at a time, in the order appended."""
        self.close()
        for batch in pq.ParquetFile(self._file).iter_batches(batch_size=batch_size):
            yield conform(batch.to_pandas(), DOCUMENT_COLUMNS)

    def read(self) -> pd.DataFrame:
        """The whole table, texts included, sorted by doc_id."""
        self.close()
        documents = pq.read_table(self._file).to_pandas()
        return conform(documents.sort_values("doc_id", kind="stable"), DOCUMENT_COLUMNS)
