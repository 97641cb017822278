"""The conda environment, the pins and pyproject must name the same packages and versions."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def _name(requirement: str) -> str:
    return re.split(r"[=<>!~\[ ]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def _pyproject_requirements() -> list[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    extras = [r for group in project.get("optional-dependencies", {}).values() for r in group]
    return project["dependencies"] + extras


def test_environment_yml_names_every_pyproject_dependency_with_the_same_pin() -> None:
    environment = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip_section = next(item["pip"] for item in environment["dependencies"] if isinstance(item, dict))
    conda_pins = {_name(r): r for r in pip_section}
    assert "python=3.11" in environment["dependencies"]
    for requirement in _pyproject_requirements():
        assert _name(requirement) in conda_pins, f"environment.yml lacks {requirement}"
        assert conda_pins[_name(requirement)].replace("_", "-").lower() == requirement.replace("_", "-").lower()


def test_lock_pins_every_pyproject_dependency_at_the_same_version() -> None:
    lock = {
        _name(line): line.split("==")[1]
        for line in (ROOT / "requirements.lock").read_text().splitlines()
        if "==" in line and not line.startswith("#")
    }
    for requirement in _pyproject_requirements():
        name, _, version = requirement.partition("==")
        assert _name(name) in lock, f"requirements.lock lacks {name}"
        assert lock[_name(name)] == version, f"{name}: pyproject {version}, lock {lock[_name(name)]}"


def test_seeds_are_the_shared_seeds_byte_for_byte() -> None:
    shared = ROOT.parent / "shared" / "seeds"
    if not shared.exists():
        import pytest

        pytest.skip("../shared/seeds is not beside this checkout")
    ours = {p.name: p.read_bytes() for p in (ROOT / "seeds").glob("*.txt")}
    theirs = {p.name: p.read_bytes() for p in shared.glob("*.txt")}
    assert ours == theirs


def test_the_shipped_seed_gold_is_the_shared_gold_byte_for_byte() -> None:
    shared = ROOT.parent / "shared" / "gold"
    if not shared.exists():
        import pytest

        pytest.skip("../shared/gold is not beside this checkout")
    for name in ("seed_actors.tsv", "seed_themes.tsv"):
        assert (ROOT / "notebooks" / "gold" / name).read_bytes() == (shared / name).read_bytes(), name
