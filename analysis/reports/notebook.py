"""What the report notebooks call: parameter checks with clear messages, the actor profile
helpers and HTML for evidence, so that notebooks stay free of logic."""

from __future__ import annotations

import ast
import dataclasses
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from IPython.display import HTML

from analysis import parameters as parameter_table
from analysis.corpus.stories import DEFAULT_THRESHOLD
from analysis.corpus.subset import SELECTION_PARAMETERS, TEXT_POSITION
from analysis.parameters import ParameterError
from analysis.reports import network
from analysis.reports.presentation import (
    NO_SOURCE,
    document_index,
    document_labels,
    evidence_anchor,
    mark_label,
    network_view,
    note,
    passages_block,
)
from analysis.stats import cooccurrence, ranking
from analysis.stats.counts import document_actor_matrix
from analysis.stats.measures import MEASURES
from analysis.stats.selection import select_mentions
from analysis.workflow import AnnotatedCorpus, load_annotated_corpus, project_path

MAX_TABLE_ROWS = 25
# Below this many documents a report says its numbers describe the corpus, not coverage at large.
SMALL_CORPUS_DOCUMENTS = 30
# papermill's injected-parameters cell starts with this comment (papermill.translators.codify)
INJECTED_CELL_MARKER = "# Parameters"


def injected_names(history: Sequence[str]) -> set[str]:
    """Names assigned by the last papermill injected-parameters cell in a kernel's input
    history (`In`): papermill injects any name it is given, declared or not, and only warns."""
    for source in reversed(history):
        if isinstance(source, str) and source.lstrip().startswith(INJECTED_CELL_MARKER):
            try:
                tree = ast.parse(source)
            except SyntaxError:
                return set()
            return {
                target.id
                for node in tree.body if isinstance(node, ast.Assign)
                for target in node.targets if isinstance(target, ast.Name)
            }
    return set()


def _kernel_history() -> list[str]:
    """The input history of the running IPython kernel; empty outside IPython."""
    from IPython import get_ipython

    shell = get_ipython()
    return list(shell.user_ns.get("In", [])) if shell is not None else []


def check_injected(declared: Iterable[str], history: Sequence[str] | None = None) -> None:
    """Fail when papermill injected a parameter the notebook does not declare (a typo such as
    `unitt` would otherwise leave the default in force while the caller believes it applied)."""
    accepted = sorted(declared)
    unknown = sorted(injected_names(_kernel_history() if history is None else history) - set(accepted))
    if unknown:
        raise ParameterError(
            f"unknown parameter(s) {unknown} given to this notebook (injected by papermill); "
            f"it accepts {accepted}"
        )


_PATHS = {"corpus": Path.exists, "lexicon": Path.exists, "themes": Path.exists, "gold": Path.is_file,
          "theme_gold": Path.is_file, "merges": Path.is_file}


def check_parameters(**parameters: object) -> dict:
    """Validate the notebook parameters that are given; returns them, normalised. Every
    notebook passes all the names of its parameters cell, so any other name papermill
    injected is an error (`check_injected`). The rules are those of `analysis.parameters`, so
    a notebook refuses a bad value with the same message as the command line; paths are
    relative to the project root."""
    check_injected(parameters)
    checked = dict(parameters)
    for name, value in parameters.items():
        if name not in parameter_table.TABLE:
            raise ParameterError(f"unknown parameter {name!r}")
        checked[name] = parameter_table.check(name, value)
        if name in _PATHS and value is not None:
            path = project_path(value)
            if not _PATHS[name](path):
                raise parameter_table.TABLE[name].fail(value)
            checked[name] = str(path)
    if checked.get("start") is not None and checked.get("end") is not None and checked["start"] > checked["end"]:
        raise ParameterError(f"parameter 'start' ({parameters['start']}) is after 'end' ({parameters['end']})")
    return checked


def rounded(frame: pd.DataFrame, digits: int = 3) -> pd.DataFrame:
    """Float columns rounded for display (the full precision stays in the data)."""
    floats = frame.select_dtypes("float").columns
    return frame.assign(**{column: frame[column].round(digits) for column in floats})


