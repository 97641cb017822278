"""The user's decisions about actor identity, in one file (`--merges FILE`, notebook
parameter `merges`), as YAML or as a filled-in review list (`.tsv`):

```yaml
same:          # each list is one actor; the first key is the one kept
  - [kamchy-kolbaev, kamchybek-kolbayev]
different:     # never merged, whatever the automatic step thinks
  - [sadyr-japarov, akylbek-japarov]
names:         # display names
  kamchy-kolbaev: Kamchy Kolbaev
categories:
  kumtor: facility
```

A review list (`python -m analysis review-actors`) is read by its `decision`, `key` and
`other` columns: `same` keeps `other` and merges `key` into it, `different` keeps them apart;
rows with an empty decision are not decisions. Every malformed entry is one error line with
the file, the line and what was expected.
"""

from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from analysis.schema import ACTOR_CATEGORIES
from analysis.yamlfile import UniqueKeyLoader

SECTIONS = ("same", "different", "names", "categories")
DECISIONS = ("same", "different")


class MergesError(ValueError):
    """A malformed merges file; the message names the file and line."""


@dataclass(frozen=True)
class Decisions:
    """What the user decided: groups that are one actor (first key kept), pairs never merged,
    display names and categories by key."""

    same: tuple[tuple[str, ...], ...] = ()
    different: tuple[tuple[str, ...], ...] = ()
    names: dict[str, str] = field(default_factory=dict)
    categories: dict[str, str] = field(default_factory=dict)
    digest: str = ""  # sha256 of the file, for reports' inputs

    @property
    def empty(self) -> bool:
        return not (self.same or self.different or self.names or self.categories)


def _fail(path: Path, node: yaml.Node | int, expected: str) -> MergesError:
    line = node if isinstance(node, int) else node.start_mark.line + 1
    return MergesError(f"{path}:{line}: expected {expected}")


def _scalar(path: Path, node: yaml.Node, what: str) -> str:
    if not isinstance(node, yaml.ScalarNode) or not str(node.value).strip():
        raise _fail(path, node, what)
    return str(node.value).strip()


def _key_lists(path: Path, node: yaml.Node, section: str) -> tuple[tuple[str, ...], ...]:
    if not isinstance(node, yaml.SequenceNode):
        raise _fail(path, node, f"'{section}' to be a list of key lists, e.g. - [key-a, key-b]")
    groups = []
    for item in node.value:
        if not isinstance(item, yaml.SequenceNode) or len(item.value) < 2:
            raise _fail(path, item, f"each entry of '{section}' to be a list of two or more actor keys")
        groups.append(tuple(_scalar(path, key, f"an actor key in '{section}'") for key in item.value))
    return tuple(groups)


def _mapping(path: Path, node: yaml.Node, section: str, check=None) -> dict[str, str]:
    if not isinstance(node, yaml.MappingNode):
        raise _fail(path, node, f"'{section}' to map actor keys to values, e.g. kumtor: ...")
    out = {}
    for key_node, value_node in node.value:
        key = _scalar(path, key_node, f"an actor key in '{section}'")
        value = _scalar(path, value_node, f"a value for {key!r} in '{section}'")
        if check is not None and not check(value):
            raise _fail(path, value_node, f"a category from {list(ACTOR_CATEGORIES)} for {key!r}, not {value!r}")
        out[key] = value
    return out


def _read_yaml(path: Path, text: str) -> Decisions:
    try:
        yaml.load(text, Loader=UniqueKeyLoader)  # noqa: S506 - a SafeLoader subclass; repeated keys fail here
        root = yaml.compose(text, Loader=UniqueKeyLoader)  # noqa: S506 - nodes keep their lines
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = f"{mark.line + 1}" if mark is not None else "1"
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        raise MergesError(f"{path}:{line}: expected valid YAML ({problem})") from None
    if root is None:
        return Decisions()
    if not isinstance(root, yaml.MappingNode):
        raise _fail(path, root, f"a mapping with sections {list(SECTIONS)}")
    found: dict[str, object] = {}
    for key_node, value_node in root.value:
        section = _scalar(path, key_node, f"a section name from {list(SECTIONS)}")
        if section not in SECTIONS:
            raise _fail(path, key_node, f"a section from {list(SECTIONS)}, not {section!r}")
        if section in ("same", "different"):
            found[section] = _key_lists(path, value_node, section)
        elif section == "names":
            found[section] = _mapping(path, value_node, section)
        else:
            found[section] = _mapping(path, value_node, section, check=lambda value: value in ACTOR_CATEGORIES)
    return Decisions(**found)


def _read_review(path: Path, text: str) -> Decisions:
    rows = list(csv.reader(text.splitlines(), delimiter="\t"))
    if not rows:
        return Decisions()
    header = rows[0]
    missing = [column for column in ("decision", "key", "other") if column not in header]
    if missing:
        raise MergesError(f"{path}:1: expected a review list with columns decision, key and other "
                          f"(missing: {', '.join(missing)})")
    at = {column: header.index(column) for column in ("decision", "key", "other")}
    same, different = [], []
    for number, row in enumerate(rows[1:], start=2):
        cells = {column: (row[index].strip() if index < len(row) else "") for column, index in at.items()}
        decision = cells["decision"].lower()
        if not decision:
            continue
        if decision not in DECISIONS:
            raise MergesError(f"{path}:{number}: expected decision 'same', 'different' or empty, not {decision!r}")
        if not cells["key"] or not cells["other"]:
            raise MergesError(f"{path}:{number}: expected both 'key' and 'other' on a row with a decision")
        (same if decision == "same" else different).append((cells["other"], cells["key"]))
    return Decisions(same=tuple(same), different=tuple(different))


def read_merges(path: str | Path | None) -> Decisions:
    """The decisions in `path` (YAML, or a reviewed `.tsv`); no path, no decisions."""
    if path is None or str(path) == "":
        return Decisions()
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise MergesError(f"{path}: cannot read the merges file ({error.strerror})") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise MergesError(f"{path}:1: expected a UTF-8 text file") from None
    reader = _read_review if path.suffix.lower() in (".tsv", ".txt") else _read_yaml
    decisions = reader(path, text)
    return Decisions(decisions.same, decisions.different, decisions.names, decisions.categories,
                     hashlib.sha256(data).hexdigest())
