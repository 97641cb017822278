"""Executing reports in worker processes: one notebook per task, one kernel per worker.

A worker executes its notebook with papermill into the staging folder, makes it deterministic,
stamps its inputs, and writes its page and tables there; publishing is the main process's job.
Workers leave stopping to the main process (they ignore SIGINT, which a terminal sends to the
whole process group) and, on SIGTERM from it, end their kernels and exit at once; the main
process kills whatever is left of them after a grace period.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import papermill
from papermill.exceptions import PapermillExecutionError

from analysis.reports.html import export_html, make_deterministic, table_files
from analysis.reports.inputs import stamp
from analysis.reports.kernels import LocalKernelManager, kernel_name, remove_kernel_files
from analysis.reports.outfolder import PublishError, write_text


@dataclass(frozen=True)
class Job:
    """One report to execute, in a form a worker process can receive."""

    name: str
    title: str
    notebook: str
    parameters: dict
    inputs: str
    staging: str
    root: str
    nav: str
    profiles: dict


@dataclass(frozen=True)
class Outcome:
    """What became of a job: the files it staged (notebook last), or why it failed. `unwritable`
    is a file that could not be written: the run stops, since the next report would fail too."""

    files: list[str] = field(default_factory=list)
    error: str | None = None
    unwritable: str | None = None


# how long a finished cell's output may trail its reply: papermill makes nbclient's 4-second wait
# fatal, and on a machine busy with other work a large table's output can arrive later than that,
# failing a report whose code ran correctly
IOPUB_TIMEOUT = 120


def failure(error: Exception) -> str:
    if isinstance(error, PapermillExecutionError):
        return f"cell {error.exec_count}: {error.ename}: {error.evalue}"
    return f"{type(error).__name__}: {error}"


def render_one(job: Job) -> Outcome:
    """Execute one notebook into the staging folder and export its page and tables."""
    staging = Path(job.staging)
    executed = staging / f"{job.name}.ipynb"
    try:
        papermill.execute_notebook(
            job.notebook, str(executed), parameters=job.parameters, kernel_name=kernel_name(),
            progress_bar=False, cwd=job.root, kernel_manager_class=LocalKernelManager,
            iopub_timeout=IOPUB_TIMEOUT,
        )
    except OSError as error:
        if error.filename:  # papermill could not read the notebook or write its output
            return Outcome(unwritable=f"{error.filename}: {error.strerror or error}")
        return Outcome(error=failure(error))
    except Exception as error:  # noqa: BLE001 - any failure is reported and the others still render
        return Outcome(error=failure(error))
    try:
        notebook = stamp(make_deterministic(nbformat.read(executed, as_version=4)), job.inputs)
        page = export_html(notebook, job.title, job.nav, f"{job.name}.ipynb", job.profiles)
        tables = table_files(notebook, job.name)
        for name, content in tables.items():
            write_text(staging / name, content)
        write_text(staging / f"{job.name}.html", page)
        text = nbformat.writes(notebook)
        write_text(executed, text if text.endswith("\n") else text + "\n")
    except PublishError as error:
        return Outcome(unwritable=str(error))
    # the notebook goes last: it records the inputs, so a run killed before it is published
    # leaves the old stamp and the next run renders this report again
    return Outcome(files=[*sorted(tables), f"{job.name}.html", f"{job.name}.ipynb"])


def _end_kernels(signum: int, frame: object) -> None:
    """A worker told to stop: kill the kernels it started (its child processes) and exit."""
    import psutil  # a dependency of ipykernel; imported here, where it is needed

    for child in psutil.Process().children(recursive=True):
        with contextlib.suppress(psutil.Error):
            child.kill()
    remove_kernel_files()
    os._exit(128 + signum)


def _start_worker() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _end_kernels)


@contextlib.contextmanager
def worker_pool(workers: int) -> Iterator[ProcessPoolExecutor]:
    """Worker processes for the block. Finished, they exit by themselves; when the block ends
    early (a signal, a file that cannot be written) each is stopped, so none outlives the run."""
    pool = ProcessPoolExecutor(max_workers=workers, initializer=_start_worker)
    try:
        yield pool
    except BaseException:
        _stop_workers()
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown(wait=True)


def _stop_workers(grace: float = 5.0) -> None:
    """SIGTERM to every worker (each ends its kernel and removes its files), then SIGKILL to
    whatever of them and their kernels is left after `grace` seconds: a signal that arrives just
    as a worker starts waiting for its next task is not handled until a task comes."""
    import psutil  # a dependency of ipykernel; imported here, where it is needed

    workers = multiprocessing.active_children()
    kernels = []
    for worker in workers:
        with contextlib.suppress(psutil.Error):
            kernels.extend(psutil.Process(worker.pid).children(recursive=True))
    for worker in workers:
        worker.terminate()
    deadline = time.monotonic() + grace
    for worker in workers:
        worker.join(max(0.0, deadline - time.monotonic()))
        if worker.is_alive():
            worker.kill()
            worker.join(grace)
    _, alive = psutil.wait_procs(kernels, timeout=max(0.5, deadline - time.monotonic()))
    for kernel in alive:
        with contextlib.suppress(psutil.Error):
            kernel.kill()
