"""Whole processes, from start to exit, side by side: bare spaCy, `annotate --n-process 1` and
`annotate --n-process 2` on one replicated corpus (a .jsonl file), repeated in turns so that
load from other users falls on every variant alike; medians and their ratios. Also the peak
RSS of `annotate --n-process 1` at several corpus sizes (`os.wait4` gives each child's own).

Used by ``bench/annotate.py --ratios``.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from analysis.annotate.pipeline import DEFAULT_PIPELINE

ROOT = Path(__file__).resolve().parent.parent

# The bare baselines: spaCy's own default pipeline (tagger, parser, attribute_ruler, lemmatizer,
# ner over tok2vec; senter disabled), and the pipeline `annotate` ran before it was trimmed
# (no parser, senter on): every doc consumed and its entities read.
BARE = """
import json, sys, spacy
name, path, trimmed = sys.argv[1], sys.argv[2], sys.argv[3] == "old"
nlp = spacy.load(name, exclude=["parser"] if trimmed else [])
if trimmed:
    nlp.enable_pipe("senter")
texts = [json.loads(line)["text"] for line in open(path, encoding="utf-8")]
print(sum(len(doc.ents) for doc in nlp.pipe(texts)))
"""


def write_jsonl(documents: pd.DataFrame, path: Path) -> None:
    with path.open("w", encoding="utf-8") as out:
        for row in documents.itertuples():
            date = None if pd.isna(row.date) else pd.Timestamp(row.date).date().isoformat()
            out.write(json.dumps({"id": row.doc_id, "text": row.text, "date": date}) + "\n")


def run_process(command: list[str]) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds (the child and the workers it reaped) and peak RSS (MiB, the
    child alone) of one whole process. On a shared machine wall time depends on the others'
    load; CPU seconds do not."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    error = process.stderr.read().decode(errors="replace") if process.stderr else ""
    if process.returncode:
        raise RuntimeError(f"{' '.join(command)} failed ({process.returncode}):\n{error[-2000:]}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def annotate_command(corpus: Path, cache: Path, n_process: int) -> list[str]:
    return [sys.executable, "-m", "analysis", "annotate", str(corpus), "--cache", str(cache),
            "--n-process", str(n_process), "--top", "0"]


def variants(corpus: Path, work: Path) -> dict[str, Callable[[int], list[str]]]:
    """Name -> the command of its run number i (each annotate run gets an empty cache)."""
    bare = [sys.executable, "-c", BARE, DEFAULT_PIPELINE, str(corpus)]
    return {
        "bare nlp.pipe, spaCy default pipeline": lambda i: [*bare, "default"],
        "bare nlp.pipe, old annotate pipeline": lambda i: [*bare, "old"],
        "annotate --n-process 1": lambda i: annotate_command(corpus, work / f"cache-1-{i}", 1),
        "annotate --n-process 2": lambda i: annotate_command(corpus, work / f"cache-2-{i}", 2),
    }


def measure(documents: pd.DataFrame, repeats: int, only: list[str] | None,
            log: Callable[[str], None]) -> dict[str, list[tuple[float, float]]]:
    """(wall, CPU) seconds of each variant, `repeats` turns of all variants one after the other."""
    walls: dict[str, list[tuple[float, float]]] = {}
    with tempfile.TemporaryDirectory(prefix="bench-processes-") as folder:
        work = Path(folder)
        corpus = work / "corpus.jsonl"
        write_jsonl(documents, corpus)
        chosen = {name: make for name, make in variants(corpus, work).items() if only is None or name in only}
        for turn in range(repeats):
            for name, make in chosen.items():
                wall, cpu, _ = run_process(make(turn))
                walls.setdefault(name, []).append((wall, cpu))
                log(f"turn {turn + 1}/{repeats}: {name}: {wall:.1f} s wall, {cpu:.1f} s CPU")
    return walls


def memory_by_size(make_documents: Callable[[int], pd.DataFrame], sizes: list[int],
                   log: Callable[[str], None]) -> list[tuple[int, float, float]]:
    """(documents, peak RSS MiB, wall s) of `annotate --n-process 1` per corpus size."""
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-memory-") as folder:
        for size in sizes:
            corpus = Path(folder) / f"corpus-{size}.jsonl"
            write_jsonl(make_documents(size), corpus)
            wall, _, peak = run_process(annotate_command(corpus, Path(folder) / f"cache-{size}", 1))
            corpus.unlink()
            log(f"memory: {size:,} documents: peak {peak:.0f} MiB, {wall:.1f} s")
            rows.append((size, peak, wall))
    return rows


def markdown(heading: str, command: str, machine_text: str, corpus_text: str,
             runs: dict[str, list[tuple[float, float]]], memory: list[tuple[int, float, float]], load: str) -> str:
    wall = {name: statistics.median(w for w, _ in values) for name, values in runs.items()}
    cpu = {name: statistics.median(c for _, c in values) for name, values in runs.items()}
    lines = [heading, "", f"Command: `{command}`", "", f"Machine: {machine_text}; {load}.", "", corpus_text, "",
             "| Whole process | Runs | Median wall s | Median CPU s | All runs, wall/CPU s |",
             "|---|---:|---:|---:|---|"]
    lines += [f"| {name} | {len(values)} | {wall[name]:.1f} | {cpu[name]:.1f} | "
              f"{', '.join(f'{w:.1f}/{c:.1f}' for w, c in values)} |" for name, values in runs.items()]
    one, two = "annotate --n-process 1", "annotate --n-process 2"
    lines.append("")
    for bare in ("bare nlp.pipe, spaCy default pipeline", "bare nlp.pipe, old annotate pipeline"):
        if one in wall and bare in wall:
            lines.append(f"- `{one}` against {bare}: **{wall[bare] / wall[one]:.2f}x** as fast (wall), "
                         f"{cpu[bare] / cpu[one]:.2f}x less CPU (target 1.3x).")
    if one in wall and two in wall:
        lines.append(f"- `{two}` against `{one}`: **{wall[one] / wall[two]:.2f}x** as fast (wall; target 1.8x); "
                     f"it uses {cpu[two] / cpu[one]:.2f}x the CPU seconds of one process.")
    if memory:
        lines += ["", "Peak RSS of `annotate --n-process 1` (whole process, cold cache), by corpus size:", "",
                  "| Documents | Peak RSS MiB | Wall s |", "|---:|---:|---:|"]
        lines += [f"| {size:,} | {peak:.0f} | {wall:.1f} |" for size, peak, wall in memory]
    return "\n".join(lines)


def machine_busy_seconds() -> float | None:
    """CPU seconds every process on the machine has used since boot (/proc/stat), so that a
    run can say how much CPU the other users took while it ran."""
    try:
        fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    except OSError:
        return None
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(value) for value in fields[:8])
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def where_time_goes(documents: pd.DataFrame, n_process: int, log: Callable[[str], None]) -> dict[str, float]:
    """One in-process `annotate_to_cache` run with the parent's time split into its steps:
    loading the pipeline (before the workers fork), writing Parquet parts, and the rest
    (waiting for workers, handing out batches); plus the workers' CPU seconds."""
    import resource

    from analysis.annotate import cache as annotate_module
    from analysis.annotate.engines import EngineConfig
    from analysis.annotate.pipeline import build_annotator

    spent = {"write": 0.0}
    write_part = annotate_module._write_part

    def timed_write(*args, **kwargs):
        start = time.perf_counter()
        try:
            return write_part(*args, **kwargs)
        finally:
            spent["write"] += time.perf_counter() - start

    annotator = build_annotator()
    start = time.perf_counter()
    _ = annotator.nlp
    load = time.perf_counter() - start
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    parent_cpu = time.process_time()
    busy = machine_busy_seconds()
    annotate_module._write_part = timed_write
    try:
        with tempfile.TemporaryDirectory(prefix="bench-where-") as cache:
            start = time.perf_counter()
            annotate_module.annotate_to_cache(documents, annotator, cache, EngineConfig(n_process=n_process),
                                              progress=False)
            wall = time.perf_counter() - start
            parent_cpu = time.process_time() - parent_cpu
    finally:
        annotate_module._write_part = write_part
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    workers = (after.ru_utime + after.ru_stime) - (children.ru_utime + children.ru_stime)
    busy_after = machine_busy_seconds()
    others = None if busy is None or busy_after is None else busy_after - busy - parent_cpu - workers
    result = {"n_process": n_process, "load": load, "wall": wall, "write": spent["write"], "parent_cpu": parent_cpu,
              "workers_cpu": workers, "other_users_cpu": others}
    log(f"where the time goes, n_process={n_process}: {result}")
    return result


def where_markdown(heading: str, command: str, machine_text: str, documents: int, rows: list[dict]) -> str:
    lines = [heading, "", f"Command: `{command}`", "", f"Machine: {machine_text}.", "",
             f"{documents:,} documents, in this process (`annotate_to_cache`, cold cache, batches of 500 documents; "
             "worker tasks of 64). The pipeline is loaded before the clock starts (before the workers fork).", "",
             "| n_process | Load pipeline s | Wall s | Parent CPU s | Writing Parquet s | Workers CPU s "
             "| Other users' CPU s meanwhile | CPU s the machine had (2 x wall) |",
             "|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for row in rows:
        others = "n/a" if row["other_users_cpu"] is None else f"{row['other_users_cpu']:.1f}"
        lines.append(f"| {row['n_process']} | {row['load']:.1f} | {row['wall']:.1f} | {row['parent_cpu']:.2f} "
                     f"| {row['write']:.2f} | {row['workers_cpu']:.1f} | {others} | {2 * row['wall']:.1f} |")
    return "\n".join(lines)
