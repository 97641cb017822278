"""A document's themes read from all of its words: one linear model per language.

Why: the rules (`analysis.annotate.themes`) find a theme where a sentence names it. About one
theme in ten that readers code is told without any of its words ("the miners refused to come
up until their wages were raised"), and twelve rounds of word rules stopped gaining on news no
rule was written from. A model of the whole document's vocabulary, trained on the hand-coded
samples (`bench/train_theme_model.py`), finds a good part of those.

How it counts: the document's words outside actors' names, in the form the language counts
them (Russian: lemmas; stop words left out), and each pair of neighbouring words, weighted by
tf-idf and scaled to unit length, give each theme a probability (logistic regression). A theme
the rules did not find is added when its probability reaches the theme's threshold, in a
document of at least `MIN_TERMS` terms, as one mention on the sentence whose words weigh most
for it; the mention's trigger is those words ("strike + miners + wages") and its rule `model`,
so the evidence view shows why. The model never removes what a rule found.

The model file is `theme_model.tsv` in the language's folder: a row per term with its idf and
one weight per theme, and two rows of per-theme values, `(intercept)` and `(threshold)`. A
language without the file has no model. A theme is read by the model only when the taxonomy's
theme of that key has the shipped definition: a user's theme file that redefines a key gets
the rules alone for it.
"""

from __future__ import annotations

import bisect
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.annotate.themes import ThemeMatch
from analysis.errors import AnalysisError

MODEL_FILE = "theme_model.tsv"
INTERCEPT, THRESHOLD = "(intercept)", "(threshold)"
MODEL_RULE = "model"
# how many of the evidence sentence's words the trigger shows: enough to see why, short to read
TRIGGER_WORDS = 3
# The model reads a document of at least this many terms (stop words left out): 99 % of the
# articles it was trained on have more, and on a line or two its unit-length scaling lets one
# word decide ("Minister of Economy ... met the delegation" would be about the economy).
MIN_TERMS = 40
# words of any script, hyphenated compounds kept whole ("vice-president", "северо-восток")
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")


class ThemeModelError(AnalysisError):
    """A theme model file cannot be read; the message names the file, the line and what is wrong."""


Term = tuple[str, int, int]  # the counted form, and where its word is in the text


def terms(text: str, form: Callable[[str], str], names: Sequence[tuple[int, int]] = ()) -> list[Term]:
    """The text's words in the form the model counts them (`form` of the lower-case word), with
    their places. Left out: a word `form` gives no term for (a stop word), and every word inside
    one of `names` (the actors' mentions, (start, end)): a name is the actor's, never evidence of
    a theme, or the CSTO would make every story it is in one about security, and its pairs with
    the theme would be made by the model itself."""
    inside = np.zeros(len(text) + 1, dtype=np.int32)
    for start, end in names:
        inside[start] += 1
        inside[end] -= 1
    covered = np.cumsum(inside) > 0
    found = ((form(hit.group().lower()), hit.start(), hit.end()) for hit in _WORD.finditer(text)
             if not covered[hit.start():hit.end()].any())
    return [term for term in found if term[0]]


def term_counts(counted: Sequence[str]) -> Counter:
    """How often each term and each pair of neighbouring terms ("border crossing") occurs."""
    counts = Counter(counted)
    counts.update(f"{first} {second}" for first, second in zip(counted, counted[1:], strict=False))
    return counts


def tfidf_rows(documents: Iterable[Counter], index: dict[str, int], idf: np.ndarray) -> list[dict[int, float]]:
    """Each document's known terms as {column: weight}: (1 + log count) x idf, scaled to unit
    length, so a long article does not outweigh a short one."""
    rows = []
    for counts in documents:
        row = {index[term]: (1.0 + math.log(count)) * idf[index[term]]
               for term, count in counts.items() if term in index}
        norm = math.sqrt(sum(value * value for value in row.values())) or 1.0
        rows.append({column: value / norm for column, value in row.items()})
    return rows


