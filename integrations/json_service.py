"""The shape the credit, identity and register adapters share: JSON over HTTPS with a bearer
key, where a transport failure or a 5xx is the service's outage, another 4xx a refusal, and
(for look-ups) a 404 "no such record"."""

from __future__ import annotations

from typing import Any

import httpx


class JsonService:
    """Subclasses name the service and the exceptions its outages and refusals become."""

    name = "service"
    unavailable: type[Exception] = ConnectionError
    rejected: type[Exception] = ValueError
    # Look-up services answer 404 for "no such record": ``call`` returns None then.
    missing_is_none = False

    def __init__(
        self, base_url: str, api_key: str, client: httpx.AsyncClient | None = None
    ) -> None:
        self._base = base_url.rstrip("/")
        self._headers = {"Authorization": f"Bearer {api_key}"}
        self._client = client or httpx.AsyncClient(timeout=httpx.Timeout(10.0))

    async def call(
        self, method: str, path: str, *, params: dict[str, Any] | None = None, body: Any = None
    ) -> Any:
        """The decoded JSON body (None for a 404 where ``missing_is_none``)."""
        try:
            response = await self._client.request(
                method, self._base + path, params=params, json=body, headers=self._headers
            )
        except httpx.TransportError as error:
            raise self.unavailable(type(error).__name__) from error
        if response.status_code == 404 and self.missing_is_none:
            return None
        if response.status_code >= 500:
            raise self.unavailable(f"{self.name} answered {response.status_code}")
        if response.status_code >= 400:
            raise self.rejected(f"{self.name} answered {response.status_code}")
        return response.json()