def pair_view(pairs: pd.DataFrame, measure: str = "count", rows: int = MAX_TABLE_ROWS,
              units: str = "units") -> pd.DataFrame:
    """A pair table as a reader wants it: names, support, the chosen measure with its interval,
    q-value, ranked 1..n; a pair resting on one document is marked as such."""
    shown = pairs.head(rows)
    columns = {"a_name": "actor", "b_name": "with", "documents": "documents", "count": units,
               "expected": "expected"}
    columns.setdefault(measure, measure)
    for end in ("low", "high"):
        if f"{measure}_{end}" in shown.columns:
            columns[f"{measure}_{end}"] = f"{measure} {end}"
    for extra in ("npmi", "llr", "q_value"):
        columns.setdefault(extra, "q" if extra == "q_value" else extra)
    if "languages" in shown.columns:  # a corpus in several languages: which coverage carries the pair
        columns = {**dict(list(columns.items())[:3]), "languages": "languages", **dict(list(columns.items())[3:])}
    view = rounded(shown[list(columns)].rename(columns=columns))
    documents = shown["documents"].to_numpy()
    view.insert(2, "support", np.where(documents == 1, "one document only", [f"{n} documents" for n in documents]))
    view.index = pd.RangeIndex(1, len(view) + 1, name="rank")
    return view


def ranking_note(pairs: pd.DataFrame, shown: int, measure: str, level: float | None = None) -> HTML:
    """The ranking rule in a sentence, that the table holds every pair with the first `shown`
    (the report's top_n) on its first page, and how many pairs tie with the last of those."""
    with_interval = f"{measure}_low" in pairs.columns
    text = ranking.rule(measure, with_interval, level)
    kept = min(shown, len(pairs))
    text += (f" The table holds all {len(pairs)} pairs: the first {kept} are shown first (the page's search, "
             "sorting and paging reach every row), and the evidence of those is on this page.")
    tied = ranking.tied_with_last(pairs, shown, measure, with_interval)
    if tied:
        text += (f" {tied} more pair(s) tie with pair {kept} on every ranking column and follow it only by "
                 "alphabetical order.")
    return note(text)


def measure_guide(measures: Iterable[str] | None = None) -> pd.DataFrame:
    """What each association measure means, its range and whether it can be negative, from the registry."""
    names = list(measures) if measures is not None else list(MEASURES)
    rows = [(name, MEASURES[name].range, "yes" if MEASURES[name].can_be_negative else "no", MEASURES[name].meaning)
            for name in names]
    guide = pd.DataFrame(rows, columns=["measure", "range", "can be negative", "what it says"])
    return guide.set_index("measure")


def measure_reading_aid() -> HTML:
    """Why the measures disagree, in plain words, for the top of a pair table."""
    return note(
        "How to read these numbers: units (sentences, paragraphs ...) of one article are not independent, "
        "so the number to trust first is documents, the number of different documents in which the pair "
        "appears; a pair seen in one document is an anecdote. Read npmi next: it compares how often the two "
        "appear together with how often their frequencies alone would put them together. An actor named "
        "almost everywhere (the country the corpus is about) is expected with everything, so it gets npmi "
        "near or below 0 even with themes it is often discussed with: that is its ubiquity, not avoidance. "
        "The interval (low, high) comes from resampling whole documents; a wide interval means the corpus "
        "cannot tell. q is the p-value adjusted for testing every pair of the table (Benjamini-Hochberg), "
        "and like p it treats units as independent, so it flatters."
    )


