"""Lemmas only where a theme trigger could match.

The analysis reads lemmas in one place: the theme matcher's lemma patterns ("voted" matches
the trigger "vote"). Tagging, the attribute ruler and the lemmatizer over every token cost
about half of the pipeline's time (bench/RESULTS.md), yet a token can only take part in a
lemma match when its lemma is one of the few hundred words of the lemma patterns.

`theme_lemmas` runs the pipeline's own tok2vec, tagger, attribute ruler and lemmatizer (left
in the pipeline, disabled) so that the lemmas it writes are exactly the full pipeline's:

- `lemma_preimages` inverts the rule lemmatizer's tables (suffix rules, exceptions) and the
  attribute ruler's fixed lemmas: for each pattern word, every lower-case form whose lemma
  could be that word; a prefilter matcher finds the runs of tokens whose forms could match a
  whole lemma pattern ("voted"/"votes"/"vote" for "vote"; "state of emergency" only as a run);
- a paragraph without such a run is not tagged at all (its lemma matches cannot exist);
- in a paragraph with one, only the tokens of those runs get a lemma: the attribute ruler
  runs on a window as wide as its longest pattern around each, then the lemmatizer,
  memoised on the window's words and tags.

Until `restrict_to` is called every token is lemmatised (so trigger phrases themselves are
lemmatised by the full pipes).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

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


def lemma_preimages(words: Iterable[str], lemmatizer, ruler) -> dict[str, frozenset[str]] | None:
    """For each word, every lower-case form whose lower-cased lemma may be that word, or None
    when that cannot be known (not a rule lemmatizer, or a ruler lemma on an open pattern)."""
    if lemmatizer is None or getattr(lemmatizer, "mode", None) != "rule":
        return None
    forms: dict[str, set[str]] = {word.lower(): {word.lower()} for word in words}  # base forms, names
    rules = lemmatizer.lookups.get_table("lemma_rules", {})
    exceptions = lemmatizer.lookups.get_table("lemma_exc", {})
    for word, found in forms.items():
        for pos_rules in rules.values():
            found |= {word[: len(word) - len(new)] + old for old, new in pos_rules if word.endswith(new)}
    for table in exceptions.values():
        for form, lemmas in table.items():
            for lemma in lemmas:
                if lemma.lower() in forms:
                    forms[lemma.lower()].add(form.lower())
    for pattern in ruler.patterns if ruler is not None else ():
        lemma = pattern["attrs"].get("LEMMA")
        if not isinstance(lemma, str) or lemma.lower() not in forms:
            continue
        for token_patterns in pattern["patterns"]:
            for token_pattern in token_patterns:
                accepted = _pattern_words(token_pattern)
                if accepted is None:
                    return None
                forms[lemma.lower()] |= accepted
    return {word: frozenset(found) for word, found in forms.items()}


class ThemeLemmas:
    """spaCy component: the full pipeline's lemmas, for candidate tokens only (see module)."""

    def __init__(self, nlp: Language, name: str = THEME_LEMMAS_NAME, pipes: Iterable[str] = LEMMA_PIPES):
        self.name = name
        self.nlp = nlp
        self.pipe_names = tuple(pipes)
        # first form -> (later positions' forms) of each lemma pattern, as LOWER hashes; None: all tokens
        self.prefilter: dict[int, list[tuple[frozenset[int], ...]]] | None = None
        self._memo: dict[tuple, str] = {}
        self._reach: int | None = None

    def _get(self, name: str):
        return self.nlp.get_pipe(name) if name in self.nlp.component_names else None

    def restrict_to(self, lemma_patterns: Iterable[tuple[str, ...]]) -> None:
        """From now on lemmatise only tokens of runs that could match one of `lemma_patterns`:
        each token's lower-case form is one whose lemma may be the pattern's word there. A
        token outside such runs cannot be part of a lemma match, whatever its lemma."""
        patterns = sorted(set(lemma_patterns))
        words = {word for pattern in patterns for word in pattern}
        forms = lemma_preimages(words, self._get("lemmatizer"), self._get("attribute_ruler"))
        if forms is None:
            self.prefilter = None
            return
        strings = self.nlp.vocab.strings
        hashes = {word: frozenset(strings.add(form) for form in found) for word, found in forms.items()}
        prefilter: dict[int, list[tuple[frozenset[int], ...]]] = {}
        for pattern in patterns:
            rest = tuple(hashes[word.lower()] for word in pattern[1:])
            for first in hashes[pattern[0].lower()]:
                prefilter.setdefault(first, []).append(rest)
        self.prefilter = prefilter

    def _positions(self, doc: Doc) -> list[int]:
        """Tokens of the runs whose lower-case forms could match a whole lemma pattern."""
        lowers = doc.to_array([LOWER]).ravel().tolist() if len(doc) else []
        found: set[int] = set()
        for index, lower in enumerate(lowers):
            for rest in self.prefilter.get(lower, ()):
                end = index + 1 + len(rest)
                if end <= len(lowers) and all(lowers[index + 1 + k] in forms for k, forms in enumerate(rest)):
                    found.update(range(index, end))
        return sorted(found)

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
        if self.prefilter is None:
            self._run(self.pipe_names, docs)
            return docs
        positions = [self._positions(doc) for doc in docs]
        tagged = [doc for doc, found in zip(docs, positions, strict=True) if len(found)]
        self._run([name for name in self.pipe_names if name in ("tok2vec", "tagger")], tagged)
        for doc, found in zip(docs, positions, strict=True):
            for index in found:
                doc[index].lemma_ = self._lemma(doc, index)
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
