"""Score `mentions` against a gold table, per document, the way the project's targets are set.

Actor gold (`seed_actors.tsv`): doc, kind, required, name, aliases ("|"-separated). A predicted
actor (person, organisation or country) is correct when its canonical name is one of the
aliases of a gold row of that document, case-insensitively; `source` rows are outlets, not
actors. Theme gold (`seed_themes.tsv`): doc, theme, required. A theme gold scores only the
themes it codes: those it names at least once, or those an optional first line
`# themes: a, b, c` lists; a predicted theme outside them is listed as not coded, not counted
as a false positive (a gold coded before a theme existed cannot judge it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.annotate.lexicon import normalise_name

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


# ----------------------------------------------------------------------------- validation

ACTOR_GOLD_COLUMNS = ("doc", "kind", "required", "name", "aliases")
THEME_GOLD_COLUMNS = ("doc", "theme", "required")


@dataclass(frozen=True)
class Evaluation:
    """Scores per task and category with document-bootstrap intervals, and every
    disagreement: `misses` (required gold rows not found) and `false_positives` (predicted
    actors or themes the gold does not accept); `not_coded`: predicted themes of themes the
    gold does not code, left out of scoring (theme, documents, mentions)."""

    summary: pd.DataFrame
    misses: pd.DataFrame
    false_positives: pd.DataFrame
    not_coded: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=list(NOT_CODED_COLUMNS)))


NOT_CODED_COLUMNS = ("theme", "documents", "mentions")
_CODED_LINE = re.compile(r"^#\s*themes\s*:(?P<themes>.*)$")


def coded_themes(gold: pd.DataFrame) -> set[str]:
    """The themes a theme gold codes: those listed on its `# themes:` first line (kept by
    `read_gold` in ``gold.attrs["themes"]``), and every theme it names."""
    return set(gold.attrs.get("themes", ())) | set(gold["theme"])


def _coded_line(path: Path) -> tuple[int, tuple[str, ...]]:
    """(lines to skip, themes listed) from a gold file's optional first line `# themes: a, b`."""
    with path.open(encoding="utf-8") as handle:
        first = handle.readline().strip()
    found = _CODED_LINE.match(first)
    if not found:
        return 0, ()
    return 1, tuple(theme.strip() for theme in found.group("themes").split(",") if theme.strip())


def _separator(path: Path) -> str:
    return "," if path.suffix.lower() == ".csv" else "\t"


def read_gold(path: str | Path, columns: tuple[str, ...]) -> pd.DataFrame:
    """A gold file (.tsv, or .csv with commas) with `columns`; a missing column is an error
    naming the file, what it has and what was expected."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"gold file {path} does not exist")
    skip, themes = _coded_line(path)
    gold = pd.read_csv(path, sep=_separator(path), dtype=str, keep_default_na=False, skiprows=skip)
    gold.attrs["themes"] = themes
    missing = [column for column in columns if column not in gold.columns]
    if missing:
        raise ValueError(f"{path}: missing column(s) {missing}; has {list(gold.columns)}, expected {list(columns)}")
    bad = ~gold["required"].str.lower().isin({"yes", "no"})
    if bad.any():
        line = int(bad.to_numpy().nonzero()[0][0]) + 2 + skip
        raise ValueError(f"{path}:{line}: 'required' must be yes or no, got {gold['required'][bad].iloc[0]!r}")
    return gold


def _actor_counts(mentions: pd.DataFrame, gold: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Per document and category: predicted, correct predictions, required gold, found."""
    gold = gold[gold["kind"].isin(SCORED_CATEGORIES)].copy()
    gold["forms"] = (gold["aliases"] + "|" + gold["name"]).str.split("|").map(
        lambda forms: sorted({normalise_name(form) for form in forms if form}))
    predicted = mentions[(mentions["kind"] == "actor") & mentions["category"].isin(SCORED_CATEGORIES)
                         & mentions["doc_id"].isin(gold["doc"])]
    predicted = predicted[["doc_id", "name", "category"]].drop_duplicates().astype(str)
    predicted["form"] = predicted["name"].map(normalise_name)
    exploded = gold.explode("forms")[["doc", "name", "kind", "required", "forms"]]
    joined = predicted.merge(exploded.rename(columns={"name": "gold_name"}), left_on=["doc_id", "form"],
                             right_on=["doc", "forms"], how="left")
    predicted = joined.groupby(["doc_id", "name", "category"], as_index=False)["gold_name"].first()
    predicted["correct"] = predicted["gold_name"].notna()
    found = predicted.dropna(subset=["gold_name"])[["doc_id", "gold_name"]].drop_duplicates()
    required = gold[gold["required"].str.lower() == "yes"][["doc", "kind", "name"]]
    hits = required.merge(found, left_on=["doc", "name"], right_on=["doc_id", "gold_name"], how="left")
    hits["found"] = hits["gold_name"].notna()
    rows = pd.concat([
        predicted.assign(doc=predicted["doc_id"], n_pred=1, tp_pred=predicted["correct"].astype(int),
                         n_gold=0, tp_gold=0)[["doc", "category", "n_pred", "tp_pred", "n_gold", "tp_gold"]],
        hits.assign(category=hits["kind"], n_pred=0, tp_pred=0, n_gold=1, tp_gold=hits["found"].astype(int))[
            ["doc", "category", "n_pred", "tp_pred", "n_gold", "tp_gold"]],
    ])
    misses = hits[~hits["found"]][["doc", "kind", "name"]].assign(task="actors")
    false_positives = predicted[~predicted["correct"]][["doc_id", "category", "name"]].rename(
        columns={"doc_id": "doc"}).assign(task="actors")
    return rows.assign(task="actors"), misses, false_positives