def small_corpus_note(documents: pd.DataFrame, pairs: pd.DataFrame | None = None) -> HTML | None:
    """A warning for the top of a report when the corpus is too small for its numbers to
    generalise: under SMALL_CORPUS_DOCUMENTS documents, or most pairs resting on one document."""
    n_documents = len(documents)
    single = int((pairs["documents"] == 1).sum()) if pairs is not None and len(pairs) else 0
    mostly_single = pairs is not None and len(pairs) > 0 and single > len(pairs) / 2
    if n_documents >= SMALL_CORPUS_DOCUMENTS and not mostly_single:
        return None
    parts = []
    if n_documents < SMALL_CORPUS_DOCUMENTS:
        parts.append(
            f"Small corpus: {n_documents} document(s). The numbers below describe these documents only; they "
            "are not estimates for news coverage at large. Sentences of one article are not independent "
            "observations, so counts of sentences overstate the evidence, and intervals are wide."
        )
    if pairs is not None and len(pairs):
        parts.append(f"{single} of {len(pairs)} pairs ({single / len(pairs):.0%}) rest on a single document: "
                     "each of those is an anecdote, marked 'one document only' and drawn faint.")
    return note(" ".join(parts))


def network_actors(model: cooccurrence.Cooccurrence, count: int) -> pd.DataFrame:
    """The network's nodes, chosen before its edges: the `count` most mentioned actors (at the
    model's level, so affiliations count their members) and every actor tied with the last
    (`analysis.reports.network.start_nodes`, which also takes a reader's own keys)."""
    return network.start_nodes(model.unit_counts(), count)


def pairs_among(pairs: pd.DataFrame, keys: Iterable[str]) -> pd.DataFrame:
    """The rows of a pair table whose two keys are both in `keys` (the network's edges)."""
    keys = set(keys)
    return pairs[pairs["a_key"].isin(keys) & pairs["b_key"].isin(keys)].reset_index(drop=True)


def network_section(model: cooccurrence.Cooccurrence, pairs: pd.DataFrame, start: pd.DataFrame, top_actors: int,
                    chosen: Sequence[str] | None, measure: str, ci: float | None, unit: str,
                    mentions: pd.DataFrame | None = None) -> HTML:
    """The network a reader can change (`analysis.reports.network`): every actor and ranked
    pair in the page (with the other spellings of `mentions` for its search), the `start`
    nodes drawn, their legend and their edges as a table."""
    forms = network.other_spellings(mentions) if mentions is not None else None
    data = network.network_data(model.unit_counts(), pairs, start, top_actors, measure, ci, unit, forms)
    placed, drawn = network.picture(data, data["start"])
    caption = (network.start_sentence(start, top_actors, chosen) + f" Search for any of the {len(data['nodes'])} "
               f"actors with a pair to add it; edges are all {len(data['edges'])} ranked pairs among the chosen.")
    return network_view(data, placed, drawn, network.edge_table(drawn, data), caption)


def actor_summary(mentions: pd.DataFrame, actor: str) -> pd.DataFrame:
    """One actor's identity and counts; a key not in `mentions` is an error listing some."""
    rows = mentions_of(mentions, actor)
    if rows.empty:
        known = mentions.loc[mentions["kind"] == "actor", "key"].value_counts().head(10).index.tolist()
        raise ParameterError(f"parameter 'actor' = {actor!r}: no such actor in this corpus; e.g. {known}")
    first = rows.iloc[0]
    return pd.DataFrame(
        {
            "key": [actor],
            "name": [first["name"]],
            "category": [first["category"]],
            "affiliation": [first["affiliation"]],
            "mentions": [len(rows)],
            "documents": [rows["doc_id"].nunique()],
            "surface forms": [" | ".join(sorted(set(rows["text"])))],
        }
    )


def mentions_of(mentions: pd.DataFrame, actor: str) -> pd.DataFrame:
    """The actor mentions of one key (a theme with the same key is not the actor)."""
    return mentions[(mentions["kind"] == "actor") & (mentions["key"] == actor)]


def partners_of(
    mentions: pd.DataFrame, sentences: pd.DataFrame, actor: str, pairs: str = "actor-actor", unit: str = "sentence"
) -> pd.DataFrame:
    """The pairs one actor is part of, strongest first: either side of an actor-actor pair,
    the actor side of an actor-theme pair."""
    table = cooccurrence.pair_table(mentions, sentences, pairs=pairs, unit=unit)
    involved = table["a_key"] == actor
    if pairs == "actor-actor":
        involved |= table["b_key"] == actor
    return table[involved].reset_index(drop=True)


