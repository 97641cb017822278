"""A spaCy component running slovnet's Russian news NER (persons, places, organisations).

The model and the navec news embeddings it reads ship inside the natasha wheel
(`natasha/data/`); they are loaded from there by path, without importing natasha itself
(whose morphology builds a pymorphy2 analyser, which fails on Python 3.11). Nothing is
downloaded.
Entities another component already set (the lexicon ruler) are kept; slovnet's spans add
only where they overlap none of them.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import filter_spans, minibatch

SLOVNET_NER = "slovnet_ner"
LABELS = {"PER": "PERSON", "LOC": "GPE", "ORG": "ORG"}
NER_MODEL = "model/slovnet_ner_news_v1.tar"
EMBEDDINGS = "emb/navec_news_v1_1B_250K_300d_100q.tar"
# paragraphs per slovnet batch: 64 runs about twice as fast as slovnet's default of 8, with the
# same spans (padding is masked; checked on paragraphs of mixed lengths)
NER_BATCH = 64


def natasha_data() -> Path:
    """The folder of models inside the installed natasha distribution (not imported)."""
    spec = importlib.util.find_spec("natasha")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("the Russian pipeline needs the natasha package (pip install natasha==1.6.0)")
    return Path(next(iter(spec.submodule_search_locations))) / "data"


@lru_cache(maxsize=1)
def load_ner():
    """slovnet's NER with its embeddings, once per process (about 0.6 s)."""
    from navec import Navec
    from slovnet import NER

    data = natasha_data()
    ner = NER.load(str(data / NER_MODEL), batch_size=NER_BATCH)
    ner.navec(Navec.load(str(data / EMBEDDINGS)))
    return ner


class SlovnetNER:
    """spaCy component: slovnet's spans as `doc.ents`, after any entities already set."""

    def __init__(self, nlp: Language, name: str = SLOVNET_NER, batch_size: int = 64):
        self.name = name
        self.batch_size = batch_size

    def __call__(self, doc: Doc) -> Doc:
        return next(iter(self.pipe([doc])))

    def pipe(self, docs: Iterable[Doc], batch_size: int | None = None) -> Iterator[Doc]:
        ner = load_ner()
        for batch in minibatch(docs, batch_size or self.batch_size):
            docs_batch = list(batch)
            for doc, markup in zip(docs_batch, ner.map([doc.text for doc in docs_batch]), strict=True):
                yield self._set(doc, markup.spans)

    @staticmethod
    def _set(doc: Doc, spans) -> Doc:
        kept = list(doc.ents)
        taken = {token.i for ent in kept for token in ent}
        found = []
        for span in spans:
            piece = doc.char_span(span.start, span.stop, label=LABELS.get(span.type, span.type),
                                  alignment_mode="expand")
            if piece is not None and not any(token.i in taken for token in piece):
                found.append(piece)
        doc.ents = sorted(kept + filter_spans(found), key=lambda ent: ent.start)
        return doc


@Language.factory(SLOVNET_NER)
def make_slovnet_ner(nlp: Language, name: str) -> SlovnetNER:
    return SlovnetNER(nlp, name)
