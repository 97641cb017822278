"""One parameter table: every caller refuses a bad value the same way, by name, in one line
(exit status 2 at the command line), and values whose memory grows have an upper bound."""

from __future__ import annotations

import argparse
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from analysis.annotate.engines import EngineConfig
from analysis.cli import build_parser, main
from analysis.errors import AnalysisError
from analysis.parameters import MAX_BOOTSTRAP, TABLE, ParameterError
from analysis.reports.notebook import check_parameters
from analysis.stats import cooccurrence
from analysis.stats.evaluation import evaluate
from analysis.stats.resampling import Bootstrap

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "notebooks" / "gold" / "seed_actors.tsv"


def _stderr_of(argv: list[str], capsys) -> tuple[int, str]:
    code = main(argv)
    return code, capsys.readouterr().err


@pytest.mark.parametrize(
    ("value", "expected"),
    [("-0.5", "parameter 'ci' = -0.5"), ("1.5", "parameter 'ci' = 1.5"), ("0", "parameter 'ci' = 0.0")],
)
@pytest.mark.parametrize("command", ["evaluate", "cooccurrence"])
def test_every_command_refuses_a_bad_interval_level_by_name(command: str, value: str, expected: str, capsys) -> None:
    argv = [command, "seeds", "--ci", value] + (["--gold", str(GOLD)] if command == "evaluate" else [])
    code, err = _stderr_of(argv, capsys)
    assert code == 2
    assert err.count("\n") == 1 and expected in err and "between 0 and 1" in err


@pytest.mark.parametrize("command", ["evaluate", "cooccurrence"])
@pytest.mark.parametrize("value", ["1", "0", str(MAX_BOOTSTRAP + 1), "10000000"])
def test_bootstrap_replicates_are_bounded_on_both_sides(command: str, value: str, capsys) -> None:
    argv = [command, "seeds", "--ci", "0.95", "--bootstrap", value] + (
        ["--gold", str(GOLD)] if command == "evaluate" else [])
    code, err = _stderr_of(argv, capsys)
    assert code == 2
    assert err.count("\n") == 1 and f"parameter 'bootstrap' = {value}: expected an integer from 2 to 10,000" in err


def test_the_bootstrap_help_says_why_it_is_bounded() -> None:
    assert "memory" in TABLE["bootstrap"].help and "10,000" in TABLE["bootstrap"].help


def _table_options() -> Iterator[tuple[str, str, str]]:
    """(command, parameter name, option) of every command-line option declared in the table."""
    parser = build_parser()
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    for command, sub in commands.choices.items():
        for action in sub._actions:
            if action.dest in TABLE and action.option_strings:
                yield command, action.dest, action.option_strings[0]


def _bad_values(name: str) -> list[str]:
    """Values of the parameter's type that its rule refuses, as they are typed at a prompt."""
    entry = TABLE[name]
    if entry.type is int:
        return [str(int(entry.low) - 1)] + ([str(int(entry.high) + 1)] if entry.high is not None else []) + ["2.5"]
    if entry.type is float:
        return [str(entry.low - 1)] + ([str(entry.high + 1)] if entry.high is not None else [])
    if entry.valid_choices() is not None:
        return ["no-such-choice"]
    return []


OPTIONS = sorted(set(_table_options()))


def test_the_command_line_takes_its_options_from_the_table() -> None:
    names = {name for _, name, _ in OPTIONS}
    assert {"ci", "bootstrap", "seed", "min_count", "top", "measure", "unit", "level", "pairs", "engine",
            "n_process", "batch_size", "scheduler", "timeout", "max_bytes", "sample"} <= names


@pytest.mark.parametrize(("command", "name", "option"), OPTIONS)
def test_the_command_line_and_the_notebooks_give_the_same_message(command: str, name: str, option: str,
                                                                  capsys) -> None:
    for text in _bad_values(name):
        with pytest.raises(ParameterError) as notebook:
            check_parameters(**{name: _typed(name, text)})
        argv = [command] + (["seeds"] if command != "reports" else []) + [option, text]
        if command == "validation-sheet" and name != "sample":
            argv += ["--sample", "1"]
        if command == "validation-sheet":
            argv += ["--out", "unused.tsv"]
        code, err = _stderr_of(argv, capsys)
        assert code == 2
        assert err == f"error: argument {option}: {notebook.value}\n"


def _typed(name: str, text: str) -> object:
    """What a notebook author would write for the same value."""
    kinds = {int: (int, float), float: (float,)}.get(TABLE[name].type, ())
    for kind in kinds:
        try:
            return kind(text)
        except ValueError:
            continue
    return text


