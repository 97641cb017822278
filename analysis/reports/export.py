"""Write the corpus tables to a folder as Parquet and CSV, one cache part at a time, so a
corpus whose mentions do not fit in memory can still be exported.

Documents are in reading order (files in path order, rows in file order). Mentions and
sentences are grouped by cache part and sorted by document within each part; after a cold run
of a corpus read in document order that is the document order of the whole corpus.
"""

from __future__ import annotations

import os
import uuid
from functools import partial
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from analysis.csvfile import write_csv
from analysis.schema import DOCUMENT_COLUMNS, MENTION_COLUMNS, SENTENCE_COLUMNS, empty_frame
from analysis.workflow import CachedCorpus


class _TableWriter:
    """Appends frames of one schema to `<name>.parquet` and `<name>.csv`, published only when
    complete (a killed export leaves the previous files, never half-written ones)."""

    def __init__(self, folder: Path, name: str, columns: dict[str, str]):
        self.columns = columns
        self.targets = [folder / f"{name}.parquet", folder / f"{name}.csv"]
        self.temporary = [path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp") for path in self.targets]
        self.schema = pa.Schema.from_pandas(empty_frame(columns), preserve_index=False)
        self.parquet = pq.ParquetWriter(self.temporary[0], self.schema)
        self.rows = 0
        write_csv(empty_frame(columns), self.temporary[1])  # the header

    def append(self, frame: pd.DataFrame) -> None:
        frame = frame[list(self.columns)]
        self.parquet.write_table(pa.Table.from_pandas(frame, schema=self.schema, preserve_index=False))
        write_csv(frame, self.temporary[1], mode="a", header=False)
        self.rows += len(frame)

    def close(self) -> None:
        self.parquet.close()
        for temporary, target in zip(self.temporary, self.targets, strict=True):
            os.replace(temporary, target)


def _write_whole(frame: pd.DataFrame, folder: Path, name: str) -> None:
    for suffix, write in ((".parquet", frame.to_parquet), (".csv", partial(write_csv, frame))):
        target = folder / f"{name}{suffix}"
        temporary = target.with_name(f".{target.name}.{uuid.uuid4().hex}.tmp")
        write(temporary, index=False)
        os.replace(temporary, target)


def write_tables(corpus: CachedCorpus, folder: str | Path) -> dict[str, int]:
    """documents, problems, mentions and sentences as Parquet and CSV in `folder`, a batch or a
    cache part at a time; returns the number of rows written per table."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    writers = {"documents": _TableWriter(folder, "documents", DOCUMENT_COLUMNS),
               "mentions": _TableWriter(folder, "mentions", MENTION_COLUMNS),
               "sentences": _TableWriter(folder, "sentences", SENTENCE_COLUMNS)}
    try:
        for documents in corpus.documents_in_batches():
            writers["documents"].append(documents)
        for mentions, sentences in corpus.partitions():
            writers["mentions"].append(mentions)
            writers["sentences"].append(sentences)
    except BaseException:
        for writer in writers.values():
            writer.parquet.close()
            for temporary in writer.temporary:
                temporary.unlink(missing_ok=True)
        raise
    for writer in writers.values():
        writer.close()
    _write_whole(corpus.problems, folder, "problems")
    return {"problems": len(corpus.problems), **{name: writer.rows for name, writer in writers.items()}}
