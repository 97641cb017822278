"""Every parameter a user can set, declared once: name, type, range or choices, default, help.

The command line, the report notebooks (`analysis.reports.notebook.check_parameters`), the
co-occurrence model, `evaluate`, the bootstrap and the engines all check a value with `check`
against this table, so a bad value is refused the same way everywhere, with one message
format that names the parameter and what was expected; the command line builds its options
from the same entries (`add_option`), so its help and its checks cannot drift apart
(scikit-learn's `sklearn/utils/_param_validation.py` is the model).

Choices that a registry of a later stage owns (measures, units, engines) are supplied by that
registry when it is imported (`provide`), so this base module imports nothing of the package
but the error base and the schema.
"""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.errors import AnalysisError
from analysis.schema import ACTOR_CATEGORIES

# Largest number of bootstrap replicates: the replicate weights are a replicates x documents
# array of 8-byte numbers, so 10,000 replicates of 10,000 documents already take 800 MB.
MAX_BOOTSTRAP = 10_000
# Largest batch: a batch's texts and tables are held in memory while it is annotated.
MAX_BATCH_SIZE = 100_000
# Most worker processes: each loads its own spaCy pipeline (a few hundred MB).
MAX_PROCESSES = 256
# Longest wait for a Dask scheduler, in seconds.
MAX_TIMEOUT = 3600.0


class ParameterError(AnalysisError):
    """A parameter has a value the package cannot use."""


@dataclass(frozen=True)
class Parameter:
    """One parameter: its type (int, float, str, bool, or a kind checked by its own rule:
    'categories', 'date', 'path'), its range (`low` and `high`, inclusive for integers,
    exclusive for floats) or its choices, whether None means "not given", and its help."""

    name: str
    type: type | str
    help: str
    default: object = None
    low: float | None = None
    high: float | None = None
    choices: tuple[str, ...] | None = None
    optional: bool = False  # None is a value ("not given", "no interval")
    example: str | None = None
    expected_text: str | None = None  # for rules that a range or a list does not say

    def expected(self, optional: bool | None = None) -> str:
        """What a valid value is, in words (the end of every error message of this parameter)."""
        text = self.expected_text or self._expected()
        if self.example and self.expected_text is None:
            text += f", e.g. {self.example}"
        return f"None or {text}" if (self.optional if optional is None else optional) else text

    def _expected(self) -> str:
        choices = self.valid_choices()
        if choices is not None:
            return f"one of {list(choices)}"
        if self.type is int:
            if self.high is not None:
                return f"an integer from {self.low:,.0f} to {self.high:,.0f}"
            return {1: "a positive integer", 0: "a non-negative integer"}.get(self.low, f"an integer >= {self.low}")
        if self.type is float:
            if self.high is not None:
                return f"a number between {self.low:g} and {self.high:g} (exclusive)"
            return f"a number above {self.low:g}"
        if self.type is bool:
            return "True or False"
        return "a non-empty string"

    def valid_choices(self) -> tuple[str, ...] | None:
        if self.name in _PROVIDED:
            return tuple(_PROVIDED[self.name][0]())
        return self.choices

    def fail(self, value: object, detail: str = "", optional: bool | None = None) -> ParameterError:
        """The error for a bad value (raise it): one line, the parameter's name, what was expected."""
        return ParameterError(f"parameter {self.name!r} = {value!r}: expected {self.expected(optional)}{detail}")

    def check(self, value: object, *, optional: bool | None = None) -> object:
        """`value` if it is valid (integers as `int`, dates as `pd.Timestamp`, categories as a
        list), else a `ParameterError`. `optional=False` refuses None where this use needs a value."""
        allow_none = self.optional if optional is None else optional
        if value is None:
            if allow_none:
                return None
            raise self.fail(value, optional=False)
        try:
            return self._check(value)
        except ParameterError:
            if allow_none == self.optional:
                raise
            raise self.fail(value, optional=allow_none) from None

    def _check(self, value: object) -> object:
        if self.name in _PROVIDED:
            names, accepts = _PROVIDED[self.name]
            ok = accepts(value) if accepts is not None else isinstance(value, str) and value in names()
            if not ok:
                raise self.fail(value)
            return value
        if self.choices is not None:
            if not isinstance(value, str) or value not in self.choices:
                raise self.fail(value)
            return value
        return _CHECKS[self.type if isinstance(self.type, str) else self.type.__name__](self, value)


