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

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import parameters
from analysis.annotate.lexicon import normalise_name
from analysis.csvfile import unprefix, write_csv
from analysis.errors import AnalysisError
from analysis.yamlfile import short

SCORED_CATEGORIES = ("person", "organization", "country")


class GoldError(AnalysisError):
    """A gold file is malformed: the message names the file, the line and what was expected."""


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


# ----------------------------------------------------------------------------- validation

ACTOR_GOLD_COLUMNS = ("doc", "kind", "required", "name", "aliases")
THEME_GOLD_COLUMNS = ("doc", "theme", "required")
# What a gold actor row may be: the scored categories, and places and outlets (kept in the
# gold for completeness, not scored). Anything else is a typo that would drop the row.
GOLD_KINDS = (*SCORED_CATEGORIES, "place", "source")
# The columns that say which row it is: a second row with the same values is a copy.
_ROW_KEYS = {ACTOR_GOLD_COLUMNS: ["doc", "kind", "name"], THEME_GOLD_COLUMNS: ["doc", "theme"]}


@dataclass(frozen=True)
class Evaluation:
    """Scores per task and category with document-bootstrap intervals, and every
    disagreement: `misses` (required gold rows not found) and `false_positives` (predicted
    actors or themes the gold does not accept); `not_coded`: predicted themes of themes the
    gold does not code, left out of scoring (theme, documents, mentions)."""

    summary: pd.DataFrame
    misses: pd.DataFrame
    false_positives: pd.DataFrame
    # Gold documents that are not in the corpus (task, doc, rows): left out of the scores,
    # which would otherwise count every required row of them as a miss.
    unmatched: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["task", "doc", "rows"]))
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
    # A sheet this package wrote quoted cells a spreadsheet would run as formulas: undone here.
    gold = pd.read_csv(path, sep=_separator(path), dtype=str, keep_default_na=False, skiprows=skip).map(unprefix)
    gold.attrs["themes"] = themes
    missing = [column for column in columns if column not in gold.columns]
    if missing:
        raise GoldError(f"{path}: missing column(s) {missing}; has {list(gold.columns)}, expected {list(columns)}")
    bad = ~gold["required"].str.lower().isin({"yes", "no"})
    if bad.any():
        line = _line(int(bad.to_numpy().nonzero()[0][0]), skip)
        raise GoldError(f"{path}:{line}: 'required' must be yes or no, got {short(gold['required'][bad].iloc[0])}")
    if "kind" in columns:
        _check_kinds(gold["kind"], path, skip)
    check_repeats(gold, _ROW_KEYS.get(columns, list(columns)), path, skip)
    return gold


def _line(position: int, skip: int) -> int:
    """The file's line of the row at `position`: after the header and the `skip` lines
    (a `# themes:` line) read before it, counting from 1."""
    return position + 2 + skip


