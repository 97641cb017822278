"""What every benchmark script shares: a description of the machine, and writing its own
section of bench/RESULTS.md without touching the others."""

from __future__ import annotations

import os
import platform
import re
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"


def machine() -> str:
    """CPUs, OS, Python and the versions that decide the numbers."""
    import pandas as pd
    import spacy

    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else "?"
    return (
        f"{os.cpu_count()} CPUs (nproc {cpus}), {platform.system()} {platform.machine()}, "
        f"Python {platform.python_version()}, spaCy {spacy.__version__}, pandas {pd.__version__}"
    )


def write_section(section: str, path: Path = RESULTS) -> None:
    """Replace the section of RESULTS.md that has `section`'s first line as heading (or append
    it), keeping every other section; the file is replaced atomically."""
    heading = section.splitlines()[0]
    existing = path.read_text(encoding="utf-8") if path.exists() else "# Benchmark results\n"
    pattern = re.compile(rf"^{re.escape(heading)}[ \t]*\n.*?(?=^## |\Z)", re.MULTILINE | re.DOTALL)
    block = section.rstrip("\n") + "\n\n"
    if pattern.search(existing):
        updated = pattern.sub(lambda _: block, existing, count=1)
    else:
        updated = existing.rstrip("\n") + "\n\n" + block
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_text(updated.rstrip("\n") + "\n", encoding="utf-8")
    os.replace(temporary, path)


def publish(lines: list[str], heading: str, script: str, write: bool) -> None:
    """Print a benchmark's lines and, with `write`, make them its section of RESULTS.md with
    the command that reproduces them."""
    print("\n".join(lines))
    if write:
        command = f"Command: `.venv/bin/python bench/{script} --write`"
        write_section("\n".join([heading, "", command, "", *lines]))
