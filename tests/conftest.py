"""Shared fixtures: a temporary annotation cache for the whole session (tests neither read nor
leave the user's cache), and the report set rendered once for a corpus that tries to inject
markup (used by the report tests and the browser tests)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from analysis.reports import render_reports


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
