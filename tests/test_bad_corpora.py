"""A corpus made of what real folders contain: a file in another encoding, an empty file, a
binary file, a 20 MB dump, a 100,000-line file, the same text under two names, an impossible
date, a document that is only wire boilerplate, Cyrillic names, and a thousand tiny files.

The command line must get through all of it (exit 0), list every problem file with its reason,
and account for every file: files in = documents out + files listed as skipped. The full report
set must render on it too, with every problem file named in the Corpus overview. These run the
real pipeline over 1,000+ documents (one of ~600 KB), so they take a few minutes.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

from analysis.corpus.reader import read_corpus

ROOT = Path(__file__).resolve().parents[1]
N_TINY = 1_000
N_LINES = 100_000
HUGE_BYTES = 20_000_000

# file name -> (reason fragment expected in its problem line, action)
EXPECTED_PROBLEMS = {
    "not-utf8-cp1251.txt": ("not UTF-8", "skipped"),
    "empty.txt": ("empty file", "skipped"),
    "binary.txt": ("binary file", "skipped"),
    "too-large-20mb.txt": ("too large", "skipped"),
    "duplicate-b.txt": ("same text as 'duplicate-a'", "loaded"),
    "impossible-date.txt": ("malformed header date '2021-13-45'", "loaded"),
    "only-boilerplate.txt": ("no body text left", "skipped"),
    # 100,000 lines of single words: one run-on paragraph, read and noted (issue 14)
    "one-word-lines.txt": ("characters without a sentence end", "loaded"),
}
PROBLEM_LINE = re.compile(r"^  (?P<file>[^:]+?)(?::(?P<line>\d+))?: (?P<reason>.*) \[(?P<action>skipped|loaded)\]$")

pytestmark = pytest.mark.slow


def write_bad_corpus(folder: Path) -> int:
    """Writes the corpus; returns the number of files written."""
    folder.mkdir(parents=True)
    files: dict[str, bytes] = {
        "not-utf8-cp1251.txt": "Садыр Жапаров встретился с Путиным в Москве.\n".encode("cp1251"),
        "empty.txt": b"",
        "binary.txt": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8,
        "duplicate-a.txt": b"Sadyr Japarov met Vladimir Putin in Moscow to discuss trade.\n",
        "duplicate-b.txt": b"Sadyr Japarov met Vladimir Putin in Moscow to discuss trade.\n",
        "impossible-date.txt": b" date 2021-13-45 Source: Test Wire\nThe OSCE observed the elections in Kyrgyzstan.\n",
        "only-boilerplate.txt": b"* * *\n\nMIL OSI\n\nTo be continued.\n",
        "cyrillic-names.txt": "Садыр Жапаров встретился с Путиным в Москве.\n".encode(),
        "mixed-cyrillic-names.txt": "President Садыр Жапаров met Владимир Путин in Moscow, and Kyrgyzstan "
        "signed an agreement with Russia.\n".encode(),
    }
    words = ["Bishkek", "Osh", "parliament", "election", "Kyrgyzstan", "trade", "border", "water"]
    files["one-word-lines.txt"] = "".join(f"{words[i % len(words)]}\n" for i in range(N_LINES)).encode()
    for number in range(N_TINY):
        sentence = (
            f"Report {number}: Kyrgyzstan announced a new road project."
            if number % 3 == 0
            else f"Report {number}: the weather in the mountains was mild today."
        )
        files[f"tiny-{number:04d}.txt"] = f"{sentence}\n".encode()
    for name, data in files.items():
        (folder / name).write_bytes(data)
    with (folder / "too-large-20mb.txt").open("wb") as handle:  # real text, just too much of it
        line = b"Kyrgyzstan and Russia discussed trade and the border again today.\n"
        handle.write(line * (HUGE_BYTES // len(line) + 1))
    return len(files) + 1


BAD_CORPUS_REPORTS = ("01-corpus-overview", "02-entities", "03-actor-network", "03-actor-network-affiliation",
                      "04-actors-and-themes")


@pytest.fixture(scope="module")
def bad_corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int, dict]:
    base = tmp_path_factory.mktemp("bad-corpus")
    corpus = base / "corpus"
    n_files = write_bad_corpus(corpus)
    env = {**os.environ, "KG_COOCCURRENCE_CACHE": str(base / "cache")}
    return corpus, n_files, env


def _problem_lines(stderr: str) -> list[dict]:
    marker = re.search(r"^Problems \((\d+)\):$", stderr, re.MULTILINE)
    assert marker, f"no 'Problems (N):' heading in stderr:\n{stderr[-3000:]}"
    lines = [PROBLEM_LINE.match(line) for line in stderr[marker.end():].splitlines() if line.startswith("  ")]
    assert all(lines), stderr[marker.end():]
    assert len(lines) == int(marker.group(1)), stderr[marker.end():]
    return [line.groupdict() for line in lines]


def test_corpus_reader_accounts_for_every_file(bad_corpus) -> None:
    corpus, n_files, _ = bad_corpus
    assert sum(1 for file in corpus.iterdir() if file.is_file()) == n_files
    documents, problems = read_corpus(corpus)
    skipped = problems[problems["action"] == "skipped"]
    assert skipped["file"].is_unique  # one reason per file that was not read
    assert len(documents) + len(skipped) == n_files
    by_file = {Path(file).name: (reason, action) for file, reason, action in
               zip(problems["file"], problems["reason"], problems["action"], strict=True)}
    assert set(by_file) == set(EXPECTED_PROBLEMS), by_file
    for name, (fragment, action) in EXPECTED_PROBLEMS.items():
        assert fragment in by_file[name][0] and by_file[name][1] == action, (name, by_file[name])
    assert "20.0 MB" in by_file["too-large-20mb.txt"][0]
    loaded = set(documents["doc_id"])
    assert {"cyrillic-names", "mixed-cyrillic-names", "one-word-lines", "impossible-date", "duplicate-b"} <= loaded
    assert documents.loc[documents["doc_id"] == "impossible-date", "date"].isna().all()
    assert "Садыр Жапаров" in documents.loc[documents["doc_id"] == "cyrillic-names", "text"].iloc[0]
    assert documents.loc[documents["doc_id"] == "one-word-lines", "n_chars"].iloc[0] > 500_000


@pytest.fixture(scope="module")
def annotated(bad_corpus, tmp_path_factory: pytest.TempPathFactory) -> tuple[subprocess.CompletedProcess, Path]:
    """`python -m analysis annotate <corpus> --out <tables>`, run once for the module."""
    corpus, _, env = bad_corpus
    tables = tmp_path_factory.mktemp("bad-corpus-tables")
    result = subprocess.run(
        [sys.executable, "-m", "analysis", "annotate", str(corpus), "--out", str(tables)],
        capture_output=True, text=True, cwd=ROOT, env=env, timeout=900, check=False,
    )
    return result, tables


def test_annotate_gets_through_and_lists_every_problem(bad_corpus, annotated) -> None:
    corpus, n_files, _ = bad_corpus
    result, _ = annotated
    assert result.returncode == 0, result.stderr[-5000:]
    problems = _problem_lines(result.stderr)
    listed = {Path(problem["file"]).name: problem for problem in problems}
    assert set(listed) == set(EXPECTED_PROBLEMS), problems
    for name, (fragment, action) in EXPECTED_PROBLEMS.items():
        assert fragment in listed[name]["reason"], listed[name]
        assert listed[name]["action"] == action, listed[name]
    assert listed["impossible-date.txt"]["line"] == "1"

    # count in = count out + listed skipped problems
    summary = re.search(r"^(\d+) documents, (\d+) actor mentions", result.stdout, re.MULTILINE)
    assert summary, result.stdout[:2000]
    n_documents = int(summary.group(1))
    n_skipped = sum(1 for problem in problems if problem["action"] == "skipped")
    documents, _ = read_corpus(corpus)
    assert n_documents == len(documents)
    assert n_skipped == sum(1 for _, action in EXPECTED_PROBLEMS.values() if action == "skipped")
    assert n_files == n_documents + n_skipped == N_TINY + 11
    assert int(summary.group(2)) >= N_TINY // 3  # every third tiny file names Kyrgyzstan
    assert "Kyrgyzstan" in result.stdout


def test_cyrillic_names_stay_different_actors(annotated) -> None:
    result, tables = annotated
    assert result.returncode == 0, result.stderr[-5000:]
    mentions = pd.read_csv(tables / "mentions.csv")
    people = mentions[mentions["doc_id"] == "mixed-cyrillic-names"].set_index("text")["key"]
    assert {"Садыр Жапаров", "Владимир Путин"} <= set(people.index), people
    assert people["Садыр Жапаров"] != people["Владимир Путин"], people.to_dict()


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "a":
            self.hrefs.extend(value for name, value in attrs if name == "href" and value)


def test_reports_render_and_the_overview_names_every_problem_file(bad_corpus, tmp_path: Path) -> None:
    corpus, _, env = bad_corpus
    out = tmp_path / "out"
    result = subprocess.run(
        # the reports every corpus gets (profiles depend on who is mentioned; the seeds' and the
        # hostile sets' tests render those)
        [sys.executable, "-m", "analysis", "reports", "--corpus", str(corpus), "--out", str(out), "--only",
         *BAD_CORPUS_REPORTS],
        capture_output=True, text=True, cwd=ROOT, env=env, timeout=1200, check=False,
    )
    assert result.returncode == 0, result.stderr[-5000:]
    links = _Links()
    links.feed((out / "index.html").read_text(encoding="utf-8"))
    pages = [href for href in dict.fromkeys(links.hrefs) if href.endswith(".html")
             and href not in ("index.html", "actors.html") and not href.startswith("documents-")]
    assert set(pages) == {f"{name}.html" for name in BAD_CORPUS_REPORTS}, links.hrefs
    for page in pages:
        text = (out / page).read_text(encoding="utf-8")
        assert text.endswith("</html>\n"), page
        assert (out / page.replace(".html", ".ipynb")).is_file(), page
    assert not (out / ".kg-staging").exists()  # analysis.reports.outfolder.STAGING
    overview = (out / "01-corpus-overview.html").read_text(encoding="utf-8")
    missing = [name for name in EXPECTED_PROBLEMS if name not in overview]
    assert not missing, f"the corpus overview does not name {missing}"
