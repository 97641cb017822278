"""Reading a corpus in batches (issue 16): `iter_corpus` yields, batch by batch, what
`read_corpus` gives whole, for a folder, a .jsonl and a .csv with broken rows; duplicates are
found across batch boundaries; the batched annotation path gives the mentions the whole-table
path gives; the corpus fingerprint, added up batch by batch, follows the corpus's content."""

from __future__ import annotations

import csv
import hashlib
import json
import tempfile
import tracemalloc
from pathlib import Path

import pandas as pd
import pytest

from analysis.annotate.cache import annotate
from analysis.annotate.engines import EngineConfig
from analysis.cli import main
from analysis.corpus.compact import DigestMap, StringList
from analysis.corpus.reader import CorpusError, CorpusFingerprint, corpus_fingerprint, iter_corpus, read_corpus
from analysis.schema import DOCUMENT_COLUMNS, conform
from analysis.workflow import annotate_corpus

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"


@pytest.fixture(scope="module")
def seeds() -> pd.DataFrame:
    documents, problems = read_corpus(SEEDS)
    assert problems.empty
    return documents


def _jsonl(path: Path, rows: list[dict], broken: dict[int, str] | None = None) -> Path:
    """rows as JSON lines; `broken` puts a raw line before row i (0-based)."""
    lines = [json.dumps(row) for row in rows]
    for position, raw in sorted((broken or {}).items(), reverse=True):
        lines.insert(position, raw)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _rows(seeds: pd.DataFrame) -> list[dict]:
    """The seeds as table rows, then the second seed's text again under a new id, and a row
    repeating the first seed's id: a duplicate text and a duplicate id, read last."""
    rows = [{"id": row.doc_id, "text": row.text, "date": None if pd.isna(row.date) else row.date.date().isoformat(),
             "title": row.title if pd.notna(row.title) else "", "source": row.source if pd.notna(row.source) else ""}
            for row in seeds.itertuples()]
    return [*rows, {**rows[1], "id": "copy-of-second"}, {**rows[2], "id": rows[0]["id"]}]


