"""One row per actor key of a mentions table: what linking compares.

Built from each cache part and combined, so a corpus too large for memory is summarised a
part at a time; linking then needs only this table (one row per key), never the mentions.
"""

from __future__ import annotations

import pandas as pd

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
def actor_summary(mentions: pd.DataFrame) -> pd.DataFrame:
    """Per actor key: most frequent name, category and affiliation, mentions, documents, for
    Cyrillic persons the genders their written surnames show ("fm" letters seen), and how many
    mentions are written as a facility. Computed on the distinct (key, name, category,
    affiliation, written form) rows, a small fraction of the mentions."""
    actors = mentions.loc[mentions["kind"] == "actor", ["doc_id", "key", "name", "category", "affiliation", "text"]]
    if actors.empty:
        return pd.DataFrame({column: pd.Series(dtype="object") for column in ACTOR_COLUMNS})
    documents = actors.groupby("key", sort=True)["doc_id"].nunique()
    forms = (actors.groupby(["key", "name", "category", "affiliation", "text"], dropna=False, sort=False)
             .size().rename("n").reset_index())

    def most_frequent(column: str) -> pd.Series:
        counts = forms.dropna(subset=[column]).groupby(["key", column], sort=False)["n"].sum().reset_index()
        counts = counts.sort_values(["key", "n", column], ascending=[True, False, True])
        return counts.drop_duplicates("key").set_index("key")[column]

    table = pd.DataFrame({"mentions": forms.groupby("key", sort=True)["n"].sum(), "documents": documents})
    for column in ("name", "category", "affiliation"):
        table[column] = most_frequent(column)
    texts = forms["text"].astype(str)
    persons = forms[forms["category"] == "person"]
    genders = persons.assign(g=texts[persons.index].map(surname_gender))
    table["gender_forms"] = genders.groupby("key")["g"].agg(lambda g: "".join(sorted(set(g) - {""})))
    table["gender_forms"] = table["gender_forms"].fillna("")
    # mentions written as a facility ("the Kumtor gold mine"), whatever the key's own name
    places = forms[forms["category"].isin(("place", "organization"))]
    facility = places["n"].where(places["text"].astype(str).map(is_facility_name), 0)
    table["facility_mentions"] = facility.groupby(places["key"]).sum().reindex(table.index, fill_value=0).astype(int)
    return table.reset_index(names="key")[ACTOR_COLUMNS]


def combine_summaries(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """The summary of several parts (whole documents each): mentions and documents add up,
    the name of the part with most mentions stands, genders seen are pooled."""
    parts = [part for part in parts if len(part)]
    if not parts:
        return pd.DataFrame({column: pd.Series(dtype="object") for column in ACTOR_COLUMNS})
    if len(parts) == 1:
        return parts[0]
    table = pd.concat(parts, ignore_index=True).sort_values(["key", "mentions"], ascending=[True, False])
    grouped = table.groupby("key", sort=True)
    out = grouped[["name", "category", "affiliation"]].first()
    out["mentions"] = grouped["mentions"].sum()
    out["documents"] = grouped["documents"].sum()
    out["gender_forms"] = grouped["gender_forms"].agg(lambda g: "".join(sorted(set("".join(g)))))
    out["facility_mentions"] = grouped["facility_mentions"].sum()
    return out.reset_index()[ACTOR_COLUMNS]
