"""The corpus reader on the real seeds and on every kind of bad input, made here."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pandas as pd
import pytest

from analysis.corpus.reader import CorpusError, parse_seed_text, read_corpus, split_paragraphs
from analysis.csvfile import write_csv

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


@pytest.fixture(scope="module")
def seeds() -> pd.DataFrame:
    documents, problems = read_corpus(SEEDS)
    assert problems.empty, problems
    return documents.set_index("doc_id")


def test_seed_dates_and_their_sources(seeds: pd.DataFrame) -> None:
    assert pd.isna(seeds.loc["000_4fd0a0b4f601bb18", "date"])
    dates = seeds["date"].dropna().dt.date.to_dict()
    assert dates["001_c00df69e3635d8cd"] == dt.date(2020, 10, 13)
    assert dates["002_4e99a73490cd7995"] == dt.date(2021, 2, 24)
    assert dates["003_557d1d1e793ae0ef"] == dt.date(2021, 6, 3)
    assert dates["004_04d64396df5df388"] == dt.date(2021, 1, 9)
    assert seeds["date_source"].to_dict() == {
        "000_4fd0a0b4f601bb18": "none",
        "001_c00df69e3635d8cd": "header",
        "002_4e99a73490cd7995": "header",
        "003_557d1d1e793ae0ef": "dateline",
        "004_04d64396df5df388": "header",
    }


def test_seed_source_title_and_attributions(seeds: pd.DataFrame) -> None:
    assert seeds.loc["002_4e99a73490cd7995", "source"] == "President of Russia – The Kremlin – English"
    assert seeds.loc["004_04d64396df5df388", "source"] == "Trend, citing Kabar"
    assert seeds.loc["000_4fd0a0b4f601bb18", "source"] == "Presidential press service"
    assert seeds.loc["003_557d1d1e793ae0ef", "title"].startswith("Head of the OSCE Programme Office")
    assert seeds["title"].isna().sum() == 4


def test_seed_bodies_lose_header_and_boilerplate(seeds: pd.DataFrame) -> None:
    kremlin = seeds.loc["002_4e99a73490cd7995", "text"]
    assert kremlin.startswith("The two presidents discussed")
    for boilerplate in ("* * *", "To be continued", "MIL OSI", "Source:", " date "):
        assert boilerplate not in kremlin
    titled = seeds.loc["003_557d1d1e793ae0ef"]
    osce = titled["text"][titled["body_start"]:]
    assert titled["text"].startswith(titled["title"] + "\n\n")  # the headline is the first paragraph
    assert osce.startswith("The recently appointed Head of the OSCE")  # dateline removed
    header = seeds.loc["001_c00df69e3635d8cd", "text"]
    assert header.startswith("President of Kyrgyzstan Sooronbai Jeenbekov received")
    # paragraphs are separated by blank lines, single line breaks after sentences split them too
    assert osce.count("\n\n") == 5
    assert all(len(p) > 0 for p in osce.split("\n\n"))


def test_seed_table_shape(seeds: pd.DataFrame) -> None:
    assert len(seeds) == 5
    assert (seeds["n_chars"] == seeds["text"].str.len()).all()
    assert seeds["sha256"].str.len().eq(64).all()
    assert seeds["path"].str.startswith("seeds/").all()
    assert seeds["duplicate_of"].isna().all()


def test_missing_and_empty_corpus_paths_name_the_path(tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match="does-not-exist"):
        read_corpus(tmp_path / "does-not-exist")
    (tmp_path / "empty").mkdir()
    with pytest.raises(CorpusError, match="empty"):
        read_corpus(tmp_path / "empty")


def _write(folder: Path, name: str, content: bytes | str) -> None:
    data = content.encode("utf-8") if isinstance(content, str) else content
    (folder / name).write_bytes(data)


@pytest.fixture
def bad_corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "bad"
    folder.mkdir()
    _write(folder, "good.txt", " date 2021-03-01 Kyrgyzstan held a referendum.\n")
    _write(folder, "latin1.txt", "Bishkek caf\xe9 owners protested.".encode("latin-1"))
    _write(folder, "empty.txt", b"")
    _write(folder, "binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    _write(folder, "bad_date.txt", " date 2021-13-45 The Central Election Commission met.\n")
    _write(folder, "copy.txt", " date 2021-03-01 Kyrgyzstan held a referendum.\n")
    _write(folder, "only_boilerplate.txt", "* * *\n\nTo be continued.\n\nMIL OSI\n")
    _write(folder, "notes.docx", b"PK\x03\x04")
    return folder


def test_bad_files_are_listed_and_readable_ones_load(bad_corpus: Path) -> None:
    documents, problems = read_corpus(bad_corpus)
    reasons = dict(zip(problems["file"].str.split("/").str[-1], problems["reason"], strict=True))
    assert "not UTF-8" in reasons["latin1.txt"]
    assert reasons["empty.txt"] == "empty file"
    assert "binary" in reasons["binary.txt"]
    assert "malformed header date '2021-13-45'" in reasons["bad_date.txt"]
    assert "no body text" in reasons["only_boilerplate.txt"]
    assert "unsupported file type '.docx'" in reasons["notes.docx"]
    assert "same text as 'copy'" in reasons["good.txt"]
    # the bad-date document still loads, without a date; duplicates are both kept
    assert set(documents["doc_id"]) == {"good", "bad_date", "copy"}
    bad_date = documents.set_index("doc_id").loc["bad_date"]
    assert pd.isna(bad_date["date"]) and bad_date["date_source"] == "none"
    assert documents.set_index("doc_id").loc["good", "duplicate_of"] == "copy"
    # nothing is lost: files in = documents out + problems that skipped a file
    skipped = problems[problems["action"] == "skipped"]
    assert len(list(bad_corpus.iterdir())) == len(documents) + len(skipped)


def test_strict_mode_turns_problems_into_an_error(bad_corpus: Path) -> None:
    with pytest.raises(CorpusError, match="latin1.txt: not UTF-8"):
        read_corpus(bad_corpus, strict=True)


def test_bom_crlf_nbsp_and_curly_quotes_keep_offsets_right(tmp_path: Path) -> None:
    raw = (
        "\ufeff date 2021-01-09 The\u00a0Kyrgyz \u201cside\u201d met the\r\n"
        "UN\u2019s envoy.\r\n\r\nSecond paragraph.\r\n"
    )
    _write(tmp_path, "messy.txt", raw)
    documents, problems = read_corpus(tmp_path)
    assert problems.empty
    text = documents.loc[0, "text"]
    assert text == "The Kyrgyz \"side\" met the UN's envoy.\n\nSecond paragraph."
    start = text.index("UN's")
    assert text[start : start + 2] == "UN"
    assert documents.loc[0, "n_chars"] == len(text)


def test_hard_wrapped_lines_join_and_sentence_breaks_split() -> None:
    assert split_paragraphs("The minister met\nthe envoy.\nThey talked.\n\nAnother one") == [
        "The minister met the envoy.",
        "They talked.",
        "Another one",
    ]


def test_header_with_source_line() -> None:
    parsed = parse_seed_text(" date 2021-02-24 Source: Some Outlet\n\nBody text here.\n")
    assert parsed.source == "Some Outlet"
    assert parsed.text == "Body text here."
    assert parsed.date == dt.date(2021, 2, 24)


def test_jsonl_and_csv_corpora(tmp_path: Path) -> None:
    lines = [
        {"id": "a", "text": "Japarov met Putin in Moscow.", "date": "2021-02-24", "source": "Wire"},
        {"id": "b", "text": "The OSCE welcomed the vote.", "title": "Vote"},
        {"id": "", "text": "no id"},
        {"id": "c", "text": "Bad date.", "date": "yesterday"},
    ]
    jsonl = tmp_path / "news.jsonl"
    jsonl.write_text("\n".join(json.dumps(line) for line in lines) + "\n{broken\n", encoding="utf-8")
    documents, problems = read_corpus(jsonl)
    assert documents["doc_id"].tolist() == ["a", "b", "c"]
    assert documents.set_index("doc_id").loc["a", "date"] == pd.Timestamp("2021-02-24")
    assert documents.set_index("doc_id").loc["a", "date_source"] == "field"
    assert documents.set_index("doc_id").loc["b", "title"] == "Vote"
    assert problems["line"].tolist() == [3, 4, 5]
    assert "missing 'id'" in problems.loc[0, "reason"]
    assert "invalid JSON" in problems.loc[2, "reason"]

    csv_file = tmp_path / "news.csv"
    write_csv(pd.DataFrame(lines[:2]), csv_file)  # as the package writes CSV (CRLF line ends)
    documents, problems = read_corpus(csv_file)
    assert documents["doc_id"].tolist() == ["a", "b"] and problems.empty

    bad_csv = tmp_path / "bad.csv"
    bad_csv.write_text("identifier,body\n1,x\n", encoding="utf-8")
    with pytest.raises(CorpusError, match=r"lacks required column\(s\) \['id', 'text'\]"):
        read_corpus(bad_csv)


def test_oversized_file_is_listed_not_read(tmp_path: Path) -> None:
    _write(tmp_path, "small.txt", "Kyrgyzstan voted.")
    _write(tmp_path, "huge.txt", "Kyrgyzstan voted. " * 2000)
    documents, problems = read_corpus(tmp_path, max_bytes=10_000)
    assert documents["doc_id"].tolist() == ["small"]
    assert problems.loc[0, "file"].endswith("huge.txt")
    assert problems.loc[0, "reason"].startswith("file too large (0.0 MB > 0.0 MB limit)")
    assert problems.loc[0, "action"] == "skipped"


def test_a_byline_is_the_source_and_date_not_text() -> None:
    from analysis.corpus.reader import parse_seed_text

    parsed = parse_seed_text("Leaders meet\n\nSomeNews / Agency - 12th April, 2021\n\nAsan Usenov met the OSCE.\n")
    assert (parsed.text, parsed.source, parsed.date, parsed.date_source) == (
        "Asan Usenov met the OSCE.", "SomeNews / Agency", dt.date(2021, 4, 12), "byline")
    parsed = parse_seed_text("Asan Usenov met the OSCE.\n\nKabar — April 12, 2021\n")
    assert (parsed.text, parsed.source, parsed.date) == ("Asan Usenov met the OSCE.", "Kabar", dt.date(2021, 4, 12))
    prose = "Asan Usenov spoke.\n\nThe talks went on, 3 June 2021.\n"
    assert parse_seed_text(prose).text == "Asan Usenov spoke.\n\nThe talks went on, 3 June 2021."


def test_a_dateline_crediting_an_outlet_is_not_text() -> None:
    from analysis.corpus.reader import parse_seed_text

    parsed = parse_seed_text("BISHKEK (SomeNews / Wire - 24th February, 2021) Asan Usenov will visit Almaty.\n")
    assert (parsed.text, parsed.source, parsed.date) == (
        "Asan Usenov will visit Almaty.", "SomeNews / Wire", dt.date(2021, 2, 24))
    parsed = parse_seed_text("Tashkent, Uzbekistan (News.uz) - The Senate met.\n")
    assert (parsed.text, parsed.source) == ("The Senate met.", "News.uz")
    assert parse_seed_text("Asan (Usenov) met the OSCE.\n").text == "Asan (Usenov) met the OSCE."
