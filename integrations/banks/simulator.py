"""A bank in software: decides by rules, answers after a delay, through the signed webhook.

It remembers the idempotency keys it has seen, as a real bank must, so a request delivered twice
(the outbox delivers at least once) is processed once.
"""

from __future__ import annotations

import asyncio
import base64
import logging
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from decimal import Decimal

import orjson

from integrations.banks.base import SIGNATURE_HEADER, TIMESTAMP_HEADER, BankRequest, signature

log = logging.getLogger(__name__)
Callback = Callable[[str, bytes, dict[str, str]], Awaitable[int]]
# Adds the bank's own signature to a signed PDF (the simulated bank's key, certified by a CA).
CounterSigner = Callable[[bytes], Awaitable[bytes]]


@dataclass
class SimulatorRules:
    """How the simulated banks decide (tests and the demo may change them)."""

    delay_seconds: float = 0.3
    refused_functions: dict[str, str] = field(
        default_factory=lambda: {"GUARANTEE": "本行暂未开通线上保函业务"}
    )
    loan_limit: Decimal = Decimal("5000000")


class BankSimulator:
    def __init__(
        self,
        code: str,
        secret: bytes,
        rules: SimulatorRules,
        callback: Callback | None = None,
        counter_signer: CounterSigner | None = None,
    ) -> None:
        self.counter_signer = counter_signer
        self.code = code
        self.secret = secret
        self.rules = rules
        self.callback = callback
        self.received: dict[str, BankRequest] = {}
        self._tasks: set[asyncio.Task[None]] = set()

    async def send(self, request: BankRequest) -> None:
        if request.idempotency_key in self.received:
            return  # delivered again after a crash: already being processed
        self.received[request.idempotency_key] = request
        task = asyncio.create_task(self._answer(request), name=f"bank-{self.code}")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def decide(self, request: BankRequest) -> list[tuple[str, str, str | None]]:
        """The answers, in order, as (event type, decision, reason)."""
        if request.kind == "AGREEMENT_TERMINATE":
            return [("AGREEMENT_DECIDED", "TERMINATED", None)]
        if request.kind == "LOAN_SUBMIT":
            accepted = ("LOAN_DECIDED", "ACCEPTED", None)
            if Decimal(str(request.payload.get("amount", "0"))) > self.rules.loan_limit:
                return [accepted, ("LOAN_DECIDED", "REJECTED", "超出本行授信额度")]
            return [accepted, ("LOAN_DECIDED", "APPROVED", None)]
        if request.kind != "AGREEMENT_SUBMIT":
            return []
        for function in request.payload.get("functions", []):
            if function in self.rules.refused_functions:
                return [("AGREEMENT_DECIDED", "FAILED", self.rules.refused_functions[function])]
        return [("AGREEMENT_DECIDED", "SIGNED", None)]

    async def _answer(self, request: BankRequest) -> None:
        for kind, decision, reason in self.decide(request):
            await asyncio.sleep(self.rules.delay_seconds)
            event: dict[str, object] = {
                "eventId": uuid.uuid4().hex,
                "type": kind,
                "reference": request.payload.get("reference"),
                "decision": decision,
                "reason": reason,
            }
            document = request.payload.get("document")
            if decision == "SIGNED" and document and self.counter_signer is not None:
                pdf = await self.counter_signer(base64.b64decode(str(document)))
                event["counterSignedDocument"] = base64.b64encode(pdf).decode()
            await self._call_back(orjson.dumps(event))

    async def _call_back(self, body: bytes) -> None:
        timestamp = str(int(time.time()))
        headers = {
            TIMESTAMP_HEADER: timestamp,
            SIGNATURE_HEADER: signature(self.secret, timestamp, body),
        }
        for attempt in range(5):
            try:
                assert self.callback is not None, "the simulator needs the gateway's webhook"
                status = await self.callback(f"/webhooks/banks/{self.code}", body, headers)
                if status < 500:
                    return
            except Exception:
                log.warning("bank simulator callback failed", extra={"bank": self.code})
            await asyncio.sleep(0.2 * 2**attempt)

    async def drain(self) -> None:
        """Wait for the answers under way (tests, shutdown)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)
