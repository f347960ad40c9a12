"""Scheduled jobs: a background task per replica running each job on its interval.

Jobs must be safe to run on several replicas at once (they lock what they change with
``FOR UPDATE SKIP LOCKED``) and idempotent (a second run finds nothing left to do).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from resolvers.core.context import Services

log = logging.getLogger(__name__)
Job = Callable[[Services], Awaitable[int]]


@dataclass(frozen=True)
class Schedule:
    name: str
    job: Job
    every_seconds: float


class Scheduler:
    def __init__(self, services: Services, schedules: list[Schedule]) -> None:
        self.services = services
        self.schedules = schedules
        self._tasks: list[asyncio.Task[None]] = []

    async def start(self) -> None:
        self._tasks = [
            asyncio.create_task(self._loop(s), name=f"job-{s.name}") for s in self.schedules
        ]

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks = []

    async def run(self, name: str) -> int:
        """Run one job now (operators, tests); returns how many records it changed."""
        schedule = next(s for s in self.schedules if s.name == name)
        return await schedule.job(self.services)

    async def _loop(self, schedule: Schedule) -> None:
        while True:
            try:
                changed = await schedule.job(self.services)
                if changed:
                    log.info("scheduled job ran", extra={"job": schedule.name, "changed": changed})
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("scheduled job failed", extra={"job": schedule.name})
            await asyncio.sleep(schedule.every_seconds)
