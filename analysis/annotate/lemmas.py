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
  whole lemma pattern ("voted"/"votes"/"vote" for "vote"; "state of emergency" only as a run),
  and keeps those the theme matcher's lower-case matcher does not already match with the same
  keys ("elections" is found as a plural anyway; "voted" needs its lemma);
- a paragraph without such a run is not tagged at all (its lemma matches cannot exist); in
  one with runs, only windows around them are tagged, as wide as the tagger can see (a
  window encoder of depth d and window w: a tag depends on d * w tokens each side), so each
  needed tag is the one the whole paragraph would give;
- in a paragraph with one, only the tokens of those runs get a lemma: the attribute ruler
  runs on a window as wide as its longest pattern around each, then the lemmatizer,
  memoised on the window's words and tags.

Until `restrict_to` is called every token is lemmatised (so trigger phrases themselves are
lemmatised by the full pipes); a theme matcher rebuilt afterwards needs a new pipeline
(`analysis.annotate.pipeline` builds the two together).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator, Mapping

from spacy.attrs import LOWER
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import minibatch

from analysis.annotate.themes import EXCLUDE_SUFFIX

log = logging.getLogger(__name__)

THEME_LEMMAS_NAME = "theme_lemmas"
LEMMA_PIPES = ("tok2vec", "tagger", "attribute_ruler", "lemmatizer")
_LOCAL_TAGGERS = ("spacy.Tagger.v1", "spacy.Tagger.v2")  # a softmax over each token's vector


def tagger_reach(nlp: Language) -> int | None:
    """How many tokens on each side a tag depends on, or None when that is not known (then
    whole paragraphs are tagged): a window encoder sees window_size * depth tokens each side."""
    components = nlp.config.get("components", {})
    try:
        encode = components["tok2vec"]["model"]["encode"]
        tagger = components["tagger"]["model"]
    except KeyError:
        return None
    if not str(encode.get("@architectures", "")).startswith("spacy.MaxoutWindowEncoder"):
        return None
    if tagger.get("@architectures") not in _LOCAL_TAGGERS:
        return None
    return int(encode["window_size"]) * int(encode["depth"])


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


def _warn_every_token(lemma_patterns: Mapping[tuple[str, ...], Iterable[str]], lemmatizer, ruler) -> None:
    """Say which theme phrases switch the selective lemmatiser off: a word whose forms cannot be
    listed (a lemma the attribute ruler gives on an open pattern, such as "be") makes every token
    of every document need its lemma. The results are the same; annotation is slower."""
    if lemmatizer is None or getattr(lemmatizer, "mode", None) != "rule":
        return  # not a rule lemmatizer: every token is lemmatised by design
    culprits = sorted({word for pattern in lemma_patterns for word in pattern
                       if lemma_preimages([word], lemmatizer, ruler) is None})
    phrases = sorted({" ".join(pattern) for pattern in lemma_patterns if set(pattern) & set(culprits)})
    # an exclusion's match key is its theme's key and EXCLUDE_SUFFIX
    themes = sorted({key.removesuffix(EXCLUDE_SUFFIX) for pattern in lemma_patterns for key in lemma_patterns[pattern]
                     if set(pattern) & set(culprits)})
    log.warning("theme phrase(s) read as %s (theme %s) contain the lemma %s, whose forms cannot be listed: "
                "every token is lemmatised, which makes annotation slower; write the phrase with other words",
                ", ".join(repr(phrase) for phrase in phrases[:5]), ", ".join(themes[:5]),
                ", ".join(repr(word) for word in culprits))


