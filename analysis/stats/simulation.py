"""Corpora drawn from a known model, to check that intervals cover the truth they claim to.

Two actors, a and b, in documents of equal length. Each document has its own rate multiplier
(coverage is clustered: some articles are about a and b, some barely mention them), so
sentences of one document are correlated, as in real news. In a sentence, a and b appear
together with probability ``joint * m``; otherwise each appears on its own with probability
``a_rate * m`` and ``b_rate * m``. The population value of a measure is the measure of the
expected proportions, which the corpus estimate approaches as documents are added.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.schema import MENTION_COLUMNS, SENTENCE_COLUMNS, conform
from analysis.stats.measures import measure as registered_measure


@dataclass(frozen=True)
class TwoActorModel:
    """The generating model; `multipliers` are equally likely per document."""

    sentences_per_document: int = 10
    joint: float = 0.05
    a_rate: float = 0.15
    b_rate: float = 0.10
    multipliers: tuple[float, ...] = (0.5, 1.5)

    def proportions(self) -> tuple[float, float, float]:
        """Expected share of sentences with both, with a, with b."""
        m = np.asarray(self.multipliers, dtype=np.float64)
        alone = 1 - self.joint * m
        both = self.joint * m + alone * (self.a_rate * m) * (self.b_rate * m)
        with_a = self.joint * m + alone * self.a_rate * m
        with_b = self.joint * m + alone * self.b_rate * m
        return float(both.mean()), float(with_a.mean()), float(with_b.mean())

    def true_value(self, measure: str) -> float:
        """The population value of a registered measure (sentence unit)."""
        both, with_a, with_b = self.proportions()
        return float(registered_measure(measure).function(both, with_a, with_b, 1.0))

    def draw(self, n_documents: int, seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
        """A corpus as (mentions, sentences) tables, seeded."""
        rng = np.random.default_rng(seed)
        per_doc = self.sentences_per_document
        multiplier = rng.choice(np.asarray(self.multipliers), n_documents)[:, None]
        joint = rng.random((n_documents, per_doc)) < self.joint * multiplier
        has_a = joint | (rng.random((n_documents, per_doc)) < self.a_rate * multiplier)
        has_b = joint | (rng.random((n_documents, per_doc)) < self.b_rate * multiplier)
        doc_ids = np.array([f"doc{i:06d}" for i in range(n_documents)], dtype=object)
        doc = np.repeat(np.arange(n_documents), per_doc)
        sentence = np.tile(np.arange(per_doc), n_documents)
        sentences = conform(
            pd.DataFrame({"doc_id": doc_ids[doc], "paragraph": 0, "sentence": sentence,
                          "start": sentence * 100, "end": sentence * 100 + 90}),
            SENTENCE_COLUMNS,
        )
        frames = []
        for key, present, offset in (("a", has_a.ravel(), 0), ("b", has_b.ravel(), 10)):
            rows = np.flatnonzero(present)
            frames.append(pd.DataFrame({
                "doc_id": doc_ids[doc[rows]], "paragraph": 0, "sentence": sentence[rows],
                "start": sentence[rows] * 100 + offset, "end": sentence[rows] * 100 + offset + 5,
                "text": key.upper(), "kind": "actor", "label": "PERSON", "key": key, "name": key.upper(),
                "category": "person", "affiliation": None,
            }))
        return conform(pd.concat(frames, ignore_index=True), MENTION_COLUMNS), sentences


def draw_groups(models: dict[str, TwoActorModel], documents_per_group: int,
                seed: int) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """A corpus of several groups of documents (outlet groups, languages), each drawn from its
    own model: (documents with doc_id and source_group, mentions, sentences), seeded."""
    documents, mentions, sentences = [], [], []
    for number, (group, model) in enumerate(models.items()):
        m, s = model.draw(documents_per_group, seed=seed * 1000 + number)
        prefix = f"g{number}-"
        mentions.append(m.assign(doc_id=prefix + m["doc_id"].astype(str)))
        sentences.append(s.assign(doc_id=prefix + s["doc_id"].astype(str)))
        ids = sorted(set(sentences[-1]["doc_id"]))
        documents.append(pd.DataFrame({"doc_id": ids, "source_group": group}))
    return (pd.concat(documents, ignore_index=True).astype("string"),
            conform(pd.concat(mentions, ignore_index=True), MENTION_COLUMNS),
            conform(pd.concat(sentences, ignore_index=True), SENTENCE_COLUMNS))
