"""The production sender: posts each message as JSON to the configured SMS/email gateway."""

from __future__ import annotations

import httpx

from integrations.messaging.base import DeliveryRejected, DeliveryUnavailable


class HttpMessageSender:
    def __init__(self, url: str, api_key: str, client: httpx.AsyncClient | None = None) -> None:
        self._url = url
        self._headers = {"Authorization": f"Bearer {api_key}"}
        self._client = client or httpx.AsyncClient(timeout=httpx.Timeout(5.0))

    async def send_sms(self, mobile: str, text: str) -> None:
        await self._post({"channel": "SMS", "to": mobile, "text": text})

    async def send_email(self, address: str, subject: str, text: str) -> None:
        await self._post({"channel": "EMAIL", "to": address, "subject": subject, "text": text})

    async def _post(self, body: dict[str, str]) -> None:
        try:
            response = await self._client.post(self._url, json=body, headers=self._headers)
        except httpx.TransportError as error:
            raise DeliveryUnavailable(type(error).__name__) from error
        if response.status_code >= 500:
            raise DeliveryUnavailable(f"provider answered {response.status_code}")
        if response.status_code >= 400:
            raise DeliveryRejected(f"provider answered {response.status_code}")

    async def close(self) -> None:
        await self._client.aclose()
