"""One row per actor key of an annotated corpus: what linking compares.

Linking never needs the mentions themselves, only how often each key is written each way:
`ActorCounts` holds, per distinct (key, name, category, affiliation, written form), how many
mentions and how many spaCy FAC labels it has, and per key its number of documents. It is
counted a cache part at a time (whole documents each) and the parts' counts add up, so a
corpus too large for memory is summarised without holding it, and the summary does not depend
on how the corpus was cut into parts. Everything per name (gender, facility words) is then
decided once per distinct written form, never per mention.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa

from analysis.corpus.detect import script_language
from analysis.lang.registry import get_language
from analysis.link.facilities import is_facility_name


def surname_gender(surface: str) -> str:
    """What one written form of a person's name says about gender ("f", "m" or ""), in the
    language its script says (`LanguageDefaults.gender_of`: Russian surnames show it)."""
    words = surface.split()
    return get_language(script_language(surface)).gender_of(words[-1]) if words else ""


ACTOR_COLUMNS = ["key", "name", "category", "affiliation", "mentions", "documents", "gender_forms",
                 "facility_mentions"]
FORM_COLUMNS = ["key", "name", "category", "affiliation", "text"]
# the columns of the mentions table the counts read
COUNTED_COLUMNS = ["doc_id", "kind", "label", *FORM_COLUMNS]


_STRINGS = {pa.string(): pd.StringDtype("pyarrow"), pa.large_string(): pd.StringDtype("pyarrow")}


def _arrow(column: pd.Series) -> pa.Array:
    """A column of strings as Arrow strings (no copy when it is one already)."""
    return pa.array(column.astype(pd.StringDtype("pyarrow")).array)


def _pandas(column: pa.ChunkedArray) -> pd.Index:
    return pd.Index(column.to_pandas(types_mapper=_STRINGS.get))


@dataclass(frozen=True)
class ActorCounts:
    """`forms`: FORM_COLUMNS, `n` (mentions) and `fac` (of them labelled FAC), one row per
    distinct form; `documents`: documents per key (a Series indexed by key)."""

    forms: pd.DataFrame
    documents: pd.Series

    @classmethod
    def of(cls, mentions: pd.DataFrame, document: str = "doc_id", copies: pd.Series | None = None) -> ActorCounts:
        """The counts of one mentions table (whole documents), `document` naming each row's
        document. `copies`: how many documents each one stands for (the annotation cache holds a
        text once, however many documents have it), by the values of `document`; one if None.
        Counted in Arrow (one hash aggregation over the rows), as the rows are Arrow strings."""
        actors = mentions.loc[(mentions["kind"] == "actor").fillna(False).to_numpy(),
                              [document, "label", *FORM_COLUMNS]]
        weight = (np.ones(len(actors), dtype="int64") if copies is None
                  else actors[document].map(copies).fillna(1).to_numpy(dtype="int64"))
        fac = (actors["label"] == "FAC").fillna(False).to_numpy()
        table = pa.table({"document": _arrow(actors[document]), "w": weight, "fac": weight * fac,
                          **{column: _arrow(actors[column]) for column in FORM_COLUMNS}})
        forms = table.group_by(FORM_COLUMNS, use_threads=False).aggregate([("w", "sum"), ("fac", "sum")])
        forms = forms.select([*FORM_COLUMNS, "w_sum", "fac_sum"]).rename_columns([*FORM_COLUMNS, "n", "fac"])
        per_document = table.group_by(["key", "document"], use_threads=False).aggregate([("w", "max")])
        documents = per_document.group_by("key", use_threads=False).aggregate([("w_max", "sum")])
        documents = pd.Series(documents["w_max_sum"].to_numpy(), index=_pandas(documents["key"]), name="documents")
        return cls(forms.to_pandas(types_mapper=_STRINGS.get), documents[documents.index.notna()])

    @classmethod
    def combine(cls, parts: list[ActorCounts]) -> ActorCounts:
        """The counts of several tables with no document in two of them: counts add up."""
        parts = [part for part in parts if len(part.forms)]
        if len(parts) == 1:
            return parts[0]
        if not parts:
            return cls.of(pd.DataFrame({column: pd.Series(dtype="string") for column in COUNTED_COLUMNS}))
        forms = (pd.concat([part.forms for part in parts], ignore_index=True)
                 .groupby(FORM_COLUMNS, dropna=False, sort=False)[["n", "fac"]].sum().reset_index())
        documents = pd.concat([part.documents for part in parts]).groupby(level=0, sort=False).sum()
        return cls(forms, documents)


def _most_frequent(forms: pd.DataFrame, column: str) -> pd.Series:
    """Per key, the value of `column` with most mentions (ties: the smallest value)."""
    counts = forms.dropna(subset=[column]).groupby(["key", column], sort=False)["n"].sum().reset_index()
    counts = counts.sort_values(["key", "n", column], ascending=[True, False, True])
    return counts.drop_duplicates("key").set_index("key")[column]


def summarise(counts: ActorCounts) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The actor summary (ACTOR_COLUMNS: per key its most frequent name, category and
    affiliation, mentions, documents, for persons the genders their written surnames show
    ("fm" letters seen), mentions written as a facility) and the keys spaCy labelled FAC
    somewhere (key, label)."""
    forms = counts.forms
    if forms.empty:
        empty = pd.DataFrame({column: pd.Series(dtype="object") for column in ACTOR_COLUMNS})
        return empty, pd.DataFrame({"key": pd.Series(dtype="object"), "label": pd.Series(dtype="object")})
    table = pd.DataFrame({"mentions": forms.groupby("key", sort=True)["n"].sum()})
    table["documents"] = counts.documents.reindex(table.index)
    for column in ("name", "category", "affiliation"):
        table[column] = _most_frequent(forms, column)
    texts = forms["text"].astype(str)
    persons = forms["category"] == "person"
    # each distinct written form once: a name's gender and facility word do not change per mention
    person_texts = texts[persons.fillna(False).to_numpy()]
    genders = person_texts.map(dict(zip(uniques := person_texts.unique(), map(surname_gender, uniques),
                                         strict=True)))
    table["gender_forms"] = genders.groupby(forms.loc[genders.index, "key"]).agg(
        lambda g: "".join(sorted(set(g) - {""})))
    table["gender_forms"] = table["gender_forms"].fillna("")
    places = forms["category"].isin(("place", "organization")).fillna(False).to_numpy()
    place_texts = texts[places]
    written = place_texts.map(dict(zip(uniques := place_texts.unique(), map(is_facility_name, uniques),
                                       strict=True)))
    facility = forms.loc[places, "n"].where(written, 0)
    table["facility_mentions"] = facility.groupby(forms.loc[places, "key"]).sum().reindex(
        table.index, fill_value=0).astype(int)
    labelled = forms.loc[forms["fac"] > 0, "key"].drop_duplicates()
    labels = pd.DataFrame({"key": labelled.to_numpy(), "label": "FAC"})
    return table.reset_index(names="key")[ACTOR_COLUMNS], labels


def actor_summary(mentions: pd.DataFrame) -> pd.DataFrame:
    """The actor summary of one mentions table (see `summarise`)."""
    return summarise(ActorCounts.of(mentions))[0]
