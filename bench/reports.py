"""Time `make reports` end to end: cold (empty annotation cache) and warm (nothing changed).

    .venv/bin/python bench/reports.py [--write]

Runs `make reports OUT=<temporary folder>` with a temporary annotation cache
(`KG_COOCCURRENCE_CACHE`), so neither reports/ nor the user's cache is touched. The
environment already exists (creating it is set-up, not reporting; `make` only checks its
stamp). Writes its section of bench/RESULTS.md with --write.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from results import machine, write_section

ROOT = Path(__file__).resolve().parents[1]
SECTION = "## Reports end to end (bench/reports.py)"


def make_reports(out: Path, cache: Path) -> float:
    """Wall seconds of one `make reports` into `out`; a failure stops the benchmark."""
    environment = {**os.environ, "KG_COOCCURRENCE_CACHE": str(cache)}
    start = time.perf_counter()
    completed = subprocess.run(["make", "--no-print-directory", "reports", f"OUT={out}"], cwd=ROOT,
                               env=environment, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    if completed.returncode != 0:
        sys.exit(f"make reports failed ({completed.returncode}):\n{completed.stderr[-3000:]}")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--write", action="store_true", help="record the results in bench/RESULTS.md")
    args = parser.parse_args()
    load = f"{os.getloadavg()[0]:.2f}" if hasattr(os, "getloadavg") else "n/a"
    with tempfile.TemporaryDirectory(prefix="bench-reports-") as folder:
        out, cache = Path(folder) / "out", Path(folder) / "cache"
        cold = make_reports(out, cache)
        warm = make_reports(out, cache)
        reports = len(list(out.glob("*.html"))) - 1  # not the index
    text = (
        f"{SECTION}\n\nCommand: `.venv/bin/python bench/reports.py --write`; {machine()}; "
        f"load average {load} at the start.\n\n"
        "| run | reports | wall s | per report s |\n|---|---:|---:|---:|\n"
        f"| cold `make reports` (empty annotation cache) | {reports} | {cold:.1f} | {cold / reports:.1f} |\n"
        f"| warm `make reports` (cache filled, nothing changed) | {reports} | {warm:.1f} | {warm / reports:.1f} |\n\n"
        "Each report starts its own Jupyter kernel and imports the package (pandas, matplotlib, spaCy); "
        "the spaCy pipeline itself is loaded only by a report that finds documents missing from the "
        "cache, so in the cold run the first report loads it and annotates the seeds, and in the warm "
        "run no report loads it. Kernel start-up, imports, reading the lexicons, the figures and the "
        "HTML export make up the remaining time.\n"
    )
    print(text)
    if args.write:
        write_section(text)


if __name__ == "__main__":
    main()
