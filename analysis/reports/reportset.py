"""The declared report set (`notebooks/reports.yaml`) and its validation.

Everything that can be wrong with the set file is found here, when it is loaded and before
the corpus is annotated: malformed YAML, unknown fields, parameters the notebook does not
declare, placeholders other than `{actor_key}` and `{actor_name}`, and names that are not
safe file stems or that could reach a file another report, or the set's own pages, writes.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd
import papermill
import yaml

from analysis.errors import AnalysisError
from analysis.link.find import did_you_mean
from analysis.yamlfile import safe_load_unique, short

DEFAULT_CONFIG = Path("notebooks") / "reports.yaml"
REPORT_FIELDS = {"name", "notebook", "title", "description", "parameters", "for_each_top_actor", "needs_gold"}
# The gold the seeds' set is scored against (copies of the project's shared gold files).
SEED_GOLD = {"gold": "notebooks/gold/seed_actors.tsv", "theme_gold": "notebooks/gold/seed_themes.tsv"}
# A report name is a file stem and a relative link: letters of any script, digits, '.', '_'
# and '-' (actor keys such as 'садыр-жапаров' are names too); no path separator, no URL scheme,
# no whitespace or control character anywhere (checked with fullmatch: `$` would let a final
# newline through).
REPORT_NAME = re.compile(r"\w[\w.-]{0,120}")
# A report's tables are written as <name>--<table>.csv, and table names start with a letter or
# digit: a name holding '--' or ending in '-' could reach another report's tables.
TABLE_SEPARATOR = "--"
# Stems of the pages every set has besides its reports (compared case-folded, since a
# case-insensitive file system makes 'Index.html' the index).
RESERVED_PAGES = ("index", "actors")
RESERVED_STEM = re.compile("|".join([*RESERVED_PAGES, r"documents-\d+"]), re.IGNORECASE)
PLACEHOLDERS = ("actor_key", "actor_name")


@dataclass(frozen=True)
class Report:
    name: str
    notebook: str
    title: str
    description: str = ""
    parameters: dict = field(default_factory=dict)
    actor_name: str | None = None  # the actor a per-actor report profiles: its name links here
    needs_gold: bool = False  # rendered only when there is a gold file for the corpus


class ReportConfigError(AnalysisError):
    """The report set file is malformed."""


def load_yaml(path: Path) -> object:
    """The report set file's data; malformed YAML or a repeated key names the file and line."""
    try:
        return safe_load_unique(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ReportConfigError(f"{path}: cannot read the report set file: {error.strerror or error}") from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = f"{mark.line + 1}:" if mark else ""
        problem = " ".join(str(getattr(error, "problem", None) or error).split())  # one line
        raise ReportConfigError(f"{path}:{line} not valid YAML: {problem}") from None


def notebook_parameters(notebook: Path) -> list[str]:
    """The names the notebook's `parameters` cell declares (papermill's own reading of it)."""
    return sorted(papermill.inspect_notebook(str(notebook)))


def _check_report_parameters(entry: dict, where: str, notebook: Path) -> None:
    """Every parameter a report sets must be declared by its notebook: papermill injects
    unknown names with only a warning, and the index would list them as if applied."""
    parameters = entry.get("parameters") or {}
    if not isinstance(parameters, dict):
        raise ReportConfigError(f"{where}: 'parameters' must be a mapping of name: value, got {short(parameters)}")
    given = set(parameters) | ({"actor"} if entry.get("for_each_top_actor") else set())
    declared = notebook_parameters(notebook)
    unknown = sorted(given - set(declared))
    if unknown:
        raise ReportConfigError(
            f"{where}: parameter(s) {unknown} are not parameters of {notebook.name}; it accepts {declared}"
        )


def _check_template(text: object, what: str, where: str) -> None:
    """A per-actor name, title or description may use only {actor_key} and {actor_name}: a
    positional `{0}`, an attribute or an unclosed brace would fail only after annotation."""
    if not isinstance(text, str):
        raise ReportConfigError(f"{where}: {what} must be text, got {text!r}")
    try:
        fields = [name for _, name, _, _ in string.Formatter().parse(text) if name is not None]
    except ValueError as error:
        raise ReportConfigError(f"{where}: {what} {text!r} is not a valid template ({error}); write a literal "
                                "brace as {{ or }}") from None
    unknown = sorted({name for name in fields if name not in PLACEHOLDERS})
    if unknown:
        raise ReportConfigError(f"{where}: {what} {text!r} uses unknown placeholder(s) {unknown}; "
                                "use {actor_key} and {actor_name}")
    try:
        text.format(**dict.fromkeys(PLACEHOLDERS, "x"))
    except (ValueError, IndexError, KeyError, AttributeError) as error:
        raise ReportConfigError(f"{where}: {what} {text!r} is not a valid template ({error})") from None


NOT_A_FILE_NAME = "use letters, digits, '.', '_' and '-' (no spaces, control characters, ':' or '/')"


def name_problem(name: str) -> str | None:
    """Why `name` cannot be a report name, or None when it can."""
    if not REPORT_NAME.fullmatch(name):
        return f"is not a file name; {NOT_A_FILE_NAME}"
    if TABLE_SEPARATOR in name or name.endswith("-"):
        return f"holds '{TABLE_SEPARATOR}' or ends in '-', so its files could be another report's tables"
    if RESERVED_STEM.fullmatch(name):
        return "is the name of a page every report set has (index, actors, documents-N)"
    return None


def _check_names(reports: list[Report], path: Path) -> None:
    bad = [report.name for report in reports if not REPORT_NAME.fullmatch(report.name)]
    if bad:
        raise ReportConfigError(f"{path}: report name(s) {bad} are not file names; {NOT_A_FILE_NAME}")
    for report in reports:
        problem = name_problem(report.name)
        if problem:
            raise ReportConfigError(f"{path}: report name {report.name!r} {problem}")
    folded = [report.name.casefold() for report in reports]
    repeated = sorted({r.name for r in reports if folded.count(r.name.casefold()) > 1})
    if repeated:
        raise ReportConfigError(f"{path}: report names must be unique (letter case aside); repeated: {repeated}")


def _check_entry(entry: object, where: str, folder: Path) -> dict:
    if not isinstance(entry, dict) or not {"name", "notebook", "title"} <= set(entry):
        raise ReportConfigError(f"{where}: needs name, notebook and title")
    unknown = set(entry) - REPORT_FIELDS
    if unknown:
        raise ReportConfigError(f"{where}: unknown field(s) {sorted(unknown)}; expected {sorted(REPORT_FIELDS)}")
    if not isinstance(entry["notebook"], str) or not (folder / entry["notebook"]).is_file():
        raise ReportConfigError(f"{where}: notebook {entry['notebook']!r} not found in {folder}")
    if entry.get("for_each_top_actor"):
        if not isinstance(entry["for_each_top_actor"], dict):
            raise ReportConfigError(f"{where}: for_each_top_actor must be a mapping (min_mentions, count, "
                                    "categories)")
        for what in ("name", "title", "description"):
            _check_template(entry.get(what, ""), what, where)
        # the name with every placeholder filled must itself be a good name
        problem = name_problem(entry["name"].format(**dict.fromkeys(PLACEHOLDERS, "x")))
        if problem:
            raise ReportConfigError(f"{where}: report name {entry['name']!r} {problem}")
    _check_report_parameters(entry, f"{where} ({entry['name']})", folder / entry["notebook"])
    return entry


def _expand(entry: dict, top_actors, profiles: Iterable[str] = ()) -> list[Report]:
    """The entry's reports: itself, or one per chosen actor for a `for_each_top_actor` entry
    (`chosen_actors`, plus the actors whose keys are in `profiles`). `top_actors` is the actor
    table, or a function of the entry's parameters giving the table of the corpus annotated as
    those parameters say (a report's own lexicon may rename actors)."""
    expand = entry.get("for_each_top_actor")
    if not expand:
        return [Report(entry["name"], entry["notebook"], entry["title"], entry.get("description", ""),
                       dict(entry.get("parameters") or {}), needs_gold=bool(entry.get("needs_gold")))]
    if top_actors is None:  # checking the set before the corpus is annotated
        return []
    if callable(top_actors):
        top_actors = top_actors(entry.get("parameters") or {})
    chosen = chosen_actors(expand, top_actors)
    named = named_actors(top_actors, profiles)
    chosen = pd.concat([chosen, named[~named["key"].isin(chosen["key"])]])
    reports = []
    for actor in chosen.itertuples():
        values = {"actor_key": actor.key, "actor_name": actor.name}
        reports.append(Report(entry["name"].format(**values), entry["notebook"], entry["title"].format(**values),
                              entry.get("description", "").format(**values),
                              {**(entry.get("parameters") or {}), "actor": actor.key}, actor.name))
    return reports


def chosen_actors(expand: dict, top_actors: pd.DataFrame) -> pd.DataFrame:
    """The actors a `for_each_top_actor` policy profiles, most mentioned first: those of its
    `categories`, with at least `min_mentions`, at most `count` of them (5 when neither is given)."""
    categories = expand.get("categories")
    chosen = top_actors if categories is None else top_actors[top_actors["category"].isin(categories)]
    if "min_mentions" in expand:  # every actor at or above the threshold: no tie is cut
        chosen = chosen[chosen["mentions"] >= int(expand["min_mentions"])]
    if "count" in expand or "min_mentions" not in expand:
        chosen = chosen.head(int(expand.get("count", 5)))
    return chosen


def named_actors(top_actors: pd.DataFrame, profiles: Iterable[str]) -> pd.DataFrame:
    """The actors whose profiles the user asked for by key; an unknown key is refused in one
    line with the keys spelt like it."""
    keys = list(dict.fromkeys(profiles))
    unknown = [key for key in keys if key not in set(top_actors["key"])]
    if unknown:
        hint = did_you_mean(unknown[0], top_actors["key"], top_actors["name"])
        raise ReportConfigError(f"--profiles: unknown actor key {unknown[0]!r}{hint}; the All actors page "
                                "lists every key")
    return top_actors[top_actors["key"].isin(keys)]


def profile_policy(path: Path, top_actors: pd.DataFrame) -> str:
    """The sentence that says which actors have a profile: the set's policy and the ties it
    cut (actors with as many mentions as the last one profiled, left without a profile)."""
    for entry in load_entries(path):
        expand = entry.get("for_each_top_actor")
        if not expand:
            continue
        categories = expand.get("categories")
        pool = top_actors if categories is None else top_actors[top_actors["category"].isin(categories)]
        chosen = chosen_actors(expand, top_actors)
        rule = []
        if "count" in expand or "min_mentions" not in expand:
            rule.append(f"the {int(expand.get('count', 5))} most mentioned actors")
        if "min_mentions" in expand:
            rule.append(f"{'' if rule else 'every actor '}with at least {int(expand['min_mentions'])} mentions")
        if categories is not None:
            rule.append(f"among {', '.join(map(str, categories))}")
        text = "Profiles are rendered for " + " ".join(rule or ["no actor"])
        if len(chosen):
            last = int(chosen["mentions"].iloc[-1])
            tied = int(((pool["mentions"] == last) & ~pool["key"].isin(chosen["key"])).sum())
            if tied:
                text += (f"; {tied} other actor(s) have as many mentions as the last one profiled ({last}) "
                         "and no profile (ties are cut in the table's order)")
        return text + ", and for any actor asked for by key."
    return "This report set has no actor profiles."


def profiled_keys(path: Path, stems: Iterable[str]) -> set[str]:
    """The actor keys of the profiles already in an output folder (its report stems), so a
    profile asked for once stays in the set and is kept up to date."""
    keys = set()
    for entry in load_entries(path):
        if not entry.get("for_each_top_actor") or "{actor_key}" not in entry["name"]:
            continue
        parts = [re.escape(literal) + ("(?P<actor_key>.+)" if name == "actor_key" else ".+" if name else "")
                 for literal, name, _, _ in string.Formatter().parse(entry["name"])]
        pattern = re.compile("".join(parts))
        keys |= {found["actor_key"] for stem in stems if (found := pattern.fullmatch(stem))}
    return keys


def load_entries(path: Path) -> list[dict]:
    """The set file's entries, each checked (fields, notebook, parameters, templates, names)."""
    data = load_yaml(path)
    if not isinstance(data, dict) or not isinstance(data.get("reports"), list):
        raise ReportConfigError(f"{path}: expected a mapping with a 'reports' list")
    return [_check_entry(entry, f"{path}: report {number}", path.parent)
            for number, entry in enumerate(data["reports"])]


def load_report_set(path: Path, top_actors, profiles: Iterable[str] = ()) -> list[Report]:
    """Reports declared in `path`, with per-actor entries expanded for the top actors (a table,
    or a function of an entry's parameters giving one; with `top_actors=None` they are checked,
    not expanded) and for the actors keyed in `profiles`; each report's parameters are checked
    against its notebook's parameters cell."""
    reports = [report for entry in load_entries(path) for report in _expand(entry, top_actors, profiles)]
    _check_names(reports, path)
    return reports


def name_patterns(path: Path) -> list[re.Pattern]:
    """A pattern for the stem of every report the set can produce, per-actor entries included
    (placeholders match any text): the files a run may write, known before annotation."""
    patterns = []
    for entry in load_entries(path):
        if entry.get("for_each_top_actor"):
            parts = [re.escape(literal) + (".+" if name is not None else "")
                     for literal, name, _, _ in string.Formatter().parse(entry["name"])]
            patterns.append(re.compile("".join(parts)))
        else:
            patterns.append(re.compile(re.escape(entry["name"])))
    return patterns


def with_gold(reports: list[Report], shown_corpus: str, gold: dict[str, str] | None) -> list[Report]:
    """The report set with its gold-needing reports given their gold files, or left out when the
    corpus has none (a gold file describes one corpus: the seeds' gold says nothing of another)."""
    files = {k: v for k, v in (gold or {}).items() if v} or (SEED_GOLD if shown_corpus == "seeds" else {})
    kept = []
    for report in reports:
        if report.needs_gold and not files:
            continue
        kept.append(replace(report, parameters={**report.parameters, **files}) if report.needs_gold else report)
    return kept
