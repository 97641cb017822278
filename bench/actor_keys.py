"""How many keys one real actor gets, before and after corpus-level linking, on a corpus
whose most mentioned actors are hand-coded (bench/corpora/actor_keys.tsv: `actor`, and `keys`,
the space-separated annotation keys that name that real actor).

Run: ``.venv/bin/python bench/actor_keys.py CORPUS --cache DIR [--coding FILE] [--merges FILE]``
(the corpus annotated into DIR first: ``python -m analysis annotate CORPUS --cache DIR``).

Before: the keys annotation gives (no linking). After: the keys after linking (and the
user's merges, if given). Per coded actor: keys its mentions end under, and the share of its
mentions under its main key; wrong merges: keys coded for different actors that end as one;
Cyrillic keys that actors with a Latin name still have; and the size of the review list.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

from analysis.link.corpus import link_mentions
from analysis.link.merges import read_merges
from analysis.link.names import is_cyrillic
from analysis.workflow import actor_review, annotate_corpus

CODING = Path(__file__).resolve().parent / "corpora" / "actor_keys.tsv"


def read_coding(path: Path) -> dict[str, str]:
    """raw key -> coded real actor."""
    table = pd.read_csv(path, sep="\t", dtype=str, keep_default_na=False)
    return {key: row.actor for row in table.itertuples() for key in row.keys.split()}


def measure(raw: pd.DataFrame, final: pd.Series, coding: dict[str, str]) -> dict[str, float]:
    """The measures of one side: `raw` actor mentions (their annotation keys), `final` the key
    each ends under."""
    coded = raw["key"].map(coding)
    mine = pd.DataFrame({"actor": coded, "final": final.to_numpy()})[coded.notna().to_numpy()]
    per_actor = mine.groupby("actor")["final"].agg(keys="nunique", main=lambda keys: keys.value_counts().iloc[0],
                                                   mentions="size")
    shared = mine.groupby("final")["actor"].nunique()
    cyrillic = mine[mine["final"].map(is_cyrillic)].groupby("actor")["final"].nunique()
    return {
        "keys per real actor": per_actor["keys"].mean(),
        "actors with one key": int((per_actor["keys"] == 1).sum()),
        "share of mentions under the main key": (per_actor["main"] / per_actor["mentions"]).mean(),
        "mentions under the main key (pooled)": per_actor["main"].sum() / per_actor["mentions"].sum(),
        "wrong merges (keys holding two coded actors)": int((shared > 1).sum()),
        "Cyrillic keys of coded actors": int(cyrillic.sum()),
        "actor keys in the corpus": raw["key"].nunique() if final is raw["key"] else final.nunique(),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus")
    parser.add_argument("--cache", required=True)
    parser.add_argument("--coding", default=str(CODING))
    parser.add_argument("--merges")
    args = parser.parse_args()
    coding = read_coding(Path(args.coding))
    cached = annotate_corpus(args.corpus, cache_dir=args.cache, progress=False, merges=args.merges)
    mentions, _ = cached.parts.load()
    actors = mentions[mentions["kind"] == "actor"].reset_index(drop=True)
    linked, links = link_mentions(actors, cached.protected, read_merges(args.merges))
    before = measure(actors, actors["key"], coding)
    after = measure(actors, linked["key"], coding)
    review = actor_review(cached)
    print(f"{len(set(coding.values()))} coded actors, {actors['doc_id'].nunique()} documents with actors\n")
    print("| measure | before linking | after linking |\n| --- | ---: | ---: |")
    for name in before:
        b, a = before[name], after[name]
        fmt = (lambda v: f"{v:.3f}") if isinstance(b, float) else (lambda v: f"{v:,}")
        print(f"| {name} | {fmt(b)} | {fmt(a)} |")
    print(f"\nReview list: {len(review)} rows ("
          + ", ".join(f"{n} {kind}" for kind, n in review["kind"].value_counts().sort_index().items()) + ")")
    merged = links.table[links.table["key"] != links.table["linked"]]
    print(f"Automatic merges: {len(merged)} keys")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
