"""Shared fixtures: a temporary annotation cache for the whole session (tests neither read nor
leave the user's cache), and the report set rendered once for a corpus that tries to inject
markup (used by the report tests and the browser tests)."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

import pytest

from analysis.reports.render import render_reports


@pytest.fixture(scope="session", autouse=True)
def temporary_annotation_cache():
    with tempfile.TemporaryDirectory(prefix="kg-cache-") as folder:
        previous = os.environ.get("KG_COOCCURRENCE_CACHE")
        os.environ["KG_COOCCURRENCE_CACHE"] = folder
        yield folder
        if previous is None:
            os.environ.pop("KG_COOCCURRENCE_CACHE", None)
        else:
            os.environ["KG_COOCCURRENCE_CACHE"] = previous


ROOT = Path(__file__).resolve().parents[1]
# The seed reports the browser tests read, rendered by this checkout's code (the committed
# reports/ are regenerated after a change, so they may predate it).
SEED_REPORTS = ["02-entities", "03-actor-network", "04-actors-and-themes"]


@pytest.fixture(scope="session")
def seed_reports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three seed reports (tables, wide tables, heatmaps, evidence) rendered from this checkout."""
    out = tmp_path_factory.mktemp("seeds") / "reports"
    assert render_reports(corpus=ROOT / "seeds", out=out, only=SEED_REPORTS) == 0
    return out


INJECTION = '<script>window.__injected = 1</script>'
IMAGE = '<img src=x onerror="window.__injected = 1">'
LINK = '<a href="javascript:window.__injected = 1">click</a>'


def write_injection_corpus(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "a.txt").write_text(
        f"{INJECTION} Putin meets Japarov\n\n3 June 2021, BISHKEK – Vladimir Putin met Sadyr Japarov {IMAGE} "
        f"in Moscow. The OSCE {INJECTION} observed the elections and the referendum in Kyrgyzstan.\n"
        f"Sadyr Japarov thanked the OSCE and Russia for support against the pandemic {LINK}.\n",
        encoding="utf-8",
    )
    (folder / "b.txt").write_text(
        f" date 2021-02-24 Source: Wire {IMAGE}\nRussia and Kyrgyzstan discussed trade and the economy. "
        f"Putin praised Japarov's fight against corruption {INJECTION}.\n",
        encoding="utf-8",
    )
    (folder / "c.txt").write_text(
        "The OSCE and the United Nations discussed the elections in Kyrgyzstan with Sadyr Japarov.\n",
        encoding="utf-8",
    )
    return folder


@pytest.fixture(scope="session")
def injection_reports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The whole report set rendered for the injection corpus (shared with the browser tests)."""
    base = tmp_path_factory.mktemp("injection")
    corpus = write_injection_corpus(base / "corpus")
    out = base / "reports"
    assert render_reports(corpus=corpus, out=out) == 0
    return out


# Payloads for everything a user controls besides corpus text: lexicon names, the corpus path,
# report titles and descriptions, document titles and sources, and parameter values. Each tries
# a different way out of Markdown or HTML: an event handler, a javascript: link, a backtick that
# closes a code span, a closing </script>, a Markdown link and a LaTeX \href.
PAYLOAD = (
    '<img src=x onerror="window.__injected = 1"> [click](javascript:window.__injected=1) '
    '</script><script>window.__injected = 1</script> $\\href{javascript:window.__injected=1}{tex}$'
)
# A path cannot hold '/', so the corpus folder and lexicon file names carry slash-free payloads.
PATH_PAYLOAD = 'c`<img src=x onerror="window.__injected=1">` [x](javascript:window.__injected=1) $\\href{x}{y}$'
EVIL_NAME = f"Evil Corp {PAYLOAD}"


def write_payload_set(base: Path) -> tuple[Path, Path]:
    """A tiny corpus in a folder whose name is a payload, a lexicon whose actor name is one, and
    a report set (01, 02, 03, 05) whose titles, descriptions and parameters carry them."""
    corpus = base / PATH_PAYLOAD
    corpus.mkdir(parents=True)
    (corpus / "a.txt").write_text(
        f"Evil Corp talks {PAYLOAD}\n\n3 June 2021, BISHKEK – Evil Corp met Sadyr Japarov in Bishkek. "
        "Evil Corp and the OSCE discussed the elections in Kyrgyzstan.\n"
        "Sadyr Japarov thanked Evil Corp and Russia for support against the pandemic.\n",
        encoding="utf-8",
    )
    (corpus / "b.txt").write_text(
        f" date 2021-02-24 Source: {PAYLOAD}\nEvil Corp and Kyrgyzstan discussed trade. "
        "Vladimir Putin praised Evil Corp for its fight against corruption.\n",
        encoding="utf-8",
    )
    lexicon = base / "lexicon `<img src=x onerror=window.__injected=1>`.yaml"
    lexicon.write_text(
        "actors:\n"
        f"  - key: evil-corp\n    name: {json.dumps(EVIL_NAME)}\n    category: organization\n"
        "    aliases: [Evil Corp]\n",
        encoding="utf-8",
    )
    notebooks = base / "notebooks"
    shutil.copytree(ROOT / "notebooks", notebooks)
    lexicon_value = json.dumps(str(lexicon))
    title = json.dumps(f"Title {PAYLOAD}")
    profile_title = json.dumps(f"Profile {EVIL_NAME}")
    (notebooks / "reports.yaml").write_text(
        "reports:\n"
        f"  - {{name: 01-overview, notebook: 01_corpus_overview.ipynb, title: {title}, description: {title},"
        f" parameters: {{lexicon: {lexicon_value}}}}}\n"
        f"  - {{name: 02-entities, notebook: 02_entities.ipynb, title: {title},"
        f" parameters: {{lexicon: {lexicon_value}, top_n: 5}}}}\n"
        f"  - {{name: 03-network, notebook: 03_actor_network.ipynb, title: {title},"
        f" parameters: {{lexicon: {lexicon_value}, categories: [organization, person, country]}}}}\n"
        f"  - {{name: 05-profile-evil-corp, notebook: 05_actor_profile.ipynb, title: {profile_title},"
        f" parameters: {{lexicon: {lexicon_value}, actor: evil-corp}}}}\n",
        encoding="utf-8",
    )
    return corpus, notebooks / "reports.yaml"


@pytest.fixture(scope="session")
def payload_reports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small report set rendered with payloads in names, paths, titles and parameters."""
    base = tmp_path_factory.mktemp("payload")
    corpus, config = write_payload_set(base)
    out = base / "reports"
    assert render_reports(corpus=corpus, out=out, config=config) == 0
    return out
