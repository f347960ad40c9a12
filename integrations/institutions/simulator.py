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
from dataclasses import dataclass, field
from typing import Any

import orjson

from integrations.institutions.base import (
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    InstitutionRejected,
    InstitutionRequest,
    InstitutionUnavailable,
    signature,
)

log = logging.getLogger(__name__)
Callback = Callable[[str, bytes, dict[str, str]], Awaitable[int]]
# Adds the institution's own signature to a PDF (the simulated institution's key, certified by a
# CA): a bank's counter-signature, an insurer's signed e-policy.
# Arguments: the PDF, the signature field's name, the signing reason.
InstitutionSigner = Callable[[bytes, str, str], Awaitable[bytes]]


@dataclass
class DeliveryFaults:
    """Deliveries simulated institutions refuse (as a 4xx: final) or cannot take (as a 5xx:
    retried), by institution code and request kind, ``*`` for every kind. Set by configuration
    (``GATEWAY_SIMULATED_REFUSALS`` / ``GATEWAY_SIMULATED_OUTAGES``, e.g.
    ``BOC:LOAN_SUBMIT,PAIC:*``) or by tests, so that the gateway's give-up paths can be reached."""

    refused: dict[str, set[str]] = field(default_factory=dict)
    unavailable: dict[str, set[str]] = field(default_factory=dict)

    @staticmethod
    def parse(text: str) -> dict[str, set[str]]:
        """``CODE:KIND,CODE:*`` as a map; blanks are ignored, a bare code means every kind."""
        faults: dict[str, set[str]] = {}
        for item in filter(None, (part.strip() for part in text.split(","))):
            code, _, kind = item.partition(":")
            faults.setdefault(code.strip().upper(), set()).add(kind.strip().upper() or "*")
        return faults

    @staticmethod
    def _matches(table: dict[str, set[str]], code: str, kind: str) -> bool:
        kinds = table.get(code, set())
        return "*" in kinds or kind in kinds

    def check(self, code: str, kind: str) -> None:
        """Raise what the institution would answer to a delivery it does not take."""
        if self._matches(self.refused, code, kind):
            raise InstitutionRejected(f"400: {code} refuses {kind} (simulated)")
        if self._matches(self.unavailable, code, kind):
            raise InstitutionUnavailable(f"503: {code} is unavailable (simulated)")


class SimulatedInstitution:
    """The common life of a simulated institution; subclasses say what it answers."""

    webhook_kind = "banks"

    def __init__(
        self,
        code: str,
        secret: bytes,
        callback: Callback | None = None,
        signer: InstitutionSigner | None = None,
        faults: DeliveryFaults | None = None,
    ) -> None:
        self.code = code
        self.faults = faults or DeliveryFaults()
        self.secret = secret
        self.callback = callback
        self.signer = signer
        self.received: dict[str, InstitutionRequest] = {}
        self._tasks: set[asyncio.Task[None]] = set()

    async def send(self, request: InstitutionRequest) -> None:
        self.faults.check(self.code, request.kind)
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
