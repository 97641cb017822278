"""The tree tells the data flow: every module imports only from its own stage or earlier ones.

Stages, in the order data flows through them (a module may import from its own stage and any
stage listed before it, lazy imports inside functions included):

    base (analysis/*.py: errors, parameters, schema, yamlfile, fingerprint, ...)
    lang        the language registry and language data loading (analysis/lang/*.py)
    corpus      reading documents
    annotate    mentions and sentences, per language
    lang/<code> one package per language: plugins the registry finds at run time; like
                spaCy's spacy/lang/ru they may use the shared annotation machinery
    link        corpus-level actor identity
    stats       counting, measures, resampling, evaluation
    workflow    one call that reads, annotates and links a corpus (analysis/workflow.py)
    reports     report set, notebook helpers, presentation, rendering
    cli         the command line (analysis/cli.py, cli_compare.py, __main__.py)

No module outside a language's package imports it by name: shared code asks the registry.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "analysis"
ORDER = ("base", "lang", "corpus", "annotate", "lang-plugin", "link", "stats", "workflow", "reports", "cli")
TOP_LEVEL_STAGES = {"workflow": "workflow", "cli": "cli", "cli_compare": "cli", "__main__": "cli"}


def stage_of(module: str) -> str:
    """The stage of a dotted module name under `analysis`."""
    parts = module.split(".")[1:]
    if not parts:
        return "base"
    head = parts[0]
    if head == "lang":
        return "lang-plugin" if len(parts) > 2 or (len(parts) == 2 and (PACKAGE / "lang" / parts[1]).is_dir()) \
            else "lang"
    if (PACKAGE / head).is_dir():
        return head
    return TOP_LEVEL_STAGES.get(head, "base")


def module_name(path: Path) -> str:
    relative = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(relative.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(path: Path) -> list[tuple[int, str]]:
    """Every `analysis...` module the file imports (relative imports resolved), with its line."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module_name(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names if alias.name.split(".")[0] == "analysis"]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package[: len(package) - node.level + 1] + ([base] if base else []))
            if base.split(".")[0] != "analysis":
                continue
            for alias in node.names:  # "from analysis.stats import ranking" imports a module
                candidate = f"{base}.{alias.name}"
                is_module = (PACKAGE.parent / candidate.replace(".", "/")).with_suffix(".py").exists() or \
                    (PACKAGE.parent / candidate.replace(".", "/")).is_dir()
                found.append((node.lineno, candidate if is_module else base))
    return found


MODULES = sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_a_module_imports_only_from_its_stage_or_earlier_ones(path: Path) -> None:
    own = stage_of(module_name(path))
    later = [
        f"{path.relative_to(PACKAGE)}:{line} imports {module} (stage {stage_of(module)!r} comes after {own!r})"
        for line, module in imported_modules(path)
        if ORDER.index(stage_of(module)) > ORDER.index(own)
    ]
    assert not later, "\n".join(later)


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_only_a_language_imports_its_own_package(path: Path) -> None:
    own = module_name(path).split(".")
    named = [
        f"{path.relative_to(PACKAGE)}:{line} imports {module}"
        for line, module in imported_modules(path)
        if stage_of(module) == "lang-plugin" and module.split(".")[:3] != own[:3]
    ]
    assert not named, "\n".join(named)


def test_the_stage_of_a_module_follows_its_folder() -> None:
    assert stage_of("analysis.corpus.reader") == "corpus"
    assert stage_of("analysis.lang.registry") == "lang"
    assert stage_of("analysis.lang.ru.rules") == "lang-plugin"
    assert stage_of("analysis.workflow") == "workflow"
    assert stage_of("analysis.schema") == "base"
    assert stage_of("analysis.cli") == "cli"
