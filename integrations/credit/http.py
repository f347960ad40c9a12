"""The real adapter: the credit service's ``GET {base}/enterprises/{uscc}/credit-records`` and
``GET {base}/whitelist?region=<code>``."""

from __future__ import annotations

from typing import Any

import httpx

from integrations.credit.base import (
    CreditFact,
    CreditRejected,
    CreditUnavailable,
    WhitelistEntry,
)
from integrations.credit.simulator import entry_from_json, fact_from_json


class HttpCreditSource:
    def __init__(
        self, base_url: str, api_key: str, client: httpx.AsyncClient | None = None
    ) -> None:
        self._base = base_url.rstrip("/")
        self._headers = {"Authorization": f"Bearer {api_key}"}
        self._client = client or httpx.AsyncClient(timeout=httpx.Timeout(10.0))

    async def records(self, uscc: str) -> list[CreditFact]:
        body = await self._get(f"{self._base}/enterprises/{uscc}/credit-records", {})
        return [fact_from_json(item) for item in body["records"]]

    async def whitelist(self, region_code: str) -> list[WhitelistEntry]:
        body = await self._get(f"{self._base}/whitelist", {"region": region_code})
        return [entry_from_json(item) for item in body["entries"]]

    async def _get(self, url: str, params: dict[str, str]) -> Any:
        try:
            response = await self._client.get(url, params=params, headers=self._headers)
        except httpx.TransportError as error:
            raise CreditUnavailable(type(error).__name__) from error
        if response.status_code >= 500:
            raise CreditUnavailable(f"credit service answered {response.status_code}")
        if response.status_code >= 400:
            raise CreditRejected(f"credit service answered {response.status_code}")
        return response.json()
