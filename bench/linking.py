"""Benchmark of corpus-level actor linking (analysis/link/) against the co-occurrence count it
precedes, side by side in one run, on a corpus of 20,000 documents.

Run: ``.venv/bin/python bench/linking.py TABLES`` where TABLES is a folder written by
``python -m analysis annotate CORPUS --out TABLES`` (mentions.parquet, sentences.parquet), e.g.
the annotated development corpus. The cached tables are repeated, document by document, until
the corpus has ``--docs`` documents; each repetition spells a share of its people differently
(-ev/-yev, k/q, j/zh, i/y: work for linking) and renames another share to people of its own
(its surname's letters shuffled, so the number of keys grows with the corpus, as in a real
archive).

Timed: linking (the actor summary, the decision, and rewriting every mention's key) and a
sentence-level actor x actor table with NPMI (what `python -m analysis cooccurrence` computes
from a warm cache). Target: linking adds under 10 % to that run.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
import pandas as pd
from results import machine, publish

from analysis.link.corpus import link_mentions
from analysis.stats import cooccurrence as co

VARIANTS = (("ev", "yev"), ("k", "q"), ("j", "zh"), ("i", "y"))


def _vary(values: pd.Series, variant: int) -> pd.Series:
    spelling, other = VARIANTS[variant % len(VARIANTS)]
    return values.str.replace(spelling, other, n=1, regex=False)


def _shuffle_surname(name: str, rng: np.random.Generator) -> str:
    words = name.split()
    words[-1] = "".join(rng.permutation(list(words[-1].lower()))).capitalize()
    return " ".join(words)


def synthesise(mentions: pd.DataFrame, sentences: pd.DataFrame, n_docs: int, seed: int = 0
               ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """`n_docs` documents made of repeated cached ones; in each repetition 30 % of the person
    keys are spelled differently and 10 % become people of that repetition only."""
    rng = np.random.default_rng(seed)
    doc_ids = sentences["doc_id"].unique()
    repeats = -(-n_docs // len(doc_ids))
    persons = mentions.loc[(mentions["kind"] == "actor") & (mentions["category"] == "person"), "key"].unique()
    out_m, out_s = [], []
    for repeat in range(repeats):
        keep = doc_ids[: max(0, min(len(doc_ids), n_docs - repeat * len(doc_ids)))]
        m = mentions[mentions["doc_id"].isin(keep)].copy()
        s = sentences[sentences["doc_id"].isin(keep)].copy()
        m["doc_id"] = m["doc_id"] + f"#{repeat}"
        s["doc_id"] = s["doc_id"] + f"#{repeat}"
        if repeat:
            draw = rng.random(len(persons))
            varied = set(persons[draw < 0.3])
            renamed = set(persons[(draw >= 0.3) & (draw < 0.4)])
            rows = m["key"].isin(varied)
            m.loc[rows, "key"] = _vary(m.loc[rows, "key"], repeat)
            m.loc[rows, "name"] = _vary(m.loc[rows, "name"], repeat)
            rows = m["key"].isin(renamed)
            # a surname of its own: its letters shuffled, so it resembles no other
            shuffled = {name: _shuffle_surname(name, rng) for name in m.loc[rows, "name"].unique()}
            m.loc[rows, "name"] = m.loc[rows, "name"].map(shuffled)
            m.loc[rows, "key"] = m.loc[rows, "key"] + f"-{repeat}"
        out_m.append(m)
        out_s.append(s)
    return pd.concat(out_m, ignore_index=True), pd.concat(out_s, ignore_index=True)


def timed(call):
    began = time.perf_counter()
    result = call()
    return result, time.perf_counter() - began


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("tables", help="folder with mentions.parquet and sentences.parquet (annotate --out)")
    parser.add_argument("--docs", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=3, help="timings per step; the best is reported")
    parser.add_argument("--write", action="store_true", help="write the section of bench/RESULTS.md")
    args = parser.parse_args()
    folder = Path(args.tables)
    mentions = pd.read_parquet(folder / "mentions.parquet")
    sentences = pd.read_parquet(folder / "sentences.parquet")
    mentions, sentences = synthesise(mentions, sentences, args.docs)
    actors = mentions[mentions["kind"] == "actor"]
    link_times, count_times = [], []
    for _ in range(args.rounds):  # alternated, so both see the same machine load
        (linked, links), seconds = timed(lambda: link_mentions(mentions))
        link_times.append(seconds)
        pairs, seconds = timed(lambda table=linked: co.pair_table(table, sentences, "actor-actor", measure="npmi"))
        count_times.append(seconds)
    link, count = min(link_times), min(count_times)
    merged = int((links.table["key"] != links.table["linked"]).sum())
    lines = [
        f"Corpus: {sentences['doc_id'].nunique():,} documents ({folder.name} tables repeated and varied), "
        f"{len(mentions):,} mentions, {actors['key'].nunique():,} actor keys before linking, "
        f"{linked.loc[linked['kind'] == 'actor', 'key'].nunique():,} after ({merged:,} keys merged, "
        f"{len(links.candidates):,} candidates listed). Machine: {machine()}.",
        "",
        f"| step | best of {args.rounds} (s) |",
        "| --- | ---: |",
        f"| linking (summary, decision, keys rewritten) | {link:.2f} |",
        f"| actor x actor pair table, sentence, NPMI ({len(pairs):,} pairs) | {count:.2f} |",
        "",
        f"Linking adds {link / count:.1%} to the co-occurrence run (target: under 10 %).",
    ]
    publish(lines, "## Actor linking (bench/linking.py)", "linking.py TABLES", args.write)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