def _number(parameter: Parameter, value: object) -> object:
    integer = parameter.type is int
    kinds = (int, np.integer) if integer else (int, float, np.integer, np.floating)
    if isinstance(value, bool) or not isinstance(value, kinds):
        raise parameter.fail(value)
    low, high = parameter.low, parameter.high
    if integer:
        inside = (low is None or value >= low) and (high is None or value <= high)
    else:
        inside = bool(np.isfinite(value)) and (low is None or value > low) and (high is None or value < high)
    if not inside:
        raise parameter.fail(value)
    return int(value) if integer else value


def _boolean(parameter: Parameter, value: object) -> bool:
    if not isinstance(value, bool):
        raise parameter.fail(value)
    return value


def _string(parameter: Parameter, value: object) -> str:
    if not isinstance(value, str) or not value:
        raise parameter.fail(value)
    return value


def _categories(parameter: Parameter, value: object) -> list[str]:
    values = [value] if isinstance(value, str) else value
    if not isinstance(values, Iterable) or not (values := list(values)):
        raise parameter.fail(value)
    unknown = sorted({str(v) for v in values} - set(ACTOR_CATEGORIES))
    if unknown:
        raise parameter.fail(value, f" (unknown: {unknown})")
    return values


def _strings(parameter: Parameter, value: object) -> list[str]:
    values = [value] if isinstance(value, str) else value
    if not isinstance(values, list | tuple) or not values or not all(isinstance(v, str) and v for v in values):
        raise parameter.fail(value)
    return list(values)


def _date(parameter: Parameter, value: object) -> pd.Timestamp:
    try:
        return pd.Timestamp(dt.date.fromisoformat(str(value)))
    except ValueError:
        raise parameter.fail(value) from None


_CHECKS: dict[str, Callable[[Parameter, object], object]] = {
    "int": _number, "float": _number, "bool": _boolean, "str": _string, "path": _string,
    "categories": _categories, "date": _date, "strings": _strings,
}

# name -> (the registry's names, a test of a value where the names alone do not say it)
_PROVIDED: dict[str, tuple[Callable[[], Iterable[str]], Callable[[object], bool] | None]] = {}


def provide(name: str, names: Callable[[], Iterable[str]], accepts: Callable[[object], bool] | None = None) -> None:
    """Let a registry of a later stage supply the valid values of `name` (its names, read at
    each check, so a name registered later counts; `accepts` where a value is not just a name,
    as in 'window:3')."""
    TABLE[name]  # noqa: B018 - a registry can only supply a declared parameter
    _PROVIDED[name] = (names, accepts)


def _table(*parameters: Parameter) -> dict[str, Parameter]:
    return {p.name: p for p in parameters}


LEVELS: tuple[str, ...] = ("actor", "affiliation")
WEIGHTINGS: tuple[str, ...] = ("none", "fractional")  # analysis.stats.weighting
BY: tuple[str, ...] = ("language", "source_group", "outlet", "period")  # groups analysis.stats.compare compares
PAIRS: tuple[str, ...] = ("actor-actor", "actor-theme")
FREQS: tuple[str, ...] = ("month", "quarter", "year")

