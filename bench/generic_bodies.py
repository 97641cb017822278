"""Generic bodies ("the Government", "МИД", "the Ministry of Justice") on a corpus: which
country each gets, under whichever `analysis` package is imported, compared with hand-coded
answers. Also lists the Russian person names the resolver puts in the nominative.

spaCy runs once (`extract`), the resolver many times (`resolve`), so a change to the rules is
measured in seconds:

``python bench/generic_bodies.py extract CORPUS --out /tmp/candidates.pkl``
``python bench/generic_bodies.py resolve /tmp/candidates.pkl --out new.tsv [--home]``
``python bench/generic_bodies.py score old.tsv current.tsv new.tsv --gold bench/corpora/gold_generic_bodies.tsv``

`--home` resolves a bare body the way the package did before issue #22: the country its own
name gives, else the document's most mentioned country; `--steps a,b` uses only those of
`analysis.annotate.actors.COUNTRY_STEPS` (what each step adds). The pickle and the resolved
tables hold article text (a context line per mention): keep them out of the repository (/tmp).
The gold file holds no text: `doc_id`, `start`, `end`, the institution's `suffix`, `country`
(the right country key, or `none` when the text does not say whose body it is: then only
"unresolved" is right) and `stratum` (`disagree`: the rules compared disagreed on it; `agree`:
a random sample of those they agreed on).
"""

from __future__ import annotations

import argparse
import pickle
import sys
from pathlib import Path

import pandas as pd

from analysis.annotate.actors import Mention, ResolutionRule
from analysis.annotate.batch import _cased, _run_pipeline
from analysis.annotate.pipeline import build_annotator
from analysis.corpus.reader import read_corpus

RESOLVED = ["doc_id", "language", "start", "end", "text", "key", "name", "category", "via", "context"]


def extract(corpus: str, out: str) -> None:
    documents = read_corpus(corpus).documents
    annotator = build_annotator()
    languages = [str(lang) for lang in documents["language"]]
    results = _run_pipeline(annotator, zip(documents["text"], languages, strict=True))
    rows = []
    for doc, result in zip(documents.itertuples(), results, strict=True):
        date = None if pd.isna(doc.date) else pd.Timestamp(doc.date).date()
        rows.append((doc.doc_id, doc.text, date, result.language,
                     [(c.start, c.end, c.text, c.label, c.key) for c in result.candidates]))
    Path(out).write_bytes(pickle.dumps(rows))


def _home_rule(piece, context, resolver):
    """Before issue #22: the name's own country, else the document's most mentioned one."""
    if piece.label != "ORG" or resolver.institution_of(piece) is None:
        return None
    return resolver.institution_mention(piece, context.home)


def _context_line(text: str, start: int, end: int) -> str:
    left = text.rfind("\n", 0, start) + 1
    right = text.find("\n", end)
    right = len(text) if right < 0 else right
    return (text[max(left, start - 160):start] + "[[" + text[start:end] + "]]" + text[end:min(right, end + 80)]
            ).replace("\t", " ")


def resolve(candidates_file: str, out: str, home: bool, steps: str | None = None) -> None:
    from analysis.annotate import actors
    from analysis.annotate.spans import Candidate

    if steps is not None:  # an ablation: only these of the package's country steps, in its order
        chosen = tuple(step for step in actors.COUNTRY_STEPS if step.name in steps.split(","))
        actors.context_country.__defaults__ = (chosen,)

    annotator = build_annotator()
    suffixes = {inst.suffix for inst in annotator.institutions}
    rows = []
    for doc_id, text, date, language, candidates in pickle.loads(Path(candidates_file).read_bytes()):
        if language not in annotator.config.languages:
            continue
        path = annotator.for_language(language)
        resolver = path.resolver
        if home:
            resolver.context_rules = tuple(
                ResolutionRule(r.name, _home_rule, r.why) if r.name == "institution" else r
                for r in resolver.context_rules)
        cased = _cased(annotator, path, text)
        mentions: list[Mention] = resolver.resolve([Candidate(*c) for c in candidates], cased, date)
        for m in mentions:
            own = m.key[len(m.affiliation) + 1:] if m.affiliation and m.key.startswith(f"{m.affiliation}-") else ""
            generic = m.key.startswith("unresolved-") or (m.category == "organization" and own in suffixes)
            if generic or (language == "ru" and m.category == "person"):
                rows.append((doc_id, language, m.start, m.end, m.text, m.key, m.name, m.category, m.via,
                             _context_line(text, m.start, m.end)))
    pd.DataFrame(rows, columns=RESOLVED).to_csv(out, sep="\t", index=False)


def score(tables: list[str], gold_file: str) -> None:
    """Right / wrong / unresolved per rule over the hand-coded mentions, all and per language."""
    gold = pd.read_csv(gold_file, sep="\t", dtype={"country": str})
    print("| rule | language | coded mentions | right | wrong | unresolved, text does not say | "
          "unresolved, text says whose | not a generic body |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for table in tables:
        found = pd.read_csv(table, sep="\t", keep_default_na=False)
        found = found[found["category"] == "organization"]
        merged = gold.merge(found.drop(columns="language", errors="ignore"), on=["doc_id", "start", "end"], how="left")
        merged["language"] = merged["doc_id"].str[:2]  # the development corpus's ids: en-0001, ru-0001
        for language, part in [("all", merged), *merged.groupby("language")]:
            counts = {"right": 0, "wrong": 0, "unres_ok": 0, "unres_bad": 0, "missing": 0}
            for row in part.itertuples():
                key = row.key
                if not isinstance(key, str):
                    counts["missing"] += 1
                elif key.startswith("unresolved-"):
                    counts["unres_ok" if row.country == "none" else "unres_bad"] += 1
                elif row.country != "none" and key == f"{row.country}-{row.suffix}":
                    counts["right"] += 1
                else:
                    counts["wrong"] += 1
            print(f"| {Path(table).stem} | {language} | {len(part)} | {counts['right']} | {counts['wrong']} | "
                  f"{counts['unres_ok']} | {counts['unres_bad']} | {counts['missing']} |")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    one = commands.add_parser("extract")
    one.add_argument("corpus")
    one.add_argument("--out", required=True)
    two = commands.add_parser("resolve")
    two.add_argument("candidates")
    two.add_argument("--out", required=True)
    two.add_argument("--home", action="store_true")
    two.add_argument("--steps", help="comma-separated names of analysis.annotate.actors.COUNTRY_STEPS to use")
    three = commands.add_parser("score")
    three.add_argument("tables", nargs="+")
    three.add_argument("--gold", required=True)
    args = parser.parse_args()
    if args.command == "extract":
        extract(args.corpus, args.out)
    elif args.command == "resolve":
        resolve(args.candidates, args.out, args.home, args.steps)
    else:
        score(args.tables, args.gold)
    return 0


if __name__ == "__main__":
    sys.exit(main())