def mentions_per_period(mentions: pd.DataFrame, documents: pd.DataFrame, freq: str = "month") -> pd.DataFrame:
    """Mentions of each key per period (rows: periods incl. 'undated'; columns: names)."""
    dates = mentions["doc_id"].map(documents.set_index("doc_id")["date"])
    periods = cooccurrence.period_labels(dates, freq)
    table = pd.crosstab(periods.rename("period"), mentions["name"].rename("name"))
    return table.reindex(cooccurrence.period_order(table.index))


def documents_per_period(mentions: pd.DataFrame, documents: pd.DataFrame, freq: str = "month") -> pd.DataFrame:
    """Share of each period's documents that mention each key (theme prevalence over time),
    with the number of documents behind each share in the first column, `documents`."""
    periods = cooccurrence.period_labels(documents.set_index("doc_id")["date"], freq)
    per_doc = mentions[["doc_id", "name"]].drop_duplicates()
    per_doc = per_doc.assign(period=per_doc["doc_id"].map(periods))
    table = pd.crosstab(per_doc["period"], per_doc["name"])
    totals = periods.value_counts()
    order = cooccurrence.period_order(totals.index)
    share = table.reindex(order, fill_value=0).div(totals.reindex(order), axis=0).round(3)
    share.insert(0, "documents", totals.reindex(order).astype("int64"))
    share.index.name = "period"
    share.columns.name = None
    return share


def shares_with_support(prevalence: pd.DataFrame) -> pd.DataFrame:
    """The shares of `documents_per_period` with each period labelled by its number of documents
    ('2021Q1 (n=2)'), for a heatmap that shows what every share rests on."""
    labels = [f"{period} (n={n})" for period, n in zip(prevalence.index, prevalence["documents"], strict=True)]
    return prevalence.drop(columns="documents").set_axis(labels, axis=0)


def key_sentences(
    mentions: pd.DataFrame, sentences: pd.DataFrame, documents: pd.DataFrame, actor: str, limit: int = 8
) -> HTML:
    """The most informative sentences about `actor`, with the actor highlighted, under their
    documents' labels: first those naming the fewest other actors (a guest list of ten says
    little about any one of them), among them those with the most themes."""
    own = mentions_of(mentions, actor)
    units = own[["doc_id", "sentence"]].drop_duplicates()
    others = mentions[mentions["key"] != actor].merge(units, on=["doc_id", "sentence"])
    distinct = others.drop_duplicates(["doc_id", "sentence", "key"])
    distinct = distinct.assign(actors=distinct["kind"].eq("actor").astype("int64"),
                               themes=distinct["kind"].eq("theme").astype("int64"))
    richness = distinct.groupby(["doc_id", "sentence"])[["actors", "themes"]].sum().reset_index()
    ranked = units.merge(richness, on=["doc_id", "sentence"], how="left").fillna(
        {"actors": 0, "themes": 0})
    ranked = ranked.sort_values(["actors", "themes", "doc_id", "sentence"],
                                ascending=[True, False, True, True]).head(limit)
    ranked = ranked.merge(sentences, on=["doc_id", "sentence"]).merge(documents[["doc_id", "text"]], on="doc_id")
    spans = own.merge(ranked[["doc_id", "sentence", "start"]], on=["doc_id", "sentence"], suffixes=("", "_unit"))
    spans = spans.assign(local_start=spans["start"] - spans["start_unit"], local_end=spans["end"] - spans["start_unit"])
    by_unit = spans.groupby(["doc_id", "sentence"])[["local_start", "local_end"]].apply(
        lambda rows: [(int(a), int(b), "a") for a, b in rows.itertuples(index=False)]
    )
    label = mark_label("actor", own["name"].iloc[0], actor) if len(own) else None
    passages = pd.DataFrame({
        "doc_id": ranked["doc_id"].to_numpy(),
        "sentence": ranked["sentence"].to_numpy(),
        "passage": [text[start:end] for text, start, end in ranked[["text", "start", "end"]].itertuples(index=False)],
        "spans": [[(*span, label) for span in by_unit.get((d, n), [])]
                  for d, n in ranked[["doc_id", "sentence"]].itertuples(index=False)],
    })
    return passages_block(passages, document_index(documents))



