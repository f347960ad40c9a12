"""The real adapters, JSON over HTTPS with a bearer key:

- market regulator: ``GET {base}/enterprises/{uscc}``, ``GET {base}/enterprises?name=&limit=``;
- commerce ministry: ``GET {base}/foreign-trade-filings/{uscc}``;
- e-licence: ``POST {base}/licence-sessions`` ``{sessionId, uscc, callbackUrl}``.

A 404 is "no such record"; other 4xx are refusals; 5xx and transport failures are outages.
"""

from __future__ import annotations

from datetime import datetime

import httpx

from integrations.json_service import JsonService
from integrations.registry.base import (
    EnterpriseRecord,
    ForeignTradeRecord,
    LicenceChallenge,
    RegistryRejected,
    RegistryUnavailable,
)
from integrations.registry.records import (
    enterprise_from_json,
    foreign_trade_from_json,
)


class _JsonService(JsonService):
    name = "register"
    unavailable = RegistryUnavailable
    rejected = RegistryRejected
    missing_is_none = True


class HttpMarketRegistry(_JsonService):
    async def lookup(self, uscc: str) -> EnterpriseRecord | None:
        body = await self.call("GET", f"/enterprises/{uscc}")
        return None if body is None else enterprise_from_json(body)

    async def search(self, name: str, limit: int = 10) -> list[EnterpriseRecord]:
        body = await self.call("GET", "/enterprises", params={"name": name, "limit": limit})
        return [enterprise_from_json(item) for item in (body or {}).get("items", [])]


class HttpCommerceRegistry(_JsonService):
    async def foreign_trade_filing(self, uscc: str) -> ForeignTradeRecord | None:
        body = await self.call("GET", f"/foreign-trade-filings/{uscc}")
        return None if body is None else foreign_trade_from_json(body)


class HttpElectronicLicence(_JsonService):
    def __init__(
        self,
        base_url: str,
        api_key: str,
        callback_url: str,
        client: httpx.AsyncClient | None = None,
    ) -> None:
        super().__init__(base_url, api_key, client)
        self._callback_url = callback_url

    async def start(self, session_id: str, uscc: str) -> LicenceChallenge:
        body = await self.call(
            "POST",
            "/licence-sessions",
            body={"sessionId": session_id, "uscc": uscc, "callbackUrl": self._callback_url},
        )
        if body is None:
            raise RegistryRejected("no licence session")
        return LicenceChallenge(
            session_id, body["qrContent"], datetime.fromisoformat(body["expiresAt"])
        )
