"""Benchmark of analysis.annotate.cache against bare spaCy on a corpus replicated from the seeds.

Run: ``.venv/bin/python bench/annotate.py`` (2,000 documents; ``--quick`` for ~300, ``--write``
to record the table in bench/RESULTS.md).

The five seed documents are copied to about N documents, each copy made distinct (a sentence
with its copy number is appended, and it gets its own doc_id) so the per-document cache cannot
dedupe them. With one annotator (one loaded pipeline) the script times:

a. bare ``annotator.nlp.pipe(texts)`` over the full texts, reading every doc's entities;
b. ``annotate(..., n_process=1)`` into a fresh cache: documents/s, words/s (whitespace tokens)
   and its overhead over (a), target <= 15 %;
c. ``annotate(..., n_process=2)`` into another fresh cache: speed-up over (b);
d. a fully cached rerun on (b)'s cache: time as a fraction of (b), target < 5 %;
e. 1 % new documents added, rerun on (b)'s cache: time as a fraction of (b);
f. peak RSS of each phase of this process (VmHWM, reset before each phase where Linux allows)
   and of the n_process=2 workers (``ru_maxrss`` of RUSAGE_CHILDREN).

``--memory-only`` instead measures peak RSS by corpus size (``--memory-docs``, default 2,000;
``--memory-scale`` adds 20,000 and 200,000), each size a .jsonl file read and annotated by
fresh processes: reading in batches, reading whole, and `annotate_corpus`, stopped after
``--limit-seconds`` (bench/memory.py).

``--ratios`` instead runs whole processes from start to exit, side by side and in turns (bare
spaCy with its default pipeline and with the pipeline `annotate` used before it was trimmed,
``python -m analysis annotate --n-process 1`` and ``--n-process 2`` on a cold cache), prints the
medians and both ratios, and the peak RSS of ``annotate`` at each ``--memory-docs`` size
(bench/processes.py).

Targets are reported, not asserted. Per-component pipeline time on a small sample is also
reported, since it decides what "bare spaCy" costs.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import gc
import hashlib
import os
import resource
import shlex
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import memory
import pandas as pd
import processes
from memory import max_rss_mib, peak_mib
from results import RESULTS, machine, publish, write_section

from analysis.annotate.cache import annotate
from analysis.annotate.engines import EngineConfig
from analysis.annotate.pipeline import DEFAULT_PIPELINE, Annotator, build_annotator
from analysis.corpus.reader import read_corpus
from analysis.schema import DOCUMENT_COLUMNS, conform

ROOT = Path(__file__).resolve().parent.parent

SECTION = "## Annotation (bench/annotate.py)"
MEMORY_SECTION = "## Annotation memory by corpus size (bench/annotate.py)"
RATIOS_SECTION = "## Annotation speed, whole processes side by side (bench/annotate.py --ratios)"
WHERE_SECTION = "## Where the time of a two-process annotation goes (bench/annotate.py --where)"
QUICK_DOCUMENTS = 300
OVERHEAD_TARGET = 15.0  # % over bare nlp.pipe
CACHED_TARGET = 5.0  # % of a cold run


# --------------------------------------------------------------------------- corpus


def replicate(seeds: pd.DataFrame, n_documents: int, first_copy: int = 0) -> pd.DataFrame:
    """`n_documents` rows cycling through `seeds`, copy i's text ending in its own sentence."""
    rows = []
    records = seeds.to_dict("records")
    for number in range(first_copy, first_copy + n_documents):
        seed = records[number % len(records)]
        text = f"{seed['text']} This is copy number {number} of the report."
        rows.append(
            {
                **seed,
                "doc_id": f"{seed['doc_id']}-copy{number:06d}",
                "path": f"bench:{seed['path']}#{number}",
                "text": text,
                "n_chars": len(text),
                "sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
                "duplicate_of": None,
            }
        )
    return conform(pd.DataFrame(rows), DOCUMENT_COLUMNS)