def documents_view(documents: pd.DataFrame) -> pd.DataFrame:
    """The documents table as a reader wants it: indexed by readable labels (date · source ·
    title or opening words), the same 'no source' wherever a source is missing, no hashes."""
    view = documents.drop(columns=["text", "body_start", "sha256", "path", TEXT_POSITION], errors="ignore").copy()
    view["source"] = view["source"].astype("string").fillna(NO_SOURCE)
    text_columns = view.select_dtypes("string").columns
    view[text_columns] = view[text_columns].fillna("")  # an empty cell, not '<NA>'
    view["date"] = pd.to_datetime(view["date"]).dt.strftime("%Y-%m-%d").fillna("undated")
    view.index = pd.Index(document_labels(documents).to_numpy(), name="document")
    return view


def documents_per_language(documents: pd.DataFrame) -> pd.DataFrame:
    """Documents per language, most first, with the language's name and whether the package
    annotates it (a document in another language is listed as a problem, not annotated)."""
    from analysis.lang.registry import language_name, supported_languages
    from analysis.schema import DEFAULT_LANGUAGE

    codes = (documents["language"] if "language" in documents else pd.Series([DEFAULT_LANGUAGE] * len(documents)))
    counts = codes.astype("string").fillna(DEFAULT_LANGUAGE).value_counts().rename_axis("code")
    return pd.DataFrame({
        "language": [language_name(code) for code in counts.index],
        "documents": counts.to_numpy(),
        "annotated": ["yes" if code in supported_languages() else "no: no pipeline" for code in counts.index],
    }, index=counts.index)


def with_pair_languages(model, documents: pd.DataFrame, pairs: pd.DataFrame) -> pd.DataFrame:
    """`pairs` with a `languages` column (the languages of the documents behind each pair) when
    the corpus has documents in more than one language; unchanged otherwise."""
    if "language" not in documents or documents["language"].nunique() < 2 or pairs.empty:
        return pairs
    return pairs.assign(languages=model.pair_languages(documents, pairs))


def documents_per_source(documents: pd.DataFrame) -> pd.DataFrame:
    """Documents per source, most first ('no source' counted like any other). When some
    sources were not given with the corpus but read from a credit in the report's text (the
    `source_from` column), a second column says how many, so no source passes for given."""
    sources = documents["source"].astype("string").fillna(NO_SOURCE)
    table = sources.value_counts().rename_axis("source").to_frame("documents")
    if "source_from" in documents and (documents["source_from"] == "credit").any():
        credited = sources[(documents["source_from"] == "credit").fillna(False).to_numpy()].value_counts()
        table["from a credit in the text"] = credited.reindex(table.index, fill_value=0).astype("int64")
    return table


def document_lengths(documents: pd.DataFrame, rows: int = 30) -> pd.Series:
    """Characters per document, longest first, labelled readably (for a bar chart)."""
    lengths = pd.Series(documents["n_chars"].to_numpy(), index=document_labels(documents).to_numpy())
    return lengths.sort_values(ascending=False, kind="stable").head(rows)


NETWORK_TITLES = {"actor": "Actor network", "affiliation": "Actor network — countries and organisations"}


def network_title(level: str) -> str:
    """The heading of the network report: what its nodes are at this level."""
    return NETWORK_TITLES[level]


ACCURACY_NOTE = (
    "What accuracy means here: for each document, the set of actors (and themes) the package found is "
    "compared with the set a person coded in the gold file. Precision is the share of found actors that the "
    "gold accepts (under its name or an alias); recall is the share of required gold actors that were found. "
    "Scores are per document, pooled over documents, with intervals from resampling documents. They hold for "
    "documents like these only: validate on a sample of your own corpus (python -m analysis validation-sheet, "
    "then evaluate) before trusting counts."
)


def accuracy_note() -> HTML:
    """How to read the accuracy report, in a sentence or two."""
    return note(ACCURACY_NOTE)


