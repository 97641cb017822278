"""Outlets as data: which outlet, outlet group and country each source label stands for.

Corpora spell one outlet many ways ("RFE/RL", "Azattyk", "Радио Азаттык (RFE/RL)"), so a
comparison by outlet needs a table, not string rules: `analysis/lexicons/outlets.yaml` ships
one, a user's file extends it, and a label in neither is listed as unknown (its `outlet` and
`source_group` stay null) rather than guessed from its spelling. Labels match whole, ignoring
case and repeated spaces, which is all the normalisation a label gets.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import yaml

from analysis.yamlfile import safe_load_unique

DEFAULT_OUTLETS = Path(__file__).resolve().parent.parent / "lexicons" / "outlets.yaml"
OUTLET_COLUMNS: dict[str, str] = {"label": "string", "outlet": "string", "source_group": "string",
                                  "country": "string", "file": "string"}


def normalise_label(label: str) -> str:
    return " ".join(str(label).split()).casefold()


def _fail(path: Path, where: str, expected: str) -> None:
    raise ValueError(f"{path}: {where}: expected {expected}")


def _labels(value: object, path: Path, where: str) -> list[str]:
    if not isinstance(value, list) or not value or not all(isinstance(v, str) and v.strip() for v in value):
        _fail(path, where, "a non-empty list of label strings")
    return list(value)


def _rows_of_file(path: Path) -> list[tuple[str, str, str, str | None]]:
    """(label, outlet, group, country) rows of one outlet file; a malformed entry is an error
    naming the file and the entry."""
    try:
        data = safe_load_unique(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise ValueError(f"{path}: not a valid outlet table: {' '.join(str(error).split())}") from None
    if not isinstance(data, dict) or not set(data) <= {"outlets", "single_label"}:
        _fail(path, "top level", "a mapping with 'outlets' and/or 'single_label'")
    rows = []
    for key, entry in (data.get("outlets") or {}).items():
        where = f"outlets.{key}"
        if not isinstance(entry, dict) or not {"name", "group", "labels"} <= set(entry) \
                or not set(entry) <= {"name", "group", "country", "labels"}:
            _fail(path, where, "a mapping with name, group, labels and optional country")
        for field in ("name", "group"):
            if not isinstance(entry[field], str) or not entry[field].strip():
                _fail(path, f"{where}.{field}", "a non-empty string")
        country = entry.get("country")
        if country is not None and not isinstance(country, str):
            _fail(path, f"{where}.country", "a country code string or null")
        rows += [(label, entry["name"], entry["group"], country)
                 for label in _labels(entry["labels"], path, f"{where}.labels")]
    for group, by_country in (data.get("single_label") or {}).items():
        if not isinstance(by_country, dict):
            _fail(path, f"single_label.{group}", "a mapping of country codes to label lists")
        for country, labels in by_country.items():
            where = f"single_label.{group}.{country}"
            rows += [(label, label, str(group), None if country == "none" else str(country))
                     for label in _labels(labels, path, where)]
    return rows


def load_outlets(paths: Iterable[str | Path] = (), *, defaults: bool = True) -> pd.DataFrame:
    """The outlet table: one row per label (label, outlet, source_group, country, file).

    `paths` extend the shipped table; a label listed twice (in one file or two) is an error
    naming both places, since which outlet it stands for would otherwise depend on file order."""
    files = ([DEFAULT_OUTLETS] if defaults else []) + [Path(p) for p in paths]
    seen: dict[str, Path] = {}
    rows = []
    for path in files:
        if not path.is_file():
            raise ValueError(f"outlet table {str(path)!r} does not exist; expected a YAML file")
        for label, outlet, group, country in _rows_of_file(path):
            norm = normalise_label(label)
            if norm in seen:
                raise ValueError(f"{path}: label {label!r} is already listed in {seen[norm]}; "
                                 "expected each label once")
            seen[norm] = path
            rows.append((label, outlet, group, country, str(path)))
    return pd.DataFrame(rows, columns=list(OUTLET_COLUMNS)).astype(OUTLET_COLUMNS)


@dataclass(frozen=True)
class OutletMatch:
    documents: pd.DataFrame  # with `outlet` and `source_group`
    unknown: pd.DataFrame  # source labels not in the table: source, documents


def with_outlets(documents: pd.DataFrame, table: pd.DataFrame | None = None) -> OutletMatch:
    """`documents` with `outlet` and `source_group` from the table (null for an unknown or
    missing source), and the unknown labels with their numbers of documents, most first."""
    table = load_outlets() if table is None else table
    lookup = table.assign(_norm=table["label"].map(normalise_label)).set_index("_norm")
    source = documents["source"].astype("string") if "source" in documents.columns else \
        pd.Series(pd.NA, index=documents.index, dtype="string")
    norm = source.map(lambda s: normalise_label(s) if isinstance(s, str) else pd.NA)
    outlet = norm.map(lookup["outlet"]).astype("string")
    group = norm.map(lookup["source_group"]).astype("string")
    unknown = source[source.notna() & outlet.isna()]
    listed = unknown.value_counts().rename_axis("source").reset_index(name="documents")
    listed = listed.sort_values(["documents", "source"], ascending=[False, True], kind="stable")
    return OutletMatch(documents.assign(outlet=outlet, source_group=group), listed.reset_index(drop=True))