@pytest.fixture(scope="module")
def corpora(seeds: pd.DataFrame, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The seeds as a folder, as a .jsonl with a broken line and a row without id, and as a
    .csv with a row without id and a row with an impossible date."""
    base = tmp_path_factory.mktemp("batched-corpora")
    rows = _rows(seeds)
    jsonl = _jsonl(base / "news.jsonl", [*rows[:3], {"id": "", "text": "No id."}, *rows[3:]],
                   broken={2: "{not json"})
    table = base / "news.csv"
    with table.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["id", "text", "date", "title", "source"])
        writer.writeheader()
        writer.writerows([*rows[:2], {"id": "", "text": "No id."}, *rows[2:4],
                          {"id": "bad-date", "text": "The OSCE met.", "date": "2021-02-30"}, *rows[4:]])
    return {"folder": SEEDS, "jsonl": jsonl, "csv": table}


@pytest.mark.parametrize("kind", ["folder", "jsonl", "csv"])
@pytest.mark.parametrize("batch_size", [1, 2, 3, 500])
def test_batches_hold_what_whole_reading_gives(corpora, kind: str, batch_size: int) -> None:
    whole, whole_problems = read_corpus(corpora[kind])
    batches = list(iter_corpus(corpora[kind], batch_size=batch_size))
    assert all(len(batch.documents) <= batch_size for batch in batches)
    assert sum(len(batch.documents) for batch in batches) == len(whole)
    gathered = pd.concat([batch.documents for batch in batches]).sort_values("doc_id", kind="stable")
    pd.testing.assert_frame_equal(gathered.reset_index(drop=True), whole)
    problems = pd.concat([batch.problems for batch in batches], ignore_index=True)
    pd.testing.assert_frame_equal(problems, whole_problems)  # the same rows, in reading order


def _csv_row_starts(path: Path) -> dict[str, int]:
    """id -> the line a .csv row starts on (a row of several lines is named by its first)."""
    starts, previous = {}, 0
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        for row in reader:
            if row:
                starts[row[0]] = previous + 1
            previous = reader.line_num
    return starts


def test_broken_rows_are_listed_with_their_line_in_every_batching(corpora) -> None:
    first_id = "000_4fd0a0b4f601bb18"
    second, first = "'001_c00df69e3635d8cd'", repr(first_id)
    starts = _csv_row_starts(corpora["csv"])
    expected = {
        "jsonl": [("news.jsonl", 3, "invalid JSON: Expecting property name enclosed in double quotes at column 2"),
                  ("news.jsonl", 5, "missing 'id'"),
                  ("news.jsonl:8", None, f"same text as {second}; kept and flagged as duplicate"),
                  ("news.jsonl:9", None, f"duplicate document id {first}; first one kept")],
        "csv": [("news.csv", starts[""], "missing 'id'"),
                ("news.csv", starts["bad-date"],
                 "'2021-02-30' is not a date (expected YYYY-MM-DD): day is out of range for month"),
                (f"news.csv:{starts['copy-of-second']}", None, f"same text as {second}; kept and flagged as duplicate"),
                (f"news.csv:{starts[first_id]}", None, f"duplicate document id {first}; first one kept")],
    }
    assert starts["bad-date"] > starts[""] + 10  # rows of the seeds, several lines each, in between
    for kind, wanted in expected.items():
        for batch_size in (1, 4):
            problems = pd.concat([b.problems for b in iter_corpus(corpora[kind], batch_size=batch_size)])
            found = [(file.split("/")[-1], None if pd.isna(line) else line, reason)
                     for file, line, reason in zip(problems["file"], problems["line"], problems["reason"], strict=True)]
            assert found == wanted, (kind, batch_size)


def test_duplicates_are_found_across_batch_boundaries(seeds: pd.DataFrame, tmp_path: Path) -> None:
    rows = _rows(seeds)  # the repeated text comes 4 rows after its first, the repeated id 6
    corpus = _jsonl(tmp_path / "rows.jsonl", rows)
    for batch_size in (1, 2, 500):
        batches = list(iter_corpus(corpus, batch_size=batch_size))
        documents = pd.concat([batch.documents for batch in batches]).set_index("doc_id")
        assert len(documents) == 6  # five seeds and the copy; the repeated id is left out
        assert documents.loc["copy-of-second", "duplicate_of"] == rows[1]["id"]
        assert documents["duplicate_of"].notna().sum() == 1
        assert documents.loc[rows[0]["id"], "text"] == seeds.set_index("doc_id").loc[rows[0]["id"], "text"]
        reasons = [reason for batch in batches for reason in batch.problems["reason"]]
        assert reasons == [f"same text as {rows[1]['id']!r}; kept and flagged as duplicate",
                           f"duplicate document id {rows[0]['id']!r}; first one kept"]


def test_a_folder_is_read_lazily_file_by_file(tmp_path: Path) -> None:
    """The second batch reads its file only when it is asked for: nothing is read up front."""
    (tmp_path / "a.txt").write_text("Sadyr Japarov met Vladimir Putin in Moscow.\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("The OSCE observed the elections.\n", encoding="utf-8")
    batches = iter_corpus(tmp_path, batch_size=1)
    assert next(batches).documents["doc_id"].tolist() == ["a"]
    (tmp_path / "b.txt").write_text("The OSCE observed the referendum.\n", encoding="utf-8")
    assert next(batches).documents["text"].tolist() == ["The OSCE observed the referendum."]
    assert next(batches, None) is None


def test_reading_a_table_in_batches_holds_no_more_python_objects_for_a_larger_file(
        seeds: pd.DataFrame, tmp_path: Path) -> None:
    """Python objects allocated while a .jsonl is read in batches of 20 grow by a fifth of what
    the file grows, or less, from 1,000 to 4,000 documents (about 7 MB more): texts are not
    kept, only ids and digests (about 200 bytes a document)."""
    texts = seeds["text"].tolist()

    def traced_peak(n_documents: int) -> tuple[int, int]:
        rows = [{"id": f"doc-{number:05d}", "text": f"{texts[number % 5]} Copy {number}."}
                for number in range(n_documents)]
        corpus = _jsonl(tmp_path / f"rows-{n_documents}.jsonl", rows)
        del rows
        tracemalloc.start()
        try:
            assert sum(len(batch.documents) for batch in iter_corpus(corpus, batch_size=20)) == n_documents
            return corpus.stat().st_size, tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    traced_peak(20)  # anything a first call allocates once
    small_size, small_peak = traced_peak(1000)
    large_size, large_peak = traced_peak(4000)
    assert large_size - small_size > 6_000_000
    assert large_peak - small_peak < (large_size - small_size) / 5, (small_peak, large_peak)


def test_an_undecodable_byte_far_into_a_table_refuses_the_whole_file(seeds: pd.DataFrame, tmp_path: Path) -> None:
    rows = [{"id": f"doc-{number}", "text": seeds["text"].iloc[number % 5]} for number in range(600)]
    corpus = _jsonl(tmp_path / "rows.jsonl", rows)
    data = corpus.read_bytes()
    offset = len(data) - 10  # past the first megabyte decoded
    assert offset > 1 << 20
    corpus.write_bytes(data[:offset] + b"\xff" + data[offset + 1:])
    batches = list(iter_corpus(tmp_path, batch_size=50))
    assert sum(len(batch.documents) for batch in batches) == 0
    problems = pd.concat([batch.problems for batch in batches])
    assert problems["reason"].tolist() == [f"not UTF-8: invalid byte at offset {offset}; save it as UTF-8 (a "
                                           "spreadsheet's plain 'CSV' is often Windows-1252); file not read"]


def test_the_fingerprint_added_batch_by_batch_follows_the_content(seeds: pd.DataFrame, tmp_path: Path) -> None:
    def streamed(path: Path, batch_size: int = 2) -> str:
        fingerprint = CorpusFingerprint()
        for batch in iter_corpus(path, batch_size=batch_size):
            fingerprint.add(batch.documents, batch.problems)
        return fingerprint.hexdigest()

    rows = _rows(seeds)[:5]
    corpus = _jsonl(tmp_path / "rows.jsonl", rows)
    whole = corpus_fingerprint(*read_corpus(corpus))
    assert streamed(corpus) == streamed(corpus, 1) == streamed(corpus, 500) == whole
    redated = [{**rows[0], "date": "2021-05-01"}, *rows[1:]]
    assert streamed(_jsonl(corpus, redated)) != whole  # a date is part of what a report shows
    assert streamed(_jsonl(corpus, [*rows, {"id": "", "text": "x"}])) != whole  # so is a problem


def test_annotation_through_the_batched_path_gives_the_same_tables(corpora, seeds: pd.DataFrame,
                                                                  tmp_path: Path) -> None:
    """annotate_corpus reads and annotates batch by batch (cache parts of 2 documents here, a
    duplicate text and id among them); its tables equal those of reading whole, then
    annotating the whole table, and so does its export."""
    corpus = corpora["jsonl"]
    documents, problems = read_corpus(corpus)
    expected = annotate(documents, cache_dir=None, progress=False)
    cached = annotate_corpus(corpus, engine=EngineConfig(batch_size=2), cache_dir=tmp_path / "cache", progress=False)
    assert cached.n_documents == len(documents) == 6
    pd.testing.assert_frame_equal(cached.problems, problems)
    assert cached.corpus_fingerprint == corpus_fingerprint(documents, problems)
    loaded = cached.load()
    pd.testing.assert_frame_equal(loaded.documents, documents)
    pd.testing.assert_frame_equal(loaded.mentions, expected.mentions)
    pd.testing.assert_frame_equal(loaded.sentences, expected.sentences)
    assert len(loaded.mentions) > 100
    copy = loaded.mentions[loaded.mentions["doc_id"] == "copy-of-second"]
    assert len(copy) == (loaded.mentions["doc_id"] == "001_c00df69e3635d8cd").sum() > 10

    out = tmp_path / "tables"
    assert main(["annotate", str(corpus), "--cache", str(tmp_path / "cache"), "--batch-size", "2",
                 "--out", str(out), "--top", "0"]) == 0
    exported = conform(pd.read_parquet(out / "documents.parquet"), DOCUMENT_COLUMNS)
    assert exported["doc_id"].tolist() == [row["id"] for row in _rows(seeds)[:6]]  # in reading order
    pd.testing.assert_frame_equal(conform(exported.sort_values("doc_id"), DOCUMENT_COLUMNS), documents)
    order = ["doc_id", "start", "end", "kind", "key"]  # exported part by part: the copy's rows come with its text's
    pd.testing.assert_frame_equal(pd.read_parquet(out / "mentions.parquet").sort_values(order, ignore_index=True),
                                  expected.mentions)


def test_strict_stops_before_anything_is_annotated(corpora, tmp_path: Path) -> None:
    """The problem is on the last lines: a strict run reads the corpus once first, so it fails
    with the whole list before the first batch reaches the annotator."""
    cache = tmp_path / "cache"
    with pytest.raises(CorpusError, match=r"^4 problem\(s\) reading .*news.csv:\d+: missing 'id'; "):
        annotate_corpus(corpora["csv"], engine=EngineConfig(batch_size=1), cache_dir=cache, strict=True)
    assert not cache.exists()
    with pytest.raises(CorpusError) as whole:
        read_corpus(corpora["csv"], strict=True)
    with pytest.raises(CorpusError) as batched:
        annotate_corpus(corpora["csv"], cache_dir=cache, strict=True)
    assert str(batched.value) == str(whole.value)


def test_the_compact_bookkeeping_answers_as_a_dict_and_a_list_would(seeds: pd.DataFrame) -> None:
    """DigestMap and StringList hold an entry per document read: 30,000 digests of real
    sentences (merged into the sorted array many times over, some values replaced) and the
    seeds' ids must come back as a dict and a list give them."""
    sentences = [sentence for text in seeds["text"] for sentence in text.split(". ")]
    digests = [hashlib.sha256(f"{number} {sentences[number % len(sentences)]}".encode()).hexdigest()
               for number in range(30_000)]
    digests.append("ab" * 15 + "00" + "cd" * 16)  # 128 bits ending in a NUL byte
    mapping, expected = DigestMap(), {}
    for number, digest in enumerate(digests):
        assert mapping.get(digest) == expected.get(digest[:32], DigestMap.MISSING)
        mapping.set(digest, number % 977)
        expected[digest[:32]] = number % 977
        if number % 7 == 0:  # replace the value of an earlier entry
            earlier = digests[number // 2]
            mapping.set(earlier, 5)
            expected[earlier[:32]] = 5
    absent = [hashlib.sha256(sentence.encode()).hexdigest() for sentence in sentences] + ["ab" * 15 + "00" + "00" * 16]
    probe = digests + absent
    assert [mapping.get(digest) for digest in probe] == [expected.get(d[:32], DigestMap.MISSING) for d in probe]
    assert mapping.get_many(probe).tolist() == [expected.get(d[:32], DigestMap.MISSING) for d in probe]
    assert len(mapping) == len(expected)

    names = StringList()
    ids = [f"{doc_id}/{number}" for number in range(3) for doc_id in seeds["doc_id"]] * 2000 + ["", "é\x00"]
    for doc_id in ids:
        names.append(doc_id)
    assert len(names) == len(ids) and [names[position] for position in range(len(ids))] == ids


def test_the_documents_table_waits_in_an_anonymous_file(monkeypatch, tmp_path: Path) -> None:
    """annotate_corpus keeps the documents table on disk, in a file with no name in the temporary
    folder (so a killed run leaves nothing behind), and gives it back as reading whole would."""
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))
    cached = annotate_corpus(SEEDS, cache_dir=tmp_path / "cache", progress=False)
    assert list(temporary.iterdir()) == []
    pd.testing.assert_frame_equal(cached.documents, read_corpus(SEEDS).documents)
    assert [len(batch) for batch in cached.documents_in_batches(2)] == [2, 2, 1]
