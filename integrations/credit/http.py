"""The real adapter: the credit service's ``GET {base}/enterprises/{uscc}/credit-records``."""

from __future__ import annotations

import httpx

from integrations.credit.base import CreditFact, CreditRejected, CreditUnavailable
from integrations.credit.simulator import fact_from_json


class HttpCreditSource:
    def __init__(
        self, base_url: str, api_key: str, client: httpx.AsyncClient | None = None
    ) -> None:
        self._base = base_url.rstrip("/")
        self._headers = {"Authorization": f"Bearer {api_key}"}
        self._client = client or httpx.AsyncClient(timeout=httpx.Timeout(10.0))

    async def records(self, uscc: str) -> list[CreditFact]:
        url = f"{self._base}/enterprises/{uscc}/credit-records"
        try:
            response = await self._client.get(url, headers=self._headers)
        except httpx.TransportError as error:
            raise CreditUnavailable(type(error).__name__) from error
        if response.status_code >= 500:
            raise CreditUnavailable(f"credit service answered {response.status_code}")
        if response.status_code >= 400:
            raise CreditRejected(f"credit service answered {response.status_code}")
        return [fact_from_json(item) for item in response.json()["records"]]