@dataclass(frozen=True)
class ThemeModel:
    """One language's model: terms, their idf, a weight per (term, theme), and per theme an
    intercept and the probability from which the model adds the theme."""

    source: Path
    themes: tuple[str, ...]
    index: dict[str, int]
    idf: np.ndarray  # (terms,)
    weights: np.ndarray  # (terms, themes)
    intercepts: np.ndarray  # (themes,)
    thresholds: np.ndarray  # (themes,)
    # how the language counts a lower-case word (`LanguageDefaults.theme_form`), and the themes the
    # model may add (`shipped_themes`); set by the annotator that reads the file
    form: Callable[[str], str] = str.lower
    allowed: frozenset[str] = frozenset()

    def probabilities(self, row: dict[int, float]) -> np.ndarray:
        """Each theme's probability for one document's tf-idf row (`tfidf_rows`)."""
        columns = np.fromiter(row.keys(), dtype=np.int64, count=len(row))
        values = np.fromiter(row.values(), dtype=np.float64, count=len(row))
        score = values @ self.weights[columns] + self.intercepts
        return 1.0 / (1.0 + np.exp(-score))

    def mentions(self, text: str, sentences: Sequence[tuple[int, int]], found: set[str],
                 names: Sequence[tuple[int, int]] = ()) -> list[ThemeMatch]:
        """The themes of `allowed` the document is about by its words outside `names` (the
        actors' mentions) and the rules did not find (`found`): one mention each, on the sentence
        whose words weigh most for the theme, its trigger those words."""
        words = terms(text, self.form, names)
        if len(words) < MIN_TERMS or not sentences:
            return []
        counted = [term for term, _, _ in words]
        row = tfidf_rows([term_counts(counted)], self.index, self.idf)[0]
        if not row:
            return []
        probability = self.probabilities(row)
        wanted = [i for i, key in enumerate(self.themes)
                  if key in self.allowed and key not in found and probability[i] >= self.thresholds[i]]
        return [match for i in wanted if (match := self._evidence(text, words, row, sentences, i)) is not None]

    def _evidence(self, text: str, words: list[Term], row: dict[int, float],
                  sentences: Sequence[tuple[int, int]], theme: int) -> ThemeMatch | None:
        """The mention of theme number `theme`: the sentence where the document's terms add most
        to it, its first word among the heaviest terms as the mention."""
        best: list[tuple[float, str, int, int]] = []
        best_total = 0.0
        for inside in _by_sentence(words, sentences):
            parts = self._contributions(inside, row, theme)
            total = sum(part[0] for part in parts)
            if parts and (not best or total > best_total):
                best, best_total = parts, total
        if not best:
            return None
        top = sorted(best, reverse=True)[:TRIGGER_WORDS]
        _, _, begin, finish = min(top, key=lambda part: part[2])  # the first of them in the sentence
        return ThemeMatch(begin, finish, text[begin:finish], self.themes[theme],
                          " + ".join(name for _, name, _, _ in top), MODEL_RULE)

    def _contributions(self, inside: list[Term], row: dict[int, float],
                       theme: int) -> list[tuple[float, str, int, int]]:
        """What each distinct term and pair of a sentence adds to theme number `theme` (its value in
        the document's row times its weight), with where it is: the positive ones."""
        parts: dict[str, tuple[float, str, int, int]] = {}
        pairs = [(f"{first[0]} {second[0]}", first[1], second[2])
                 for first, second in zip(inside, inside[1:], strict=False)]
        for name, begin, finish in [*inside, *pairs]:
            column = self.index.get(name)
            if column is None or name in parts:
                continue
            weight = row.get(column, 0.0) * self.weights[column, theme]
            if weight > 0:
                parts[name] = (weight, name, begin, finish)
        return list(parts.values())


def _by_sentence(words: list[Term], sentences: Sequence[tuple[int, int]]) -> list[list[Term]]:
    """The words of each sentence (`sentences` in text order, as (start, end))."""
    starts = [start for _, start, _ in words]
    return [words[bisect.bisect_left(starts, start):bisect.bisect_right(starts, end - 1)] for start, end in sentences]


def read_theme_model(path: str | Path) -> ThemeModel:
    """A model file (see the module's docstring), checked: the columns `term`, `idf` and one per
    theme; the rows `(intercept)` and `(threshold)`; numbers everywhere, finite, idf positive,
    thresholds in (0, 1]; no term twice. Anything else raises `ThemeModelError` naming the
    file and line."""
    path = Path(path)
    try:
        table = pd.read_csv(path, sep="\t", dtype=str, keep_default_na=False, comment=None, quoting=3,
                            lineterminator="\n", encoding="utf-8")
    except (OSError, UnicodeDecodeError, pd.errors.ParserError) as error:
        raise ThemeModelError(f"{path}: cannot read a theme model ({error})") from None
    table.columns = [column.strip() for column in table.columns]
    if list(table.columns[:2]) != ["term", "idf"] or len(table.columns) < 3:
        raise ThemeModelError(f"{path}, line 1: expected the columns term, idf and one per theme; "
                              f"found {', '.join(table.columns)}")
    table["term"] = table["term"].str.rstrip("\r")
    themes = tuple(table.columns[2:])
    repeated = table["term"].duplicated()
    if repeated.any():
        raise ThemeModelError(f"{path}, line {int(np.flatnonzero(repeated)[0]) + 2}: "
                              f"term {table['term'][repeated].iloc[0]!r} given twice")
    numbers = table[list(themes)].apply(lambda column: pd.to_numeric(column.str.strip(), errors="coerce"))
    bad = ~np.isfinite(numbers.to_numpy(dtype=float)).all(axis=1)
    if bad.any():
        raise ThemeModelError(f"{path}, line {int(np.flatnonzero(bad)[0]) + 2}: expected a number for every theme")
    special = {INTERCEPT, THRESHOLD}
    missing = special - set(table["term"])
    if missing:
        raise ThemeModelError(f"{path}: no row {sorted(missing)[0]!r}")
    is_term = ~table["term"].isin(special)
    idf = pd.to_numeric(table.loc[is_term, "idf"].str.strip(), errors="coerce").to_numpy(dtype=float)
    wrong_idf = ~(np.isfinite(idf) & (idf > 0))
    if wrong_idf.any():
        line = int(np.flatnonzero(is_term.to_numpy())[np.flatnonzero(wrong_idf)[0]]) + 2
        raise ThemeModelError(f"{path}, line {line}: idf must be a positive number")
    by_term = numbers.set_index(table["term"])
    thresholds = by_term.loc[THRESHOLD].to_numpy(dtype=float)
    if not ((thresholds > 0) & (thresholds <= 1)).all():
        line = int(np.flatnonzero(table["term"].eq(THRESHOLD).to_numpy())[0]) + 2
        raise ThemeModelError(f"{path}, line {line}: every threshold must be above 0 and at most 1")
    kept = table.loc[is_term, "term"].tolist()
    return ThemeModel(path, themes, {term: i for i, term in enumerate(kept)}, idf,
                      numbers[is_term.to_numpy()].to_numpy(dtype=float), by_term.loc[INTERCEPT].to_numpy(dtype=float),
                      thresholds)


def shipped_themes(themes: Iterable, shipped: Iterable) -> set[str]:
    """The keys of `themes` the model may read: those whose definition is the shipped theme's
    of that key (a user's theme file that redefines a key gets the rules alone for it)."""
    definition = {theme.key: theme.definition for theme in shipped}
    return {theme.key for theme in themes if definition.get(theme.key) == theme.definition}