def load_seeds(path: Path) -> pd.DataFrame:
    documents, problems = read_corpus(path)
    if len(problems):
        print(f"note: {len(problems)} problem(s) reading {path}", file=sys.stderr)
    return documents


def word_count(texts: list[str]) -> int:
    return sum(len(text.split()) for text in texts)


# --------------------------------------------------------------------------- measuring


_RUN_PEAK = [0.0]  # this process's peak over the whole run, kept across `reset_peak` calls


def run_peak_mib() -> float:
    _RUN_PEAK[0] = max(_RUN_PEAK[0], peak_mib())
    return _RUN_PEAK[0]


def reset_peak() -> bool:
    """Return freed heap to the OS (glibc) and reset this process's peak RSS (Linux >= 4.0:
    "5" into /proc/self/clear_refs), so the next phase's peak is its own."""
    run_peak_mib()
    gc.collect()
    # CDLL(None): the C library already loaded. (ctypes.util.find_library would start a
    # subprocess, whose ru_maxrss, inherited from this image, would pollute RUSAGE_CHILDREN.)
    with contextlib.suppress(OSError, AttributeError):  # not glibc: nothing to trim
        ctypes.CDLL(None).malloc_trim(0)
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


class Timing:
    """Wall and CPU seconds of one call (CPU of this process and of reaped children), and the
    peak RSS of this process during the call (None where the peak cannot be reset)."""

    def __init__(self, call: Callable[[], object]):
        resettable = reset_peak()
        wall, cpu, child = time.perf_counter(), time.process_time(), children_cpu()
        self.result = call()
        self.wall = time.perf_counter() - wall
        self.cpu = time.process_time() - cpu
        self.child_cpu = children_cpu() - child
        self.peak = peak_mib() if resettable else None


def bare_pipe(annotator: Annotator, texts: list[str]) -> int:
    """Baseline: spaCy over the full texts, every doc consumed and its entities read."""
    entities = 0
    for doc in annotator.nlp.pipe(texts):
        entities += sum(1 for _ in doc.ents)
    return entities


def component_times(annotator: Annotator, texts: list[str]) -> list[tuple[str, float]]:
    """Seconds per pipeline component over `texts` (each component applied to all docs in turn)."""
    nlp = annotator.nlp
    start = time.perf_counter()
    docs = [nlp.make_doc(text) for text in texts]
    times = [("tokenizer", time.perf_counter() - start)]
    for name, component in nlp.pipeline:
        start = time.perf_counter()
        docs = list(component.pipe(docs)) if hasattr(component, "pipe") else [component(doc) for doc in docs]
        times.append((name, time.perf_counter() - start))
    return times


# --------------------------------------------------------------------------- reporting


def mib(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.0f}"


def rate(count: float, seconds: float) -> str:
    return f"{count / seconds:,.1f}" if seconds > 0 else "n/a"


def verdict(met: bool) -> str:
    return "met" if met else "**missed**"