@pytest.mark.parametrize(
    ("name", "value", "calls"),
    [
        ("ci", 1.5, [lambda v: Bootstrap(level=v), lambda v: cooccurrence.PairQuery(ci=v),
                     lambda v: evaluate(_mentions(), _gold(), ci=v)]),
        ("bootstrap", 1, [lambda v: Bootstrap(replicates=v), lambda v: cooccurrence.PairQuery(ci=0.9, bootstrap=v),
                          lambda v: evaluate(_mentions(), _gold(), bootstrap=v)]),
        ("seed", -1, [lambda v: Bootstrap(seed=v), lambda v: evaluate(_mentions(), _gold(), seed=v)]),
        ("min_count", 0, [lambda v: cooccurrence.PairQuery(min_count=v)]),
        ("n_process", 0, [lambda v: EngineConfig(n_process=v)]),
        ("batch_size", 10**9, [lambda v: EngineConfig(batch_size=v)]),
        ("engine", "ray", [lambda v: EngineConfig(v)]),
        ("measure", "dice", [lambda v: cooccurrence.PairQuery(measure=v)]),
    ],
)
def test_the_package_refuses_a_value_as_the_notebooks_do(name: str, value: object, calls: list) -> None:
    with pytest.raises(ParameterError) as notebook:
        check_parameters(**{name: value})
    for call in calls:
        with pytest.raises(ParameterError) as error:
            call(value)
        expected = str(notebook.value).replace("expected None or ", "expected ")
        assert str(error.value) in (str(notebook.value), expected)


def _mentions():
    import pandas as pd

    return pd.DataFrame({"doc_id": ["d"], "kind": ["actor"], "key": ["kgz"], "name": ["Kyrgyzstan"],
                         "category": ["country"], "text": ["Kyrgyzstan"]})


def _gold():
    import pandas as pd

    return pd.DataFrame({"doc": ["d"], "kind": ["country"], "required": ["yes"], "name": ["Kyrgyzstan"],
                         "aliases": [""]})


def test_every_input_error_class_is_an_analysis_error() -> None:
    from analysis.annotate.cache import CacheError
    from analysis.annotate.distributed import SchedulerError
    from analysis.annotate.lexicon import LexiconError
    from analysis.annotate.pipeline import PipelineError
    from analysis.annotate.themes import TaxonomyError
    from analysis.corpus.reader import CorpusError, TableHeaderError
    from analysis.lang.words import LanguageError
    from analysis.reports.reportset import ReportConfigError

    for error in (CacheError, SchedulerError, LexiconError, PipelineError, TaxonomyError, CorpusError,
                  TableHeaderError, LanguageError, ReportConfigError, ParameterError):
        assert issubclass(error, AnalysisError) and issubclass(error, ValueError)


# --------------------------------------------------------------------------- Dask scheduler


@pytest.fixture
def silent_server() -> Iterator[str]:
    """A plain TCP server on the loopback address that accepts and never answers."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    accepted: list[socket.socket] = []

    def accept() -> None:
        while True:
            try:
                accepted.append(server.accept()[0])
            except OSError:
                return

    threading.Thread(target=accept, daemon=True).start()
    yield f"tcp://127.0.0.1:{server.getsockname()[1]}"
    server.close()
    for connection in accepted:
        connection.close()


@pytest.fixture
def closed_port() -> str:
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    return f"tcp://127.0.0.1:{port}"


def _run_with_scheduler(address: str, tmp_path: Path) -> subprocess.CompletedProcess:
    pytest.importorskip("dask.distributed")
    command = [sys.executable, "-m", "analysis", "cooccurrence", "seeds", "--engine", "dask", "--scheduler", address,
               "--timeout", "2", "--cache", str(tmp_path / "cache")]
    return subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=120, check=False)


def test_a_service_that_is_not_a_dask_scheduler_is_one_line_of_error(silent_server: str, tmp_path: Path) -> None:
    result = _run_with_scheduler(silent_server, tmp_path)
    assert result.returncode == 2
    lines = [line for line in result.stderr.splitlines() if line.startswith("error")]
    assert lines == [f"error: no answer from the Dask scheduler at {silent_server!r} within 2 s "
                     "(is it a Dask scheduler, and is it running?)"]
    assert "Traceback" not in result.stderr


def test_an_unreachable_scheduler_is_one_line_of_error(closed_port: str, tmp_path: Path) -> None:
    result = _run_with_scheduler(closed_port, tmp_path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert [line for line in result.stderr.splitlines() if line.startswith("error")] == [
        line for line in result.stderr.splitlines() if closed_port in line]
    assert f"error: scheduler {closed_port!r} is not reachable" in result.stderr


def test_a_peer_that_speaks_another_protocol_is_not_a_scheduler() -> None:
    pytest.importorskip("dask.distributed")
    from analysis.annotate.distributed import SchedulerError, check_scheduler

    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)

    def answer_http() -> None:
        while True:
            try:
                connection = server.accept()[0]
            except OSError:
                return
            connection.sendall(b"HTTP/1.0 200 OK\r\n\r\nhello\n")
            connection.close()

    threading.Thread(target=answer_http, daemon=True).start()
    try:
        with pytest.raises(SchedulerError, match="is not a Dask scheduler"):
            check_scheduler(f"tcp://127.0.0.1:{server.getsockname()[1]}", 5)
    finally:
        server.close()


def test_a_dask_scheduler_passes_the_check() -> None:
    distributed = pytest.importorskip("dask.distributed")
    from analysis.annotate.distributed import check_scheduler

    with distributed.LocalCluster(n_workers=0, processes=False, dashboard_address=None) as cluster:
        check_scheduler(cluster.scheduler_address, 10)
