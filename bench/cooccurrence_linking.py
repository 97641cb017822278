"""What corpus-level linking adds to a cached `python -m analysis cooccurrence CORPUS` run, on a
corpus of 20,000 documents, linking on and off side by side in one process.

Run: ``.venv/bin/python bench/cooccurrence_linking.py bench/corpora/dev/corpus.jsonl --work /tmp/DIR``

The development corpus is annotated into the cache (`--work`/cache) once. The large corpus
(`--work`/corpus.jsonl) repeats it: copy 0 is the corpus itself, copy r > 0 has ids "<id>#r"
and each text ends with a paragraph of its own ("(#r)"), so every document is distinct (its
own cache key, no duplicates). Annotating 20,000 documents on a shared 2-core machine takes
about an hour, so the cache of each copy is written from the development corpus's cached
annotations (the offsets stay valid: the text only grows at its end), with the variation of
`bench/linking.py` (30 % of a copy's people spelled differently, 10 % renamed), so linking
has work that grows with the corpus.

Timed, alternately, `--rounds` times: the whole CLI command (reading the corpus, finding its
documents in the cache, counting, the pair table written to a file) with linking, and the
same with the partitions read without linking (the cache parts as annotated). The bench
switches linking off by replacing `CachedCorpus.partitions` in the timed process only.

`--before TREE` times a second version of the package side by side in the same run (TREE: a
folder holding its `analysis/`, e.g. ``git archive main analysis | tar -x -C TREE``): each
timed command runs in a process of its own with that version first on the path, the versions
and linking on/off alternated round by round, so all four see the same machine load. Each
version's cache is written under its own annotator fingerprint (`--prepare`).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
from linking import synthesise
from results import machine, publish

from analysis.annotate.cache import _read_part, _write_part, document_key
from analysis.cli import main as cli_main
from analysis.corpus.reader import read_corpus
from analysis.workflow import Annotations, CachedCorpus, annotate_corpus

PART_DOCS = 1000  # documents per cache part written


def build_corpus(source: Path, target: Path, copies: int, n_docs: int) -> None:
    """`target`: the records of `source`, copy 0 as they are, copy r with id "<id>#r" and the
    text ending in a paragraph "(#r)"; `n_docs` records in all."""
    records = [json.loads(line) for line in source.read_text(encoding="utf-8").splitlines() if line.strip()]
    written = 0
    with target.open("w", encoding="utf-8") as out:
        for copy in range(copies):
            for record in records:
                if written == n_docs:
                    return
                if copy:
                    record = {**record, "id": f"{record['id']}#{copy}", "text": f"{record['text']}\n\n(#{copy})"}
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
                written += 1


def fill_cache(dev: CachedCorpus, corpus: Path, n_docs: int) -> int:
    """Write cache parts for every copy from the development corpus's cached annotations;
    returns the number of documents written."""
    parts = dev.parts
    index = parts.index
    mentions, sentences = [], []
    for part in index["part"].unique():
        m, s = _read_part(parts.folder, str(part), parts.checksums[str(part)])
        mentions.append(m)
        sentences.append(s)
    keyed_m = pd.concat(mentions, ignore_index=True).drop_duplicates()
    keyed_s = pd.concat(sentences, ignore_index=True).drop_duplicates()
    # synthesise works on doc_id: here the doc_key stands in for it
    varied_m, varied_s = synthesise(keyed_m.rename(columns={"doc_key": "doc_id"}),
                                    keyed_s.rename(columns={"doc_key": "doc_id"}), n_docs)
    original = dict(zip(index["doc_id"], index["doc_key"], strict=True))
    documents, _ = read_corpus(corpus)
    base_texts = dict(zip(dev.documents["doc_id"], dev.documents["text"], strict=True))
    rows = []
    for doc in documents.itertuples():
        base, _, copy = doc.doc_id.partition("#")
        if not copy or not doc.text.startswith(base_texts[base]):
            continue  # copy 0 is cached already; a text the reader changed would move offsets
        rows.append((f"{original[base]}#{copy}", document_key(doc.text, doc.date, doc.language)))
    new_key = dict(rows)
    varied_m = varied_m[varied_m["doc_id"].isin(new_key)]
    varied_s = varied_s[varied_s["doc_id"].isin(new_key)]
    varied_m = varied_m.assign(doc_id=varied_m["doc_id"].map(new_key)).rename(columns={"doc_id": "doc_key"})
    varied_s = varied_s.assign(doc_id=varied_s["doc_id"].map(new_key)).rename(columns={"doc_id": "doc_key"})
    keys = list(new_key.values())
    by_m, by_s = dict(iter(varied_m.groupby("doc_key"))), dict(iter(varied_s.groupby("doc_key")))
    empty_m, empty_s = varied_m.iloc[:0], varied_s.iloc[:0]
    for begin in range(0, len(keys), PART_DOCS):
        batch = keys[begin:begin + PART_DOCS]
        _write_part(parts.folder, batch,
                    pd.concat([by_m.get(key, empty_m) for key in batch], ignore_index=True)[keyed_m.columns],
                    pd.concat([by_s.get(key, empty_s) for key in batch], ignore_index=True)[keyed_s.columns])
    return len(keys)


def _unlinked(self: CachedCorpus) -> Iterator[Annotations]:
    for mentions, sentences in self.parts.partitions():
        yield Annotations(mentions, sentences)


def timed_run(corpus: Path, cache: Path, out: Path, link: bool) -> float:
    """Seconds of one cached `cooccurrence` command, linking on or off."""
    linked = CachedCorpus.partitions
    if not link:
        CachedCorpus.partitions = _unlinked
    began = time.perf_counter()
    try:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            code = cli_main(["cooccurrence", str(corpus), "--cache", str(cache), "--out", str(out)])
    finally:
        CachedCorpus.partitions = linked
    if code:
        raise SystemExit(f"cooccurrence failed with exit code {code}")
    return time.perf_counter() - began


def prepare(corpus: Path, work: Path, n_docs: int) -> dict:
    """The large corpus and its cache under this process's annotation code; what it holds."""
    cache, big = work / "cache", work / "corpus.jsonl"
    dev = annotate_corpus(corpus, cache_dir=cache, progress=False)
    copies = -(-n_docs // dev.n_documents)
    build_corpus(corpus, big, copies, n_docs)
    written = fill_cache(dev, big, n_docs)
    first = annotate_corpus(big, cache_dir=cache, progress=False)  # everything must come from the cache now
    table = first.links.table
    return {"documents": first.n_documents, "written": written, "keys": len(table),
            "merged": int((table["key"] != table["linked"]).sum())}


def _child(tree: Path, *arguments: str) -> str:
    """This script run with `tree`'s package first on the path; its last line of output."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tree), os.environ.get("PYTHONPATH", "")])}
    done = subprocess.run([sys.executable, __file__, *arguments], env=env, capture_output=True, text=True,
                          check=False)
    if done.returncode:
        raise SystemExit(f"{' '.join(arguments)} with {tree} failed:\n{done.stderr[-2000:]}")
    return done.stdout.strip().splitlines()[-1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", help="the development corpus (JSON lines)")
    parser.add_argument("--work", required=True, help="folder for the large corpus and its cache")
    parser.add_argument("--docs", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--before", help="a folder with the package version to compare with (its analysis/)")
    parser.add_argument("--write", action="store_true", help="write the section of bench/RESULTS.md")
    parser.add_argument("--prepare", action="store_true", help=argparse.SUPPRESS)  # a child process's step
    parser.add_argument("--time-one", choices=("on", "off"), help=argparse.SUPPRESS)  # a child process's step
    args = parser.parse_args()
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    if args.prepare:
        print(json.dumps(prepare(Path(args.corpus), work, args.docs)))
        return 0
    if args.time_one:
        link = args.time_one == "on"
        out = work / f"pairs-{'linked' if link else 'unlinked'}.csv"
        print(timed_run(work / "corpus.jsonl", work / "cache", out, link=link))
        return 0
    import analysis

    trees = {"this version": Path(analysis.__file__).resolve().parent.parent}
    if args.before:
        trees = {"before": Path(args.before).resolve(), "after": trees["this version"]}
    held = {name: json.loads(_child(tree, args.corpus, "--work", args.work, "--docs", str(args.docs), "--prepare"))
            for name, tree in trees.items()}
    times: dict[tuple[str, str], list[float]] = {(name, side): [] for name in trees for side in ("on", "off")}
    for _ in range(args.rounds):  # alternated, so every variant sees the same machine load
        for name, tree in trees.items():
            for side in ("on", "off"):
                times[(name, side)].append(float(_child(tree, args.corpus, "--work", args.work, "--time-one", side)))
    shown = next(iter(held.values()))
    lines = [
        f"Corpus: {shown['documents']:,} documents (the development corpus and {shown['written']:,} varied copies "
        "written into the cache from its annotations); "
        + "; ".join(f"{name}: {h['keys']:,} actor keys, {h['merged']:,} linked into others" for name, h in held.items())
        + f". Machine: {machine()}.",
        "",
        f"| code | cached `cooccurrence` run | best of {args.rounds} (s) | all runs (s) |",
        "| --- | --- | ---: | --- |",
    ]
    for (name, side), runs in times.items():
        lines.append(f"| {name} | linking {side} | {min(runs):.2f} | {', '.join(f'{t:.2f}' for t in runs)} |")
    lines.append("")
    for name in trees:
        on, off = min(times[(name, "on")]), min(times[(name, "off")])
        lines.append(f"{name.capitalize()}: linking adds {(on - off) / off:.1%} to the cached co-occurrence run "
                     "(target: under 10 %).")
    publish(lines, "## Linking in a cached co-occurrence run (bench/cooccurrence_linking.py)",
            "cooccurrence_linking.py bench/corpora/dev/corpus.jsonl --work DIR" + (" --before TREE" if args.before
                                                                                     else ""), args.write)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