def documents_by_actor(actors: pd.DataFrame, documents: pd.DataFrame, top: int) -> pd.DataFrame:
    """Mentions of the `top` most mentioned actors (columns) in each document (rows, by label)."""
    matrix = document_actor_matrix(actors, top=top)
    return matrix.rename(index=document_labels(documents).to_dict()).rename_axis("document")


def evidence_links(pairs: pd.DataFrame) -> list[str]:
    """For each pair row, the link to its evidence further down the page."""
    return [f"#{evidence_anchor(a, b)}" for a, b in zip(pairs["a_key"], pairs["b_key"], strict=True)]


def evidence_matrix(pairs: pd.DataFrame, square: bool = False) -> pd.DataFrame:
    """The link to each pair's evidence, laid out as `cooccurrence.square_matrix` (`square`,
    both cells of a pair) or `cooccurrence.cross_matrix` lay out its counts; '' where there is
    no pair. A heatmap of those counts passes it as `links`."""
    layout = cooccurrence.square_matrix if square else cooccurrence.cross_matrix
    keys = layout(pairs, "count", labels="key")
    grid = pd.DataFrame("", index=keys.index, columns=keys.columns, dtype=object)
    for a_key, b_key, href in zip(pairs["a_key"], pairs["b_key"], evidence_links(pairs), strict=True):
        grid.loc[a_key, b_key] = href
        if square:
            grid.loc[b_key, a_key] = href
    return grid


def pairs_with_evidence(pairs: pd.DataFrame, shown: int, also: pd.DataFrame) -> pd.DataFrame:
    """The pairs whose evidence a page shows, in rank order: the first `shown` (the table's),
    then every other pair of `also` (a heatmap's pairs, whose cells link to their evidence)."""
    extra = also.set_index(["a_key", "b_key"]).index
    keys = pairs.set_index(["a_key", "b_key"]).index
    chosen = (np.arange(len(pairs)) < shown) | keys.isin(extra)
    return pairs[chosen]


def prepare(**parameters: object) -> tuple[dict, AnnotatedCorpus]:
    """What every report notebook does first: check all its parameters (papermill's injected
    names included) and load the annotated corpus they name. Returns the checked parameters
    and the corpus (documents, mentions, sentences, problems, fingerprints)."""
    checked = check_parameters(**parameters)
    corpus = load_annotated_corpus(checked["corpus"], pipeline=checked["pipeline"], lexicon=checked["lexicon"],
                                   themes=checked["themes"], progress=False, merges=checked.get("merges"),
                                   outlets=[str(project_path(p)) for p in checked.get("outlets") or ()],
                                   story_threshold=checked.get("story_threshold", DEFAULT_THRESHOLD))
    # one document selection for every count notebook (analysis.corpus.subset); notes say what it left out
    corpus = corpus.subset(*(checked.get(name) for name in SELECTION_PARAMETERS))
    mentions, sentences = select_mentions(corpus.mentions, corpus.sentences,
                                          include_titles=checked.get("include_titles", True),
                                          include_roles=checked.get("include_roles", True))
    return checked, dataclasses.replace(corpus, mentions=mentions, sentences=sentences)


def actors_to_review(**checked: object) -> pd.DataFrame:
    """The "Actors to review" page's table: the review list of `analysis.link.review` for the
    checked parameters' corpus, pipeline, lexicons and merges."""
    from analysis.annotate.pipeline import AnnotatorConfig
    from analysis.workflow import actor_review, annotate_corpus

    config = AnnotatorConfig(checked["pipeline"], checked["lexicon"], checked["themes"])
    cached = annotate_corpus(checked["corpus"], config, progress=False, merges=checked.get("merges"))
    return actor_review(cached)


def review_kinds(review: pd.DataFrame) -> pd.DataFrame:
    """How many rows of each kind the review list has, with the mentions they concern."""
    if review.empty:
        return pd.DataFrame({"kind": pd.Series(dtype="string"), "rows": pd.Series(dtype="int64"),
                             "mentions": pd.Series(dtype="int64")})
    grouped = review.groupby("kind", sort=True)
    return pd.DataFrame({"rows": grouped.size(), "mentions": grouped["mentions"].sum()}).reset_index()
