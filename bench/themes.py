"""Theme accuracy on the development corpus, per language and per theme, against a hand-coded gold.

Run: ``.venv/bin/python bench/themes.py [--gold NAME] [--errors]`` (NAME: one of `GOLDS` below)

`dev` is the 80 documents of bench/corpora/gold_themes.tsv (the ones the theme rules were
tuned on); `heldout` the 45 of gold_themes_heldout.tsv, coded before the package was run on
them and meant to be scored once, after the rules are final (the honest number); `heldout2`
the 35 of gold_themes_heldout2.tsv, coded the same way for the second round, when `heldout` had
been seen; `round3` (40 English, 30 Russian) and `heldout3` (20 English, 20 Russian), 110 new
articles collected for the third round and coded before the package was run on them, split at
random: `round3` is the development sample the rules are measured before and after on,
`heldout3` is scored once, after the rules are tuned on `round3`; `heldout4` (40 English, 39
Russian), collected and coded while `heldout3` was being read, was scored once and then read;
`heldout5` (40 English, 40 Russian), collected and coded while `heldout4` was being read, was
scored once and then read; `heldout6` (40 English, 40 Russian), collected and coded while
`heldout5` was being read, was scored once and then read; `heldout7` (40 English, 40 Russian),
collected and coded while `heldout6` was being read, was scored once with the third round's
final rules. The fourth round's `heldout8` to `heldout12` (80, 80, 80, 120 and 123 articles,
about half English, half Russian) were each scored once, before they were read, with the rules
of that moment, then read; `heldout13` (120) was scored once, with the fourth round's final rules;
`heldout14` and `heldout15` (60 English, 60 Russian each), collected and coded in the fifth
round before the package was run on them, were each scored once with the rules of that moment
and with the fourth round's final rules (820f7dd), then read, as was `heldout16` (60 and 60);
`heldout17` (60 and 60) was scored once, with the fifth round's final rules; `heldout18` to
`heldout21` (60 and 60 each), collected and coded in the sixth round, were each scored once
with the fifth round's final rules (ee4f50a) and with the rules of that moment, then read;
`heldout22` (60 and 60) was scored once, with the sixth round's final rules; `heldout23` to
`heldout26` (60 and 60 each) and `heldout27` (24 English, 30 Russian), collected and coded in the
seventh round, were each scored once with the sixth round's final rules (2ece59d) and with the
rules of that moment, then read (all but `heldout27`, scored with the seventh round's final rules);
`heldout28` to `heldout32` (eighth round), `heldout33` to `heldout37` (ninth round, 80 and 80
each) and `heldout38` to `heldout44` (tenth round; 40 and 40 in `heldout43` and `heldout44`) were
each scored once, before they were read, with the last submission and with the rules of that
moment; `heldout37` is the honest number for the ninth round's rules and `heldout44` for the
tenth's. `heldout45` and `heldout46` (eleventh round, 80 and 80 each) were coded before the rules
they measure were written; `heldout46`, never read while rules were made, is the honest number for
the round's final rules. In the twelfth round `heldout47` (70 English, 80 Russian) was collected and
coded before the round's rules were written and scored once with them before it was read;
`heldout48` and `heldout49` (80 and 80 each), collected after the rules were merged, were never
read for recall (heldout49's false positives gave two guards), and `heldout50` (73 and 80) was
collected after the final rules: heldout48 to heldout50 are the honest numbers for the twelfth
round's rules. In the thirteenth round the theme model (bench/train_theme_model.py) was trained
on heldout33 to heldout46 and scored on heldout47 to heldout50 (its thresholds chosen on them),
then trained on heldout33 to heldout50 and scored once on `heldout51` (35 English, 40 Russian),
collected after it: wholly blind; in the fourteenth, `heldout52` to `heldout55` (40 English
each; 40, 40, 40 and 114 Russian) were each scored once with the rules and model committed before
they were collected: wholly blind; in the fifteenth, `heldout56` to `heldout62` were each scored
once, before they were read, with the rules and model of that moment (each trained on every
earlier sample), then read and added to the training data. The shipped models are trained on every
sample.
With `--adjudicated`, the
disputes (false positives and misses) are also settled by bench/corpora/adjudicated_themes_NAME.tsv,
an independent reader's decisions made from the text without knowing who said what, and scored
again. Only the gold's
documents are annotated (the text of bench/corpora/dev/corpus.jsonl, git-ignored), into a fresh
temporary cache, so a change of the theme rules is always measured. With `--errors`, every false
positive (with the trigger, rule and sentence that produced it) and every miss is printed.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

import pandas as pd

from analysis.stats.evaluation import (
    THEME_GOLD_COLUMNS,
    Evaluation,
    GoldError,
    check_repeats,
    evaluate,
    read_gold,
)
from analysis.workflow import load_annotated_corpus

CORPORA = Path(__file__).resolve().parent / "corpora"
# every sample's gold beside its documents list: "dev" is gold_themes.tsv, any other NAME
# gold_themes_NAME.tsv (heldout, heldout2..., round3), so a new sample needs no edit here
GOLDS = {"dev": CORPORA / "gold_themes.tsv"} | {
    path.stem.removeprefix("gold_themes_"): path for path in sorted(CORPORA.glob("gold_themes_*.tsv"))
    if not path.stem.endswith("_docs")}
DOCS = {name: gold.with_name(gold.stem + "_docs.tsv") for name, gold in GOLDS.items()}
ADJUDICATIONS = {name: CORPORA / f"adjudicated_themes_{name}.tsv" for name in GOLDS}


def gold_corpus(doc_ids: set[str], folder: Path) -> Path:
    """A .jsonl corpus of the gold's documents only, so the run annotates nothing else."""
    out = folder / "gold.jsonl"
    with (CORPORA / "dev" / "corpus.jsonl").open(encoding="utf-8") as source, out.open("w", encoding="utf-8") as sink:
        for line in source:
            if json.loads(line)["id"] in doc_ids:
                sink.write(line)
    return out


