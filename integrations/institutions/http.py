"""The real adapter: signed JSON to a bank's or insurer's endpoint, with timeouts and retries."""

from __future__ import annotations

import asyncio
import time

import httpx
import orjson

from integrations.institutions.base import (
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    InstitutionRejected,
    InstitutionRequest,
    InstitutionUnavailable,
    signature,
)


class HttpInstitution:
    def __init__(
        self,
        endpoint: str,
        secret: bytes,
        client: httpx.AsyncClient | None = None,
        attempts: int = 3,
    ) -> None:
        self.endpoint = endpoint
        self.secret = secret
        self.client = client or httpx.AsyncClient(timeout=httpx.Timeout(10.0))
        self.attempts = attempts

    async def send(self, request: InstitutionRequest) -> None:
        body = orjson.dumps({"kind": request.kind, "payload": request.payload})
        for attempt in range(self.attempts):
            timestamp = str(int(time.time()))
            headers = {
                "content-type": "application/json",
                "idempotency-key": request.idempotency_key,
                TIMESTAMP_HEADER: timestamp,
                SIGNATURE_HEADER: signature(self.secret, timestamp, body),
            }
            try:
                response = await self.client.post(self.endpoint, content=body, headers=headers)
            except httpx.TransportError as error:
                failure: Exception = InstitutionUnavailable(type(error).__name__)
            else:
                if response.status_code < 400:
                    return
                if response.status_code < 500:
                    raise InstitutionRejected(f"institution answered {response.status_code}")
                failure = InstitutionUnavailable(f"institution answered {response.status_code}")
            if attempt + 1 < self.attempts:
                await asyncio.sleep(0.2 * 2**attempt)
        raise failure
