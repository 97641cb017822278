"""Benchmark of analysis.annotate against bare spaCy on a corpus replicated from the seeds.

Run: ``.venv/bin/python bench/annotate.py`` (2,000 documents; ``--quick`` for ~300, ``--write``
to record the table in bench/RESULTS.md, ``--memory-scale`` to add a 20,000-document memory run).

The five seed documents are copied to about N documents, each copy made distinct (a sentence
with its copy number is appended, and it gets its own doc_id) so the per-document cache cannot
dedupe them. With one annotator (one loaded pipeline) the script times:

a. bare ``annotator.nlp.pipe(texts)`` over the full texts, reading every doc's entities;
b. ``annotate(..., n_process=1)`` into a fresh cache: documents/s, words/s (whitespace tokens)
   and its overhead over (a), target <= 15 %;
c. ``annotate(..., n_process=2)`` into another fresh cache: speed-up over (b);
d. a fully cached rerun on (b)'s cache: time as a fraction of (b), target < 5 %;
e. 1 % new documents added, rerun on (b)'s cache: time as a fraction of (b);
f. peak RSS of each phase of this process (VmHWM, reset before each phase where Linux allows),
   of the n_process=2 workers (``ru_maxrss`` of RUSAGE_CHILDREN), and of a separate process per
   corpus size (``--memory-docs``, 0 = loading alone) to show that peak RSS does not grow with N.

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
import json
import os
import re
import resource
import shlex
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import processes
from results import RESULTS, machine, write_section

from analysis.annotate import annotate, annotate_to_cache
from analysis.corpus import read_corpus
from analysis.engines import EngineConfig
from analysis.nlp import DEFAULT_PIPELINE, Annotator, build_annotator
from analysis.schema import DOCUMENT_COLUMNS, conform

ROOT = Path(__file__).resolve().parent.parent

SECTION = "## Annotation (bench/annotate.py)"
MEMORY_SECTION = "## Annotation memory by corpus size (bench/annotate.py)"
RATIOS_SECTION = "## Annotation speed, whole processes side by side (bench/annotate.py --ratios)"
WHERE_SECTION = "## Where the time of a two-process annotation goes (bench/annotate.py --where)"
QUICK_DOCUMENTS = 300
OVERHEAD_TARGET = 15.0  # % over bare nlp.pipe
CACHED_TARGET = 5.0  # % of a cold run
MEMORY_TARGET_MIB = 1536  # 1.5 GiB at 20,000 documents, n_process=1


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


def max_rss_mib(who: int = resource.RUSAGE_SELF) -> float:
    """Peak resident set size so far (ru_maxrss is KiB on Linux, bytes on macOS)."""
    peak = resource.getrusage(who).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


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


def peak_mib() -> float:
    """Peak RSS of this process's memory image since exec or the last `reset_peak` (VmHWM).

    Unlike ru_maxrss, VmHWM starts afresh at exec: a child's ru_maxrss also counts the parent
    image it was forked from, which is why the separate processes report VmHWM. Falls back to
    ru_maxrss where /proc is missing.
    """
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return max_rss_mib()
    match = re.search(r"^VmHWM:\s+(\d+) kB", status, re.MULTILINE)
    return int(match.group(1)) / 1024 if match else max_rss_mib()


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


def memory_child(n_documents: int, seeds_path: Path) -> dict:
    """Run in a fresh process: load the pipeline, annotate `n_documents` cold with n_process=1
    into a fresh cache (streaming: `annotate_to_cache`), then read the tables back into memory
    (`AnnotatedParts.load`, what `annotate` returns); report the peak RSS of each phase."""
    seeds = load_seeds(seeds_path)
    annotator = build_annotator(DEFAULT_PIPELINE)
    annotator.nlp  # noqa: B018 - loaded on first use; load it here so the column means "loaded"
    after_load = peak_mib()
    seconds, mentions, load_peak, table_mib = 0.0, 0, None, 0.0
    stream_peak = after_load
    if n_documents:  # 0: the cost of loading alone
        documents = replicate(seeds, n_documents)
        with tempfile.TemporaryDirectory(prefix="bench-annotate-mem-") as cache:
            timing = Timing(lambda: annotate_to_cache(documents, annotator, cache_dir=cache, progress=False))
            stream_peak = timing.peak if timing.peak is not None else peak_mib()
            loaded = Timing(lambda: timing.result.load())
            load_peak = loaded.peak
        seconds, mentions = timing.wall, len(loaded.result.mentions)
        table_mib = sum(t.memory_usage(deep=True).sum() for t in loaded.result) / 2**20
    return {
        "documents": n_documents,
        "after_load_mib": after_load,
        "peak_mib": stream_peak,
        "load_peak_mib": load_peak,
        "table_mib": table_mib,
        "ru_maxrss_mib": max_rss_mib(),
        "seconds": seconds,
        "mentions": mentions,
    }


def run_memory_child(n_documents: int, seeds_path: Path) -> dict:
    command = [sys.executable, str(Path(__file__).resolve()), "--memory-child", str(n_documents)]
    command += ["--seeds", str(seeds_path)]
    completed = subprocess.run(command, capture_output=True, text=True, check=False, cwd=ROOT)
    if completed.returncode != 0:
        raise RuntimeError(f"memory run for {n_documents} documents failed:\n{completed.stderr[-2000:]}")
    return json.loads(completed.stdout.strip().splitlines()[-1])


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


def measure_memory(sizes: list[int], seeds_path: Path, log: Callable[[str], None]) -> list[dict]:
    memory = []
    for size in sizes:
        log(f"(f) separate process, {size:,} documents ...")
        memory.append(run_memory_child(size, seeds_path))
        log(f"(f) {size:,} documents: peak {memory[-1]['peak_mib']:.0f} MiB")
    return memory


def write_memory_section(memory: list[dict], command: str, machine_text: str, write: bool) -> None:
    table = memory_markdown(memory)
    print(table)
    if write:
        write_section("\n".join([MEMORY_SECTION, "", f"Run on {time.strftime('%Y-%m-%d')}: `{command}`", "",
                                  f"Machine: {machine_text}.", "", table]))
        print(f"\nwrote section to {RESULTS}", file=sys.stderr)


def memory_markdown(memory: list[dict]) -> str:
    lines: list[str] = []
    lines += [
        "",
        "Peak RSS of a separate process per corpus size: the pipeline loaded, then `annotate_to_cache` "
        "(n_process=1, cold: documents read, annotated and written to Parquet in batches of 500), then "
        "the tables read back into memory (`AnnotatedParts.load`, what `annotate` returns; the peak is "
        "reset between phases):",
        "",
        "| Documents | Pipeline loaded MiB | Streaming annotation peak MiB | Tables in memory peak MiB "
        "| Tables' own size MiB | Mentions | Annotation wall s |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for run in memory:
        lines.append(
            f"| {run['documents']:,} | {run['after_load_mib']:.0f} | {run['peak_mib']:.0f} "
            f"| {mib(run['load_peak_mib'])} | {run['table_mib']:.0f} | {run['mentions']:,} | {run['seconds']:.1f} |"
        )
    sized = [run for run in memory if run["documents"]]
    if len(sized) > 1:
        small, large = sized[0], sized[-1]
        at_scale = [run["peak_mib"] for run in sized if run["documents"] >= 20_000]
        target = verdict(max(at_scale) < MEMORY_TARGET_MIB) if at_scale else "not measured (add --memory-scale)"
        lines += [
            "",
            f"From {small['documents']:,} to {large['documents']:,} documents "
            f"(x{large['documents'] / small['documents']:.0f}) the streaming peak goes from "
            f"{small['peak_mib']:.0f} to {large['peak_mib']:.0f} MiB "
            f"(x{large['peak_mib'] / small['peak_mib']:.2f}). Target: under {MEMORY_TARGET_MIB:,} MiB "
            f"at 20,000 documents with n_process=1: {target}.",
        ]
    return "\n".join(lines).strip()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=2000, help="corpus size (default 2000)")
    parser.add_argument("--quick", action="store_true", help=f"~{QUICK_DOCUMENTS} documents")
    parser.add_argument(
        "--memory-docs",
        type=int,
        nargs="*",
        help="corpus sizes for the separate peak-RSS processes, 0 = load only (default 0 2000; --quick: 0 100)",
    )
    parser.add_argument("--memory-scale", action="store_true", help="add a 20,000-document peak-RSS process")
    parser.add_argument("--memory-only", action="store_true",
                        help="only the separate peak-RSS processes (their own section of RESULTS.md)")
    parser.add_argument("--component-docs", type=int, default=20, help="documents for the per-component times")
    parser.add_argument("--seeds", type=Path, default=ROOT / "seeds", help="seed corpus (default seeds/)")
    parser.add_argument("--write", action="store_true", help=f"record the results in {RESULTS.relative_to(ROOT)}")
    parser.add_argument("--memory-child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--ratios", action="store_true",
                        help="whole processes side by side: bare spaCy, annotate --n-process 1 and 2 (medians, "
                             "ratios), and the peak RSS of annotate at the --memory-docs sizes")
    parser.add_argument("--repeats", type=int, default=3, help="turns of every variant for --ratios (default 3)")
    parser.add_argument("--only", nargs="*", help="--ratios: only these variants (names as printed)")
    parser.add_argument("--where", action="store_true",
                        help="where the time of annotate_to_cache goes with 2 processes and 1, and how much CPU "
                             "the machine's other users took meanwhile")
    args = parser.parse_args(argv)

    if args.memory_child is not None:
        print(json.dumps(memory_child(args.memory_child, args.seeds)))
        return 0

    command = "cd /work/main && .venv/bin/python bench/annotate.py " + shlex.join(
        sys.argv[1:] if argv is None else argv
    )
    n_documents = QUICK_DOCUMENTS if args.quick else args.documents
    default_sizes = [0, 100] if args.quick else [0, 2000]
    memory_sizes = list(args.memory_docs) if args.memory_docs is not None else default_sizes
    if args.memory_scale:
        memory_sizes.append(20_000)
    machine_text = machine()
    load_start = load_average()
    memory = []
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
        memory = processes.memory_by_size(lambda size: replicate(seeds, size), sizes, log)
        text = processes.markdown(RATIOS_SECTION, command.replace("/work/main", "/work/wt16"), machine_text,
                                  corpus_text, walls, memory, f"{load}, {load_average()} at the end")
        print(text)
        if args.write:
            write_section(text)
        return 0

    if args.memory_only:
        memory = measure_memory(memory_sizes, args.seeds, log)
        write_memory_section(memory, command, machine_text, args.write)
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

    memory.extend(measure_memory(memory_sizes, args.seeds, log))

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
        "memory": memory,
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
