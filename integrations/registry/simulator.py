"""The market regulator, the commerce ministry and the e-licence service in software.

The registers read the generated dataset shipped with the project (``dataset.json``: companies
with valid USCCs across China) plus an overlay in the data directory that the demo data writes;
tests add records with :meth:`SimulatedRegistry.add`. Name search is fuzzy the way the public
systems are: every character of the query must appear in order.

The e-licence simulator plays the legal representative who scans the QR code: after a delay it
calls the gateway's signed webhook with the USCC whose licence authorised the session, or a
refusal when the register has no such enterprise or the rules say the scan is declined.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson

from integrations.institutions.simulator import post_signed
from integrations.registry.base import (
    EnterpriseRecord,
    ForeignTradeRecord,
    LicenceChallenge,
    RegistryUnavailable,
)
from integrations.registry.records import enterprise_from_json, foreign_trade_from_json

SHIPPED_DATASET = Path(__file__).with_name("dataset.json")
LICENCE_WEBHOOK = "/webhooks/e-licence"
Callback = Callable[[str, bytes, dict[str, str]], Awaitable[int]]


class SimulatedRegistry:
    """Both registers: the market regulator's enterprises and the commerce ministry's filings."""

    def __init__(self, *datasets: Path, delay_seconds: float = 0.02) -> None:
        self.delay_seconds = delay_seconds
        self.available = True
        self._enterprises: dict[str, EnterpriseRecord] = {}
        self._filings: dict[str, ForeignTradeRecord] = {}
        for path in (SHIPPED_DATASET, *datasets):
            if path.exists():
                self.load(orjson.loads(path.read_bytes()))

    def load(self, data: dict[str, Any]) -> None:
        for item in data.get("enterprises", []):
            self.add(enterprise_from_json(item))
        for item in data.get("foreignTrade", []):
            self.add_filing(foreign_trade_from_json(item))

    def add(self, record: EnterpriseRecord) -> None:
        self._enterprises[record.uscc] = record

    def add_filing(self, record: ForeignTradeRecord) -> None:
        self._filings[record.uscc] = record

    def change(self, uscc: str, **changes: Any) -> None:
        """The department updates its record (what a sync then picks up)."""
        if uscc in self._filings and set(changes) <= set(ForeignTradeRecord.__slots__):
            self._filings[uscc] = replace(self._filings[uscc], **changes)
        else:
            self._enterprises[uscc] = replace(self._enterprises[uscc], **changes)

    def record(self, uscc: str) -> EnterpriseRecord | None:
        """The record as it stands, without the service's delay (for the other simulators)."""
        return self._enterprises.get(uscc)

    @property
    def size(self) -> int:
        return len(self._enterprises)

    async def lookup(self, uscc: str) -> EnterpriseRecord | None:
        await self._answer_delay()
        return self._enterprises.get(uscc.strip().upper())

    async def search(self, name: str, limit: int = 10) -> list[EnterpriseRecord]:
        await self._answer_delay()
        wanted = "".join(name.split())
        if not wanted:
            return []
        hits = [r for r in self._enterprises.values() if _in_order(wanted, r.name)]
        hits.sort(key=lambda r: (wanted not in r.name, len(r.name), r.uscc))
        return hits[:limit]

    async def foreign_trade_filing(self, uscc: str) -> ForeignTradeRecord | None:
        await self._answer_delay()
        return self._filings.get(uscc.strip().upper())

    async def _answer_delay(self) -> None:
        await asyncio.sleep(self.delay_seconds)
        if not self.available:
            raise RegistryUnavailable("simulated outage")


def _in_order(query: str, text: str) -> bool:
    position = 0
    for char in query:
        position = text.find(char, position) + 1
        if position == 0:
            return False
    return True


@dataclass
class LicenceRules:
    delay_seconds: float = 0.3
    # USCCs whose legal representative declines the authorisation in the mini-program.
    declined: set[str] = field(default_factory=set)


class SimulatedElectronicLicence:
    def __init__(
        self,
        registry: SimulatedRegistry,
        secret: bytes,
        rules: LicenceRules | None = None,
        callback: Callback | None = None,
    ) -> None:
        self.registry = registry
        self.secret = secret
        self.rules = rules or LicenceRules()
        self.callback = callback
        self._tasks: set[asyncio.Task[None]] = set()

    async def start(self, session_id: str, uscc: str) -> LicenceChallenge:
        expires = datetime.now(UTC) + timedelta(minutes=5)
        task = asyncio.ensure_future(self._scan(session_id, uscc))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return LicenceChallenge(
            session_id, f"https://zzlz.gsxt.gov.cn/auth?session={session_id}", expires
        )

    async def drain(self) -> None:
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)

    async def _scan(self, session_id: str, uscc: str) -> None:
        await asyncio.sleep(self.rules.delay_seconds)
        known = self.registry.record(uscc)
        authorised = known is not None and uscc not in self.rules.declined
        event = {
            "eventId": uuid.uuid4().hex,
            "sessionId": session_id,
            "uscc": uscc,
            "result": "AUTHORISED" if authorised else "DECLINED",
            "holderName": known.legal_rep_name if known else None,
        }
        await post_signed(self.callback, LICENCE_WEBHOOK, self.secret, event, "e-licence")
