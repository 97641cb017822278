"""Lemmas only where a theme trigger could match.

The analysis reads lemmas in one place: the theme matcher's lemma patterns ("voted" matches
the trigger "vote"). Tagging, the attribute ruler and the lemmatizer over every token cost
about half of the pipeline's time (bench/RESULTS.md), yet a token can only take part in a
lemma match when its lemma is one of the few hundred words of the lemma patterns.

`theme_lemmas` runs the pipeline's own tok2vec, tagger, attribute ruler and lemmatizer (left
in the pipeline, disabled) so that the lemmas it writes are exactly the full pipeline's:

- `candidate_forms` inverts the rule lemmatizer's tables (suffix rules, exceptions) and the
  attribute ruler's fixed lemmas: every lower-case form whose lemma could be a pattern word;
- a paragraph without such a form is not tagged at all (its lemma matches cannot exist);
- in a paragraph with one, only the candidate tokens get a lemma: the attribute ruler runs
  on a window as wide as its longest pattern around each, then the lemmatizer, memoised on
  the window's words and tags.

Until `restrict_to` is called every token is lemmatised (so trigger phrases themselves are
lemmatised by the full pipes).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import numpy as np
from spacy.attrs import LOWER
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import minibatch

THEME_LEMMAS_NAME = "theme_lemmas"
LEMMA_PIPES = ("tok2vec", "tagger", "attribute_ruler", "lemmatizer")


def _pattern_words(token_pattern: dict) -> set[str] | None:
    """The lower-case words a token pattern accepts, or None when it is not a closed list."""
    for attr in ("LOWER", "ORTH", "TEXT"):
        value = token_pattern.get(attr)
        if isinstance(value, str):
            return {value.lower()}
        if isinstance(value, dict) and set(value) == {"IN"}:
            return {word.lower() for word in value["IN"]}
    return None


def candidate_forms(lemma_words: Iterable[str], lemmatizer, ruler) -> frozenset[str] | None:
    """Every lower-case form whose lower-cased lemma may be one of `lemma_words`, or None
    when that cannot be known (not a rule lemmatizer, or a ruler lemma on an open pattern)."""
    if lemmatizer is None or getattr(lemmatizer, "mode", None) != "rule":
        return None
    words = {word.lower() for word in lemma_words}
    forms = set(words)  # base forms, proper nouns, unknown parts of speech: the word itself
    rules = lemmatizer.lookups.get_table("lemma_rules", {})
    exceptions = lemmatizer.lookups.get_table("lemma_exc", {})
    for pos_rules in rules.values():
        for old, new in pos_rules:
            forms |= {word[: len(word) - len(new)] + old for word in words if word.endswith(new)}
    for table in exceptions.values():
        forms |= {form for form, lemmas in table.items() if any(lemma.lower() in words for lemma in lemmas)}
    for pattern in ruler.patterns if ruler is not None else ():
        lemma = pattern["attrs"].get("LEMMA")
        if not isinstance(lemma, str) or lemma.lower() not in words:
            continue
        for token_patterns in pattern["patterns"]:
            for token_pattern in token_patterns:
                accepted = _pattern_words(token_pattern)
                if accepted is None:
                    return None
                forms |= accepted
    return frozenset(form.lower() for form in forms)


class ThemeLemmas:
    """spaCy component: the full pipeline's lemmas, for candidate tokens only (see module)."""

    def __init__(self, nlp: Language, name: str = THEME_LEMMAS_NAME, pipes: Iterable[str] = LEMMA_PIPES):
        self.name = name
        self.nlp = nlp
        self.pipe_names = tuple(pipes)
        self.candidates: np.ndarray | None = None  # LOWER hashes of candidate forms; None: all
        self._memo: dict[tuple, str] = {}
        self._reach: int | None = None

    def _get(self, name: str):
        return self.nlp.get_pipe(name) if name in self.nlp.component_names else None

    def restrict_to(self, lemma_words: Iterable[str]) -> None:
        """Lemmatise from now on only tokens whose lemma could be one of `lemma_words`."""
        forms = candidate_forms(lemma_words, self._get("lemmatizer"), self._get("attribute_ruler"))
        if forms is None:
            self.candidates = None
            return
        strings = self.nlp.vocab.strings
        self.candidates = np.array(sorted(strings.add(form) for form in forms), dtype=np.uint64)

    def __call__(self, doc: Doc) -> Doc:
        return next(iter(self.pipe([doc])))

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterator[Doc]:
        for batch in minibatch(docs, batch_size):
            yield from self._process(list(batch))

    def _run(self, names: Iterable[str], docs: list[Doc]) -> None:
        for name in names:
            component = self._get(name)
            if component is None or not docs:
                continue
            if hasattr(component, "predict"):
                component.set_annotations(docs, component.predict(docs))
            else:
                for doc in docs:
                    component(doc)

    def _process(self, docs: list[Doc]) -> list[Doc]:
        if self.candidates is None:
            self._run(self.pipe_names, docs)
            return docs
        positions = [
            np.flatnonzero(np.isin(doc.to_array([LOWER]).astype(np.uint64).ravel(), self.candidates))
            if len(doc) else np.empty(0, dtype=np.int64)
            for doc in docs
        ]
        tagged = [doc for doc, found in zip(docs, positions, strict=True) if len(found)]
        self._run([name for name in self.pipe_names if name in ("tok2vec", "tagger")], tagged)
        for doc, found in zip(docs, positions, strict=True):
            for index in found:
                doc[int(index)].lemma_ = self._lemma(doc, int(index))
        return docs

    def _lemma(self, doc: Doc, index: int) -> str:
        """The lemma the attribute ruler and lemmatizer give doc[index], from a window as wide
        as the ruler's longest pattern (its matches there are the matches touching the token)."""
        ruler, lemmatizer = self._get("attribute_ruler"), self._get("lemmatizer")
        if self._reach is None:
            patterns = ruler.patterns if ruler is not None else []
            self._reach = max((len(p) for entry in patterns for p in entry["patterns"]), default=1)
        reach = self._reach
        start, end = max(index - reach + 1, 0), min(index + reach, len(doc))
        window = doc[start:end]
        key = (index - start, *((token.orth, token.tag) for token in window))
        if key not in self._memo:
            mini = Doc(doc.vocab, words=[t.text for t in window], spaces=[bool(t.whitespace_) for t in window])
            for token, source in zip(mini, window, strict=True):
                token.tag = source.tag
            if ruler is not None:
                ruler(mini)
            token = mini[index - start]
            if lemmatizer is not None and (lemmatizer.overwrite or token.lemma == 0):
                token.lemma_ = lemmatizer.lemmatize(token)[0]
            self._memo[key] = token.lemma_
        return self._memo[key]


@Language.factory(THEME_LEMMAS_NAME, default_config={"pipes": list(LEMMA_PIPES)})
def make_theme_lemmas(nlp: Language, name: str, pipes: list[str]) -> ThemeLemmas:
    """Factory: the named pipes stay in the pipeline, disabled; this component runs them."""
    return ThemeLemmas(nlp, name, pipes)
