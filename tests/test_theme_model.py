"""The theme model (analysis.annotate.theme_model): a theme told without its words is found from
the document's words as a whole, with the evidence sentence and words that made it; short texts,
themes the rules found and themes a user redefined are left to the rules; a broken model file
is refused with its line."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from analysis.annotate.batch import Batch, annotate_batch
from analysis.annotate.pipeline import build_annotator
from analysis.annotate.theme_model import (
    MIN_TERMS,
    MODEL_RULE,
    ThemeModelError,
    read_theme_model,
    shipped_themes,
    terms,
)
from analysis.annotate.themes import load_taxonomy
from analysis.lang.registry import get_language

# an earthquake's relief told without a word of the humanitarian theme's lists
RELIEF_EN = (
    "Rescuers worked through the night in the mountain villages of the Alai district after the earthquake on Sunday "
    "destroyed more than two hundred houses. Tents, blankets, flour and drinking water were brought by trucks to the "
    "families who spent the night outdoors in freezing temperatures. Doctors from the regional hospital set up a field "
    "clinic in the school yard, and volunteers from Osh collected warm clothes for the children. The government "
    "promised to rebuild the houses before winter and to pay each family whose home was lost.")
RELIEF_RU = (
    "Спасатели всю ночь работали в горных сёлах Алайского района, где землетрясение в воскресенье разрушило более "
    "двухсот домов. Палатки, одеяла, муку и питьевую воду доставили грузовиками семьям, которые провели ночь под "
    "открытым небом на морозе. Врачи областной больницы развернули полевой медпункт во дворе школы, а волонтёры из "
    "Оша собрали тёплую одежду для детей. Правительство пообещало восстановить дома до зимы и выплатить компенсацию "
    "каждой семье, лишившейся жилья.")


@pytest.fixture(scope="module")
def annotator():
    built = build_annotator()
    built.for_language("en")
    built.for_language("ru")
    return built


def _themes(annotator, texts: dict[str, str]) -> pd.DataFrame:
    keys = list(texts)
    tables = annotate_batch(annotator, Batch(keys, list(texts.values()), [None] * len(keys), [k[:2] for k in keys]))
    mentions = tables.mentions
    return mentions[mentions["kind"] == "theme"]


def _without_model(annotator):
    """The same annotator with the rules alone (what the package did before the model)."""
    return annotator.without_theme_model()


def test_a_theme_told_without_its_words_is_found_with_its_evidence(annotator) -> None:
    found = _themes(annotator, {"en-relief": RELIEF_EN, "ru-relief": RELIEF_RU})
    rules_alone = _themes(_without_model(annotator), {"en-relief": RELIEF_EN, "ru-relief": RELIEF_RU})
    assert "humanitarian" not in set(rules_alone["key"])  # no trigger or cue of the theme
    humanitarian = found[found["key"] == "humanitarian"]
    assert sorted(humanitarian["doc_key"]) == ["en-relief", "ru-relief"], found[["doc_key", "key", "rule"]]
    assert set(humanitarian["rule"]) == {MODEL_RULE}
    texts = {"en-relief": RELIEF_EN, "ru-relief": RELIEF_RU}
    for row in humanitarian.itertuples():
        words = row.trigger.split(" + ")
        assert 2 <= len(words) <= 3, row.trigger  # the evidence sentence's heaviest terms
        assert texts[row.doc_key][row.start:row.end] == row.text
        # the mention is in the first sentence, where the destroyed houses and villages are
        assert row.sentence == 0, row
    # the rules' own mentions are still there, untouched
    assert set(map(tuple, rules_alone[["doc_key", "key", "rule"]].to_numpy())) <= set(
        map(tuple, found[["doc_key", "key", "rule"]].to_numpy()))


def test_the_evidence_says_the_model_read_the_whole_document() -> None:
    from analysis.reports.presentation import theme_reason

    assert theme_reason(MODEL_RULE, "houses + villages + destroyed") == (
        "the document's words as a whole; \u201chouses + villages + destroyed\u201d weigh most here")


def test_names_are_not_read(annotator) -> None:
    # an actor's name is the actor's: the model reads the words around it only, so a story is
    # not about security because the Collective Security Treaty Organization is in it
    text = "Leaders of the Collective Security Treaty Organization met in Minsk on Monday."
    form = annotator.for_language("en").theme_model.form
    name = (text.index("Collective"), text.index(" met"))
    assert {term for term, _, _ in terms(text, form, [name])} == {"leaders", "met", "minsk", "monday"}
    assert "security" in {term for term, _, _ in terms(text, form)}
    found = _themes(annotator, {"en-relief": RELIEF_EN, "ru-relief": RELIEF_RU})
    for doc, group in found.groupby("doc_key"):
        actors = _actors(annotator, doc, {"en-relief": RELIEF_EN, "ru-relief": RELIEF_RU}[doc])
        for row in group[group["rule"] == MODEL_RULE].itertuples():
            assert not any(start < row.end and row.start < end for start, end in actors), row


def _actors(annotator, key: str, text: str) -> list[tuple[int, int]]:
    mentions = annotate_batch(annotator, Batch([key], [text], [None], [key[:2]])).mentions
    actors = mentions[mentions["kind"] == "actor"]
    return list(zip(actors["start"], actors["end"], strict=True))


def test_a_short_text_is_left_to_the_rules(annotator) -> None:
    line = "Tents and flour were brought to the families whose houses the earthquake destroyed."
    assert len(terms(line, annotator.for_language("en").theme_model.form)) < MIN_TERMS
    found = _themes(annotator, {"en-line": line})
    assert MODEL_RULE not in set(found["rule"])


def test_a_theme_the_rules_found_is_not_added_again(annotator) -> None:
    path = annotator.for_language("en")
    sentences = [(0, RELIEF_EN.index("Tents")), (RELIEF_EN.index("Tents"), len(RELIEF_EN))]
    added = path.theme_model.mentions(RELIEF_EN, sentences, set())
    assert "humanitarian" in {match.key for match in added}
    again = path.theme_model.mentions(RELIEF_EN, sentences, {"humanitarian"})
    assert "humanitarian" not in {match.key for match in again}


def test_a_theme_a_user_redefines_gets_the_rules_alone() -> None:
    shipped = load_taxonomy()
    redefined = tuple(dataclasses.replace(theme, definition="Aid given by one church to another.")
                      if theme.key == "humanitarian" else theme for theme in shipped)
    assert "humanitarian" in shipped_themes(shipped, shipped)
    allowed = shipped_themes(redefined, shipped)
    assert "humanitarian" not in allowed and "economy" in allowed


def test_russian_case_forms_are_one_term_and_stop_words_none() -> None:
    form = get_language("ru").theme_form()
    assert {form(word) for word in ("дом", "дома", "домов", "домами")} == {"дом"}
    assert form("которые") == "" and form("на") == ""
    english = get_language("en").theme_form()
    assert english("the") == "" and english("villages") == "villages"


HEADER = "term\tidf\teconomy\tsecurity\n"
GOOD = HEADER + "(intercept)\t\t-2\t-3\n(threshold)\t\t0.3\t0.3\nwage\t2.5\t1.2\t-0.1\n"


def test_a_good_model_file_is_read(tmp_path) -> None:
    path = tmp_path / "theme_model.tsv"
    path.write_text(GOOD, encoding="utf-8")
    model = read_theme_model(path)
    assert model.themes == ("economy", "security")
    assert model.index == {"wage": 0}
    assert model.thresholds.tolist() == [0.3, 0.3] and model.intercepts.tolist() == [-2.0, -3.0]


@pytest.mark.parametrize(("text", "says"), [
    ("word\tidf\teconomy\n(intercept)\t\t-2\n(threshold)\t\t0.3\n", "line 1: expected the columns term, idf"),
    (GOOD + "wage\t2.5\t1\t1\n", "line 5: term 'wage' given twice"),
    (GOOD.replace("1.2", "lots"), "line 4: expected a number for every theme"),
    (GOOD.replace("(threshold)\t\t0.3\t0.3\n", ""), "no row '(threshold)'"),
    (GOOD.replace("0.3\t0.3", "0.3\t1.5"), "line 3: every threshold must be above 0 and at most 1"),
    (GOOD.replace("wage\t2.5", "wage\t-1"), "line 4: idf must be a positive number"),
    (GOOD.replace("1.2", "inf"), "line 4: expected a number for every theme"),
])
def test_a_broken_model_file_is_refused_with_its_line(tmp_path, text: str, says: str) -> None:
    path = tmp_path / "theme_model.tsv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ThemeModelError) as raised:
        read_theme_model(path)
    assert str(path) in str(raised.value) and says in str(raised.value)


def test_a_model_file_that_is_not_text_is_refused(tmp_path) -> None:
    path = tmp_path / "theme_model.tsv"
    path.write_bytes(b"\xff\xfe\x00\x01binary")
    with pytest.raises(ThemeModelError, match="theme_model.tsv"):
        read_theme_model(path)
