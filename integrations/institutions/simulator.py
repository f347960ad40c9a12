"""An institution in software: decides by rules, answers after a delay, through the signed webhook
a real institution calls. Banks and insurers differ only in what they decide.

It remembers the idempotency keys it has seen, as a real institution must, so a request delivered
twice (the outbox delivers at least once) is processed once.
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import orjson

from integrations.institutions.base import (
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    InstitutionRequest,
    signature,
)

log = logging.getLogger(__name__)
Callback = Callable[[str, bytes, dict[str, str]], Awaitable[int]]
# Adds the institution's own signature to a PDF (the simulated institution's key, certified by a
# CA): a bank's counter-signature, an insurer's signed e-policy.
# Arguments: the PDF, the signature field's name, the signing reason.
InstitutionSigner = Callable[[bytes, str, str], Awaitable[bytes]]


class SimulatedInstitution:
    """The common life of a simulated institution; subclasses say what it answers."""

    webhook_kind = "banks"

    def __init__(
        self,
        code: str,
        secret: bytes,
        callback: Callback | None = None,
        signer: InstitutionSigner | None = None,
    ) -> None:
        self.code = code
        self.secret = secret
        self.callback = callback
        self.signer = signer
        self.received: dict[str, InstitutionRequest] = {}
        self._tasks: set[asyncio.Task[None]] = set()

    async def send(self, request: InstitutionRequest) -> None:
        if request.idempotency_key in self.received:
            return  # delivered again after a crash: already being processed
        self.received[request.idempotency_key] = request
        self.spawn(self._answer(request))

    def spawn(self, work: Awaitable[None]) -> None:
        task = asyncio.ensure_future(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    @property
    def delay_seconds(self) -> float:
        """How long the institution takes before each answer (from its rules)."""
        raise NotImplementedError

    def decide(self, request: InstitutionRequest) -> list[dict[str, Any]]:
        """The answers, in order, as webhook events without their ``eventId``."""
        raise NotImplementedError

    async def complete(self, request: InstitutionRequest, event: dict[str, Any]) -> None:
        """Add what takes work to an answer (a signed document) just before it is sent."""

    async def _answer(self, request: InstitutionRequest) -> None:
        for event in self.decide(request):
            await asyncio.sleep(self.delay_seconds)
            await self.complete(request, event)
            await self.call_back({"eventId": uuid.uuid4().hex, **event})

    async def call_back(self, event: dict[str, Any]) -> None:
        """POST one signed event to the gateway's webhook, retrying a failing gateway."""
        path = f"/webhooks/{self.webhook_kind}/{self.code}"
        await post_signed(self.callback, path, self.secret, event, self.code)

    async def drain(self) -> None:
        """Wait for the answers under way (tests, shutdown)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)


async def post_signed(
    callback: Callback | None, path: str, secret: bytes, event: dict[str, Any], source: str
) -> None:
    """What every simulated outside service does to answer: POST one event to the gateway's
    webhook at ``path``, signed with ``secret``, retrying while the gateway fails."""
    if callback is None:
        log.warning("simulator without the gateway's webhook", extra={"source": source})
        return
    body = orjson.dumps(event)
    for attempt in range(5):
        timestamp = str(int(time.time()))
        headers = {
            "content-type": "application/json",
            TIMESTAMP_HEADER: timestamp,
            SIGNATURE_HEADER: signature(secret, timestamp, body),
        }
        try:
            if await callback(path, body, headers) < 500:
                return
        except Exception:
            log.warning("simulated callback failed", extra={"source": source})
        await asyncio.sleep(0.2 * 2**attempt)