def _check_kinds(kinds: pd.Series, path: Path, skip: int = 0) -> None:
    """A kind outside GOLD_KINDS ("Person", "organisation") is an error: the row would be
    dropped from the scores without a word."""
    bad = ~kinds.isin(GOLD_KINDS)
    if bad.any():
        position = int(bad.to_numpy().nonzero()[0][0])
        kind = kinds.iloc[position]
        close = difflib.get_close_matches(kind.lower(), GOLD_KINDS, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise GoldError(f"{path}:{_line(position, skip)}: kind {short(kind)} is not one of {list(GOLD_KINDS)}{hint}")


def check_repeats(gold: pd.DataFrame, keys: list[str], path: Path, skip: int = 0) -> None:
    """A row given twice is an error naming both lines: it would count twice in recall."""
    repeated = gold.duplicated(keys, keep=False)
    if repeated.any():
        rows = gold[repeated]
        first_key = tuple(rows[keys].iloc[0])
        lines = [_line(int(position), skip) for position in repeated.to_numpy().nonzero()[0]
                 if tuple(gold[keys].iloc[position]) == first_key]
        said = ", ".join(f"{key} {short(value)}" for key, value in zip(keys, first_key, strict=True))
        raise GoldError(f"{path}:{lines[1]}: the row ({said}) repeats line {lines[0]}")


def _known_documents(gold: pd.DataFrame, task: str, documents: set[str] | None
                     ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The gold rows of documents in the corpus, and (task, doc, rows) for the others."""
    if documents is None:
        return gold, pd.DataFrame(columns=["task", "doc", "rows"])
    known = gold["doc"].isin(documents)
    unmatched = gold[~known].groupby("doc", sort=True).size().rename("rows").reset_index().assign(task=task)
    return gold[known], unmatched[["task", "doc", "rows"]]


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
    documents: Iterable[str] | None = None,
) -> Evaluation:
    """Score `mentions` against gold tables (read with `read_gold`), per document: precision,
    recall and F1 per category with document-bootstrap intervals (`bootstrap=0`: none), and
    every disagreement. With `documents` (the corpus's doc_ids), gold rows of documents not in
    the corpus are left out and listed in `unmatched` (a gold file for another corpus, or a
    mistyped id)."""
    parameters.check("ci", ci, optional=False)
    if bootstrap != 0:
        parameters.check("bootstrap", bootstrap)
    parameters.check("seed", seed)
    known = None if documents is None else {str(doc) for doc in documents}
    if actor_gold is None and theme_gold is None:
        raise ValueError("evaluate needs an actor gold table, a theme gold table, or both")
    parts, unmatched, kept = [], [], 0
    for task, gold, count in (("actors", actor_gold, _actor_counts), ("themes", theme_gold, _theme_counts)):
        if gold is not None:
            gold, left_out = _known_documents(gold, task, known)
            parts.append(count(mentions, gold))
            unmatched.append(left_out)
            kept += len(gold)
    left_out = pd.concat(unmatched, ignore_index=True)
    if len(left_out) and not kept:
        raise ValueError(f"no gold document is in the corpus: the gold has doc ids such as "
                         f"{short(sorted(left_out['doc'])[:3])}, the corpus {short(sorted(known)[:3])}")
    rows = pd.concat([p[0] for p in parts], ignore_index=True)
    documents = sorted(set(rows["doc"]))
    summary = _summarise(rows, documents, ci, bootstrap, seed)
    misses = pd.concat([p[1] for p in parts], ignore_index=True)[["task", "doc", "kind", "name"]]
    false_positives = pd.concat([p[2] for p in parts], ignore_index=True)[["task", "doc", "category", "name"]]
    return Evaluation(summary, misses.sort_values(["task", "doc", "name"]).reset_index(drop=True),
                      false_positives.sort_values(["task", "doc", "name"]).reset_index(drop=True),
                      left_out, not_coded(mentions, theme_gold if theme_gold is not None else
                                          pd.DataFrame({"doc": [], "theme": []})))


def validation_sheet(
    documents: pd.DataFrame, mentions: pd.DataFrame, sample: int, seed: int = 0
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A random sample of `sample` documents and their predicted actors and themes in the gold
    format (actors: doc, kind, required, name, aliases; themes: doc, theme, required), for a
    person to correct (delete wrong rows, add missed ones) and give back to `evaluate`.
    `required` starts as "yes"; the surface forms seen become the aliases."""
    parameters.check("sample", sample)
    parameters.check("seed", seed)
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
    write_csv(table, path, sep=_separator(path))


def evaluate_files(
    mentions: pd.DataFrame,
    gold: str | Path | None = None,
    theme_gold: str | Path | None = None,
    ci: float = 0.95,
    bootstrap: int = 1000,
    seed: int = 0,
    documents: Iterable[str] | None = None,
) -> Evaluation:
    """`evaluate` against gold files (what the CLI and an Accuracy report call)."""
    return evaluate(
        mentions,
        read_gold(gold, ACTOR_GOLD_COLUMNS) if gold else None,
        read_gold(theme_gold, THEME_GOLD_COLUMNS) if theme_gold else None,
        ci=ci, bootstrap=bootstrap, seed=seed, documents=documents,
    )
