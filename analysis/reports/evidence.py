"""The evidence of a page's whole pair table: every unit of every pair, once, for the three
places a page uses it: the evidence blocks under the table, the links of the table's rows
(a row whose block is not on the page links to its pair's first cited sentence on the text
pages, so no link is dead), and `<report>--evidence.csv`, one row per pair and unit, for
qualitative coding.

One vectorised join over the units (`Cooccurrence.pairs_evidence`), not a call per pair: a
table of a few thousand pairs costs seconds, not minutes.
"""

from __future__ import annotations

import pandas as pd
from IPython.display import HTML

from analysis.reports.presentation import (
    Download,
    document_index,
    download,
    evidence_anchor,
    evidence_block,
    mark_label,
    paragraph,
    sentence_links,
)
from analysis.stats.compare import Comparison
from analysis.stats.model import Cooccurrence

# The columns of <report>--evidence.csv, in order: the pair, where the unit is (document,
# outlet, date, language, sentence number, the unit's offsets in the document text and the
# link to the sentence on its text page), then what it says.
EXPORT_COLUMNS = ("a_key", "a_name", "b_key", "b_name", "doc_id", "outlet", "source", "date", "language", "unit",
                  "sentence", "start", "end", "link", "a_text", "b_text", "passage")


def evidence_table(model: Cooccurrence, documents: pd.DataFrame, pairs: pd.DataFrame,
                   index: pd.DataFrame) -> pd.DataFrame:
    """Every unit of every pair of `pairs` (a pair table of `model`), pairs in the table's
    order, each pair's units most informative first (as `Cooccurrence.evidence`), with the
    pair's names, what each side is (`a_kind`, `b_kind`), the document's outlet, source, date
    and language, and `link`, the href of the cited sentence on the text pages (`index`:
    `presentation.document_index`)."""
    rows = model.pairs_evidence(documents, pairs[["a_key", "b_key"]])
    keys = model.counts.keys.drop_duplicates("key").set_index("key")
    names = keys["name"] if "name" in keys else pd.Series(keys.index, index=keys.index)
    kinds = keys["kind"] if "kind" in keys else pd.Series("actor", index=keys.index)
    docs = documents.drop_duplicates("doc_id").set_index("doc_id")
    doc_ids = pd.Index(rows["doc_id"].astype(object))

    def document_column(column: str) -> pd.Series:
        values = docs[column].reindex(doc_ids) if column in docs else pd.Series(pd.NA, index=doc_ids)
        return pd.Series(values.to_numpy(), index=rows.index, dtype="string")

    outlet = document_column("outlet").fillna(document_column("source"))
    dates = pd.to_datetime(rows["date"], errors="coerce").dt.strftime("%Y-%m-%d").astype("string")
    return rows.assign(
        a_name=rows["a_key"].map(names).astype("string"),
        b_name=rows["b_key"].map(names).astype("string"),
        a_kind=rows["a_key"].map(kinds).astype("string"),
        b_kind=rows["b_key"].map(kinds).astype("string"),
        outlet=outlet, source=document_column("source"), language=document_column("language"),
        date_text=dates.fillna(""),
        link=pd.array(sentence_links(rows["doc_id"].tolist(), rows["sentence"].tolist(), index), dtype="string"),
    )


def evidence_export(evidence: pd.DataFrame) -> pd.DataFrame:
    """The rows of `evidence_table` as the evidence CSV has them (`EXPORT_COLUMNS`)."""
    return (evidence.drop(columns=["date"]).rename(columns={"date_text": "date"})[list(EXPORT_COLUMNS)]
            .reset_index(drop=True))


def evidence_download(*tables: pd.DataFrame) -> Download:
    """The evidence CSV of a page (`<report>--evidence.csv`) from the `evidence_table` of each
    of its pair tables, with the sentence that says what it holds."""
    frames = [evidence_export(frame) for frame in tables]
    rows = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=list(EXPORT_COLUMNS))
    pairs = len(rows[["a_key", "b_key"]].drop_duplicates())
    what = (f"The evidence of all {pairs} pairs of the table(s) above, one row per pair and unit ({len(rows)} rows): "
            "pair, document, outlet, date, language, sentence, the unit's offsets in the text and a link to the "
            "sentence, for coding by hand.")
    return download(rows, "evidence", what)


def unit_links(pairs: pd.DataFrame, evidence: pd.DataFrame, blocks: pd.DataFrame | None = None) -> list[str]:
    """For each row of `pairs`, where its unit count links: the pair's evidence block on this
    page when `blocks` (the pairs whose blocks the page renders) holds it, else the first
    cited sentence of the pair on its text page (from `evidence`, `evidence_table`'s rows)."""
    first = evidence.drop_duplicates(["a_key", "b_key"]).set_index(["a_key", "b_key"])["link"]
    keys = pd.MultiIndex.from_arrays([pairs["a_key"].astype(object), pairs["b_key"].astype(object)])
    sentence = first.reindex(keys).fillna("").to_numpy(dtype=object)
    shown = set() if blocks is None else set(zip(blocks["a_key"], blocks["b_key"], strict=True))
    return [f"#{evidence_anchor(a, b)}" if (a, b) in shown else str(link)
            for a, b, link in zip(pairs["a_key"], pairs["b_key"], sentence, strict=True)]


def pair_evidence_block(evidence: pd.DataFrame, pair: object, index: pd.DataFrame, folded: bool = False) -> HTML:
    """The evidence block of one pair (a row of a pair table, with `a_key`, `a_name`, `b_key`,
    `b_name`) from `evidence_table`'s rows, under the pair's anchor, every mark naming the actor
    or theme it was resolved to."""
    rows = evidence[(evidence["a_key"] == pair.a_key) & (evidence["b_key"] == pair.b_key)]
    kinds = (rows["a_kind"].iloc[0], rows["b_kind"].iloc[0]) if len(rows) else ("actor", "actor")
    labels = (mark_label(kinds[0], pair.a_name, pair.a_key), mark_label(kinds[1], pair.b_name, pair.b_key))
    return evidence_block(rows, pair.a_name, pair.b_name, index, anchor=evidence_anchor(pair.a_key, pair.b_key),
                          folded=folded, labels=labels)


def comparison_evidence(model: Cooccurrence, documents: pd.DataFrame,
                        *comparisons: Comparison | None) -> Download | HTML:
    """The evidence CSV of a comparison page: every unit of every pair its comparison tables
    measure (each pair once, whatever its groups); a sentence instead when there is no
    comparison (fewer than two groups, no pair seen often enough), so the page offers no empty
    file."""
    tables = [comparison.table.drop_duplicates(["a_key", "b_key"]) for comparison in comparisons
              if comparison is not None and not comparison.table.empty]
    if not tables:
        return paragraph("Nothing was compared, so there is no evidence to export.")
    index = document_index(documents)
    return evidence_download(*(evidence_table(model, documents, pairs, index) for pairs in tables))