def not_coded(mentions: pd.DataFrame, gold: pd.DataFrame) -> pd.DataFrame:
    """Predicted themes of the gold's documents that the gold does not code: per theme, in how
    many documents and mentions (left out of scoring, never a false positive)."""
    themes = mentions[(mentions["kind"] == "theme") & mentions["doc_id"].isin(gold["doc"])]
    themes = themes[~themes["key"].isin(coded_themes(gold))]
    table = themes.groupby("key").agg(documents=("doc_id", "nunique"), mentions=("doc_id", "size"))
    return table.reset_index().rename(columns={"key": "theme"}).astype(
        {"theme": str, "documents": int, "mentions": int})[list(NOT_CODED_COLUMNS)]


def _theme_counts(mentions: pd.DataFrame, gold: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    predicted = mentions[(mentions["kind"] == "theme") & mentions["doc_id"].isin(gold["doc"])
                         & mentions["key"].isin(coded_themes(gold))]
    predicted = predicted[["doc_id", "key"]].drop_duplicates().astype(str)
    accepted = set(zip(gold["doc"], gold["theme"], strict=True))
    # boolean Series, not lists: an empty list would select columns, not rows
    pairs = zip(predicted["doc_id"], predicted["key"], strict=True)
    predicted["correct"] = pd.Series([pair in accepted for pair in pairs], index=predicted.index, dtype=bool)
    found = set(zip(predicted["doc_id"], predicted["key"], strict=True))
    required = gold[gold["required"].str.lower() == "yes"][["doc", "theme"]].copy()
    required["found"] = pd.Series([(d, t) in found for d, t in zip(required["doc"], required["theme"], strict=True)],
                                  index=required.index, dtype=bool)
    # every coded theme gets a row of the summary, with its support, even one nobody found
    coded = sorted(coded_themes(gold))
    first = gold["doc"].iloc[:1].tolist() * len(coded)
    rows = pd.concat([
        pd.DataFrame({"doc": predicted["doc_id"], "category": predicted["key"], "n_pred": 1,
                      "tp_pred": predicted["correct"].astype(int), "n_gold": 0, "tp_gold": 0}),
        pd.DataFrame({"doc": required["doc"], "category": required["theme"], "n_pred": 0, "tp_pred": 0,
                      "n_gold": 1, "tp_gold": required["found"].astype(int)}),
        pd.DataFrame({"doc": first, "category": coded[:len(first)], "n_pred": 0, "tp_pred": 0, "n_gold": 0,
                      "tp_gold": 0}),
    ])
    misses = required[~required["found"]].rename(columns={"theme": "name"})[["doc", "name"]].assign(
        kind="theme", task="themes")
    false_positives = predicted[~predicted["correct"]].rename(columns={"doc_id": "doc", "key": "name"})[
        ["doc", "name"]].assign(category="theme", task="themes")
    return rows.assign(task="themes"), misses, false_positives


def _prf(counts: np.ndarray) -> tuple[float, float, float]:
    """counts: n_pred, tp_pred, n_gold, tp_gold (summed)."""
    n_pred, tp_pred, n_gold, tp_gold = counts
    precision = tp_pred / n_pred if n_pred else np.nan
    recall = tp_gold / n_gold if n_gold else np.nan
    f1 = 2 * precision * recall / (precision + recall) if precision + recall > 0 else np.nan
    return precision, recall, f1


def _summarise(rows: pd.DataFrame, documents: list[str], ci: float, bootstrap: int, seed: int) -> pd.DataFrame:
    """Precision, recall and F1 per (task, category) and overall per task, each with a
    percentile interval from resampling whole documents with replacement."""
    rng = np.random.default_rng(seed)
    doc_index = {doc: number for number, doc in enumerate(documents)}
    draws = rng.integers(0, len(documents), size=(bootstrap, len(documents))) if documents else None
    weights = None
    if bootstrap and documents:
        weights = np.stack([np.bincount(draw, minlength=len(documents)) for draw in draws])
    out = []
    groups = [(task, "all", part) for task, part in rows.groupby("task")]
    groups += [(task, category, part) for (task, category), part in rows.groupby(["task", "category"])]
    for task, category, part in groups:
        per_doc = np.zeros((len(documents), 4))
        values = part[["n_pred", "tp_pred", "n_gold", "tp_gold"]].to_numpy(dtype=float)
        np.add.at(per_doc, part["doc"].map(doc_index).to_numpy(), values)
        precision, recall, f1 = _prf(per_doc.sum(axis=0))
        row = {"task": task, "category": category, "documents": int((per_doc.sum(axis=1) > 0).sum()),
               "predicted": int(per_doc[:, 0].sum()), "gold": int(per_doc[:, 2].sum()),
               "precision": precision, "recall": recall, "f1": f1}
        if weights is not None:
            replicates = np.array([_prf(w @ per_doc) for w in weights], dtype=float)
            low, high = (1 - ci) / 2, 1 - (1 - ci) / 2
            for column, name in enumerate(("precision", "recall", "f1")):
                finite = replicates[:, column][np.isfinite(replicates[:, column])]
                row[f"{name}_low"] = float(np.quantile(finite, low)) if len(finite) else np.nan
                row[f"{name}_high"] = float(np.quantile(finite, high)) if len(finite) else np.nan
        out.append(row)
    return pd.DataFrame(out)


def evaluate(
    mentions: pd.DataFrame,
    actor_gold: pd.DataFrame | None = None,
    theme_gold: pd.DataFrame | None = None,
    ci: float = 0.95,
    bootstrap: int = 1000,
    seed: int = 0,
) -> Evaluation:
    """Score `mentions` against gold tables (read with `read_gold`), per document: precision,
    recall and F1 per category with document-bootstrap intervals, and every disagreement."""
    parts = []
    if actor_gold is not None:
        parts.append(_actor_counts(mentions, actor_gold))
    if theme_gold is not None:
        parts.append(_theme_counts(mentions, theme_gold))
    if not parts:
        raise ValueError("evaluate needs an actor gold table, a theme gold table, or both")
    rows = pd.concat([p[0] for p in parts], ignore_index=True)
    documents = sorted(set(rows["doc"]))
    summary = _summarise(rows, documents, ci, bootstrap, seed)
    misses = pd.concat([p[1] for p in parts], ignore_index=True)[["task", "doc", "kind", "name"]]
    false_positives = pd.concat([p[2] for p in parts], ignore_index=True)[["task", "doc", "category", "name"]]
    left_out = not_coded(mentions, theme_gold) if theme_gold is not None else None
    return Evaluation(summary, misses.sort_values(["task", "doc", "name"]).reset_index(drop=True),
                      false_positives.sort_values(["task", "doc", "name"]).reset_index(drop=True),
                      *([left_out] if left_out is not None else []))


def validation_sheet(
    documents: pd.DataFrame, mentions: pd.DataFrame, sample: int, seed: int = 0
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A random sample of `sample` documents and their predicted actors and themes in the gold
    format (actors: doc, kind, required, name, aliases; themes: doc, theme, required), for a
    person to correct (delete wrong rows, add missed ones) and give back to `evaluate`.
    `required` starts as "yes"; the surface forms seen become the aliases."""
    if sample < 1:
        raise ValueError(f"--sample must be a positive number of documents, not {sample}")
    ids = documents["doc_id"].astype(str).drop_duplicates()
    chosen = ids.sample(n=min(sample, len(ids)), random_state=seed).sort_values().tolist()
    picked = mentions[mentions["doc_id"].astype(str).isin(chosen)]
    actors = picked[(picked["kind"] == "actor") & picked["category"].isin(SCORED_CATEGORIES)]
    actor_sheet = (
        actors.groupby(["doc_id", "category", "name"], as_index=False)["text"]
        .agg(lambda forms: "|".join(sorted(set(map(str, forms)))))
        .rename(columns={"doc_id": "doc", "category": "kind", "text": "aliases"})
        .assign(required="yes")[list(ACTOR_GOLD_COLUMNS)]
        .sort_values(["doc", "kind", "name"]).reset_index(drop=True)
    )
    themes = picked[picked["kind"] == "theme"][["doc_id", "key"]].drop_duplicates()
    theme_sheet = (
        themes.rename(columns={"doc_id": "doc", "key": "theme"}).assign(required="yes")[list(THEME_GOLD_COLUMNS)]
        .sort_values(["doc", "theme"]).reset_index(drop=True)
    )
    return actor_sheet.astype(str), theme_sheet.astype(str)


def write_sheet(table: pd.DataFrame, path: str | Path) -> None:
    """Write a gold-format table: tab-separated unless the file name ends in .csv."""
    path = Path(path)
    table.to_csv(path, sep=_separator(path), index=False)


def evaluate_files(
    mentions: pd.DataFrame,
    gold: str | Path | None = None,
    theme_gold: str | Path | None = None,
    ci: float = 0.95,
    bootstrap: int = 1000,
    seed: int = 0,
) -> Evaluation:
    """`evaluate` against gold files (what the CLI and an Accuracy report call)."""
    return evaluate(
        mentions,
        read_gold(gold, ACTOR_GOLD_COLUMNS) if gold else None,
        read_gold(theme_gold, THEME_GOLD_COLUMNS) if theme_gold else None,
        ci=ci, bootstrap=bootstrap, seed=seed,
    )
