"""Tests annotate into a temporary cache, so they neither read nor leave the user's cache."""

from __future__ import annotations

import os
import tempfile

import pytest


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
