"""The real adapter: the credit service's ``GET {base}/enterprises/{uscc}/credit-records`` and
``GET {base}/whitelist?region=<code>``."""

from __future__ import annotations

from integrations.credit.base import (
    CreditFact,
    CreditRejected,
    CreditUnavailable,
    WhitelistEntry,
)
from integrations.credit.simulator import entry_from_json, fact_from_json
from integrations.json_service import JsonService


class HttpCreditSource(JsonService):
    name = "credit service"
    unavailable = CreditUnavailable
    rejected = CreditRejected

    async def records(self, uscc: str) -> list[CreditFact]:
        body = await self.call("GET", f"/enterprises/{uscc}/credit-records")
        return [fact_from_json(item) for item in body["records"]]

    async def whitelist(self, region_code: str) -> list[WhitelistEntry]:
        body = await self.call("GET", "/whitelist", params={"region": region_code})
        return [entry_from_json(item) for item in body["entries"]]
