"""Benchmark of analysis.stats.cooccurrence on a synthetic corpus the size of a large news archive.

Run: ``.venv/bin/python bench/cooccurrence.py`` (``--docs 10000`` for a quick look).

Builds 100,000 documents of ~10 sentences, ~1,000,000 mentions of 5,000 actors with
Zipf-like frequencies and of the 12 themes, then times the sentence-level actor x actor and
actor x theme tables (all measures, document support, q-values), the actor x actor table with
a 95% document-bootstrap interval of NPMI, and a few other units. Targets: a pair table < 2 s;
with a 200-replicate interval < 60 s and < 4 GB.
If textacy is importable, its build_cooccurrence_network is run on the same sentence units
of a subsample and its edge weights are checked against our counts.
"""

from __future__ import annotations

import argparse
import resource
import time
import tracemalloc
from collections.abc import Callable

import numpy as np
import pandas as pd
from results import machine, publish

from analysis.annotate.themes import load_taxonomy
from analysis.schema import (
    ACTOR_CATEGORIES,
    DOCUMENT_COLUMNS,
    MENTION_COLUMNS,
    SENTENCE_COLUMNS,
    conform,
)
from analysis.stats import cooccurrence as co

THEMES = tuple(theme.key for theme in load_taxonomy())  # the package's 12 themes