TABLE: dict[str, Parameter] = _table(
    # what is read and how it is annotated
    Parameter("corpus", "path", "corpus folder or .jsonl/.csv file", "seeds",
              expected_text="an existing corpus folder or .jsonl/.csv file (relative to the project root)"),
    Parameter("lexicon", "path", "your actor lexicon (YAML); extends the default", optional=True,
              expected_text="the path of an existing YAML file"),
    Parameter("themes", "path", "your theme taxonomy (YAML); extends the default", optional=True,
              expected_text="the path of an existing YAML file"),
    Parameter("gold", "path", "actor gold (columns doc, kind, required, name, aliases; .tsv or .csv)", optional=True,
              expected_text="an existing gold file (.tsv or .csv, relative to the project root)"),
    Parameter("theme_gold", "path", "theme gold (columns doc, theme, required)", optional=True,
              expected_text="an existing gold file (.tsv or .csv, relative to the project root)"),
    Parameter("merges", "path", "your decisions on which actor keys are one actor (YAML, or a reviewed "
              "review-actors .tsv)", optional=True,
              expected_text="an existing merges file (YAML or a reviewed .tsv, relative to the project root)"),
    Parameter("pipeline", str, "installed spaCy English pipeline",
              expected_text="the name of an installed spaCy English pipeline"),
    Parameter("max_bytes", int, "largest .txt file or table row read as one document", low=1),
    Parameter("include_titles", bool, "count headlines (annotated as each document's first sentence)", True),
    Parameter("include_roles", bool, "count role mentions ('the head of state' resolved to the office holder)",
              True),
    # where annotation runs
    Parameter("engine", str, "run on this machine, or as tasks on dask.distributed (pip install .[dask])",
              "local"),
    Parameter("n_process", int, f"worker processes of the local engine (at most {MAX_PROCESSES}: each loads "
              "its own spaCy pipeline)", 1, low=1, high=MAX_PROCESSES),
    Parameter("batch_size", int, f"documents per cache part and per task (at most {MAX_BATCH_SIZE:,}: a batch's "
              "texts are held in memory)", 500, low=1, high=MAX_BATCH_SIZE),
    Parameter("scheduler", str, "address of a Dask scheduler (default: a local cluster)", optional=True,
              expected_text="a Dask scheduler address such as 'tcp://127.0.0.1:8786'"),
    Parameter("timeout", float, "seconds to wait for the Dask scheduler to answer", 10.0, low=0.0,
              high=MAX_TIMEOUT),
    # what is counted
    Parameter("pairs", str, "which pairs (in actor-theme the actor comes first)", "actor-actor", choices=PAIRS),
    Parameter("unit", str, "the unit two mentions must share (K a positive integer)", "sentence",
              example="'window:3'"),
    Parameter("level", str, "count actors, or roll affiliated actors up into their affiliation", "actor",
              choices=LEVELS),
    Parameter("measure", str, "ranks the pairs; with --ci, by the end of its interval that is least flattering",
              "count"),
    Parameter("freq", str, "period of a table by period", "month", choices=FREQS),
    Parameter("categories", "categories", "actor categories kept (default: all)", optional=True,
              expected_text=f"a non-empty list drawn from {list(ACTOR_CATEGORIES)}"),
    Parameter("min_count", int, "fewest units a pair must share to be listed", 1, low=1),
    Parameter("top", int, "rows kept (default: all)", optional=True, low=1),
    Parameter("print_rows", int, "rows of a table to print", 40, low=0),
    Parameter("limit", int, "evidence rows kept (default: all)", optional=True, low=1),
    Parameter("start", "date", "first date kept", optional=True, expected_text="a date as 'YYYY-MM-DD'"),
    Parameter("end", "date", "last date kept", optional=True, expected_text="a date as 'YYYY-MM-DD'"),
    Parameter("languages", "strings", "only documents in these languages (e.g. en ru)", optional=True,
              expected_text="a list of language codes"),
    Parameter("sources", "strings", "only these outlets or source labels", optional=True,
              expected_text="a list of outlet names or source labels"),
    Parameter("source_groups", "strings", "only these outlet groups (lexicons/outlets.yaml), e.g. "
              "'Russian state media'", optional=True, expected_text="a list of outlet groups"),
    Parameter("outlets", "strings", "your outlet table(s), extending analysis/lexicons/outlets.yaml",
              optional=True, expected_text="a list of paths of outlet tables (YAML)"),
    Parameter("weighting", str, "fractional: a unit naming k actors adds 1/(k-1) to each of its pairs",
              "none", choices=WEIGHTINGS),
    Parameter("story_threshold", float, "similarity at which two documents are copies of one story", 0.8,
              low=0.0, high=1.0, example="0.8"),
    Parameter("by", str, "what the groups compared are", "source_group", choices=BY),
    Parameter("reference", str, "compare every group with this one (default: with all others pooled)",
              optional=True, expected_text="the name of a group"),
    Parameter("groups", "strings", "only these groups (default: every group found)", optional=True,
              expected_text="a list of group names"),
    Parameter("actor", str, "the actor of a profile", expected_text="an actor key such as 'kgz' or 'sadyr-japarov'"),
    # uncertainty
    Parameter("ci", float, "interval level of a document bootstrap", optional=True, low=0.0, high=1.0,
              example="0.95"),
    Parameter("bootstrap", int, f"document bootstrap replicates, 2 to {MAX_BOOTSTRAP:,} (memory grows with "
              "replicates x documents)", 1000, low=2, high=MAX_BOOTSTRAP, example="1000"),
    Parameter("seed", int, "random seed", 0, low=0),
    Parameter("sample", int, "number of documents to draw", low=1),
    # what a report shows
    Parameter("top_n", int, "rows of a report's tables", low=1),
    Parameter("top_actors", int, "actors in a report's network and heatmaps", low=1),
    Parameter("network_actors", "strings", "actor keys a report's network starts from (default: the top_actors "
              "most mentioned); the reader can change them in the page", optional=True,
              expected_text="a list of actor keys such as ['kgz', 'sadyr-japarov']"),
    Parameter("evidence_pairs", int, "pairs whose evidence a report shows", low=1),
    Parameter("evidence_per_pair", int, "passages shown per pair before the rest are folded", low=1),
)


