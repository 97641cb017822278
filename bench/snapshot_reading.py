"""Write what the corpus reader makes of the seeds, the development corpus and the texts of the
tests, to compare two checkouts after a change to reading (a refactoring must leave it equal).

Not a timing script. It pickles `read_corpus` (documents and problems) of `seeds/` and of
bench/corpora/dev/corpus.jsonl (when present; it is git-ignored), and `parse_seed_text` of every
text of that corpus read as if it were a .txt file (so its datelines, bylines, boilerplate and
attributions meet the seed-format parser) and of every string literal of tests/*.py.
(`KG_DEV_CORPUS` names another copy of the development corpus, e.g. from a worktree.)

    PYTHONPATH=<checkout A> python bench/snapshot_reading.py /tmp/a.pickle
    PYTHONPATH=<checkout B> python bench/snapshot_reading.py /tmp/b.pickle
    python bench/snapshot_reading.py --compare /tmp/a.pickle /tmp/b.pickle
"""

from __future__ import annotations

import ast
import json
import os
import pickle
import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
# the development corpus is git-ignored: a worktree names the main checkout's copy
DEV = Path(os.environ.get("KG_DEV_CORPUS", ROOT / "bench" / "corpora" / "dev" / "corpus.jsonl"))


def _literals() -> list[str]:
    found: set[str] = set()
    for path in sorted((ROOT / "tests").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        found.update(node.value for node in ast.walk(tree)
                     if isinstance(node, ast.Constant) and isinstance(node.value, str) and len(node.value) > 8)
    return sorted(found)


def snapshot(out: Path) -> None:
    from analysis.corpus.reader import parse_seed_text, read_corpus

    tables: dict[str, object] = {}
    for name, path in (("seeds", ROOT / "seeds"), ("dev", DEV)):
        if path.exists():
            result = read_corpus(path)
            tables[f"{name}_documents"], tables[f"{name}_problems"] = result.documents, result.problems
    texts = [json.loads(line)["text"] for line in DEV.open(encoding="utf-8")] if DEV.exists() else []
    tables["parsed"] = {text: repr(parse_seed_text(text)) for text in texts + _literals()}
    out.write_bytes(pickle.dumps(tables))


def compare(a: Path, b: Path) -> int:
    left, right = pickle.loads(a.read_bytes()), pickle.loads(b.read_bytes())
    differences = 0
    for name in sorted(set(left) | set(right)):
        one, other = left.get(name), right.get(name)
        if isinstance(one, dict) and isinstance(other, dict):  # texts met by both (tests may have changed)
            common = sorted(set(one) & set(other))
            changed = [text for text in common if one[text] != other[text]]
            differences += len(changed)
            for text in changed:
                print(f"{name}: {text[:80]!r}\n  {one[text][:300]}\n  {other[text][:300]}")
            print(f"{name}: {len(common) - len(changed)} of {len(common)} texts read alike")
            continue
        same = isinstance(one, pd.DataFrame) and isinstance(other, pd.DataFrame) and one.equals(other) \
            and list(one.dtypes) == list(other.dtypes)
        differences += not same
        print(f"{name}: {'same' if same else 'differs'} ({len(one) if one is not None else 'absent'} rows)")
    return 1 if differences else 0


if __name__ == "__main__":
    if sys.argv[1] == "--compare":
        sys.exit(compare(Path(sys.argv[2]), Path(sys.argv[3])))
    snapshot(Path(sys.argv[1]))
