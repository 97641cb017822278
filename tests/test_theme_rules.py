"""Document-level theme rules (a theme needs a sentence about it), on constructed text."""

from __future__ import annotations

import pytest

from analysis.annotate.themes import TaxonomyError, Theme, ThemeMatch, load_taxonomy, themes_about


def _matches(text: str, found: list[tuple[str, str]]) -> list[ThemeMatch]:
    out, position = [], 0
    for surface, key in found:
        start = text.index(surface, position)
        out.append(ThemeMatch(start, start + len(surface), surface, key, surface.lower()))
        position = start + len(surface)
    return out


THEMES = (Theme("economy", "Economy", triggers=("economic", "trade", "economy")),
          Theme("judiciary", "Judiciary", triggers=("court", "judicial"), weak=("court",)))


def test_areas_of_cooperation_listed_in_passing_are_not_themes() -> None:
    text = "They discussed cooperation in the political, trade, economic and cultural spheres."
    assert themes_about(_matches(text, [("trade", "economy"), ("economic", "economy")]), text, THEMES) == []


def test_a_list_that_is_not_about_cooperation_keeps_its_themes() -> None:
    text = "Reforms in the economic, social and judicial spheres are priorities."
    matches = _matches(text, [("economic", "economy"), ("judicial", "judiciary")])
    assert themes_about(matches, text, THEMES) == matches
    text = "They discussed cooperation in trade and economic affairs."  # two items: not a boilerplate list
    matches = _matches(text, [("trade", "economy"), ("economic", "economy")])
    assert themes_about(matches, text, THEMES) == matches


def test_a_weak_trigger_alone_does_not_make_a_theme() -> None:
    text = "He met the mayor near the court building. The economy grew."
    matches = _matches(text, [("court", "judiciary"), ("economy", "economy")])
    assert [m[3] for m in themes_about(matches, text, THEMES)] == ["economy"]
    text = "The courts ruled. Judicial reform goes on."
    matches = _matches(text, [("courts", "judiciary"), ("Judicial", "judiciary")])
    # the court counts, and says why
    assert [m.rule for m in themes_about(matches, text, THEMES)] == ["weak", "trigger"]


def test_weak_phrases_must_be_triggers(tmp_path) -> None:
    path = tmp_path / "themes.yaml"
    path.write_text("version: 1\nthemes:\n  - {key: law, name: Law, triggers: [court], weak: [judge]}\n",
                    encoding="utf-8")
    with pytest.raises(TaxonomyError, match=r"'weak' phrases \['judge'\] are not among its triggers"):
        load_taxonomy(path)
    assert "court" in {t.key: t for t in load_taxonomy()}["judiciary"].weak


def test_cooperation_within_an_association_is_its_theme_but_its_name_is_not():
    from analysis.annotate.themes import association_contexts, load_taxonomy
    from analysis.lang.words import load_language

    text = ("Regarding cooperation within the SCO, he spoke. The CSTO member states met. "
            "The SCO opened an office. UN member states voted.")
    actors = [(text.index("SCO"), text.index("SCO") + 3, "sco"), (text.index("CSTO"), text.index("CSTO") + 4, "csto"),
              (text.index("SCO opened"), text.index("SCO opened") + 3, "sco"),
              (text.index("UN "), text.index("UN ") + 2, "un")]
    found = association_contexts(text, actors, load_taxonomy(), load_language())
    assert [(m.text, m.key) for m in found] == [
        ("cooperation", "regional_integration"), ("member states", "regional_integration")]
    assert {m.rule for m in found} == {"association"}
    for start, end, surface, *_ in found:
        assert text[start:end] == surface
        assert not any(a < end and start < b for a, b, _ in actors)  # never inside the name