def markdown(results: dict) -> str:
    n, words = results["documents"], results["words"]
    bare, cold, multi = results["bare"], results["cold"], results["multi"]
    cached, incremental = results["cached"], results["incremental"]
    overhead_wall = 100 * (cold["wall"] - bare["wall"]) / bare["wall"]
    overhead_cpu = 100 * (cold["cpu"] - bare["cpu"]) / bare["cpu"]
    cached_pct = 100 * cached["wall"] / cold["wall"]
    incremental_pct = 100 * incremental["wall"] / cold["wall"]
    lines = [
        f"Corpus: {n:,} documents ({results['seed_count']} seeds replicated, each copy distinct), "
        f"{words:,} words (whitespace tokens), {results['chars']:,} characters. "
        f"Pipeline `{results['pipeline']}`: {', '.join(results['pipe_names'])}.",
        "",
        "| Measure | Wall s | CPU s | Documents/s | Words/s | Result | Target |",
        "|---|---:|---:|---:|---:|---|---|",
        f"| (a) bare `nlp.pipe` (full texts) | {bare['wall']:.1f} | {bare['cpu']:.1f} "
        f"| {rate(n, bare['wall'])} | {rate(words, bare['wall'])} | baseline | |",
        f"| (b) `annotate`, n_process=1, cold | {cold['wall']:.1f} | {cold['cpu']:.1f} "
        f"| {rate(n, cold['wall'])} | {rate(words, cold['wall'])} "
        f"| overhead {overhead_wall:+.1f} % wall, {overhead_cpu:+.1f} % CPU "
        f"| <= {OVERHEAD_TARGET:.0f} %: {verdict(overhead_wall <= OVERHEAD_TARGET)} |",
        f"| (c) `annotate`, n_process=2, cold | {multi['wall']:.1f} | {multi['cpu']:.1f} + "
        f"{multi['child_cpu']:.1f} workers | {rate(n, multi['wall'])} | {rate(words, multi['wall'])} "
        f"| speed-up x{cold['wall'] / multi['wall']:.2f} over (b) | |",
        f"| (d) `annotate`, fully cached rerun | {cached['wall']:.2f} | {cached['cpu']:.2f} "
        f"| {rate(n, cached['wall'])} | | {cached_pct:.2f} % of (b) "
        f"| < {CACHED_TARGET:.0f} %: {verdict(cached_pct < CACHED_TARGET)} |",
        f"| (e) `annotate`, +{results['added']} new documents (1 %) on (b)'s cache "
        f"| {incremental['wall']:.2f} | {incremental['cpu']:.2f} | | | {incremental_pct:.2f} % of (b) | |",
        "",
        "Peak RSS, MiB (per phase: VmHWM, reset before each phase; the reset also resets `ru_maxrss`):",
        "",
        "| Process / phase | Documents | Peak RSS MiB | Pipeline loaded MiB | Wall s |",
        "|---|---:|---:|---:|---:|",
        f"| this process, pipeline loaded | | | {results['rss_after_load']:.0f} | |",
        f"| (a) bare `nlp.pipe` | {n:,} | {mib(bare['peak'])} | | {bare['wall']:.1f} |",
        f"| (b) `annotate`, n_process=1, cold | {n:,} | {mib(cold['peak'])} | | {cold['wall']:.1f} |",
        f"| (d) `annotate`, fully cached | {n:,} | {mib(cached['peak'])} | | {cached['wall']:.2f} |",
        f"| (e) `annotate`, incremental | {n + results['added']:,} | {mib(incremental['peak'])} "
        f"| | {incremental['wall']:.2f} |",
        f"| (c) `annotate`, n_process=2: parent | {n:,} | {mib(multi['peak'])} | | {multi['wall']:.1f} |",
        f"| (c) largest n_process=2 worker (`RUSAGE_CHILDREN`; forked, so it counts pages shared "
        f"with the parent) | {n:,} | {results['rss_children']:.0f} | | |",
        f"| this process, peak over the whole run | | {results['rss_end']:.0f} | | |",
    ]
    lines += [
        "",
        f"Pipeline time by component on {results['component_docs']} documents "
        f"({results['component_total']:.1f} s in all):",
        "",
        "| Component | Seconds | Share |",
        "|---|---:|---:|",
    ]
    total = results["component_total"] or 1.0
    for name, seconds in results["components"]:
        lines.append(f"| {name} | {seconds:.2f} | {100 * seconds / total:.0f} % |")
    lines += [
        "",
        "(a) runs spaCy's default `nlp.pipe` batch of 1,000 texts, whole documents; `annotate` sends "
        "paragraphs in batches of at most 256, hence its lower peak. Wall times include waiting for "
        f"the CPU while other processes run (load average {results['load_start']} at the start, "
        f"{results['load_end']} at the end); CPU times do not.",
        "",
        "Checks: " + "; ".join(results["checks"]) + ".",
    ]
    return "\n".join(lines)


def load_average() -> str:
    return f"{os.getloadavg()[0]:.2f}" if hasattr(os, "getloadavg") else "n/a"


# --------------------------------------------------------------------------- main


def same_tables(left, right) -> bool:
    return left.mentions.equals(right.mentions) and left.sentences.equals(right.sentences)