def scores(mentions: pd.DataFrame, gold: pd.DataFrame, documents: list[str]) -> pd.DataFrame:
    """Overall and per-theme precision and recall of the documents given."""
    part = gold[gold["doc"].isin(documents)]
    part.attrs = gold.attrs
    summary = evaluate(mentions[mentions["doc_id"].isin(documents)], theme_gold=part, bootstrap=0,
                       documents=documents).summary
    return summary[["category", "documents", "predicted", "gold", "precision", "recall"]]


def read_adjudication(path: Path) -> pd.DataFrame:
    """An adjudicator's decisions (`doc`, `theme`, `decision`: yes, no or absent), checked."""
    table = pd.read_csv(path, sep="\t", dtype=str, keep_default_na=False)
    if list(table.columns) != ["doc", "theme", "decision"]:
        raise SystemExit(f"{path}: expected the columns doc, theme, decision; found {', '.join(table.columns)}")
    wrong = table[~table["decision"].isin(["yes", "no", "absent"])]
    if len(wrong):
        raise SystemExit(f"{path}, line {wrong.index[0] + 2}: decision must be yes, no or absent, "
                         f"found {wrong['decision'].iloc[0]!r}")
    try:
        check_repeats(table, ["doc", "theme"], path)  # two decisions for one pair: which would count?
    except GoldError as error:
        raise SystemExit(str(error)) from None
    return table


