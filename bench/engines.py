"""Annotation throughput of the engines in one run: bare `nlp.pipe`, the local engine with
n_process 1, and the Dask engine with a LocalCluster of 2 single-threaded workers.

    .venv/bin/python bench/engines.py [--documents N] [--write]

Each engine starts from an empty cache, so every run annotates every document; the Dask run
includes starting the cluster and loading the pipeline on each worker.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from annotate import bare_pipe, load_seeds, replicate, same_tables, word_count  # noqa: E402
from results import machine, write_section  # noqa: E402

from analysis.annotate.cache import annotate  # noqa: E402
from analysis.annotate.engines import EngineConfig  # noqa: E402
from analysis.annotate.pipeline import build_annotator  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SECTION = "## Engines (bench/engines.py)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--documents", type=int, default=500)
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    documents = replicate(load_seeds(ROOT / "seeds"), args.documents)
    texts = documents["text"].tolist()
    words = word_count(texts)
    annotator = build_annotator()
    rows, tables = [], {}
    start = time.perf_counter()
    bare_pipe(annotator, texts)
    rows.append(("bare `nlp.pipe`", time.perf_counter() - start))
    for label, options in (("local, n_process=1", {"name": "local"}),
                           ("local, n_process=2", {"name": "local", "n_process": 2}),
                           ("dask, LocalCluster of 2 workers", {"name": "dask"})):
        with tempfile.TemporaryDirectory() as cache:
            start = time.perf_counter()
            engine = EngineConfig(batch_size=50, **options)
            tables[label] = annotate(documents, annotator, cache_dir=cache, engine=engine)
            rows.append((label, time.perf_counter() - start))
    identical = all(same_tables(tables["local, n_process=1"], other) for other in tables.values())
    lines = [f"{SECTION}\n", f"Command: `.venv/bin/python bench/engines.py --documents {args.documents} --write`; "
             f"{machine()}.\n", f"{len(documents)} documents, {words:,} words; every engine from an empty cache.\n",
             "| engine | wall s | words/s |", "|---|---:|---:|"]
    lines += [f"| {label} | {seconds:.1f} | {words / seconds:,.0f} |" for label, seconds in rows]
    lines.append(f"\nAll engines gave identical mentions and sentences: {identical}.")
    text = "\n".join(lines)
    print(text)
    if args.write:
        write_section(text)


if __name__ == "__main__":
    main()
