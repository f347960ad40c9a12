"""The outbox dispatcher: a background task per replica, woken by commits and by a timer."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from resolvers.core.context import Services
from resolvers.outbox.delivery import deliver_due

log = logging.getLogger(__name__)


class Dispatcher:
    def __init__(self, services: Services, interval_seconds: float = 1.0) -> None:
        self.services = services
        self.interval = interval_seconds
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._stopping = False

    def signal(self) -> None:
        self._wake.set()

    async def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="outbox-dispatcher")

    async def stop(self) -> None:
        self._stopping = True
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _run(self) -> None:
        while not self._stopping:
            # Not asyncio.wait_for: on Python 3.11 it can swallow a cancellation that arrives as
            # the event is set, and the dispatcher would never stop.
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self.interval):
                    await self._wake.wait()
            self._wake.clear()
            try:
                while await deliver_due(self.services):
                    pass
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("outbox delivery failed; retrying on the next tick")
