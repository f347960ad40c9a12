"""The real adapter: posts the profile as JSON to the configured platform endpoint."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime

import httpx

from integrations.profile_sync.base import (
    ProfileSnapshot,
    SyncReceipt,
    SyncRejected,
    SyncUnavailable,
)


class HttpProfileSyncer:
    def __init__(self, url: str, api_key: str, client: httpx.AsyncClient | None = None) -> None:
        self._url = url
        self._headers = {"Authorization": f"Bearer {api_key}"}
        self._client = client or httpx.AsyncClient(timeout=httpx.Timeout(10.0))

    async def sync(self, profile: ProfileSnapshot) -> SyncReceipt:
        try:
            response = await self._client.post(
                self._url, json=asdict(profile), headers=self._headers
            )
        except httpx.TransportError as error:
            raise SyncUnavailable(type(error).__name__) from error
        if response.status_code >= 500:
            raise SyncUnavailable(f"platform answered {response.status_code}")
        body = response.json()
        if response.status_code >= 400 or not body.get("receiptId"):
            raise SyncRejected(str(body.get("reason", response.status_code)))
        return SyncReceipt(
            receipt_id=body["receiptId"], synced_at=datetime.fromisoformat(body["syncedAt"])
        )