def synthetic(
    n_docs: int, n_mentions: int, n_actors: int, seed: int = 42
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """documents, sentences and mentions tables with realistic skew, built vectorised."""
    rng = np.random.default_rng(seed)
    per_doc = rng.integers(6, 15, n_docs)  # ~10 sentences a document
    doc = np.repeat(np.arange(n_docs), per_doc)
    sentence = np.arange(len(doc)) - np.repeat(np.cumsum(per_doc) - per_doc, per_doc)
    paragraph = sentence // 3
    start = sentence * 120
    doc_ids = np.array([f"doc{i:06d}" for i in range(n_docs)], dtype=object)
    sentences = conform(
        pd.DataFrame(
            {
                "doc_id": doc_ids[doc],
                "paragraph": paragraph,
                "sentence": sentence,
                "start": start,
                "end": start + 110,
            }
        ),
        SENTENCE_COLUMNS,
    )

    # actors: Zipf-like frequencies; a person is often affiliated to a country or organisation
    weights = 1.0 / np.arange(1, n_actors + 1) ** 1.07
    actor_category = rng.choice(ACTOR_CATEGORIES, n_actors, p=[0.5, 0.25, 0.15, 0.1, 0.0])
    actor_keys = np.array([f"actor-{i:05d}" for i in range(n_actors)], dtype=object)
    bodies = np.flatnonzero(np.isin(actor_category, ["organization", "country"]))
    affiliation = np.full(n_actors, None, dtype=object)
    affiliated = (actor_category == "person") & (rng.random(n_actors) < 0.7)
    affiliation[affiliated] = actor_keys[rng.choice(bodies, int(affiliated.sum()))]
    theme_weights = 1.0 / np.arange(1, len(THEMES) + 1)

    row = rng.integers(0, len(doc), n_mentions)  # the sentence each mention sits in
    is_theme = rng.random(n_mentions) < 0.15
    actor = rng.choice(n_actors, n_mentions, p=weights / weights.sum())
    theme = rng.choice(len(THEMES), n_mentions, p=theme_weights / theme_weights.sum())
    themes = np.array(THEMES, dtype=object)
    key = np.where(is_theme, themes[theme], actor_keys[actor])
    category = np.where(is_theme, themes[theme], actor_category[actor].astype(object))
    mentions = conform(
        pd.DataFrame(
            {
                "doc_id": doc_ids[doc[row]],
                "paragraph": paragraph[row],
                "sentence": sentence[row],
                "start": start[row] + 10,
                "end": start[row] + 20,
                "text": key,
                "kind": np.where(is_theme, "theme", "actor"),
                "label": np.where(is_theme, "THEME", "ORG"),
                "key": key,
                "name": key,
                "category": category,
                "affiliation": np.where(is_theme, None, affiliation[actor]),
            }
        ),
        MENTION_COLUMNS,
    )
    dates = pd.Timestamp("2020-01-01") + pd.to_timedelta(rng.integers(0, 1461, n_docs), "D")
    dates = pd.Series(dates).where(rng.random(n_docs) > 0.05)  # 5% undated
    documents = pd.DataFrame({name: pd.Series(dtype=t) for name, t in DOCUMENT_COLUMNS.items()})
    documents = conform(
        documents.reindex(range(n_docs)).assign(doc_id=doc_ids, date=dates.to_numpy(), text="", n_chars=0),
        DOCUMENT_COLUMNS,
    )
    return documents, sentences, mentions


def measure(call: Callable[[], pd.DataFrame]) -> tuple[pd.DataFrame, float, float]:
    """Wall time of a clean run, then peak traced memory (MiB) of a second, traced run."""
    start = time.perf_counter()
    result = call()
    wall = time.perf_counter() - start
    tracemalloc.start()
    call()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return result, wall, peak / 2**20


def max_rss_mib() -> float:
    """The process's resident high-water mark (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def compare_textacy(mentions: pd.DataFrame, sentences: pd.DataFrame, n_docs: int) -> list[str]:
    """textacy's network on the same sentence units of the first `n_docs` documents."""
    try:
        from textacy.representations.network import build_cooccurrence_network
    except ImportError:
        return ["textacy is not installed: comparison skipped."]
    docs = sentences["doc_id"].drop_duplicates().head(n_docs)
    sub_s = sentences[sentences["doc_id"].isin(docs)]
    sub_m = mentions[mentions["doc_id"].isin(docs) & (mentions["kind"] == "actor")]

    start = time.perf_counter()
    ours = co.pair_table(sub_m, sub_s, "actor-actor", "sentence")
    ours_s = time.perf_counter() - start

    start = time.perf_counter()
    # textacy wants token lists: one list of distinct keys per sentence. With window_size
    # as long as the longest list, each sentence is exactly one window, i.e. one unit.
    distinct = sub_m.drop_duplicates(["doc_id", "sentence", "key"]).sort_values(["doc_id", "sentence"], kind="stable")
    doc, sent = distinct["doc_id"].to_numpy(object), distinct["sentence"].to_numpy()
    cut = np.flatnonzero((doc[1:] != doc[:-1]) | (sent[1:] != sent[:-1])) + 1
    per_sentence = np.split(distinct["key"].to_numpy(object), cut)
    data = [keys.tolist() for keys in per_sentence if len(keys) >= 2]
    prep_s = time.perf_counter() - start
    start = time.perf_counter()
    graph = build_cooccurrence_network(data, window_size=max(map(len, data)))
    textacy_s = time.perf_counter() - start

    theirs = {tuple(sorted((a, b))): w for a, b, w in graph.edges(data="weight")}
    mine = {(a, b): int(c) for a, b, c in ours[["a_key", "b_key", "count"]].itertuples(False)}
    agree = "yes" if theirs == mine else f"NO ({len(set(theirs.items()) ^ set(mine.items()))})"
    return [
        f"textacy comparison on {len(docs):,} documents ({len(sub_s):,} sentences, "
        f"{len(sub_m):,} actor mentions, {len(mine):,} pairs): counts agree: {agree}",
        "",
        "| implementation | seconds | what it gives |",
        "| --- | ---: | --- |",
        f"| analysis.stats.cooccurrence.pair_table | {ours_s:.3f} | counts + margins + 7 measures |",
        f"| textacy build_cooccurrence_network | {textacy_s:.3f} | counts (graph), "
        f"plus {prep_s:.3f} s to build its per-sentence key lists |",
    ]


def evidence_queries(documents, sentences, mentions, pairs: pd.DataFrame) -> list[str]:
    """Evidence for several pairs: the model built once and asked, against a rebuild per pair
    (what the report notebooks did before there was a model)."""
    chosen = pairs.head(20)[["a_key", "b_key"]].itertuples(index=False)
    chosen = list(chosen)
    start = time.perf_counter()
    model = co.Cooccurrence.build(mentions, sentences)
    for a, b in chosen:
        model.evidence(documents, a, b)
    once = time.perf_counter() - start
    start = time.perf_counter()
    for a, b in chosen:
        co.Cooccurrence.build(mentions, sentences).evidence(documents, a, b)
    rebuilt = time.perf_counter() - start
    return [f"Evidence for the {len(chosen)} strongest pairs: model built once {once:.2f} s, rebuilt per pair "
            f"{rebuilt:.2f} s (x{rebuilt / once:.1f})."]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--mentions", type=int, default=1_000_000)
    parser.add_argument("--actors", type=int, default=5_000)
    parser.add_argument("--textacy-docs", type=int, default=5_000)
    parser.add_argument("--replicates", type=int, default=200, help="bootstrap replicates of the interval case")
    parser.add_argument("--write", action="store_true", help="replace this script's section of bench/RESULTS.md")
    args = parser.parse_args(argv)

    start = time.perf_counter()
    documents, sentences, mentions = synthetic(args.docs, args.mentions, args.actors)
    built = time.perf_counter() - start
    rss_data = max_rss_mib()
    lines = [
        f"Synthetic corpus: {len(documents):,} documents, {len(sentences):,} sentences, "
        f"{len(mentions):,} mentions over {mentions['key'].nunique():,} keys (built in {built:.1f} s). "
        f"Machine: {machine()}.",
        "",
    ]
    interval = {"measure": "npmi", "ci": 0.95, "bootstrap": args.replicates, "seed": 0}
    cases: list[tuple[str, str, Callable[[], pd.DataFrame]]] = [
        ("actor-actor", "sentence", lambda: co.pair_table(mentions, sentences, "actor-actor")),
        (f"actor-actor, npmi with 95% interval ({args.replicates} replicates)", "sentence",
         lambda: co.pair_table(mentions, sentences, "actor-actor", **interval)),
        ("actor-theme", "sentence", lambda: co.pair_table(mentions, sentences, "actor-theme")),
        ("actor-actor, affiliation", "sentence",
         lambda: co.pair_table(mentions, sentences, "actor-actor", level="affiliation")),
        ("actor-actor", "window:3", lambda: co.pair_table(mentions, sentences, "actor-actor", "window:3")),
        ("actor-actor", "document", lambda: co.pair_table(mentions, sentences, "actor-actor", "document")),
        ("actor-actor by month", "sentence", lambda: co.pair_table_by_period(mentions, sentences, documents, "month")),
    ]
    lines += ["| table | unit | rows | wall time (s) | peak traced memory (MiB) |",
              "| --- | --- | ---: | ---: | ---: |"]
    first = None
    for name, unit, call in cases:
        result, wall, peak = measure(call)
        first = result if first is None else first
        lines.append(f"| {name} | {unit} | {len(result):,} | {wall:.2f} | {peak:,.0f} |")
    lines += [
        "",
        f"Process max RSS: {rss_data:,.0f} MiB after building the data, {max_rss_mib():,.0f} MiB at the end. "
        "Targets: a pair table < 2 s; with a 95% interval from 200 replicates < 60 s and < 4 GB.",
        "",
        *evidence_queries(documents, sentences, mentions, first),
        "",
        *compare_textacy(mentions, sentences, args.textacy_docs),
    ]
    publish(lines, "## Co-occurrence (bench/cooccurrence.py)", "cooccurrence.py", args.write)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
