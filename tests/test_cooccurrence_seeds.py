"""Co-occurrence on the real seeds: examples a reader can check by opening the texts."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from analysis.reports.presentation import evidence_html
from analysis.stats import cooccurrence
from analysis.workflow import load_annotated_corpus

ROOT = Path(__file__).resolve().parents[1]
KREMLIN, UN_MEETING, OSCE_MEETING, SCO_MEETING = (
    "002_4e99a73490cd7995", "000_4fd0a0b4f601bb18", "003_557d1d1e793ae0ef", "004_04d64396df5df388"
)


@pytest.fixture(scope="module")
def seeds():
    return load_annotated_corpus(ROOT / "seeds", progress=False)


def _pair(table, a: str, b: str):
    rows = table[((table["a_key"] == a) & (table["b_key"] == b)) | ((table["a_key"] == b) & (table["b_key"] == a))]
    return rows.iloc[0] if len(rows) else None


def test_putin_and_japarov_share_a_sentence_in_the_kremlin_transcript(seeds) -> None:
    table = cooccurrence.pair_table(seeds.mentions, seeds.sentences, unit="sentence")
    assert _pair(table, "vladimir-putin", "sadyr-japarov")["count"] == 1
    evidence = cooccurrence.evidence(seeds.mentions, seeds.sentences, seeds.documents,
                                     "vladimir-putin", "sadyr-japarov")
    assert evidence["doc_id"].tolist() == [KREMLIN]
    assert evidence.loc[0, "passage"] == "President of Russia Vladimir Putin: Mr Japarov, I am very glad to see you."
    # whichever order the keys are given in, a is the key the pair table puts first
    assert '<mark class="b">Vladimir Putin</mark>' in evidence_html(evidence).iloc[0]
    assert '<mark class="a">Japarov</mark>' in evidence_html(evidence).iloc[0]


def test_kazakbaev_with_the_osce_and_with_the_sco(seeds) -> None:
    table = cooccurrence.pair_table(seeds.mentions, seeds.sentences, unit="sentence")
    assert _pair(table, "ruslan-kazakbaev", "osce")["count"] >= 3
    assert _pair(table, "ruslan-kazakbaev", "sco")["count"] >= 1
    osce = cooccurrence.evidence(seeds.mentions, seeds.sentences, seeds.documents, "ruslan-kazakbaev", "osce")
    assert set(osce["doc_id"]) == {OSCE_MEETING}
    assert any(p.startswith("Minister Kazakbaev briefed Head of the OSCE") for p in osce["passage"])
    sco = cooccurrence.evidence(seeds.mentions, seeds.sentences, seeds.documents, "ruslan-kazakbaev", "sco")
    assert set(sco["doc_id"]) == {SCO_MEETING}
    assert any(p.startswith("Regarding cooperation within the SCO, Kazakbaev noted") for p in sco["passage"])


def test_the_un_with_the_pandemic_theme(seeds) -> None:
    table = cooccurrence.pair_table(seeds.mentions, seeds.sentences, pairs="actor-theme", unit="sentence")
    assert _pair(table, "un", "pandemic")["count"] >= 1
    evidence = cooccurrence.evidence(seeds.mentions, seeds.sentences, seeds.documents, "un", "pandemic")
    assert set(evidence["doc_id"]) == {UN_MEETING}
    assert any("hope for UN support in the fight against the disease" in p for p in evidence["passage"])


def test_affiliation_level_reads_countries_and_organisations_directly(seeds) -> None:
    table = cooccurrence.pair_table(seeds.mentions, seeds.sentences, unit="document", level="affiliation")
    assert _pair(table, "kgz", "rus")["count"] >= 2  # Kremlin transcript and the Duma deputy at the SCO mission
    assert "vladimir-putin" not in set(table["a_key"]) | set(table["b_key"])


def test_cli_prints_pairs_and_evidence() -> None:
    run = [sys.executable, "-m", "analysis", "cooccurrence", "seeds", "--unit", "sentence", "--measure", "npmi"]
    result = subprocess.run(run, capture_output=True, text=True, cwd=ROOT, check=True)
    assert "a_key" in result.stdout and "vladimir-putin" in result.stdout
    result = subprocess.run([*run, "--evidence", "ruslan-kazakbaev", "sco"], capture_output=True, text=True,
                            cwd=ROOT, check=True)
    assert SCO_MEETING in result.stdout
    bad = subprocess.run([*run[:-2], "--unit", "chapter"], capture_output=True, text=True, cwd=ROOT, check=False)
    assert bad.returncode == 2 and "chapter" in bad.stderr and "sentence" in bad.stderr
