"""The engine "dask": tasks on dask.distributed, for corpora that outgrow one machine.

It maps whatever function it is given (annotating a piece of a batch, counting a partition)
over the items as tasks, with two tasks per worker thread in flight at most, so the corpus is
read (and its texts sent) only as fast as it is processed. A worker builds the spaCy pipeline
once from the annotator's frozen configuration and reuses it. It imports nothing of the engine
registry: the registry names it ("analysis.annotate.distributed:DaskEngine"), as an entry point
of the group `kg_cooccurrence.engines` would.

Connecting waits at most `timeout` seconds (option of `EngineConfig`, default 10) and asks the
peer who it is, so an address that is not a Dask scheduler, or nothing at all, is one line of
error rather than a hang. Install with `pip install .[dask]`; without a scheduler address a
LocalCluster is started.
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from analysis.errors import AnalysisError


class SchedulerError(AnalysisError):
    """No Dask scheduler answers at the given address."""


async def _identity(address: str, timeout: float) -> dict:
    from distributed.core import rpc

    peer = rpc(address, timeout=timeout)
    try:
        return await asyncio.wait_for(peer.identity(), timeout)
    finally:
        await peer.close_rpc()


def _reachable(address: str, timeout: float) -> None:
    """Refuse a TCP address where nothing listens (Dask itself would retry until the timeout
    and then say only that it timed out)."""
    from distributed.comm import parse_address, parse_host_port

    scheme, location = parse_address(address)
    if scheme not in ("tcp", "tls"):
        return
    host, port = parse_host_port(location)
    try:
        socket.create_connection((host, port), timeout).close()
    except OSError as error:
        raise SchedulerError(f"scheduler {address!r} is not reachable ({error.strerror or error})") from None


def check_scheduler(address: str, timeout: float) -> None:
    """Refuse an address at which no Dask scheduler answers within `timeout` seconds."""
    _reachable(address, timeout)
    try:
        identity = asyncio.run(_identity(address, timeout))
    except TimeoutError:
        raise SchedulerError(f"no answer from the Dask scheduler at {address!r} within {timeout:g} s "
                             "(is it a Dask scheduler, and is it running?)") from None
    except (OSError, MemoryError, ValueError, TypeError, EOFError) as error:
        reason = "not reachable" if isinstance(error, OSError) else "not a Dask scheduler"
        raise SchedulerError(f"scheduler {address!r} is {reason} ({type(error).__name__}: "
                             f"{str(error).splitlines()[0] if str(error) else 'no detail'})") from None
    if not isinstance(identity, dict) or identity.get("type") != "Scheduler":
        raise SchedulerError(f"{address!r} answers, but it is not a Dask scheduler")


def _client(scheduler: str | None, timeout: float) -> tuple[Any, Any]:
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError as error:  # pragma: no cover - depends on the installed extras
        raise RuntimeError("the dask engine needs the optional extra: pip install '.[dask]'") from error
    if scheduler:
        check_scheduler(scheduler, timeout)
        return Client(scheduler, timeout=timeout), None
    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
    return Client(cluster), cluster


class DaskEngine:
    """Each item is one task; results come back as tasks finish."""

    def map(self, function: Callable[[Any], Any], items: Iterable[Any], config: Any) -> Iterator[Any]:
        from dask.distributed import as_completed

        client, cluster = _client(config.option("scheduler"), float(config.option("timeout")))
        try:
            pending = as_completed()
            for item in items:
                pending.add(client.submit(function, item, pure=False))
                while pending.count() >= 2 * max(1, sum(client.nthreads().values())):
                    yield next(pending).result()
            for future in pending:
                yield future.result()
        finally:
            client.close()
            if cluster is not None:
                cluster.close()
