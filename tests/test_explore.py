"""The notebook API as a reader uses it: the README's "Exploring in JupyterLab" cells run as
written in an IPython shell on the seeds, actors found by any spelling, pairs in either order,
and a pair that never co-occurs said in words."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from analysis.link.find import actor_names, did_you_mean, find_actor
from analysis.stats.model import Cooccurrence
from analysis.workflow import load_annotated_corpus
from tests.conftest import ROOT

SECTION = "## Exploring in JupyterLab"


def readme_cells() -> list[str]:
    """The python blocks of the README's exploring section, in order."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text[text.index(SECTION):]
    section = section[: section.index("\n## ", len(SECTION))]
    return re.findall(r"```python\n(.*?)```", section, flags=re.S)


@pytest.fixture(scope="module")
def seeds():
    return load_annotated_corpus(ROOT / "seeds", progress=False)


def test_the_readme_walk_through_runs_as_written(monkeypatch):
    from IPython.core.interactiveshell import InteractiveShell

    monkeypatch.chdir(ROOT)
    cells = readme_cells()
    assert len(cells) >= 8
    shell = InteractiveShell.instance()
    shown = []
    for cell in cells:
        result = shell.run_cell(cell, store_history=True)
        assert result.success, f"README cell failed: {cell!r}: {result.error_in_exec or result.error_before_exec}"
        if result.result is not None:
            data, _ = shell.display_formatter.format(result.result)
            shown.append(data.get("text/html", ""))
    # the corpus shows a summary, evidence its marked passages, an empty pair its sentence
    assert any("actor keys (after linking)" in html for html in shown)
    assert any('<mark class="a" title="Kyrgyzstan"' in html for html in shown)
    assert any("never co-occur in one sentence" in html for html in shown)


def test_find_actor_by_spelling_script_and_key(seeds):
    actors = actor_names(seeds.mentions)
    for query in ("Japarov", "Zhaparov", "Жапаров", "Садыр Жапаров", "sadyr-japarov", "Japarof"):
        found = find_actor(actors, query)
        assert len(found) and found.loc[0, "key"] == "sadyr-japarov", query
    assert find_actor(actors, "sadyr-japarov").loc[0, "match"] == "key"
    assert find_actor(actors, "Tashkent-Moscow railway").empty
    assert seeds.find_actor("Казакбаев").loc[0, "key"] == "ruslan-kazakbaev"


def test_unknown_key_proposes_the_key_spelt_alike(seeds):
    model = Cooccurrence.build(seeds.mentions, seeds.sentences)
    with pytest.raises(ValueError, match=r"unknown key 'Жапаров'.*did you mean 'sadyr-japarov'"):
        model.evidence(seeds.documents, "Жапаров", "kgz")
    assert did_you_mean("zzzz", pd.Series(["kgz"]), pd.Series(["Kyrgyzstan"])) == ""


def test_a_pair_gives_the_same_rows_in_either_order(seeds):
    model = Cooccurrence.build(seeds.mentions, seeds.sentences)
    one, other = model.pair("kgz", "sadyr-japarov"), model.pair("sadyr-japarov", "kgz")
    assert len(one) == 1
    pd.testing.assert_frame_equal(pd.DataFrame(one), pd.DataFrame(other))
    forward = model.evidence(seeds.documents, "kgz", "sadyr-japarov")
    backward = model.evidence(seeds.documents, "sadyr-japarov", "kgz")
    assert len(forward) == one.loc[0, "count"]
    pd.testing.assert_frame_equal(pd.DataFrame(forward), pd.DataFrame(backward))
    # a stays the side the pair table puts first, so a_text is the first key's mention
    assert set(forward["a_text"]) <= {"Kyrgyzstan", "Kyrgyz", "Kyrgyz Republic"}


def test_a_pair_that_never_cooccurs_says_so(seeds):
    model = Cooccurrence.build(seeds.mentions, seeds.sentences)
    for answer in (model.pair("vladimir-putin", "natalia-gherman"),
                   model.evidence(seeds.documents, "natalia-gherman", "vladimir-putin")):
        assert answer.empty
        assert "never co-occur in one sentence" in answer.message
        assert "never co-occur" in repr(answer)


def test_year_periods(seeds):
    model = Cooccurrence.build(seeds.mentions, seeds.sentences)
    periods = set(model.by_period(seeds.documents, "year")["period"])
    assert periods and all(re.fullmatch(r"\d{4}|undated", period) for period in periods)


def test_the_support_column_is_never_blank(seeds):
    from analysis.reports.notebook import pair_view

    pairs = Cooccurrence.build(seeds.mentions, seeds.sentences).pairs("actor-actor")
    view = pair_view(pairs, rows=len(pairs))
    assert set(pairs["documents"]) >= {1, 2}
    expected = ["one document only" if n == 1 else f"{n} documents" for n in pairs["documents"]]
    assert view["support"].tolist() == expected
