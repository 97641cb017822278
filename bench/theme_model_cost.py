"""What the theme model adds to annotation time: the same documents annotated with and without
it, side by side, alternating in one run (this machine is shared, so only the ratio means much).

Run: ``.venv/bin/python bench/theme_model_cost.py [--documents N] [--rounds R]``

The documents are the first N of each language in bench/corpora/dev/corpus.jsonl (git-ignored),
annotated in memory (no cache) by `analysis.annotate.batch.annotate_batch`.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from analysis.annotate.batch import Batch, annotate_batch
from analysis.annotate.pipeline import build_annotator
from analysis.corpus.formats import with_title

CORPUS = Path(__file__).resolve().parent / "corpora" / "dev" / "corpus.jsonl"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=int, default=150, help="documents per language (default 150)")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds (default 3)")
    args = parser.parse_args()
    if not CORPUS.is_file():
        parser.error(f"{CORPUS}: no development corpus (bench/corpora/README.md says how to collect it)")
    chosen: dict[str, list[dict]] = {}
    with CORPUS.open(encoding="utf-8") as source:
        for line in source:
            article = json.loads(line)
            group = chosen.setdefault(article["language"], [])
            if len(group) < args.documents:
                group.append(article)
    articles = [article for group in chosen.values() for article in group]
    batch = Batch([a["id"] for a in articles], [with_title(a.get("title"), a["text"])[0] for a in articles],
                  [None] * len(articles), [a["language"] for a in articles])
    with_model = build_annotator()
    for code in chosen:
        with_model.for_language(code)
    without = with_model.without_theme_model()
    annotate_batch(with_model, batch)  # warm both: spaCy's first calls are slower
    annotate_batch(without, batch)
    seconds = {"with the model": 0.0, "rules alone": 0.0}
    added = 0
    for _ in range(args.rounds):
        for label, annotator in (("rules alone", without), ("with the model", with_model)):
            start = time.perf_counter()
            tables = annotate_batch(annotator, batch)
            seconds[label] += time.perf_counter() - start
            if label == "with the model":
                added = int((tables.mentions["rule"] == "model").sum())
    print(f"{len(articles)} documents, {args.rounds} rounds each; theme mentions the model added: {added}")
    for label, total in seconds.items():
        print(f"{label}: {total / args.rounds:.2f} s a round")
    print(f"ratio: {seconds['with the model'] / seconds['rules alone']:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