def adjudicated(gold: pd.DataFrame, adjudication: pd.DataFrame, result: Evaluation) -> tuple[pd.DataFrame, int, int]:
    """The gold with its disagreements with the package settled, as the issue's measurement does
    ("disagreements adjudicated against the texts"): a pair the package and the coder disagree
    on (a false positive or a miss) takes the decision of an adjudicator who read the text
    without knowing who said what; pairs they agree on stay as coded. Also how many disputes
    were settled and how many had no decision (those stay as coded). `result` is `evaluate`'s
    against the coded gold."""
    disputed = (set(zip(result.false_positives["doc"], result.false_positives["name"], strict=True))
                | set(zip(result.misses["doc"], result.misses["name"], strict=True)))
    decided = {(row.doc, row.theme): row.decision for row in adjudication.itertuples()
               if (row.doc, row.theme) in disputed}
    kept = gold[[pair not in decided for pair in zip(gold["doc"], gold["theme"], strict=True)]]
    # "yes" and "no" become the gold's `required`; "absent" removes the pair
    settled = pd.DataFrame([(doc, theme, decision) for (doc, theme), decision in decided.items()
                            if decision != "absent"], columns=["doc", "theme", "required"])
    out = pd.concat([kept, settled], ignore_index=True)
    out.attrs = gold.attrs
    return out, len(decided), len(disputed) - len(decided)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", choices=sorted(GOLDS), default="dev")
    parser.add_argument("--errors", action="store_true", help="print every false positive and miss")
    parser.add_argument("--adjudicated", action="store_true",
                        help="also score against the gold with its disputes settled by "
                             "bench/corpora/adjudicated_themes_NAME.tsv")
    args = parser.parse_args()
    gold = read_gold(GOLDS[args.gold], THEME_GOLD_COLUMNS)
    docs = pd.read_csv(DOCS[args.gold], sep="\t", dtype=str)
    if args.adjudicated and not ADJUDICATIONS[args.gold].exists():
        raise SystemExit(f"{ADJUDICATIONS[args.gold]}: no adjudication for the gold {args.gold}")
    with tempfile.TemporaryDirectory(prefix="kg-themes-") as folder:
        corpus = load_annotated_corpus(gold_corpus(set(docs["doc"]), Path(folder)),
                                       cache_dir=Path(folder) / "cache", progress=False)
    mentions = corpus.mentions.assign(doc_id=corpus.mentions["doc_id"].astype(str))
    pd.set_option("display.width", 200)
    pd.set_option("display.max_rows", 200)
    def print_scores(label: str, against: pd.DataFrame) -> None:
        for language in ("all", "en", "ru"):
            documents = sorted(docs["doc"] if language == "all" else docs.loc[docs["language"] == language, "doc"])
            table = scores(mentions, against, documents)
            print(f"\n== {label}, {language}: {len(documents)} documents")
            print(table.to_string(index=False, float_format=lambda value: f"{value:.3f}"))

    print_scores(args.gold, gold)
    result = evaluate(mentions, theme_gold=gold, bootstrap=0, documents=list(docs["doc"]))
    if args.adjudicated:
        settled, decided, open_ = adjudicated(gold, read_adjudication(ADJUDICATIONS[args.gold]), result)
        print(f"\n{decided} disputes settled by the adjudicator, {open_} left as coded")
        print_scores(f"{args.gold}, adjudicated", settled)
    if args.errors:
        themes = mentions[mentions["kind"] == "theme"]
        sentences = corpus.sentences.assign(doc_id=corpus.sentences["doc_id"].astype(str))
        texts = dict(zip(corpus.documents["doc_id"].astype(str), corpus.documents["text"], strict=True))
        print("\n== false positives (doc, theme: trigger [rule] in sentence)")
        for row in result.false_positives.itertuples():
            hits = themes[(themes["doc_id"] == row.doc) & (themes["key"] == row.name)]
            for hit in hits.itertuples():
                sentence = sentences[(sentences["doc_id"] == row.doc) & (sentences["sentence"] == hit.sentence)]
                text = texts[row.doc][sentence["start"].iloc[0]:sentence["end"].iloc[0]] if len(sentence) else ""
                print(f"{row.doc} {row.name}: {hit.trigger!r} [{hit.rule}] {text[:220]!r}")
        print("\n== misses (doc, theme)")
        for row in result.misses.itertuples():
            print(row.doc, row.name)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
