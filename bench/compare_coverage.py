"""Does `compare` find a difference that is there, and stay quiet where there is none?

Run: ``.venv/bin/python bench/compare_coverage.py --write`` (a few minutes).

Each repetition draws a corpus of two outlet groups from `analysis.stats.simulation`
(`draw_groups`: two actors, documents with their own rates, so sentences of a document are
correlated), builds the model and compares the groups' NPMI with a 95% story bootstrap. In the
"same" setting both groups come from one model: the difference's interval should include 0 in
about 95% of repetitions (the issue's bar: at least 90%). In the "differ" setting one group's
joint rate is four times the other's: the interval should exclude 0 (power).
"""

from __future__ import annotations

import argparse
import time

import numpy as np
from results import machine, publish

from analysis.stats.compare import compare
from analysis.stats.cooccurrence import Cooccurrence
from analysis.stats.simulation import TwoActorModel, draw_groups

SETTINGS = {
    "same": {"state": TwoActorModel(), "independent": TwoActorModel()},
    "differ": {"state": TwoActorModel(joint=0.02), "independent": TwoActorModel(joint=0.08)},
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, nargs="+", default=[100, 400], help="documents per group")
    parser.add_argument("--repetitions", type=int, default=400)
    parser.add_argument("--replicates", type=int, default=500)
    parser.add_argument("--write", action="store_true", help="replace this script's section of bench/RESULTS.md")
    args = parser.parse_args(argv)
    lines = [
        f"{args.repetitions} corpora per row, two groups, {args.replicates} story-bootstrap replicates, 95% "
        f"intervals of the difference in NPMI (group 'independent' against reference 'state'). Machine: {machine()}.",
        "",
        "| setting | documents per group | interval includes 0 | interval excludes 0 | mean difference "
        "| mean width | seconds per comparison |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for setting, models in SETTINGS.items():
        for size in args.documents:
            includes, differences, widths, seconds = [], [], [], 0.0
            for repetition in range(args.repetitions):
                documents, mentions, sentences = draw_groups(models, size, seed=repetition)
                start = time.perf_counter()
                model = Cooccurrence.build(mentions, sentences, documents=documents)
                row = compare(model, documents, "source_group", reference="state", bootstrap=args.replicates,
                              seed=repetition).table.iloc[1]
                seconds += time.perf_counter() - start
                includes.append(row["difference_low"] <= 0 <= row["difference_high"])
                differences.append(row["difference"])
                widths.append(row["difference_high"] - row["difference_low"])
            lines.append(f"| {setting} | {size:,} | {np.mean(includes):.3f} | {1 - np.mean(includes):.3f} | "
                         f"{np.mean(differences):+.3f} | {np.mean(widths):.3f} | {seconds / args.repetitions:.3f} |")
            print(lines[-1], flush=True)
    publish(lines, "## Comparison coverage (bench/compare_coverage.py)", "compare_coverage.py", args.write)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
