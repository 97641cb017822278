"""Coverage of the document-bootstrap intervals on corpora drawn from a known model.

Run: ``.venv/bin/python bench/coverage.py --write`` (about a minute).

For each corpus size, draws `--repetitions` corpora from `analysis.stats.simulation.TwoActorModel`
(two actors, documents with their own rates, so sentences of a document are correlated),
computes the 95% interval of each measure from `--replicates` bootstrap replicates, and counts
how often it contains the model's true value. A 95% interval should cover it about 95% of the
time; the issue's bar is at least 90%.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
from results import machine, publish

from analysis.stats import cooccurrence as co
from analysis.stats.simulation import TwoActorModel


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[50, 200, 1000])
    parser.add_argument("--repetitions", type=int, default=400)
    parser.add_argument("--replicates", type=int, default=500)
    parser.add_argument("--measures", nargs="+", default=["npmi", "lift", "jaccard"])
    parser.add_argument("--write", action="store_true", help="replace this script's section of bench/RESULTS.md")
    args = parser.parse_args(argv)
    model = TwoActorModel()
    truth = {m: model.true_value(m) for m in args.measures}
    lines = [
        f"Model: {model}; true values " + ", ".join(f"{m} {v:.4f}" for m, v in truth.items()) + ".",
        f"{args.repetitions} corpora per size, {args.replicates} bootstrap replicates, 95% percentile intervals. "
        f"Machine: {machine()}.",
        "",
        "| documents | measure | coverage | mean width | seconds per table |",
        "| ---: | --- | ---: | ---: | ---: |",
    ]
    for size in args.sizes:
        for measure in args.measures:
            hits, widths, seconds = [], [], 0.0
            for repetition in range(args.repetitions):
                mentions, sentences = model.draw(size, seed=repetition)
                start = time.perf_counter()
                row = co.pair_table(mentions, sentences, measure=measure, ci=0.95, bootstrap=args.replicates,
                                    seed=repetition).iloc[0]
                seconds += time.perf_counter() - start
                hits.append(row[f"{measure}_low"] <= truth[measure] <= row[f"{measure}_high"])
                widths.append(row[f"{measure}_high"] - row[f"{measure}_low"])
            lines.append(f"| {size:,} | {measure} | {np.mean(hits):.3f} | {np.mean(widths):.3f} | "
                         f"{seconds / args.repetitions:.3f} |")
            print(lines[-1], flush=True)
    publish(lines, "## Interval coverage (bench/coverage.py)", "coverage.py", args.write)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
