"""Corpus-level actor identity: which keys of an annotated corpus name one actor.

Annotation resolves names within a document; across documents and languages one person
still has several keys ("kamchy-kolbaev", "kamchybek-kolbayev", "колбаев"). Linking works on
the actor summary (one row per key, `analysis.link.actors`), in named steps:

1. *facilities*: places and organisations named like facilities get their own category;
2. *the user's `same` groups* are joined first, whatever the rules say;
3. *blocking*: persons by their surname's skeleton (`analysis.link.names`), other actors by
   their whole name's skeleton, always within one category;
4. *automatic merges*, safe ones only: full names whose given names agree (equal, an
   initial, a short form) and whose genders agree; then a surname alone, or a given name with
   a patronymic ("Касым-Жомарт Кемелевич"), to the one full name it can mean in the corpus;
5. *candidates* not merged: surnames within a small spelling distance, a surname that could
   mean several people; listed for review with their score;
6. *canonical key and name*: a lexicon key keeps its key and name; otherwise the most
   frequent full name, Latin where there is one, so English and Russian coverage pool.

No merge joins two lexicon actors, keys the user called `different`, different categories,
conflicting given names or conflicting genders.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from rapidfuzz.distance import JaroWinkler
from rapidfuzz.process import cdist

from analysis.link.facilities import facility_keys
from analysis.link.merges import Decisions
from analysis.link.names import (
    PersonName,
    genders_agree,
    given_names_agree,
    is_cyrillic,
    name_skeleton,
    person_name,
)

LINK_COLUMNS = ["key", "linked", "name", "category", "rule", "score"]
CANDIDATE_COLUMNS = ["key", "other", "score", "reason"]
# surnames this similar (Jaro-Winkler over skeletons) are proposed for review, never merged
CANDIDATE_SIMILARITY = 0.9
MIN_CANDIDATE_LENGTH = 5  # shorter surnames are too alike by chance ("Li", "Kim")
MAX_BLOCK = 400  # surnames compared pairwise in one prefix block, the most mentioned first


@dataclass
class Links:
    """The outcome: each key's linked key (`table`, one row per key, rule `self` when it
    stays), and the candidates not merged (`candidates`)."""

    table: pd.DataFrame
    candidates: pd.DataFrame
    decisions: Decisions = field(default_factory=Decisions)

    def key_map(self) -> dict[str, str]:
        changed = self.table[self.table["key"] != self.table["linked"]]
        return dict(zip(changed["key"], changed["linked"], strict=True))


class _Groups:
    """Union-find over keys that refuses a union that would break a constraint."""

    def __init__(self, keys: Iterable[str], protected: frozenset[str], different: Iterable[tuple[str, ...]],
                 persons: dict[str, PersonName]):
        self.parent = {key: key for key in keys}
        self.members = {key: {key} for key in self.parent}
        self.protected = protected
        # per group, its members' distinct (given names, gender): what a union must agree with
        self.signatures = {key: {(persons[key].given, persons[key].gender)} if key in persons else set()
                           for key in self.parent}
        self.apart: dict[str, set[str]] = defaultdict(set)
        for group in different:
            for a in group:
                for b in group:
                    if a != b:
                        self.apart[a].add(b)

    def find(self, key: str) -> str:
        while self.parent[key] != key:
            self.parent[key] = self.parent[self.parent[key]]
            key = self.parent[key]
        return key

    def allowed(self, a: str, b: str) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        left, right = self.members[ra], self.members[rb]
        if len((left | right) & self.protected) > 1:
            return False
        if any(self.apart[x] & right for x in left):
            return False
        for given_x, gender_x in self.signatures[ra]:
            for given_y, gender_y in self.signatures[rb]:
                if not (given_names_agree(given_x, given_y) and genders_agree(gender_x, gender_y)):
                    return False
        return True

    def union(self, a: str, b: str, force: bool = False) -> bool:
        if a not in self.parent or b not in self.parent or (not force and not self.allowed(a, b)):
            return False
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[rb] = ra
            self.members[ra] |= self.members.pop(rb)
            self.signatures[ra] |= self.signatures.pop(rb)
        return True


def _person_names(actors: pd.DataFrame) -> dict[str, PersonName]:
    """Each person's parsed name, the gender taken from the surnames as written where the
    script shows it (Russian), else from the display name."""
    out = {}
    persons = actors[actors["category"] == "person"]
    for key, name, forms in zip(persons["key"], persons["name"], persons["gender_forms"], strict=True):
        parsed = person_name(str(name))
        if parsed is None:
            continue
        if is_cyrillic(str(name)) and not parsed.patronymic_only:  # a patronymic shows the gender
            # "Азиза Батукаева" is a woman or a man's genitive: only a form that shows it decides
            gender = forms if forms in ("f", "m") else None
            parsed = PersonName(parsed.given, parsed.surname, gender)
        out[key] = parsed
    return out


def _merge_persons(groups: _Groups, persons: dict[str, PersonName], weight: dict[str, int],
                   rules: dict[str, tuple[str, float]]) -> list[tuple[str, str, float, str]]:
    """Steps 4 and 5 for persons; returns the candidates not merged."""
    blocks: dict[str, list[str]] = defaultdict(list)
    for key, name in persons.items():
        if not name.patronymic_only:
            blocks[name.surname].append(key)
    candidates = []
    for keys in blocks.values():
        keys.sort(key=lambda k: (-weight[k], k))
        full = [k for k in keys if persons[k].full]
        for i, a in enumerate(full):
            for b in full[i + 1:]:
                pa, pb = persons[a], persons[b]
                if given_names_agree(pa.given, pb.given) and genders_agree(pa.gender, pb.gender):
                    if groups.union(a, b):
                        for key in (a, b):
                            rules.setdefault(key, ("spelling or transliteration variant", 1.0))
                    else:
                        candidates.append((b, a, 0.9, "same name, kept apart by a conflict in its group"))
        for alone in (k for k in keys if not persons[k].full):
            meanings = {groups.find(k) for k in full if genders_agree(persons[k].gender, persons[alone].gender)}
            if len(meanings) == 1:
                target = next(iter(meanings))
                if groups.union(target, alone):
                    rules[alone] = ("surname alone, one full name in the corpus", 0.95)
            elif len(meanings) > 1:
                candidates.extend((alone, root, round(1 / len(meanings), 2), "surname alone, several full names")
                                  for root in sorted(meanings))
    # a given name with a patronymic ("Касым-Жомарт Кемелевич") to the one full name in the corpus
    # with that given name, as a surname alone is; several: listed
    full_names = sorted((k for k, name in persons.items() if name.full), key=lambda k: (-weight[k], k))
    for addressed in sorted(k for k, name in persons.items() if name.patronymic_only):
        given, gender = persons[addressed].given, persons[addressed].gender
        meanings = {groups.find(k) for k in full_names
                    if len(persons[k].given) >= len(given) and given_names_agree(persons[k].given, given)
                    and genders_agree(persons[k].gender, gender)}
        if len(meanings) == 1:
            if groups.union(next(iter(meanings)), addressed):
                rules[addressed] = ("given name and patronymic, one full name in the corpus", 0.95)
        elif len(meanings) > 1:
            candidates.extend((addressed, root, round(1 / len(meanings), 2),
                               "given name and patronymic, several full names") for root in sorted(meanings))
    # near spellings of a surname: proposed, never merged
    by_prefix: dict[str, list[str]] = defaultdict(list)
    for surname in blocks:
        if len(surname) >= MIN_CANDIDATE_LENGTH:
            by_prefix[surname[:2]].append(surname)
    for surnames in by_prefix.values():
        surnames = sorted(surnames, key=lambda s: -sum(weight[k] for k in blocks[s]))[:MAX_BLOCK]
        if len(surnames) < 2:
            continue
        scores = cdist(surnames, surnames, scorer=JaroWinkler.similarity, score_cutoff=CANDIDATE_SIMILARITY)
        for i, j in zip(*np.nonzero(np.triu(scores, k=1)), strict=True):
            x, y, score = surnames[i], surnames[j], float(scores[i, j])
            for a in blocks[x]:
                for b in blocks[y]:
                    pa, pb = persons[a], persons[b]
                    if groups.find(a) != groups.find(b) and given_names_agree(pa.given, pb.given):
                        small, large = sorted((a, b), key=lambda k: (weight[k], k))
                        candidates.append((small, large, round(score, 3), "similar surname"))
    return candidates


def _merge_others(groups: _Groups, actors: pd.DataFrame, rules: dict[str, tuple[str, float]]) -> None:
    """Organisations, countries, places and facilities: one key per spelling of one name."""
    others = actors[actors["category"] != "person"]
    blocks: dict[tuple[str, str], list[str]] = defaultdict(list)
    for key, name, category in zip(others["key"], others["name"], others["category"], strict=True):
        skeleton = name_skeleton(str(name))
        if skeleton:
            blocks[(category, skeleton)].append(key)
    for keys in blocks.values():
        for other in keys[1:]:
            if groups.union(keys[0], other):
                for key in (keys[0], other):
                    rules.setdefault(key, ("spelling or transliteration variant", 1.0))


def _canonical(members: set[str], names: dict[str, str], weight: dict[str, int], protected: frozenset[str],
               kept: dict[str, int]) -> str:
    """The key a group is known by: the user's first key, else its lexicon key, else the most
    mentioned full name, Latin first."""
    chosen = [k for k in members if k in kept]
    if chosen:
        return min(chosen, key=lambda k: kept[k])
    lexicon = sorted(members & protected)
    if lexicon:
        return lexicon[0]
    return min(members, key=lambda k: (len(names[k].split()) < 2, is_cyrillic(names[k]), -weight[k], k))


def link_actors(actors: pd.DataFrame, protected: Iterable[str] = (), decisions: Decisions | None = None,
                labels: pd.DataFrame | None = None) -> Links:
    """Decide each key's linked key (see the module docstring). `actors`: the summary of
    `analysis.link.actors.actor_summary`; `protected`: lexicon keys; `labels`: key and spaCy
    label per key, for FAC."""
    decisions = decisions or Decisions()
    protected = frozenset(protected)
    actors = actors.drop_duplicates("key").copy()
    facilities = facility_keys(actors, labels)
    actors.loc[actors["key"].isin(facilities), "category"] = "facility"
    names = dict(zip(actors["key"], actors["name"].astype(str), strict=True))
    categories = dict(zip(actors["key"], actors["category"].astype(str), strict=True))
    weight = dict(zip(actors["key"], actors["mentions"].astype(int), strict=True))
    persons = _person_names(actors)
    groups = _Groups(actors["key"], protected, decisions.different, persons)
    rules: dict[str, tuple[str, float]] = {}
    kept: dict[str, int] = {}
    for order, group in enumerate(decisions.same):
        present = [key for key in group if key in groups.parent]
        if present:
            kept.setdefault(present[0], order)
        for other in present[1:]:
            groups.union(present[0], other, force=True)
            rules[other] = ("the user's decision (same)", 1.0)
    candidates = _merge_persons(groups, persons, weight, rules)
    _merge_others(groups, actors, rules)

    rows = []
    for members in groups.members.values():
        canonical = _canonical(members, names, weight, protected, kept)
        name = decisions.names.get(canonical, names[canonical])
        category = decisions.categories.get(canonical, categories[canonical])
        for key in sorted(members):
            rule, score = ("self", 1.0) if key == canonical else rules.get(key, ("joined through its group", 1.0))
            rows.append((key, canonical, name, category, rule, score))
    table = pd.DataFrame(rows, columns=LINK_COLUMNS).sort_values("key").reset_index(drop=True)
    candidate_table = pd.DataFrame(candidates, columns=CANDIDATE_COLUMNS).drop_duplicates(["key", "other"])
    linked = dict(zip(table["key"], table["linked"], strict=True))
    candidate_table = candidate_table[candidate_table["key"].map(linked) != candidate_table["other"].map(linked)]
    return Links(table, candidate_table.reset_index(drop=True), decisions)


_ARROW_STRING = pd.StringDtype("pyarrow")  # the mentions table's strings (analysis.schema)


def _replaced(column: pd.Series, rows: np.ndarray, values: pd.Series) -> pd.Series:
    """`column` with row i set to values[rows[i]] where rows[i] >= 0: the small table of
    values is taken along the row positions and chosen per row in one vectorised step (Arrow's
    if_else for Arrow strings), never a Python loop or string map over the mentions."""
    change = rows >= 0
    if column.dtype == _ARROW_STRING:
        taken = pd.array(values.to_numpy(dtype=object), dtype=column.dtype).take(np.maximum(rows, 0))
        chosen = pc.if_else(pa.array(change), pa.array(taken), pa.array(column.array))
        return pd.Series(pd.arrays.ArrowStringArray(chosen), index=column.index, name=column.name)
    out = column.to_numpy(dtype=object, na_value=None)
    out[change] = values.to_numpy(dtype=object)[rows[change]]
    return pd.Series(pd.array(out, dtype=column.dtype), index=column.index, name=column.name)


def apply_links(mentions: pd.DataFrame, links: Links) -> pd.DataFrame:
    """`mentions` with every actor row under its linked key, name and category (themes as
    they were): the one place the user's decisions reach the tables. Each distinct key is
    looked up once (a recode of the key's codes), then the values are spread to the rows."""
    if mentions.empty or links.table.empty:
        return mentions
    codes, uniques = pd.factorize(mentions["key"])
    if not len(uniques):
        return mentions
    position = links.table.set_index("key").index.get_indexer(uniques)  # -1: a key linking did not see
    rows = np.where(codes >= 0, position[codes], -1)
    rows[(mentions["kind"] != "actor").fillna(True).to_numpy()] = -1
    if not (rows >= 0).any():
        return mentions
    out = mentions.copy(deep=False)
    for column, target in (("linked", "key"), ("name", "name"), ("category", "category")):
        out[target] = _replaced(mentions[target], rows, links.table[column])
    return out
