"""Write the annotation tables a refactoring must leave unchanged, to compare two checkouts.

Not a timing script: it writes the seeds' mentions, sentences and documents tables
(`load_annotated_corpus("seeds")`, with an empty cache) and the mentions of the constructed
Russian and English texts of the tests and benchmarks (every string literal of
tests/test_russian.py with Cyrillic text, and bench/russian_texts.py; the English sentences of
tests/test_resolution_rules.py, test_headlines.py, test_theme_rules.py and test_actors.py),
annotated as documents of that language, as Parquet files.

    PYTHONPATH=<checkout A> python bench/snapshot_annotations.py /tmp/a
    PYTHONPATH=<checkout B> python bench/snapshot_annotations.py /tmp/b
    python bench/snapshot_annotations.py --compare /tmp/a /tmp/b
"""

from __future__ import annotations

import ast
import os
import sys
import tempfile
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
TABLES = ("seeds_mentions", "seeds_sentences", "seeds_documents", "ru_mentions", "en_mentions")


def _strings(path: Path, keep) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return sorted({node.value for node in ast.walk(tree)
                   if isinstance(node, ast.Constant) and isinstance(node.value, str) and keep(node.value)})


def _cyrillic(text: str) -> bool:
    return sum("а" <= c.lower() <= "я" for c in text) > 15


def _english(text: str) -> bool:
    return len(text) > 40 and " " in text and text[0].isupper() and not _cyrillic(text)


def _russian_bench_texts() -> list[str]:
    sys.path.insert(0, str(ROOT / "bench"))
    from russian_texts import TEXTS

    return list(TEXTS)


def snapshot(out: Path) -> None:
    os.environ["KG_COOCCURRENCE_CACHE"] = tempfile.mkdtemp(prefix="kg-snapshot-")
    from analysis.annotate.batch import Batch, annotate_batch
    from analysis.annotate.pipeline import build_annotator
    from analysis.workflow import load_annotated_corpus

    out.mkdir(parents=True, exist_ok=True)
    corpus = load_annotated_corpus(ROOT / "seeds")
    corpus.mentions.to_parquet(out / "seeds_mentions.parquet")
    corpus.sentences.to_parquet(out / "seeds_sentences.parquet")
    corpus.documents.to_parquet(out / "seeds_documents.parquet")
    texts = {
        "ru": [*_strings(ROOT / "tests" / "test_russian.py", _cyrillic), *_russian_bench_texts()],
        "en": [text for name in ("test_resolution_rules.py", "test_headlines.py", "test_theme_rules.py",
                                 "test_actors.py")
               for text in _strings(ROOT / "tests" / name, _english)],
    }
    annotator = build_annotator()
    for code, group in texts.items():
        keys = [f"{code}{number}" for number in range(len(group))]
        tables = annotate_batch(annotator, Batch(keys, group, [None] * len(group), [code] * len(group)))
        tables.mentions.to_parquet(out / f"{code}_mentions.parquet")
        print(f"{code}: {len(group)} texts, {len(tables.mentions)} mentions")
    print(f"seeds: {len(corpus.mentions)} mentions")


def compare(first: Path, second: Path) -> int:
    for name in TABLES:
        pd.testing.assert_frame_equal(pd.read_parquet(first / f"{name}.parquet"),
                                      pd.read_parquet(second / f"{name}.parquet"))
        print(f"{name}: identical")
    return 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["--compare"]:
        sys.exit(compare(Path(sys.argv[2]), Path(sys.argv[3])))
    snapshot(Path(sys.argv[1]))
