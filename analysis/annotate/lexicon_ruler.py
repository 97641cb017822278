"""Lexicon aliases matched on normal forms: the entity ruler of an inflecting language.

"Садыра Жапарова", "Садыру Жапарову" and "Садыр Жапаров" are one alias. Each alias is split
by the pipeline's own tokenizer and each word put in its key form (`morphology.key_form`); a
word of the text matches an alias word when the alias word's key form is one of the text
word's normal forms. Case still counts where the alias says so: an alias word in capitals
("ЕС", "ШОС") matches only capitals, a capitalised one ("Россия") only a capitalised word,
a lower-case one ("российский") any. Matches are longest first, left to right, and become
`doc.ents` labelled by the actor's category, with the actor's key as the entity id.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from spacy.language import Language
from spacy.tokens import Doc, Span

from analysis.annotate.lexicon import Lexicon

LEXICON_RULER = "lexicon_ruler"
LABEL_FOR_CATEGORY = {"person": "PERSON", "organization": "ORG", "country": "GPE", "place": "LOC"}


@dataclass
class _Node:
    children: dict[str, _Node] = field(default_factory=dict)
    case: str | None = None  # "upper" | "title" | None: what the text word must look like
    key: str | None = None  # the actor whose alias ends here
    label: str | None = None


def _case(word: str) -> str | None:
    if len(word) > 1 and word.isupper():
        return "upper"
    return "title" if word[:1].isupper() else None


def _case_ok(case: str | None, word: str) -> bool:
    if case == "upper":
        return word.isupper()
    if case == "title":
        return word[:1].isupper()
    return True


class LexiconRuler:
    """spaCy component: lexicon aliases found on normal forms become entities."""

    def __init__(self, nlp: Language, name: str = LEXICON_RULER):
        self.name = name
        self.nlp = nlp
        self.root = _Node()
        self.forms: Callable[[str], frozenset[str]] = lambda word: frozenset({word.lower()})

    def set_lexicon(self, lexicon: Lexicon, key_form: Callable[[str], str],
                    forms: Callable[[str], frozenset[str]],
                    inflections: Callable[[str], frozenset[str]] = lambda word: frozenset(),
                    ordinary: Callable[[str], bool] = lambda word: False, generic: Iterable[str] = ()) -> None:
        """Index every alias of `lexicon` (its language's names, its own names, demonyms);
        bare institution names (`lexicon.generic_forms`) are left to the resolver. An alias
        word is reached by its key form and by its `inflections` (the cases of a name written
        in the nominative). The first word of a longer alias may be written in lower case when
        it is an ordinary word or a capitalised word follows ("министерство здравоохранения
        ...", "минобороны России"), as running text often does.
        `generic` names (bare institutions: "администрация президента") become organisations
        without a key, for the resolver to give the country the document makes clear."""
        self.root = _Node()
        self.forms = forms
        entries = [(alias, actor.key, LABEL_FOR_CATEGORY[actor.category]) for actor in lexicon.actors.values()
                   for alias in lexicon.forms_of(actor) if lexicon.normalise(alias) not in lexicon.generic_forms]
        entries += [(name, "", "ORG") for name in generic]  # keyless: the resolver finds the country
        for alias, key, label in entries:
            words = [token.text for token in self.nlp.make_doc(alias)]
            node = self.root
            for position, word in enumerate(words):
                case = _case(word)
                if position == 0 and case == "title" and (
                        len(words) > 1 and (ordinary(word) or any(w[:1].isupper() for w in words[1:]))):
                    case = None  # "министерство здравоохранения ...", "минобороны России"
                form = key_form(word)
                child = node.children.setdefault(form, _Node(case=case))
                for other in inflections(word):
                    node.children.setdefault(other, child)
                if child.case != case:  # aliases disagree: the laxer rule
                    child.case = None if None in (child.case, case) else "title"
                node = child
            if node.key is None:
                node.key, node.label = key, label

    def _longest(self, words: list[str], forms: list[frozenset[str]], begin: int) -> tuple[int, _Node] | None:
        best: tuple[int, _Node] | None = None
        stack = [(begin, self.root)]
        while stack:
            position, node = stack.pop()
            if node.key is not None and position > begin and (best is None or position > best[0]):
                best = (position, node)
            if position == len(words):
                continue
            for form in forms[position]:
                child = node.children.get(form)
                if child is not None and _case_ok(child.case, words[position]):
                    stack.append((position + 1, child))
        return best

    def __call__(self, doc: Doc) -> Doc:
        words = [token.text for token in doc]
        forms = [self.forms(word) for word in words]
        spans = []
        position = 0
        while position < len(words):
            found = self._longest(words, forms, position) if forms[position] else None
            if found is None:
                position += 1
                continue
            end, node = found
            span = Span(doc, position, end, label=node.label, span_id=node.key) if node.key else Span(
                doc, position, end, label=node.label)
            spans.append(span)
            position = end
        doc.ents = spans
        return doc


@Language.factory(LEXICON_RULER)
def make_lexicon_ruler(nlp: Language, name: str) -> LexiconRuler:
    return LexiconRuler(nlp, name)
