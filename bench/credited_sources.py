"""How many documents of a corpus would get their source from a credit in their own text, had
the corpus given none: the corpus is read once as it is and once with its `source` field
removed, and each source found in the text is set beside the one the corpus gives (and the
outlet each names, through analysis/lexicons/outlets.yaml).

Run: ``.venv/bin/python bench/credited_sources.py bench/corpora/dev/corpus.jsonl [--list]``
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

from analysis.corpus.outlets import with_outlets
from analysis.corpus.reader import read_corpus


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", help="a .jsonl corpus with a source field")
    parser.add_argument("--list", action="store_true", help="list every document given a source by a credit")
    args = parser.parse_args()
    records = [json.loads(line) for line in Path(args.corpus).read_text(encoding="utf-8").splitlines() if line]
    given, _ = read_corpus(args.corpus)
    with tempfile.TemporaryDirectory() as folder:
        bare = Path(folder) / "without-sources.jsonl"
        bare.write_text("".join(json.dumps({k: v for k, v in r.items() if k != "source"}, ensure_ascii=False) + "\n"
                                for r in records), encoding="utf-8")
        found, _ = read_corpus(bare)
    credited = found[found["source_from"] == "credit"]
    outlet_given = with_outlets(given).documents.set_index("doc_id")["outlet"]
    outlet_found = with_outlets(credited).documents.set_index("doc_id")["outlet"]
    same_label = credited["source"].to_numpy() == given.set_index("doc_id").loc[credited["doc_id"], "source"].to_numpy()
    same_outlet = (outlet_found == outlet_given.reindex(outlet_found.index)).fillna(False)
    print(f"{len(given)} documents; as given: {int(given['source'].isna().sum())} without a source")
    print(f"source field removed: {len(credited)} take a source from a credit in their text, "
          f"{int(found['source'].isna().sum())} stay without one")
    print(f"of those {len(credited)}: {int(same_label.sum())} the same label as given, "
          f"{int(same_outlet.sum())} the same outlet as given (outlets.yaml)")
    if args.list:
        for row in credited.itertuples():
            print(f"{row.doc_id}\t{row.source}\tgiven: {outlet_given.get(row.doc_id)!s} / "
                  f"{given.set_index('doc_id').at[row.doc_id, 'source']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
