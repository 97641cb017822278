"""Digests of what linking gives a cached corpus, to check that two versions of the code link
it identically: the links table and candidates, every linked cache part's mentions as the
streaming commands read them (`CachedCorpus.partitions`), and the whole linked mentions table
as notebooks load it (`CachedCorpus.load`: the whole table linked at once). Each table is hashed as the Parquet bytes it
writes, so a changed value, order or dtype changes its digest.

Run each version with its own package on the path, same corpus and cache, and compare:

    PYTHONPATH=OLD .venv/bin/python bench/linking_digest.py CORPUS --cache DIR > old.json
    PYTHONPATH=NEW .venv/bin/python bench/linking_digest.py CORPUS --cache DIR > new.json
    diff old.json new.json

The annotation cache is keyed by the annotation code, so both versions need the corpus
annotated (or its cache written, as `bench/cooccurrence_linking.py` does) under their key.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from analysis.link.corpus import link_mentions
from analysis.workflow import annotate_corpus


def digest(*tables: pd.DataFrame) -> str:
    """sha256 over the Parquet bytes of `tables`, in order."""
    out = hashlib.sha256()
    for table in tables:
        buffer = io.BytesIO()
        pq.write_table(pa.Table.from_pandas(table, preserve_index=False), buffer)
        out.update(buffer.getvalue())
    return out.hexdigest()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus")
    parser.add_argument("--cache", required=True)
    parser.add_argument("--no-load", action="store_true", help="skip the whole table in memory (large corpora)")
    args = parser.parse_args()
    corpus = annotate_corpus(args.corpus, cache_dir=args.cache, progress=False)
    links = corpus.links
    parts = hashlib.sha256()
    rows = 0
    for mentions, _ in corpus.partitions():
        parts.update(digest(mentions).encode())
        rows += len(mentions)
    result = {"links": digest(links.table), "candidates": digest(links.candidates),
              "linked keys": int((links.table["key"] != links.table["linked"]).sum()),
              "parts": parts.hexdigest(), "mention rows": rows}
    if not args.no_load:  # what `CachedCorpus.load` links, without describing the documents
        mentions, _ = corpus.parts.load()
        linked, loaded = link_mentions(mentions, corpus.protected, corpus.decisions)
        result |= {"load: links": digest(loaded.table), "load: candidates": digest(loaded.candidates),
                   "load: mentions": digest(linked)}
    print(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
