"""Issue 14, hostile input: each case the issue lists, as it behaves now. The report-level
injection checks (payloads in names, paths, titles and parameters, seen in Chromium) are in
test_browser.py and test_reports.py; these are the fast ones, plus a few subprocess runs of
the command line, papermill and make."""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from analysis.annotate.lexicon import LexiconError, load_lexicon
from analysis.annotate.themes import TaxonomyError, read_theme_file
from analysis.corpus.reader import CorpusError, read_corpus
from analysis.reports.notebook import ParameterError, check_injected, check_parameters, injected_names
from analysis.reports.presentation import code, escape_html, heading, paragraph, strong
from analysis.reports.reportset import ReportConfigError, load_report_set, notebook_parameters

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
TOP_ACTORS = pd.DataFrame({"key": ["kgz"], "name": ["Kyrgyzstan"], "category": ["country"]})
HANDLER = '<img src=x onerror="alert(1)">'


def _problems(problems: pd.DataFrame) -> dict[str, tuple[str, str, object]]:
    """file name -> (reason, action, line), for one problem per file."""
    return {Path(row.file).name: (row.reason, row.action, row.line) for row in problems.itertuples()}


# ---------------------------------------------------------------- failed 1, 2: escaping

def test_presentation_escapes_every_piece_of_data() -> None:
    assert escape_html(HANDLER) == "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;"
    assert "<img" not in heading(f"Evil Corp {HANDLER}").data
    assert heading("x", 3).data.startswith("<h3 ")
    shown = paragraph(strong(f"2 {HANDLER}"), " read from ", code("c`<img src=x onerror=alert(1)>`"), ".").data
    assert "<img" not in shown and "<code>c`&lt;img src=x onerror=alert(1)&gt;`</code>" in shown
    assert "<strong>2 &lt;img" in shown
    assert "mathjax_ignore" in shown  # a $\href{...}$ in data is never typeset by a reader's MathJax
    with pytest.raises(ValueError, match="heading level 7"):
        heading("x", 7)


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda path: path.name)
def test_notebooks_build_no_markdown_or_html_from_data(notebook: Path) -> None:
    """No f-string inside Markdown(...) or HTML(...) in any report notebook."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    source = "\n".join("".join(cell["source"]) for cell in cells if cell["cell_type"] == "code")
    assert not re.search(r"\b(Markdown|HTML)\(\s*f[\"']", source), notebook.name


# ---------------------------------------------------------------- failed 3: unknown parameters

def test_injected_names_are_read_from_papermills_cell() -> None:
    history = ["", 'corpus = "seeds"\nunit = "sentence"\n', '# Parameters\nunitt = "sentence"\ncorpus = "x"\n',
               "checked = check_parameters(...)"]
    assert injected_names(history) == {"unitt", "corpus"}
    assert injected_names(["corpus = 1"]) == set()


def test_a_notebook_refuses_an_injected_name_it_does_not_declare() -> None:
    history = ['# Parameters\nunitt = "paragraph"\n']
    with pytest.raises(ParameterError, match=r"unknown parameter\(s\) \['unitt'\].*accepts \['corpus', 'unit'\]"):
        check_injected(["corpus", "unit"], history)
    check_injected(["corpus", "unitt"], history)  # declared: fine
    assert check_parameters(unit="sentence") == {"unit": "sentence"}  # outside a kernel: no history


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda path: path.name)
def test_every_notebook_passes_all_its_parameters_to_check_parameters(notebook: Path) -> None:
    """The injected-name check relies on it: the names given to check_parameters (or to
    prepare, which passes them on) are the names of the parameters cell, no more, no fewer."""
    import ast

    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    calls = [node for cell in cells if cell["cell_type"] == "code"
             for node in ast.walk(ast.parse("".join(cell["source"])))
             if isinstance(node, ast.Call) and getattr(node.func, "id", None) in ("check_parameters", "prepare")]
    assert len(calls) == 1, notebook.name
    assert sorted(keyword.arg for keyword in calls[0].keywords) == notebook_parameters(notebook)


def test_papermill_with_an_unknown_parameter_fails_naming_it(tmp_path: Path) -> None:
    """`papermill notebooks/03_actor_network.ipynb out.ipynb -p unitt sentence` used to exit 0
    and render with the default unit."""
    from analysis.reports.kernels import kernel_name

    result = subprocess.run(
        [sys.executable, "-m", "papermill", str(ROOT / "notebooks" / "03_actor_network.ipynb"),
         str(tmp_path / "out.ipynb"), "-p", "unitt", "sentence", "-k", kernel_name(), "--cwd", str(ROOT)],
        capture_output=True, text=True, cwd=ROOT, timeout=300, check=False,
    )
    assert result.returncode != 0, result.stderr[-2000:]
    assert "unknown parameter(s) ['unitt']" in result.stderr, result.stderr[-3000:]
    assert "'unit'" in result.stderr and "'measure'" in result.stderr  # the accepted names are listed


def _report_set(tmp_path: Path, text: str) -> Path:
    notebooks = tmp_path / "notebooks"
    shutil.copytree(ROOT / "notebooks", notebooks)
    (notebooks / "reports.yaml").write_text(text, encoding="utf-8")
    return notebooks / "reports.yaml"


def test_a_report_set_parameter_the_notebook_does_not_declare_is_refused(tmp_path: Path) -> None:
    config = _report_set(tmp_path, "reports:\n  - {name: net, notebook: 03_actor_network.ipynb, title: N,"
                                   " parameters: {unitt: paragraph}}\n")
    with pytest.raises(ReportConfigError, match=r"report 0 \(net\): parameter\(s\) \['unitt'\] are not parameters "
                                                r"of 03_actor_network.ipynb; it accepts \[.*'unit'"):
        load_report_set(config, TOP_ACTORS)
    per_actor = _report_set(tmp_path / "b", "reports:\n  - {name: 'p-{actor_key}', notebook: 02_entities.ipynb,"
                                            " title: P, for_each_top_actor: {count: 1}}\n")
    with pytest.raises(ReportConfigError, match=r"\['actor'\] are not parameters of 02_entities.ipynb"):
        load_report_set(per_actor, TOP_ACTORS)
    good = _report_set(tmp_path / "c", "reports:\n  - {name: net, notebook: 03_actor_network.ipynb, title: N,"
                                       " parameters: {unit: paragraph}}\n")
    assert load_report_set(good, TOP_ACTORS)[0].parameters == {"unit": "paragraph"}


def test_make_reports_refuses_an_undeclared_parameter_before_reading_the_corpus(tmp_path: Path) -> None:
    """`parameters: {unitt: paragraph}` used to render with the default unit while index.html
    listed `unitt: paragraph` as if applied."""
    config = _report_set(tmp_path, "reports:\n  - {name: net, notebook: 03_actor_network.ipynb, title: N,"
                                   " parameters: {unitt: paragraph}}\n")
    result = subprocess.run(
        [sys.executable, "-m", "analysis", "reports", "--corpus", str(tmp_path / "no-such-corpus"),
         "--out", str(tmp_path / "out"), "--config", str(config)],
        capture_output=True, text=True, cwd=ROOT, timeout=120, check=False,
    )
    assert result.returncode == 2, result.stderr[-2000:]
    assert "parameter(s) ['unitt'] are not parameters of 03_actor_network.ipynb" in result.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("name", ["javascript:alert(1)", "../escape", "a b"])
def test_a_report_name_must_be_a_file_name(tmp_path: Path, name: str) -> None:
    entry = f"{{name: {json.dumps(name)}, notebook: 02_entities.ipynb, title: T}}"
    config = _report_set(tmp_path, f"reports:\n  - {entry}\n")
    with pytest.raises(ReportConfigError, match="are not file names"):
        load_report_set(config, TOP_ACTORS)
    cyrillic = _report_set(tmp_path / "ok", "reports:\n  - {name: 05-profile-садыр-жапаров,"
                                            " notebook: 02_entities.ipynb, title: T}\n")
    assert [report.name for report in load_report_set(cyrillic, TOP_ACTORS)] == ["05-profile-садыр-жапаров"]


def test_a_repeated_key_in_the_report_set_is_refused(tmp_path: Path) -> None:
    config = _report_set(tmp_path, "reports:\n  - name: a\n    notebook: 02_entities.ipynb\n    title: T\n"
                                   "    title: U\n")
    with pytest.raises(ReportConfigError, match=r"reports.yaml:5: .*'title' appears twice \(first at line 4\)"):
        load_report_set(config, TOP_ACTORS)


# ---------------------------------------------------------------- failed 4: read-only cache

def _as_unprivileged(command: list[str]) -> list[str]:
    """Root writes through any permission bit, so as root the command runs as `nobody`."""
    if os.geteuid() != 0:
        return command
    if not shutil.which("setpriv"):
        pytest.skip("running as root without setpriv: cannot make a folder unwritable")
    return ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", *command]


def test_a_read_only_cache_is_one_line_and_exit_2_before_any_annotation(tmp_path_factory) -> None:
    base = tmp_path_factory.mktemp("read-only-cache")
    base.chmod(0o755)
    for parent in base.parents:  # `nobody` must reach the corpus (pytest's base folder is 0700)
        if parent.is_relative_to(Path(os.environ.get("TMPDIR", "/tmp"))) and parent != Path("/"):
            parent.chmod(parent.stat().st_mode | stat.S_IXOTH | stat.S_IROTH)
    corpus = base / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Sadyr Japarov met Vladimir Putin in Moscow.\n", encoding="utf-8")
    cache = base / "cache"
    cache.mkdir()
    cache.chmod(0o555)
    env = {**os.environ, "HOME": str(base)}
    command = _as_unprivileged([sys.executable, "-m", "analysis", "annotate", str(corpus), "--cache", str(cache)])
    probe = subprocess.run([*command[: command.index(sys.executable)], sys.executable, "-c", "import analysis"],
                           capture_output=True, cwd=ROOT, env=env, check=False)
    if probe.returncode != 0:
        # `nobody` cannot read this checkout (a clone inside a private folder): use a cache that
        # nobody, root included, can create, a folder under a regular file
        blocker = base / "a-file"
        blocker.write_text("", encoding="utf-8")
        cache = blocker / "cache"
        command = [sys.executable, "-m", "analysis", "annotate", str(corpus), "--cache", str(cache)]
    result = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, env=env, timeout=300, check=False)
    assert result.returncode == 2, result.stderr[-3000:]
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and f"annotation cache folder {cache}/" in errors[0] and "not writable" in errors[0], \
        result.stderr[-3000:]
    assert "annotating" not in result.stderr  # refused before any document was annotated


# ---------------------------------------------------------------- unclear: make variables

def test_make_passes_corpus_and_out_as_single_words(tmp_path: Path) -> None:
    """`make reports CORPUS="my corpus"` failed with "unrecognized arguments", and a `;` in
    CORPUS ran a shell command. PY is replaced by a printer of its arguments."""
    marker = tmp_path / "ran"
    printer = f"{sys.executable} -c 'import json, sys; print(json.dumps(sys.argv[1:]))'"
    corpus = f"my corpus; touch {marker}; echo '$(whoami)'"
    result = subprocess.run(
        ["make", "--no-print-directory", "-s", "-o", ".venv/.installed", "reports", f"PY={printer}",
         f"CORPUS={corpus}", "OUT=out dir"],
        capture_output=True, text=True, cwd=ROOT, timeout=60, check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == [
        "-m", "analysis", "reports", "--corpus", corpus, "--out", "out dir"]
    assert not marker.exists()


# ---------------------------------------------------------------- unclear: corpus reading

def test_utf16_with_a_byte_order_mark_is_decoded_and_noted(tmp_path: Path) -> None:
    (tmp_path / "bom.txt").write_bytes("Sadyr Japarov met Vladimir Putin in Moscow.\n".encode("utf-16"))
    (tmp_path / "no-bom.txt").write_bytes("Sadyr Japarov met Vladimir Putin.\n".encode("utf-16-le"))
    (tmp_path / "rows.jsonl").write_bytes('{"id": "r1", "text": "Putin met Japarov."}\n'.encode("utf-16"))
    documents, problems = read_corpus(tmp_path)
    assert set(documents["doc_id"]) == {"bom", "r1"}
    assert documents.set_index("doc_id").loc["bom", "text"] == "Sadyr Japarov met Vladimir Putin in Moscow."
    listed = _problems(problems)
    assert listed["bom.txt"][:2] == ("UTF-16 text (byte order mark); decoded, but save it as UTF-8", "loaded")
    assert listed["rows.jsonl"][1] == "loaded" and "UTF-16" in listed["rows.jsonl"][0]
    assert listed["no-bom.txt"][:2] == ("looks like UTF-16 without a byte order mark; save it as UTF-8", "skipped")


def test_jsonl_fields_must_be_strings(tmp_path: Path) -> None:
    rows = [{"id": "ok", "text": "Putin met Japarov."}, {"id": "n", "text": 0}, {"id": "l", "text": ["a", "b"]},
            {"id": 0, "text": "zero id"}, {"id": "d", "text": "Dated.", "date": 20210101}]
    file = tmp_path / "corpus.jsonl"
    file.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    documents, problems = read_corpus(file)
    assert documents["doc_id"].tolist() == ["ok"]
    reasons = dict(zip(problems["line"], problems["reason"], strict=True))
    assert reasons == {
        2: "'text' is a number (0); expected a string",
        3: "'text' is a list ([\"a\", \"b\"]); expected a string",
        4: "'id' is a number (0); expected a string",
        5: "'date' is a number (20210101); expected a string",
    }


def test_a_semicolon_csv_in_a_folder_is_listed_and_the_rest_kept(tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "a.txt").write_text("Putin met Japarov in Moscow.\n", encoding="utf-8")
    (folder / "b.txt").write_text("The OSCE observed the elections.\n", encoding="utf-8")
    (folder / "rows.csv").write_text("id;text\n1;Putin met Japarov.\n", encoding="utf-8")
    documents, problems = read_corpus(folder)
    assert sorted(documents["doc_id"]) == ["a", "b"]
    reason, action, line = _problems(problems)["rows.csv"]
    assert action == "skipped" and line == 1 and "';'-delimited" in reason and "['id', 'text']" in reason
    with pytest.raises(CorpusError, match="rows.csv:1: CSV header"):
        read_corpus(folder, strict=True)
    with pytest.raises(CorpusError, match="';'-delimited"):  # the file alone is the corpus: nothing to keep
        read_corpus(folder / "rows.csv")


def test_symlinks_and_hidden_entries_are_listed_not_dropped(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("Outside text about Putin.\n", encoding="utf-8")
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "a.txt").write_text("Putin met Japarov in Moscow.\n", encoding="utf-8")
    (folder / "inside-link.txt").symlink_to(folder / "a.txt")
    (folder / "outside-link.txt").symlink_to(outside / "secret.txt")
    (folder / "broken-link.txt").symlink_to(folder / "missing.txt")
    (folder / "linked-folder").symlink_to(outside, target_is_directory=True)
    (folder / ".hidden.txt").write_text("Hidden text.\n", encoding="utf-8")
    (folder / ".git").mkdir()
    (folder / ".git" / "notes.txt").write_text("Hidden folder text.\n", encoding="utf-8")
    documents, problems = read_corpus(folder)
    assert sorted(documents["doc_id"]) == ["a", "inside-link"]
    listed = _problems(problems)
    assert listed["outside-link.txt"][0] == "symbolic link to a file outside the corpus folder; not read"
    assert listed["broken-link.txt"][0].startswith("broken symbolic link")
    assert listed["linked-folder"][0].startswith("symbolic link to a folder; not followed")
    assert listed[".hidden.txt"][0].startswith("hidden file; not read")
    assert listed[".git"][0].startswith("hidden folder; not read")
    assert "inside-link.txt" in listed and "same text as 'a'" in listed["inside-link.txt"][0]
    assert "notes.txt" not in listed  # one line for the hidden folder, not one per file in it


def test_a_malformed_dateline_is_listed_and_not_counted_as_text(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(
        "Headline about Kyrgyzstan\n\n30 February 2021, BISHKEK – The OSCE met Sadyr Japarov.\n", encoding="utf-8")
    documents, problems = read_corpus(tmp_path)
    row = documents.iloc[0]
    assert pd.isna(row["date"]) and row["text"][row["body_start"]:] == "The OSCE met Sadyr Japarov."
    assert row["title"] == "Headline about Kyrgyzstan"
    reason, action, _ = _problems(problems)["a.txt"]
    assert action == "loaded" and "malformed dateline date '30 February 2021'" in reason


def test_a_date_in_the_future_is_noted(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(" date 2031-05-01 Source: Wire\nThe OSCE met Sadyr Japarov.\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text(" date 2021-05-01 Source: Wire\nThe OSCE met Putin.\n", encoding="utf-8")
    documents, problems = read_corpus(tmp_path)
    assert documents.set_index("doc_id").loc["a", "date"] == pd.Timestamp("2031-05-01")  # kept as written
    assert [(Path(row.file).name, row.reason, row.action) for row in problems.itertuples()] == [
        ("a.txt", "date 2031-05-01 is in the future; kept as written (a typo?)", "loaded")]


def test_the_size_limit_names_its_option_and_applies_to_table_rows(tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "big.txt").write_text("Putin met Japarov. " * 1000, encoding="utf-8")
    (folder / "rows.jsonl").write_text(
        json.dumps({"id": "big-row", "text": "Putin met Japarov. " * 1000}) + "\n"
        + json.dumps({"id": "small", "text": "Putin met Japarov."}) + "\n", encoding="utf-8")
    (folder / "rows.csv").write_text("id,text\nbig-csv," + "Putin met Japarov. " * 10_000 + "\n", encoding="utf-8")
    documents, problems = read_corpus(folder, max_bytes=10_000)
    assert documents["doc_id"].tolist() == ["small"]
    listed = {(Path(row.file).name, None if pd.isna(row.line) else row.line): row.reason
              for row in problems.itertuples()}
    assert listed[("big.txt", None)].startswith("file too large (0.0 MB > 0.0 MB limit)")
    assert "--max-bytes on the command line" in listed[("big.txt", None)]
    assert "document 'big-row': text too large" in listed[("rows.jsonl", 1)]
    assert "document 'big-csv': text too large" in listed[("rows.csv", 2)]
    assert len(listed) == 3
    cli = subprocess.run([sys.executable, "-m", "analysis", "corpus", str(folder), "--max-bytes", "1000000"],
                         capture_output=True, text=True, cwd=ROOT, timeout=120, check=False)
    assert cli.returncode == 0 and "4 documents" in cli.stdout, cli.stderr


def test_a_long_line_without_punctuation_is_noted(tmp_path: Path) -> None:
    (tmp_path / "run-on.txt").write_text("Kyrgyzstan and Russia discussed trade " * 6_000 + "\n", encoding="utf-8")
    (tmp_path / "normal.txt").write_text("Kyrgyzstan and Russia discussed trade. " * 6_000 + "\n", encoding="utf-8")
    _, problems = read_corpus(tmp_path)
    listed = _problems(problems)
    assert list(listed) == ["run-on.txt"]
    assert listed["run-on.txt"][1] == "loaded"
    assert "227,999 characters without a sentence end" in listed["run-on.txt"][0]
    assert "50,000 characters" in listed["run-on.txt"][0]


# ---------------------------------------------------------------- unclear: lexicon merge rules

def _lexicon(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "mine.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_repeated_field_or_top_level_key_in_a_lexicon_is_an_error(tmp_path: Path) -> None:
    repeated = _lexicon(tmp_path, "actors:\n  - key: acme\n    name: Acme\n    category: organization\n"
                                  "    name: Acme Corp\n")
    with pytest.raises(LexiconError, match=r"mine.yaml:5: .*'name' appears twice \(first at line 3\)"):
        load_lexicon(repeated)
    twice = _lexicon(tmp_path, "actors:\n  - {key: acme, name: Acme, category: organization}\n"
                               "actors:\n  - {key: other, name: Other, category: organization}\n")
    with pytest.raises(LexiconError, match=r"mine.yaml:3: .*'actors' appears twice"):
        load_lexicon(twice)


def test_a_theme_file_with_a_repeated_field_is_an_error(tmp_path: Path) -> None:
    path = _lexicon(tmp_path, "themes:\n  - key: water\n    name: Water\n    triggers: [water]\n"
                              "    triggers: [irrigation]\n")
    with pytest.raises(TaxonomyError, match=r"line 5.*'triggers' appears twice"):
        read_theme_file(path)


def test_a_user_entry_may_not_silently_replace_a_built_in_actor(tmp_path: Path) -> None:
    clash = _lexicon(tmp_path, "actors:\n  - {key: kgz, name: Kyrgyz Gold Zone, category: organization}\n")
    with pytest.raises(LexiconError, match=r"mine.yaml: entry 0 \(kgz\): key 'kgz' is already defined in "
                                           r".*actors.yaml; choose another key, or pass --replace-lexicons"):
        load_lexicon(clash)
    replaced = load_lexicon(clash, extend=False)  # replacing the defaults on purpose is allowed
    assert replaced.lookup("Kyrgyz Gold Zone").key == "kgz" and replaced.lookup("Kyrgyzstan") is None
    added = load_lexicon(_lexicon(tmp_path, "actors:\n  - {key: acme, name: Acme, category: organization}\n"))
    assert added.lookup("Acme").key == "acme" and added.lookup("Kyrgyzstan").key == "kgz"


# ---------------------------------------------------------------- unclear: cooccurrence problems

@pytest.mark.slow
def test_cooccurrence_prints_the_reading_problems(tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "a.txt").write_text("Sadyr Japarov met Vladimir Putin in Moscow.\n", encoding="utf-8")
    (folder / "empty.txt").write_text("", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "analysis", "cooccurrence", str(folder)],
                            capture_output=True, text=True, cwd=ROOT, timeout=600, check=False)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Problems (1):" in result.stderr and "corpus/empty.txt: empty file [skipped]" in result.stderr


# ---------------------------------------------------------------- the page's own script

def test_the_page_script_is_static_and_the_only_one_a_page_runs() -> None:
    """Pages carry one script, the package's file, never built from data; their security policy
    names it by hash, so an injected <script> or onerror= would not run even unescaped."""
    import base64
    import hashlib

    from analysis.reports.html import page_html
    from analysis.reports.presentation import content_security_policy, page_script

    script = page_script()
    for unsafe in ("</", "<!--", "innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(",
                   "Function(", "fetch(", "XMLHttpRequest", "import(", "setAttribute(\"on"):
        assert unsafe not in script, unsafe
    page = page_html(f"Title {HANDLER}", "", f"<p>{escape_html(HANDLER)}</p>")
    assert page.count("<script") == 1 and f"<script>{script}</script>" in page
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    policy = content_security_policy()
    assert f"script-src 'sha256-{digest}'" in policy and "default-src 'none'" in policy
    assert "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    assert page.index("Content-Security-Policy") < page.index("<title>")  # before anything it governs


def test_figure_link_labels_and_targets_are_escaped() -> None:
    from analysis.reports.presentation import figure_links

    markup = figure_links([{"href": '#x"><script>alert(1)</script>', "label": f"Evil {HANDLER}",
                            "box": [1, 2, 3, 4]}])
    assert "<script" not in markup and "<img" not in markup
    assert 'title="Evil &lt;img src=x onerror=&quot;alert(1)&quot;&gt;"' in markup
    assert 'style="left:1.000%;top:2.000%;width:3.000%;height:4.000%"' in markup


ACTORS = pd.DataFrame({"key": ["kgz", "un", "osce", "rus", "sadyr-japarov"],
                       "name": ["Kyrgyzstan", "United Nations", "OSCE", "Russia", "Sadyr Japarov"],
                       "category": ["country", "organization", "organization", "country", "person"],
                       "mentions": [30, 8, 8, 8, 2]})


def _profile_set(folder: Path, policy: str) -> Path:
    (folder / "05_actor_profile.ipynb").write_bytes((ROOT / "notebooks" / "05_actor_profile.ipynb").read_bytes())
    config = folder / "reports.yaml"
    config.write_text("reports:\n  - {name: '05-profile-{actor_key}', notebook: 05_actor_profile.ipynb,"
                      f" title: 'Actor profile: {{actor_name}}', for_each_top_actor: {policy}}}\n", encoding="utf-8")
    return config


def test_profiles_follow_the_policy_plus_the_keys_asked_for(tmp_path):
    from analysis.reports.reportset import profile_policy, profiled_keys

    config = _profile_set(tmp_path, "{count: 2}")
    names = [report.name for report in load_report_set(config, ACTORS)]
    assert names == ["05-profile-kgz", "05-profile-un"]
    asked = [report.name for report in load_report_set(config, ACTORS, ["sadyr-japarov", "kgz"])]
    assert asked == ["05-profile-kgz", "05-profile-un", "05-profile-sadyr-japarov"]
    # the cut fell inside a tie at 8 mentions: the page says so
    policy = profile_policy(config, ACTORS)
    assert "the 2 most mentioned actors" in policy
    assert "2 other actor(s) have as many mentions as the last one profiled (8)" in policy
    assert profiled_keys(config, ["05-profile-osce", "index", "02-entities"]) == {"osce"}


def test_an_unknown_profile_key_proposes_the_key_spelt_alike(tmp_path):
    config = _profile_set(tmp_path, "{count: 1}")
    with pytest.raises(ReportConfigError, match=r"unknown actor key 'japarov' \(did you mean 'sadyr-japarov'\?\)"):
        load_report_set(config, ACTORS, ["japarov"])