def write_memory_section(measured: dict, arguments: list[str], machine_text: str, write: bool) -> None:
    lines = [f"Run on {time.strftime('%Y-%m-%d')}. Machine: {machine_text}.", "", *memory.markdown(measured)]
    script = "annotate.py " + shlex.join([argument for argument in arguments if argument != "--write"])
    publish(lines, MEMORY_SECTION, script, write)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=2000, help="corpus size (default 2000)")
    parser.add_argument("--quick", action="store_true", help=f"~{QUICK_DOCUMENTS} documents")
    parser.add_argument(
        "--memory-docs",
        type=int,
        nargs="*",
        help="corpus sizes of --memory-only (default 2000; --quick: 100), and of --ratios' peak RSS (default none)",
    )
    parser.add_argument("--memory-scale", action="store_true", help="--memory-only: add 20,000 and 200,000 documents")
    parser.add_argument("--memory-only", action="store_true",
                        help="peak RSS by corpus size: reading in batches, reading whole, annotating (bench/memory.py)")
    parser.add_argument("--limit-seconds", type=float, default=None,
                        help="--memory-only: stop each annotation after this many seconds (default: run to the end)")
    parser.add_argument("--component-docs", type=int, default=20, help="documents for the per-component times")
    parser.add_argument("--seeds", type=Path, default=ROOT / "seeds", help="seed corpus (default seeds/)")
    parser.add_argument("--write", action="store_true", help=f"record the results in {RESULTS.relative_to(ROOT)}")
    parser.add_argument("--ratios", action="store_true",
                        help="whole processes side by side: bare spaCy, annotate --n-process 1 and 2 (medians, "
                             "ratios), and the peak RSS of annotate at the --memory-docs sizes")
    parser.add_argument("--repeats", type=int, default=3, help="turns of every variant for --ratios (default 3)")
    parser.add_argument("--only", nargs="*", help="--ratios: only these variants (names as printed)")
    parser.add_argument("--where", action="store_true",
                        help="where the time of annotate_to_cache goes with 2 processes and 1, and how much CPU "
                             "the machine's other users took meanwhile")
    args = parser.parse_args(argv)

    command = "cd /work/main && .venv/bin/python bench/annotate.py " + shlex.join(
        sys.argv[1:] if argv is None else argv
    )
    n_documents = QUICK_DOCUMENTS if args.quick else args.documents
    default_sizes = [100] if args.quick else [2000]
    memory_sizes = list(args.memory_docs) if args.memory_docs is not None else default_sizes
    if args.memory_scale:
        memory_sizes += [20_000, 200_000]
    machine_text = machine()
    load_start = load_average()
    one = EngineConfig(n_process=1)
    two = EngineConfig(n_process=2)
    log = lambda message: print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)  # noqa: E731

    if args.where:
        documents = replicate(load_seeds(args.seeds), n_documents)
        rows = [processes.where_time_goes(documents, n, log) for n in (2, 1)]
        text = processes.where_markdown(WHERE_SECTION, command.replace("/work/main", "/work/wt16"), machine_text,
                                        len(documents), rows)
        print(text)
        if args.write:
            write_section(text)
        return 0

    if args.ratios:
        seeds = load_seeds(args.seeds)
        documents = replicate(seeds, n_documents)
        corpus_text = (f"Corpus: {n_documents:,} documents ({len(seeds)} seeds replicated, each copy distinct), "
                       f"{word_count(documents['text'].tolist()):,} words, as one .jsonl file.")
        load = f"load average {load_average()} at the start"
        walls = processes.measure(documents, args.repeats, args.only, log)
        sizes = list(args.memory_docs) if args.memory_docs is not None else []
        by_size = processes.memory_by_size(lambda size: replicate(seeds, size), sizes, log)
        text = processes.markdown(RATIOS_SECTION, command.replace("/work/main", "/work/wt16"), machine_text,
                                  corpus_text, walls, by_size, f"{load}, {load_average()} at the end")
        print(text)
        if args.write:
            write_section(text)
        return 0

    if args.memory_only:
        measured = memory.by_size(load_seeds(args.seeds), memory_sizes, args.limit_seconds, log)
        write_memory_section(measured, sys.argv[1:] if argv is None else argv, machine_text, args.write)
        return 0

    seeds = load_seeds(args.seeds)
    annotator = build_annotator(DEFAULT_PIPELINE)
    rss_after_load = peak_mib()
    documents = replicate(seeds, n_documents)
    texts = documents["text"].tolist()
    words = word_count(texts)
    log(f"{len(documents)} documents, {words:,} words; pipeline {annotator.nlp.pipe_names}")

    # warm-up: one pass of each code path over the seeds, outside any timing
    bare_pipe(annotator, seeds["text"].tolist())
    annotate(seeds, annotator, cache_dir=None, progress=False)

    components = component_times(annotator, texts[: args.component_docs])
    log("component times: " + ", ".join(f"{name} {seconds:.2f}s" for name, seconds in components))

    checks: list[str] = []
    with tempfile.TemporaryDirectory(prefix="bench-annotate-") as scratch:
        cold_dir, multi_dir = Path(scratch) / "cold", Path(scratch) / "multi"

        log("(a) bare nlp.pipe ...")
        bare = Timing(lambda: bare_pipe(annotator, texts))
        log(f"(a) {bare.wall:.1f}s wall, {bare.cpu:.1f}s CPU")

        log("(b) annotate n_process=1, cold ...")
        cold = Timing(lambda: annotate(documents, annotator, cache_dir=cold_dir, engine=one, progress=False))
        log(f"(b) {cold.wall:.1f}s wall, {cold.cpu:.1f}s CPU")

        log("(d) annotate, fully cached ...")
        cached = Timing(lambda: annotate(documents, annotator, cache_dir=cold_dir, engine=one, progress=False))
        checks.append(f"cached rerun identical to cold run: {same_tables(cold.result, cached.result)}")

        added = max(1, round(0.01 * n_documents))
        grown = pd.concat([documents, replicate(seeds, added, first_copy=n_documents)], ignore_index=True)
        log(f"(e) annotate with {added} new documents ...")
        incremental = Timing(lambda: annotate(grown, annotator, cache_dir=cold_dir, engine=one, progress=False))
        new_ids = set(grown["doc_id"].iloc[n_documents:])
        covered = new_ids <= set(incremental.result.sentences["doc_id"])
        checks.append(f"incremental run covers all {added} new documents: {bool(covered)}")

        log("(c) annotate n_process=2, cold ...")
        multi = Timing(lambda: annotate(documents, annotator, cache_dir=multi_dir, engine=two, progress=False))
        rss_children = max_rss_mib(resource.RUSAGE_CHILDREN)
        checks.append(f"n_process=2 tables identical to n_process=1: {same_tables(cold.result, multi.result)}")
        log(f"(c) {multi.wall:.1f}s wall")

    results = {
        "documents": n_documents,
        "words": words,
        "chars": int(documents["n_chars"].sum()),
        "seed_count": len(seeds),
        "pipeline": annotator.pipeline_name,
        "pipe_names": annotator.nlp.pipe_names,
        "bare": vars(bare),
        "cold": vars(cold),
        "multi": vars(multi),
        "cached": vars(cached),
        "incremental": vars(incremental),
        "added": added,
        "rss_after_load": rss_after_load,
        "rss_end": run_peak_mib(),
        "load_start": load_start,
        "load_end": load_average(),
        "rss_children": rss_children,
        "components": components,
        "component_docs": min(args.component_docs, n_documents),
        "component_total": sum(seconds for _, seconds in components),
        "checks": checks,
    }
    table = markdown(results)
    print(table)
    if args.write:
        section = "\n".join(
            [
                SECTION,
                "",
                f"Run on {time.strftime('%Y-%m-%d')}: `{command}`",
                "",
                f"Machine: {machine_text}.",
                "",
                table,
            ]
        )
        write_section(section)
        print(f"\nwrote section to {RESULTS}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
