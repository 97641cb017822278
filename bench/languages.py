"""Russian annotation throughput beside English, on the same machine, in one run.

Run: ``.venv/bin/python bench/languages.py`` (400 documents per language; ``--documents N``;
``--write`` to record the table in bench/RESULTS.md).

English: the five seeds replicated (each copy made distinct, as bench/annotate.py does).
Russian: three constructed Russian news texts (bench/russian_texts.py) replicated the same way.
One annotator serves both: the time to build each language's pipeline is reported apart, then
each corpus is annotated cold (a fresh cache, one process) and timed: documents and words
(whitespace tokens) per second of wall time, words per CPU second, and mentions per document.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd
from results import machine, publish
from russian_texts import TEXTS

from analysis.annotate.cache import annotate
from analysis.annotate.engines import EngineConfig
from analysis.annotate.pipeline import build_annotator
from analysis.corpus.reader import read_corpus
from analysis.schema import DOCUMENT_COLUMNS, conform

ROOT = Path(__file__).resolve().parent.parent
SECTION = "## Russian beside English (bench/languages.py)"
COPY_SENTENCE = {"en": "This is copy number {n} of the report.", "ru": "Это копия номер {n} сообщения."}


def replicate(texts: list[str], language: str, n_documents: int) -> pd.DataFrame:
    rows = []
    for number in range(n_documents):
        text = f"{texts[number % len(texts)]} {COPY_SENTENCE[language].format(n=number)}"
        rows.append({"doc_id": f"{language}-{number:06d}", "path": f"bench:{language}#{number}", "date": None,
                     "date_source": "none", "source": None, "title": None, "text": text, "n_chars": len(text),
                     "sha256": hashlib.sha256(text.encode()).hexdigest(), "duplicate_of": None,
                     "language": language})
    return conform(pd.DataFrame(rows), DOCUMENT_COLUMNS)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=400, help="documents per language")
    parser.add_argument("--write", action="store_true", help="record the table in bench/RESULTS.md")
    args = parser.parse_args(argv)
    seeds = read_corpus(ROOT / "seeds").documents["text"].tolist()
    corpora = {"en": replicate(seeds, "en", args.documents), "ru": replicate(list(TEXTS), "ru", args.documents)}
    annotator = build_annotator()
    rows = []
    for language, documents in corpora.items():
        start = time.perf_counter()
        annotator.for_language(language)  # build (English: load) the pipeline
        load = time.perf_counter() - start
        with tempfile.TemporaryDirectory(prefix="kg-bench-languages-") as cache:
            start, cpu = time.perf_counter(), time.process_time()
            mentions, _ = annotate(documents, annotator, cache_dir=cache, engine=EngineConfig("local", n_process=1),
                                   progress=False)
            wall, cpu = time.perf_counter() - start, time.process_time() - cpu
        words = sum(len(text.split()) for text in documents["text"])
        rows.append((language, load, len(documents), wall, cpu, len(documents) / wall, words / wall, words / cpu,
                     (mentions["kind"] == "actor").sum() / len(documents),
                     (mentions["kind"] == "theme").sum() / len(documents)))
    lines = [f"Machine: {machine()}.", f"{args.documents} documents per language, one process, a cold cache.", "",
             "| language | pipeline build s | documents | wall s | CPU s | documents/s | words/s | words/CPU s "
             "| actor mentions/doc | theme mentions/doc |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    lines += [f"| {lang} | {load:.1f} | {n} | {wall:.1f} | {cpu:.1f} | {dps:.1f} | {wps:,.0f} | {cps:,.0f} "
              f"| {actors:.1f} | {themes:.1f} |"
              for lang, load, n, wall, cpu, dps, wps, cps, actors, themes in rows]
    english, russian = rows
    lines += ["", f"Russian runs at {russian[6] / english[6]:.2f}x English's words per second of wall time and "
                  f"{russian[7] / english[7]:.2f}x its words per CPU second (the machine is shared with other work, so "
                  "wall seconds vary between runs; CPU seconds include numpy's threads, which slovnet's NER, a CNN "
                  "over navec embeddings and most of the Russian time, uses)."]
    publish(lines, SECTION, "languages.py", args.write)
    return 0


if __name__ == "__main__":
    sys.exit(main())
