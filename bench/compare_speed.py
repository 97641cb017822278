"""Speed and memory of `compare` on a large synthetic corpus.

Run: ``.venv/bin/python bench/compare_speed.py --write`` (about a minute).

The corpus is `bench/cooccurrence.py`'s synthetic one (Zipf-like actors, 15% theme mentions,
about 10 sentences a document) with every document in one of four outlet groups and one
document in ten a near-copy of another (same story). Timed: building the model with
fractional weighting and stories, then `compare` by outlet group over the top pairs, each
with the story bootstrap. Peak memory is the process's resident high-water mark.
"""

from __future__ import annotations

import argparse
import resource
import time

import numpy as np
from cooccurrence import synthetic
from results import machine, publish

from analysis.stats.compare import compare
from analysis.stats.cooccurrence import Cooccurrence

GROUPS = np.array(["Russian state media", "Kyrgyz independent media", "Western public broadcasters",
                   "international news agencies"], dtype=object)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--mentions", type=int, default=1_000_000)
    parser.add_argument("--actors", type=int, default=5_000)
    parser.add_argument("--replicates", type=int, default=200)
    parser.add_argument("--top", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--write", action="store_true", help="replace this script's section of bench/RESULTS.md")
    args = parser.parse_args(argv)
    documents, sentences, mentions = synthetic(args.docs, args.mentions, args.actors)
    rng = np.random.default_rng(0)
    story = documents["doc_id"].to_numpy(dtype=object).copy()
    copies = rng.random(len(story)) < 0.1
    story[copies] = story[rng.integers(0, len(story), int(copies.sum()))]
    documents = documents.assign(source_group=GROUPS[rng.integers(0, len(GROUPS), len(documents))], story=story)
    lines = [
        f"{args.docs:,} documents, {len(mentions):,} mentions, {args.actors:,} actors, 4 outlet groups, "
        f"{args.replicates} story-bootstrap replicates. Machine: {machine()}.",
        "",
        "| step | pairs compared | seconds | peak RSS (MiB) |",
        "| --- | ---: | ---: | ---: |",
    ]
    start = time.perf_counter()
    model = Cooccurrence.build(mentions, sentences, weighting="fractional", documents=documents)
    lines.append(f"| build (fractional, stories) | | {time.perf_counter() - start:.1f} | {rss():,.0f} |")
    print(lines[-1], flush=True)
    for top in args.top:
        start = time.perf_counter()
        result = compare(model, documents, "source_group", "actor-actor", top=top, bootstrap=args.replicates)
        lines.append(f"| compare by source_group, actor-actor | {compared(result.table):,} "
                     f"| {time.perf_counter() - start:.1f} | {rss():,.0f} |")
        print(lines[-1], flush=True)
    start = time.perf_counter()
    result = compare(model, documents, "source_group", "actor-theme", top=args.top[-1], bootstrap=args.replicates)
    lines.append(f"| compare by source_group, actor-theme | {compared(result.table):,} "
                 f"| {time.perf_counter() - start:.1f} | {rss():,.0f} |")
    print(lines[-1], flush=True)
    publish(lines, "## Comparison speed (bench/compare_speed.py)", "compare_speed.py", args.write)
    return 0


def compared(table) -> int:
    return len(table[["a_key", "b_key"]].drop_duplicates())


def rss() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


if __name__ == "__main__":
    raise SystemExit(main())
