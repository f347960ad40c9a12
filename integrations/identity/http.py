"""The real adapter: ``POST {base}/persons/verify`` and ``POST {base}/bank-cards/verify``,
answering ``{"outcome": "MATCH" | "NAME_MISMATCH" | ...}``."""

from __future__ import annotations

from typing import Any

from integrations.identity.base import (
    BankCard,
    IdentityRejected,
    IdentityUnavailable,
    Outcome,
    Person,
)
from integrations.identity.simulator import person_to_json
from integrations.json_service import JsonService


class HttpIdentityVerifier(JsonService):
    name = "identity service"
    unavailable = IdentityUnavailable
    rejected = IdentityRejected

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
        answer = await self.call("POST", path, body=body)
        try:
            return Outcome(answer["outcome"])
        except (KeyError, ValueError, TypeError) as error:
            raise IdentityUnavailable("unreadable answer") from error
