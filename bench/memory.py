"""Peak memory of annotating a corpus read from disk, by corpus size (issue 16: memory flat
with corpus size). Used by ``bench/annotate.py --memory-only``.

For each size the seeds are replicated into one .jsonl file (written a row at a time, each
copy distinct), and a fresh process per stage reports its own peak RSS (VmHWM, which starts
afresh at exec):

- load: the spaCy pipeline loaded, nothing read: the floor annotation stands on;
- read in batches: `iter_corpus` over the whole file, keeping nothing: the reading stage alone,
  with what it keeps per document (ids and text digests, to find duplicates);
- read whole: `read_corpus`, the whole documents table in memory: what annotation read before
  it started until the corpus was read in batches;
- stand-in: `annotate_corpus` over the whole file with an engine that returns empty tables
  instead of running spaCy: every other step of annotation (reading, document keys, cache
  parts, the cache index, the documents table written to disk) at full size, in minutes;
- annotate: `annotate_corpus` (n_process=1, empty cache), as the command line runs it, stopped
  by a timer after ``--limit-seconds``: the peak over the part it got through, and how many
  documents that part held (annotating 200,000 documents takes hours on two cores).

Run a stage alone: ``python bench/memory.py STAGE CORPUS [--limit-seconds S]`` prints JSON.
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
STAGES = ("load", "read", "read-whole", "stand-in", "annotate")
STAND_IN = "bench-empty-tables"  # the engine of the stand-in stage


def max_rss_mib(who: int = resource.RUSAGE_SELF) -> float:
    """Peak resident set size so far (ru_maxrss is KiB on Linux, bytes on macOS)."""
    peak = resource.getrusage(who).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def peak_mib() -> float:
    """Peak RSS of this process's memory image since exec or the last reset of the peak (VmHWM).

    Unlike ru_maxrss, VmHWM starts afresh at exec: a child's ru_maxrss also counts the parent
    image it was forked from. Falls back to ru_maxrss where /proc is missing.
    """
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return max_rss_mib()
    match = re.search(r"^VmHWM:\s+(\d+) kB", status, re.MULTILINE)
    return int(match.group(1)) / 1024 if match else max_rss_mib()


# --------------------------------------------------------------------------- the corpus


def write_corpus(seeds: pd.DataFrame, n_documents: int, path: Path) -> None:
    """`n_documents` rows cycling through `seeds` as a .jsonl corpus, copy i's text ending in
    its own sentence (the ids and texts of `bench/annotate.py`'s `replicate`), a row at a time
    so that the corpus is never in this process's memory."""
    records = seeds.to_dict("records")
    with path.open("w", encoding="utf-8") as out:
        for number in range(n_documents):
            seed = records[number % len(records)]
            date = None if pd.isna(seed["date"]) else pd.Timestamp(seed["date"]).date().isoformat()
            out.write(json.dumps({
                "id": f"{seed['doc_id']}-copy{number:06d}",
                "text": f"{seed['text']} This is copy number {number} of the report.",
                "date": date,
                "title": None if pd.isna(seed["title"]) else seed["title"],
                "source": None if pd.isna(seed["source"]) else seed["source"],
            }) + "\n")


# --------------------------------------------------------------------------- the stages (child processes)


class TimeUp(Exception):
    """The time limit of a time-boxed annotation ran out."""


def _annotated(cache: Path) -> int:
    """Documents whose annotations the cache parts hold."""
    from analysis.annotate.cache import _index_cache

    return sum(len(_index_cache(folder)) for folder in cache.iterdir() if folder.is_dir())


class EmptyTables:
    """An engine that runs no function: each piece of a batch to annotate (batch number, piece
    number, documents) comes back with empty tables."""

    def map(self, function: object, items: Iterator, config: object) -> Iterator:
        from analysis.annotate.batch import KEYED_MENTIONS, KEYED_SENTENCES, BatchTables
        from analysis.schema import empty_frame

        for number, piece, batch in items:
            yield number, piece, BatchTables(batch.keys, empty_frame(KEYED_MENTIONS), empty_frame(KEYED_SENTENCES))


def stand_in_stage(corpus: Path) -> dict:
    """`annotate_corpus` into an empty cache with the `EmptyTables` engine."""
    from analysis.annotate.engines import EngineConfig, register_engine
    from analysis.workflow import annotate_corpus

    register_engine(STAND_IN, EmptyTables())
    cache = Path(tempfile.mkdtemp(prefix="bench-memory-cache-"))
    try:
        cached = annotate_corpus(corpus, engine=EngineConfig(STAND_IN), cache_dir=cache, progress=False)
        return {"documents": cached.n_documents, "annotated": _annotated(cache)}
    finally:
        shutil.rmtree(cache, ignore_errors=True)


def annotate_stage(corpus: Path, limit: float | None) -> dict:
    """`annotate_corpus` into an empty cache, stopped by SIGALRM after `limit` seconds."""
    from analysis.annotate.engines import EngineConfig
    from analysis.workflow import annotate_corpus

    def stop(signum: int, frame: object) -> None:
        raise TimeUp

    cache = Path(tempfile.mkdtemp(prefix="bench-memory-cache-"))
    signal.signal(signal.SIGALRM, stop)
    start = time.perf_counter()
    finished, documents = True, None
    try:
        if limit:
            signal.setitimer(signal.ITIMER_REAL, limit)
        documents = annotate_corpus(corpus, engine=EngineConfig(n_process=1), cache_dir=cache,
                                    progress=False).n_documents
    except TimeUp:
        finished = False
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
    seconds = time.perf_counter() - start
    try:
        return {"finished": finished, "documents": documents, "annotated": _annotated(cache), "seconds": seconds}
    finally:
        shutil.rmtree(cache, ignore_errors=True)


def run_stage(stage: str, corpus: Path | None, limit: float | None) -> dict:
    """One stage in this (fresh) process; its peak RSS and what it did."""
    start = time.perf_counter()
    if stage == "load":
        from analysis.annotate.pipeline import build_annotator

        result = {"pipes": build_annotator().nlp.pipe_names}
    elif stage == "read":
        from analysis.corpus.reader import iter_corpus

        result = {"documents": sum(len(batch.documents) for batch in iter_corpus(corpus))}
    elif stage == "read-whole":
        from analysis.corpus.reader import read_corpus

        documents, _ = read_corpus(corpus)
        result = {"documents": len(documents), "table_mib": documents.memory_usage(deep=True).sum() / 2**20}
    elif stage == "stand-in":
        result = stand_in_stage(corpus)
    else:
        result = annotate_stage(corpus, limit)
    return {"stage": stage, "seconds": time.perf_counter() - start, **result, "peak_mib": peak_mib(),
            "ru_maxrss_mib": max_rss_mib()}


def run_child(stage: str, corpus: Path | None, limit: float | None = None) -> dict:
    command = [sys.executable, str(Path(__file__).resolve()), stage, str(corpus or "-")]
    command += ["--limit-seconds", str(limit)] if limit else []
    completed = subprocess.run(command, capture_output=True, text=True, check=False, cwd=ROOT)
    if completed.returncode != 0:
        raise RuntimeError(f"{stage} on {corpus} failed:\n{completed.stderr[-3000:]}")
    return json.loads(completed.stdout.strip().splitlines()[-1])


# --------------------------------------------------------------------------- by size (the parent)


def by_size(seeds: pd.DataFrame, sizes: list[int], limit: float | None, log: Callable[[str], None]) -> dict:
    """Every stage at every corpus size, each in its own process, one size after the other."""
    load = run_child("load", None)
    log(f"memory: pipeline loaded: {load['peak_mib']:.0f} MiB")
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-memory-") as folder:
        for size in sizes:
            corpus = Path(folder) / f"corpus-{size}.jsonl"
            write_corpus(seeds, size, corpus)
            row = {"documents": size, "file_mib": corpus.stat().st_size / 2**20}
            for stage in ("read", "read-whole", "stand-in", "annotate"):
                row[stage] = run_child(stage, corpus, limit if stage == "annotate" else None)
                log(f"memory: {size:,} documents, {stage}: {row[stage]}")
            corpus.unlink()
            rows.append(row)
    return {"load": load, "rows": rows, "limit": limit}


def _annotation_cell(run: dict, size: int) -> str:
    if run["finished"]:
        return f"all {run['annotated']:,} (finished)"
    return f"{run['annotated']:,} of {size:,} (stopped at {run['seconds']:.0f} s)"


def markdown(measured: dict) -> list[str]:
    """The lines of the RESULTS.md section (after its heading and command)."""
    load, rows, limit = measured["load"], measured["rows"], measured["limit"]
    stopped = f"; stopped by a timer after {limit:,.0f} s" if limit else ""
    lines = [
        "Each size: the seeds replicated into one .jsonl file (each copy distinct), then a fresh process per "
        "stage, reporting its own peak RSS (VmHWM): **read in batches** (`iter_corpus` over the whole file, "
        "batches of 500, nothing kept); **read whole** (`read_corpus`: the whole documents table, what "
        "annotation read before starting until issue 16); **no spaCy** (`annotate_corpus` over the whole file "
        "with a stand-in engine that returns empty tables: reading, document keys, cache parts and index, the "
        "documents table written to disk, everything but the pipeline); **annotate** (`annotate_corpus`, "
        f"n_process=1, empty cache, as `python -m analysis annotate` runs it{stopped}). Loading the pipeline "
        f"alone: {load['peak_mib']:.0f} MiB.",
        "",
        "| Documents | Corpus file MiB | Read in batches: peak MiB | s | Read whole: peak MiB | s "
        "| No spaCy: peak MiB | s | Annotate: peak MiB | Documents annotated | s |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|",
    ]
    for row in rows:
        read, whole, stand_in, run = row["read"], row["read-whole"], row["stand-in"], row["annotate"]
        lines.append(
            f"| {row['documents']:,} | {row['file_mib']:.0f} | {read['peak_mib']:.0f} | {read['seconds']:.0f} "
            f"| {whole['peak_mib']:.0f} | {whole['seconds']:.0f} | {stand_in['peak_mib']:.0f} "
            f"| {stand_in['seconds']:.0f} | {run['peak_mib']:.0f} | {_annotation_cell(run, row['documents'])} "
            f"| {run['seconds']:.0f} |"
        )
    if len(rows) > 1:
        small, large = rows[0], rows[-1]

        def growth(stage: str) -> str:
            return (f"{small[stage]['peak_mib']:.0f} to {large[stage]['peak_mib']:.0f} MiB "
                    f"({large[stage]['peak_mib'] - small[stage]['peak_mib']:+.0f})")

        lines += [
            "",
            f"From {small['documents']:,} to {large['documents']:,} documents the peak goes from {growth('annotate')} "
            f"annotating, {growth('stand-in')} along the annotation path without spaCy, {growth('read')} reading in "
            f"batches and {growth('read-whole')} reading whole.",
        ]
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="one stage of the memory benchmark, in this process")
    parser.add_argument("stage", choices=STAGES)
    parser.add_argument("corpus", help="corpus path ('-' for the load stage)")
    parser.add_argument("--limit-seconds", type=float, default=None)
    args = parser.parse_args(argv)
    corpus = None if args.corpus == "-" else Path(args.corpus)
    print(json.dumps(run_stage(args.stage, corpus, args.limit_seconds)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
