"""Train the theme model of each language (`analysis/lang/<code>/theme_model.tsv`) on the
hand-coded samples of the development corpus.

Run: ``.venv/bin/python bench/train_theme_model.py [--hold-out NAME ...] [--threshold CODE=P ...] [--out DIR]``

The texts are bench/corpora/dev/corpus.jsonl (git-ignored: collect it as bench/corpora/README.md
says), read and annotated as the package does (into its cache), so the model reads what it will
read in use: the title and text, without the actors' names. The labels are every sample's gold
(bench/corpora/gold_themes_NAME.tsv) whose documents are all in that corpus, with its
adjudications (adjudicated_themes_NAME.tsv) settling the disputes: a theme coded or adjudicated
`yes` is a positive, one coded `no` (found only in passing) is left out of that theme's
training, anything else is a negative. `--hold-out` keeps samples out, to score them afterwards
with bench/themes.py as news the model has not read.

The model (analysis.annotate.theme_model): terms and neighbouring pairs seen in at least
`MIN_DOCUMENTS` documents, tf-idf scaled to unit length, one L2-regularised logistic regression
per theme. To keep the file small and readable, each theme's `KEEP` heaviest terms are kept and
the regressions refitted on those alone, so the file is exactly the model that was fitted.
Training is deterministic: the same corpus and gold give the same file.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.optimize import minimize

sys.path.insert(0, str(Path(__file__).resolve().parent))

from themes import ADJUDICATIONS, CORPORA, DOCS, GOLDS, read_adjudication  # noqa: E402

from analysis.annotate.theme_model import INTERCEPT, MODEL_FILE, THRESHOLD, term_counts, terms, tfidf_rows  # noqa: E402
from analysis.annotate.themes import load_taxonomy  # noqa: E402
from analysis.csvfile import write_csv  # noqa: E402
from analysis.lang.registry import get_language  # noqa: E402
from analysis.stats.evaluation import THEME_GOLD_COLUMNS, read_gold  # noqa: E402
from analysis.workflow import load_annotated_corpus  # noqa: E402

MIN_DOCUMENTS = 3  # a term seen in fewer documents says more about them than about a theme
KEEP = 1000  # terms kept per theme; more changed nothing on the samples (bench/RESULTS.md)
C = 10.0  # inverse strength of the L2 penalty, chosen on the samples (bench/RESULTS.md)
MIN_POSITIVES = 3  # a theme with fewer coded documents gets no model (it never fires)
NEVER = -30.0  # the intercept of a theme without a model
# the probability from which the model adds a theme, per language: where the lower of precision
# and recall is highest out of fold (folds of three samples, every sample's adjudicated labels;
# bench/RESULTS.md, thirteenth and fifteenth rounds)
THRESHOLDS = {"en": 0.35, "ru": 0.25}
DEFAULT_THRESHOLD = 0.3


def labels(names: list[str]) -> dict[str, dict[str, str]]:
    """doc -> theme -> yes / no, from the samples' gold with their adjudications applied."""
    found: dict[str, dict[str, str]] = {}
    for name in names:
        gold = read_gold(GOLDS[name], THEME_GOLD_COLUMNS)
        for doc, theme, required in zip(gold["doc"], gold["theme"], gold["required"], strict=True):
            found.setdefault(doc, {})[theme] = required
        if ADJUDICATIONS[name].is_file():
            decisions = read_adjudication(ADJUDICATIONS[name])
            for doc, theme, decision in zip(decisions["doc"], decisions["theme"], decisions["decision"], strict=True):
                if decision == "absent":
                    found.setdefault(doc, {}).pop(theme, None)
                else:
                    found.setdefault(doc, {})[theme] = decision
    return found


