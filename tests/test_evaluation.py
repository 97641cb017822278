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


def _coding(gold: pd.DataFrame, *themes: str) -> pd.DataFrame:
    """The gold with a `# themes:` line's list (what read_gold keeps in attrs)."""
    gold = gold.copy()
    gold.attrs["themes"] = themes
    return gold


def test_scores_per_category_with_misses_and_false_positives() -> None:
    result = evaluate(MENTIONS, GOLD, _coding(THEMES, "judiciary"), bootstrap=200, seed=1)
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


def test_a_theme_gold_scores_only_the_themes_it_codes(tmp_path) -> None:
    # judiciary is named nowhere in THEMES: a gold coded without it cannot call it wrong
    result = evaluate(MENTIONS, theme_gold=THEMES, bootstrap=0)
    table = result.summary.set_index(["task", "category"])
    assert table.loc[("themes", "all"), "precision"] == 1.0  # economy allowed; judiciary not scored
    assert "judiciary" not in set(result.false_positives["name"])
    assert ("themes", "judiciary") not in table.index
    assert result.not_coded.to_dict("records") == [{"theme": "judiciary", "documents": 1, "mentions": 1}]
    # a first line "# themes: ..." codes a theme no row names: then it is scored (a false positive)
    path = tmp_path / "themes.tsv"
    path.write_text("# themes: elections, economy, judiciary\ndoc\ttheme\trequired\na\telections\tyes\n"
                    "b\teconomy\tno\n", encoding="utf-8")
    gold = read_gold(path, THEME_GOLD_COLUMNS)
    assert gold.attrs["themes"] == ("elections", "economy", "judiciary") and len(gold) == 2
    coded = evaluate(MENTIONS, theme_gold=gold, bootstrap=0)
    assert list(coded.false_positives["name"]) == ["judiciary"] and coded.not_coded.empty
    path.write_text("# themes: elections, borders\ndoc\ttheme\trequired\na\telections\tyes\n", encoding="utf-8")
    support = evaluate(MENTIONS, theme_gold=read_gold(path, THEME_GOLD_COLUMNS), bootstrap=0).summary
    borders = support.set_index(["task", "category"]).loc[("themes", "borders")]
    assert (borders["documents"], borders["predicted"], borders["gold"]) == (0, 0, 0)  # shown, with no support
    path.write_text("# themes: elections\ndoc\ttheme\trequired\na\telections\tmaybe\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"themes\.tsv:3: 'required' must be yes or no"):  # lines as in the file
        read_gold(path, THEME_GOLD_COLUMNS)


def test_a_repeated_row_is_named_by_its_lines_in_the_file_after_a_themes_line(tmp_path) -> None:
    # line 1 "# themes:", line 2 the header, rows from line 3: the repeat is line 5 of line 3
    path = tmp_path / "themes.tsv"
    path.write_text("# themes: elections, economy\ndoc\ttheme\trequired\na\telections\tyes\n"
                    "b\teconomy\tno\na\telections\tno\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"themes\.tsv:5: the row \(doc 'a', theme 'elections'\) repeats line 3"):
        read_gold(path, THEME_GOLD_COLUMNS)
    path.write_text("doc\ttheme\trequired\na\telections\tyes\na\telections\tno\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"themes\.tsv:3: the row .* repeats line 2"):  # no themes line
        read_gold(path, THEME_GOLD_COLUMNS)
