"""The real adapter: ``POST {base}/persons/verify`` and ``POST {base}/bank-cards/verify``,
answering ``{"outcome": "MATCH" | "NAME_MISMATCH" | ...}``."""

from __future__ import annotations

from typing import Any

import httpx

from integrations.identity.base import (
    BankCard,
    IdentityRejected,
    IdentityUnavailable,
    Outcome,
    Person,
)
from integrations.identity.simulator import person_to_json


class HttpIdentityVerifier:
    def __init__(
        self, base_url: str, api_key: str, client: httpx.AsyncClient | None = None
    ) -> None:
        self._base = base_url.rstrip("/")
        self._headers = {"Authorization": f"Bearer {api_key}"}
        self._client = client or httpx.AsyncClient(timeout=httpx.Timeout(10.0))

    async def check_person(self, person: Person) -> Outcome:
        return await self._verify("/persons/verify", person_to_json(person))

    async def check_bank_card(self, card: BankCard) -> Outcome:
        body = {
            **person_to_json(card.holder),
            "cardNumber": card.card_number,
            "reservedMobile": card.reserved_mobile,
        }
        return await self._verify("/bank-cards/verify", body)

    async def _verify(self, path: str, body: dict[str, Any]) -> Outcome:
        try:
            response = await self._client.post(self._base + path, json=body, headers=self._headers)
        except httpx.TransportError as error:
            raise IdentityUnavailable(type(error).__name__) from error
        if response.status_code >= 500:
            raise IdentityUnavailable(f"identity service answered {response.status_code}")
        if response.status_code >= 400:
            raise IdentityRejected(f"identity service answered {response.status_code}")
        try:
            return Outcome(response.json()["outcome"])
        except (KeyError, ValueError, TypeError) as error:
            raise IdentityUnavailable("unreadable answer") from error
