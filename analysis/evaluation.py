"""Score `mentions` against a gold table, per document, the way the project's targets are set.

Actor gold (`seed_actors.tsv`): doc, kind, required, name, aliases ("|"-separated). A predicted
actor (person, organisation or country) is correct when its canonical name is one of the
aliases of a gold row of that document, case-insensitively; `source` rows are outlets, not
actors. Theme gold (`seed_themes.tsv`): doc, theme, required.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis.lexicon import normalise_name

SCORED_CATEGORIES = ("person", "organization", "country")


@dataclass(frozen=True)
class Score:
    precision: float
    recall: float
    names_per_actor: float
    false_positives: pd.DataFrame
    false_negatives: pd.DataFrame


def read_actor_gold(path: str | Path) -> pd.DataFrame:
    gold = pd.read_csv(path, sep="\t", dtype=str)
    gold = gold[gold["kind"].isin({"person", "organization", "country"})].copy()
    gold["required"] = gold["required"].eq("yes")
    gold["forms"] = (gold["aliases"].fillna("") + "|" + gold["name"]).str.split("|").map(
        lambda forms: sorted({normalise_name(form) for form in forms if form})
    )
    return gold.reset_index(drop=True)


def score_actors(mentions: pd.DataFrame, gold: pd.DataFrame) -> Score:
    """Precision, recall and distinct canonical names per gold actor across the corpus."""
    predicted = mentions[(mentions["kind"] == "actor") & mentions["category"].isin(SCORED_CATEGORIES)]
    predicted = predicted[predicted["doc_id"].isin(gold["doc"])][["doc_id", "name"]].drop_duplicates()
    predicted = predicted.assign(form=predicted["name"].map(normalise_name))
    exploded = gold.explode("forms")
    matches = predicted.merge(
        exploded[["doc", "name", "required", "forms"]].rename(columns={"name": "gold_name"}),
        left_on=["doc_id", "form"],
        right_on=["doc", "forms"],
        how="left",
    )
    correct = matches["gold_name"].notna()
    precision = float(matches[correct][["doc_id", "name"]].drop_duplicates().shape[0]) / max(
        len(predicted), 1
    )
    found = matches[correct][["doc_id", "gold_name"]].drop_duplicates()
    required = gold[gold["required"]][["doc", "name"]]
    hit = required.merge(found, left_on=["doc", "name"], right_on=["doc_id", "gold_name"], how="left")
    recall = float(hit["gold_name"].notna().mean()) if len(required) else 1.0
    per_actor = matches[correct].groupby("gold_name")["name"].nunique()
    return Score(
        precision=precision,
        recall=recall,
        names_per_actor=float(per_actor.mean()) if len(per_actor) else 1.0,
        false_positives=matches[~correct][["doc_id", "name"]].reset_index(drop=True),
        false_negatives=hit[hit["gold_name"].isna()][["doc", "name"]].reset_index(drop=True),
    )


def score_themes(mentions: pd.DataFrame, gold_path: str | Path) -> tuple[float, float, pd.DataFrame]:
    """Document-level precision and recall of theme tags; and the disagreements."""
    gold = pd.read_csv(gold_path, sep="\t", dtype=str)
    predicted = mentions[(mentions["kind"] == "theme") & mentions["doc_id"].isin(gold["doc"])]
    predicted = predicted[["doc_id", "key"]].drop_duplicates()
    table = predicted.merge(gold, left_on=["doc_id", "key"], right_on=["doc", "theme"], how="outer")
    correct = table["doc_id"].notna() & table["doc"].notna()
    precision = float(correct.sum()) / max(int(table["doc_id"].notna().sum()), 1)
    required = table["required"].eq("yes")
    recall = float((correct & required).sum()) / max(int(required.sum()), 1)
    return precision, recall, table[~correct | ~required]
