"""Time the whole report set end to end: cold (empty annotation cache) and warm.

    .venv/bin/python bench/reports.py [--write]

Renders into a temporary folder with a temporary cache, so neither reports/ nor the
user's cache is touched. Writes its section of bench/RESULTS.md with --write.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SECTION = "## Reports end to end (bench/reports.py)"


def render(out: Path, cache: Path) -> float:
    environment = {**os.environ, "KG_COOCCURRENCE_CACHE": str(cache)}
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "analysis", "reports", "--corpus", "seeds", "--out", str(out)],
                   cwd=ROOT, env=environment, check=True, capture_output=True)
    return time.perf_counter() - start


def write_section(text: str) -> None:
    path = ROOT / "bench" / "RESULTS.md"
    current = path.read_text(encoding="utf-8") if path.exists() else "# Benchmark results\n"
    pattern = re.compile(rf"{re.escape(SECTION)}\n.*?(?=\n## |\Z)", re.S)
    current = pattern.sub("", current).rstrip() + "\n\n"
    path.write_text(current + text.rstrip() + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--write", action="store_true", help="record the results in bench/RESULTS.md")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        cold = render(Path(folder) / "out", Path(folder) / "cache")
        warm = render(Path(folder) / "out", Path(folder) / "cache")
        reports = len(list((Path(folder) / "out").glob("*.html"))) - 1
    text = (
        f"{SECTION}\n\nCommand: `.venv/bin/python bench/reports.py --write` "
        f"({os.cpu_count()} CPUs, Python {platform.python_version()}).\n\n"
        "| run | reports | wall s |\n|---|---:|---:|\n"
        f"| cold (empty annotation cache) | {reports} | {cold:.1f} |\n"
        f"| warm (cache filled, nothing changed) | {reports} | {warm:.1f} |\n\n"
        "Most of the warm time is starting one Jupyter kernel per report and loading the spaCy "
        "pipeline in it (to compute the annotator's fingerprint); spaCy does not run on any document.\n"
    )
    print(text)
    if args.write:
        write_section(text)


if __name__ == "__main__":
    main()
