"""Validation as a feature: scoring against a gold table with document-bootstrap intervals,
every miss and false positive listed, and validation sheets that round-trip into `evaluate`."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.stats.evaluation import (
    ACTOR_GOLD_COLUMNS,
    THEME_GOLD_COLUMNS,
    evaluate,
    read_gold,
    validation_sheet,
    write_sheet,
)


def _mentions(rows: list[tuple[str, str, str, str, str]]) -> pd.DataFrame:
    """(doc, kind, text, name, category) rows; themes use the theme key as name and key."""
    return pd.DataFrame(
        [{"doc_id": d, "kind": k, "text": t, "name": n, "key": n, "category": c} for d, k, t, n, c in rows]
    )


GOLD = pd.DataFrame(
    [("a", "person", "yes", "Talant Asanov", "Asanov"), ("a", "country", "yes", "Kyrgyzstan", "Kyrgyz"),
     ("b", "organization", "yes", "United Nations", "UN"), ("b", "person", "no", "Ali Valiev", "")],
    columns=list(ACTOR_GOLD_COLUMNS),
)
THEMES = pd.DataFrame([("a", "elections", "yes"), ("b", "economy", "no")], columns=list(THEME_GOLD_COLUMNS))
MENTIONS = _mentions([
    ("a", "actor", "Asanov", "Talant Asanov", "person"),
    ("a", "actor", "Kyrgyz", "Kyrgyzstan", "country"),
    ("b", "actor", "Citizens", "Citizens", "organization"),
    ("b", "theme", "trade", "economy", "economy"),
    ("b", "theme", "court", "judiciary", "judiciary"),
])


def test_scores_per_category_with_misses_and_false_positives() -> None:
    result = evaluate(MENTIONS, GOLD, THEMES, bootstrap=200, seed=1)
    table = result.summary.set_index(["task", "category"])
    assert table.loc[("actors", "all"), "precision"] == pytest.approx(2 / 3)
    assert table.loc[("actors", "all"), "recall"] == pytest.approx(2 / 3)  # UN missed; Valiev optional
    assert table.loc[("actors", "person"), "recall"] == 1.0
    assert table.loc[("themes", "all"), "precision"] == pytest.approx(1 / 2)  # economy allowed, judiciary not
    assert table.loc[("themes", "all"), "recall"] == 0.0  # elections missed
    assert list(result.misses["name"]) == ["United Nations", "elections"]
    assert list(result.false_positives["name"]) == ["Citizens", "judiciary"]
    low, high = table.loc[("actors", "all"), ["precision_low", "precision_high"]]
    assert 0 <= low <= 2 / 3 <= high <= 1 and low < high  # resampling two documents varies


def test_gold_errors_name_the_file_and_what_was_expected(tmp_path) -> None:
    path = tmp_path / "gold.tsv"
    path.write_text("doc\ttheme\trequired\na\telections\tmaybe\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"gold\.tsv: missing column\(s\) \['kind', 'name', 'aliases'\]"):
        read_gold(path, ACTOR_GOLD_COLUMNS)
    with pytest.raises(ValueError, match=r"gold\.tsv:2: 'required' must be yes or no, got 'maybe'"):
        read_gold(path, THEME_GOLD_COLUMNS)


def test_validation_sheet_round_trips_into_evaluate(tmp_path) -> None:
    documents = pd.DataFrame({"doc_id": ["a", "b", "c"]})
    actors, themes = validation_sheet(documents, MENTIONS, sample=2, seed=3)
    assert set(actors.columns) == set(ACTOR_GOLD_COLUMNS) and set(themes.columns) == set(THEME_GOLD_COLUMNS)
    again, _ = validation_sheet(documents, MENTIONS, sample=2, seed=3)
    assert actors.equals(again)  # the seed fixes the sample
    write_sheet(actors, tmp_path / "sheet.csv")
    write_sheet(themes, tmp_path / "sheet.themes.tsv")
    gold = read_gold(tmp_path / "sheet.csv", ACTOR_GOLD_COLUMNS)
    theme_gold = read_gold(tmp_path / "sheet.themes.tsv", THEME_GOLD_COLUMNS)
    summary = evaluate(MENTIONS, gold if len(gold) else None, theme_gold, bootstrap=0).summary
    assert (summary[summary["category"] == "all"][["precision", "recall"]].fillna(1.0) == 1.0).all().all()
    with pytest.raises(ValueError, match="positive"):
        validation_sheet(documents, MENTIONS, sample=0)