class ThemeLemmas:
    """spaCy component: the full pipeline's lemmas, for candidate tokens only (see module)."""

    def __init__(self, nlp: Language, name: str = THEME_LEMMAS_NAME, pipes: Iterable[str] = LEMMA_PIPES):
        self.name = name
        self.nlp = nlp
        self.pipe_names = tuple(pipes)
        # first form -> (later positions' forms, match keys) of each lemma pattern, as hashes; None: all
        self.prefilter: dict[int, list[tuple[tuple[frozenset[int], ...], frozenset[int]]]] | None = None
        self.lower_matcher: Callable[[Doc], Iterable[tuple[int, int, int]]] | None = None
        self._memo: dict[tuple, str] = {}
        self._reach: int | None = None
        self.tag_reach: int | None = tagger_reach(nlp)  # None: tag whole paragraphs

    def _get(self, name: str):
        return self.nlp.get_pipe(name) if name in self.nlp.component_names else None

    def restrict_to(self, lemma_patterns: Mapping[tuple[str, ...], Iterable[str]],
                    lower_matcher: Callable[[Doc], Iterable[tuple[int, int, int]]]) -> None:
        """From now on lemmatise only tokens of runs that could match one of `lemma_patterns`
        (lemma words -> the match keys that use them), each token's lower-case form being one
        whose lemma may be the pattern's word there, and only where `lower_matcher` (the theme
        matcher's lower-case matcher, which runs anyway) does not already give every such key
        over the same tokens: there a lemma match would add nothing. A token outside such
        runs cannot change the theme matches, whatever its lemma."""
        patterns = sorted(lemma_patterns)
        words = {word for pattern in patterns for word in pattern}
        lemmatizer, ruler = self._get("lemmatizer"), self._get("attribute_ruler")
        forms = lemma_preimages(words, lemmatizer, ruler)
        if forms is None:
            self.prefilter = None
            _warn_every_token(lemma_patterns, lemmatizer, ruler)
            return
        strings = self.nlp.vocab.strings
        hashes = {word: frozenset(strings.add(form) for form in found) for word, found in forms.items()}
        prefilter: dict[int, list[tuple[tuple[frozenset[int], ...], frozenset[int]]]] = {}
        for pattern in patterns:
            rest = tuple(hashes[word.lower()] for word in pattern[1:])
            keys = frozenset(strings.add(key) for key in lemma_patterns[pattern])
            for first in hashes[pattern[0].lower()]:
                prefilter.setdefault(first, []).append((rest, keys))
        self.prefilter = prefilter
        self.lower_matcher = lower_matcher

    def _positions(self, doc: Doc) -> list[int]:
        """Tokens of the runs whose lower-case forms could match a whole lemma pattern and
        whose lemma match the lower-case matcher does not already make."""
        lowers = doc.to_array([LOWER]).ravel().tolist() if len(doc) else []
        runs: list[tuple[int, int, frozenset[int]]] = []
        for index, lower in enumerate(lowers):
            for rest, keys in self.prefilter.get(lower, ()):
                end = index + 1 + len(rest)
                if end <= len(lowers) and all(lowers[index + 1 + k] in forms for k, forms in enumerate(rest)):
                    runs.append((index, end, keys))
        if not runs:
            return []
        made = set(self.lower_matcher(doc))
        found: set[int] = set()
        for start, end, keys in runs:
            if any((key, start, end) not in made for key in keys):
                found.update(range(start, end))
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
        self._tag([(doc, found) for doc, found in zip(docs, positions, strict=True) if found])
        for doc, found in zip(docs, positions, strict=True):
            for index in found:
                doc[index].lemma_ = self._lemma(doc, index)
        return docs

    def _tag(self, needed: list[tuple[Doc, list[int]]]) -> None:
        """Tags for the tokens at the given positions (and their attribute-ruler neighbours),
        from windows just wide enough for each tag to be the whole paragraph's."""
        taggers = [name for name in self.pipe_names if name in ("tok2vec", "tagger")]
        if self.tag_reach is None:
            self._run(taggers, [doc for doc, _ in needed])
            return
        margin = self.tag_reach + self._ruler_reach()
        windows: list[tuple[Doc, int, Doc, list[int]]] = []  # paragraph, offset, window, positions
        for doc, found in needed:
            start, end, group = None, None, []
            for index in found:
                low, high = max(index - margin, 0), min(index + margin + 1, len(doc))
                if start is not None and low <= end:
                    end, group = max(end, high), [*group, index]
                    continue
                if start is not None:
                    windows.append((doc, start, doc[start:end].as_doc(), group))
                start, end, group = low, high, [index]
            windows.append((doc, start, doc[start:end].as_doc(), group))
        self._run(taggers, [window for _, _, window, _ in windows])
        reach = self._ruler_reach() - 1
        for doc, start, window, group in windows:
            for index in group:
                for near in range(max(index - reach, start), min(index + reach + 1, start + len(window))):
                    doc[near].tag = window[near - start].tag

    def _ruler_reach(self) -> int:
        """The longest attribute-ruler pattern, in tokens."""
        if self._reach is None:
            ruler = self._get("attribute_ruler")
            patterns = ruler.patterns if ruler is not None else []
            self._reach = max((len(p) for entry in patterns for p in entry["patterns"]), default=1)
        return self._reach

    def _lemma(self, doc: Doc, index: int) -> str:
        """The lemma the attribute ruler and lemmatizer give doc[index], from a window as wide
        as the ruler's longest pattern (its matches there are the matches touching the token)."""
        ruler, lemmatizer = self._get("attribute_ruler"), self._get("lemmatizer")
        reach = self._ruler_reach()
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