def check(name: str, value: object, *, optional: bool | None = None) -> object:
    """`value` if it is valid for parameter `name`, else a `ParameterError` naming it."""
    if name not in TABLE:
        raise ParameterError(f"unknown parameter {name!r}; expected one of {sorted(TABLE)}")
    return TABLE[name].check(value, optional=optional)


def check_all(**values: object) -> dict[str, object]:
    """Every given parameter checked (and normalised), by name."""
    return {name: check(name, value) for name, value in values.items()}


def choices(name: str) -> tuple[str, ...]:
    """The valid values of a parameter with a list of them."""
    found = TABLE[name].valid_choices()
    if found is None:
        raise ParameterError(f"parameter {name!r} has no list of choices")
    return found


# --------------------------------------------------------------------------- command line


def flag(name: str) -> str:
    return "--" + name.replace("_", "-")


def _from_text(parameter: Parameter) -> Callable[[str], object]:
    """An argparse type: the text read as the parameter's type (where it can be), then checked,
    so the command line refuses a value with the same message as every other caller."""

    def convert(text: str) -> object:
        value: object = text
        for kind in (int, float) if parameter.type is int else (float,) if parameter.type is float else ():
            try:
                value = kind(text)
                break
            except ValueError:
                continue
        try:
            return parameter.check(value)
        except ParameterError as error:
            raise argparse.ArgumentTypeError(str(error)) from None

    convert.__name__ = parameter.name
    return convert


def add_option(parser: argparse.ArgumentParser, name: str, *, help: str | None = None,  # noqa: A002
               option: str | None = None, **overrides: object) -> argparse.Action:
    """`--name` (or `option`) from the table: its type, check, default and help (a command may
    override the default or the help, e.g. `evaluate --ci` defaults to 0.95)."""
    parameter = TABLE[name]
    default = overrides.pop("default", parameter.default)
    if parameter.type == "strings":  # one or more words, each checked as a list of one
        element = _from_text(parameter)
        overrides.setdefault("nargs", "+")
        return parser.add_argument(option or flag(name), dest=name, default=default, help=parameter.help,
                                   metavar=overrides.pop("metavar", name.upper()),
                                   type=lambda text: element(text)[0], **overrides)
    text = help or parameter.help
    listed = parameter.valid_choices()
    if listed is not None:
        text += f" ({' | '.join(listed)})"
    if default is not None:
        text += f" (default: {default:,})" if isinstance(default, int) else f" (default: {default})"
    metavar = overrides.pop("metavar", name.upper())
    if listed is not None and _PROVIDED.get(name, (None, None))[1] is None:
        overrides.setdefault("choices", listed)  # for introspection; the type has already checked the value
    return parser.add_argument(option or flag(name), dest=name, type=_from_text(parameter), default=default,
                               help=text, metavar=metavar, **overrides)


class OneLineParser(argparse.ArgumentParser):
    """argparse, with a refused option reported as one line (and exit status 2), like every
    other bad input of the command line."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"error: {message}\n")

