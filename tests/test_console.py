"""What `make reports` prints: kernels are shut down without the interrupt that ipykernel
reports as an ERROR line, and they talk over IPC (no warning about unencrypted TCP)."""

from __future__ import annotations

import asyncio
import signal

from analysis.reports.kernels import LocalKernelManager, kernel_name


def test_a_report_kernel_is_shut_down_without_an_interrupt(tmp_path):
    sent: list[int] = []

    class Recording(LocalKernelManager):
        async def _async_signal_kernel(self, signum: int) -> None:
            sent.append(signum)
            await super()._async_signal_kernel(signum)

    async def run() -> bytes:
        with (tmp_path / "stderr").open("w+b") as stderr:
            manager = Recording(kernel_name=kernel_name())
            await manager.start_kernel(stderr=stderr)
            assert manager.transport == "ipc"
            client = manager.client()
            client.start_channels()
            await client.wait_for_ready(timeout=60)
            await client.execute_interactive("x = 1", timeout=60)
            client.stop_channels()
            await manager.shutdown_kernel()
            stderr.seek(0)
            return stderr.read()

    printed = asyncio.run(run()).decode()
    assert signal.SIGINT not in sent
    assert "KeyboardInterrupt" not in printed and "without encryption" not in printed
