"""The Jupyter kernels that execute report notebooks: on this machine, over IPC sockets, and
each remembered so that a stopped run can end its kernels and remove their socket files."""

from __future__ import annotations

import contextlib
import glob
import os
import subprocess
import uuid

from jupyter_client.manager import AsyncKernelManager
from jupyter_core.paths import jupyter_runtime_dir
from traitlets import CaselessStrEnum, default

DEFAULT_KERNEL = "kg-cooccurrence"
# Connection files of the kernels this process started; their IPC sockets are named after them.
_CONNECTION_FILES: set[str] = set()


def kernel_name() -> str:
    """The project's kernel when it is installed, else the default Python kernel."""
    from jupyter_client.kernelspec import find_kernel_specs

    return DEFAULT_KERNEL if DEFAULT_KERNEL in find_kernel_specs() else "python3"


class LocalKernelManager(AsyncKernelManager):
    """A kernel on this machine talking over IPC sockets instead of TCP: nothing listens on a
    network port, and ipykernel has no reason to warn about unencrypted traffic."""

    transport = CaselessStrEnum(["tcp", "ipc"], default_value="ipc", config=True)

    @default("connection_file")
    def _unique_connection_file(self) -> str:
        # the IPC socket files are named after the connection file: kernels started at the same
        # time by parallel workers must not share (or race for) a name
        runtime = jupyter_runtime_dir()
        os.makedirs(runtime, exist_ok=True)
        path = os.path.join(runtime, f"kernel-kg-{uuid.uuid4().hex}.json")
        _CONNECTION_FILES.add(path)
        return path

    async def _async_launch_kernel(self, kernel_cmd: list[str], **kw: object) -> None:
        # a kernel's own log goes nowhere: a notebook's errors reach the run through the kernel's
        # messages, while ipykernel's log lines ("[IPKernelApp] ERROR | ... Socket operation on
        # non-socket" from a kernel ended mid-reply when a run is stopped) would reach the console
        kw.setdefault("stderr", subprocess.DEVNULL)
        await super()._async_launch_kernel(kernel_cmd, **kw)

    async def _async_interrupt_kernel(self) -> None:
        # jupyter_client interrupts a kernel before asking it to shut down; a report's kernel is
        # idle by then, and ipykernel would print the SIGINT as "[IPKernelApp] ERROR |
        # KeyboardInterrupt caught in kernel" on the console of `make reports`
        if self.shutting_down:
            return
        await super()._async_interrupt_kernel()


def remove_kernel_files() -> None:
    """Remove the connection and socket files of this process's kernels: a kernel ended by a
    signal never reaches the manager's own clean-up."""
    for path in list(_CONNECTION_FILES):
        for leftover in [path, *glob.glob(glob.escape(os.path.splitext(path)[0]) + "-ipc-*")]:
            with contextlib.suppress(OSError):
                os.unlink(leftover)
        _CONNECTION_FILES.discard(path)