def fit(matrix: sparse.csr_matrix, positive: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """Intercept and weights of an L2-regularised logistic regression (L-BFGS)."""
    def loss(beta: np.ndarray) -> tuple[float, np.ndarray]:
        probability = 1.0 / (1.0 + np.exp(-(matrix @ beta[1:] + beta[0])))
        eps = 1e-12
        likelihood = positive * np.log(probability + eps) + (1 - positive) * np.log(1 - probability + eps)
        value = -np.sum(weight * likelihood) + 0.5 / C * beta[1:] @ beta[1:]
        error = weight * (probability - positive)
        return value, np.concatenate([[error.sum()], matrix.T @ error + beta[1:] / C])
    return minimize(loss, np.zeros(matrix.shape[1] + 1), jac=True, method="L-BFGS-B", options={"maxiter": 1000}).x


def design(counts: list, vocabulary: list[str], idf: np.ndarray) -> sparse.csr_matrix:
    index = {term: i for i, term in enumerate(vocabulary)}
    rows = tfidf_rows(counts, index, idf)
    row_ids = [r for r, row in enumerate(rows) for _ in row]
    columns = [c for row in rows for c in row]
    values = [v for row in rows for v in row.values()]
    return sparse.csr_matrix((values, (row_ids, columns)), shape=(len(rows), len(vocabulary)))


def train(counts: list, truth: list[dict[str, str]], themes: list[str], threshold: float) -> pd.DataFrame:
    """The model table of one language (columns term, idf and one per theme)."""
    frequency = pd.Series([term for document in counts for term in document]).value_counts()
    vocabulary = sorted(frequency[frequency >= MIN_DOCUMENTS].index)
    documents = len(counts)
    idf_of = np.log((1 + documents) / (1 + frequency[vocabulary].to_numpy(dtype=float))) + 1
    targets = {theme: (np.array([1.0 if t.get(theme) == "yes" else 0.0 for t in truth]),
                       np.array([0.0 if t.get(theme) == "no" else 1.0 for t in truth])) for theme in themes}
    trainable = [theme for theme in themes if targets[theme][0].sum() >= MIN_POSITIVES]
    first = design(counts, vocabulary, idf_of)
    kept: set[int] = set()
    for theme in trainable:
        beta = fit(first, *targets[theme])
        kept |= set(np.argsort(-np.abs(beta[1:]), kind="stable")[:KEEP].tolist())
    chosen = sorted(kept)
    vocabulary, idf_of = [vocabulary[i] for i in chosen], idf_of[chosen]
    second = design(counts, vocabulary, idf_of)
    weights = pd.DataFrame(0.0, index=vocabulary, columns=themes)
    intercepts = pd.Series(NEVER, index=themes)
    for theme in trainable:
        beta = fit(second, *targets[theme])
        intercepts[theme], weights[theme] = beta[0], beta[1:]
    table = weights.map(lambda value: float(f"{value:.6g}"))
    table.insert(0, "idf", [float(f"{value:.6g}") for value in idf_of])
    special = pd.DataFrame([[np.nan, *intercepts.round(6)], [np.nan, *[threshold] * len(themes)]],
                           index=[INTERCEPT, THRESHOLD], columns=table.columns)
    return pd.concat([special, table]).rename_axis("term").reset_index()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--hold-out", nargs="*", default=[], choices=sorted(GOLDS), metavar="NAME",
                        help="samples to leave out of training")
    parser.add_argument("--threshold", nargs="*", default=[], metavar="CODE=P",
                        help=f"the probability from which the model adds a theme in a language "
                             f"(default {THRESHOLDS}, else {DEFAULT_THRESHOLD})")
    parser.add_argument("--out", type=Path, default=None,
                        help="write <out>/<code>/theme_model.tsv instead of into analysis/lang")
    args = parser.parse_args()
    thresholds = dict(THRESHOLDS)
    for given in args.threshold:
        code, _, value = given.partition("=")
        try:
            thresholds[code] = float(value)
        except ValueError:
            parser.error(f"--threshold {given!r}: expected CODE=P, e.g. en=0.3")
        if not 0 < thresholds[code] <= 1:
            parser.error(f"--threshold {given!r}: P must be above 0 and at most 1")
    corpus_file = CORPORA / "dev" / "corpus.jsonl"
    if not corpus_file.is_file():
        parser.error(f"{corpus_file}: no development corpus (bench/corpora/README.md says how to collect it)")
    # documents as the package reads them (title, then text) and their actors' names, which the
    # model does not read (annotated once into the package's cache; `--out` keeps it valid)
    corpus = load_annotated_corpus(corpus_file, progress=False)
    documents = corpus.documents.set_index("doc_id")
    actors = corpus.mentions[corpus.mentions["kind"] == "actor"]
    names_of = {doc: list(zip(group["start"], group["end"], strict=True))
                for doc, group in actors.groupby("doc_id", observed=True)}
    samples = {name: set(pd.read_csv(DOCS[name], sep="\t", dtype=str)["doc"])
               for name in sorted(GOLDS) if name not in args.hold_out and DOCS[name].is_file()}
    names = [name for name, members in samples.items() if members <= set(documents.index)]
    if not names:
        parser.error("no sample has all its documents in the corpus")
    truth = labels(names)
    docs = sorted(doc for name in names for doc in samples[name])
    themes = [theme.key for theme in load_taxonomy()]
    print(f"training on {len(docs)} documents of {len(names)} samples: {', '.join(names)}")
    for code in sorted(set(documents.loc[docs, "language"])):
        language = get_language(code)
        form = language.theme_form()
        mine = [doc for doc in docs if documents.at[doc, "language"] == code]
        counts = [term_counts([term for term, _, _ in terms(documents.at[doc, "text"], form, names_of.get(doc, []))])
                  for doc in mine]
        table = train(counts, [truth.get(doc, {}) for doc in mine], themes, thresholds.get(code, DEFAULT_THRESHOLD))
        out = (args.out / code if args.out else language.folder) / MODEL_FILE
        out.parent.mkdir(parents=True, exist_ok=True)
        write_csv(table, out, sep="\t", lineterminator="\n", float_format="%.6g")
        print(f"{code}: {len(mine)} documents, {len(table) - 2} terms -> {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
