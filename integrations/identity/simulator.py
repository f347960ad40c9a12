"""Identity checks in software, against a population of people and their bank cards.

A document number the population does not hold is NOT_FOUND, as the authority would answer; a
known number under another name is NAME_MISMATCH. The population comes from a JSON dataset
(``{"people": [...], "bankCards": [...]}``) the demo data writes, plus what tests add. The
service takes a moment to answer and can be switched off to test the outage path.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import orjson

from integrations.identity.base import BankCard, IdentityUnavailable, Outcome, Person


class SimulatedIdentityVerifier:
    def __init__(self, dataset: Path | None = None, delay_seconds: float = 0.02) -> None:
        self.delay_seconds = delay_seconds
        self.available = True
        self._people: dict[tuple[str, str], Person] = {}
        self._cards: dict[str, BankCard] = {}
        if dataset is not None and dataset.exists():
            data = orjson.loads(dataset.read_bytes())
            for item in data.get("people", []):
                self.add_person(person_from_json(item))
            for item in data.get("bankCards", []):
                self.add_bank_card(
                    BankCard(person_from_json(item), item["cardNumber"], item["reservedMobile"])
                )

    def add_person(self, person: Person) -> None:
        self._people[(person.id_type, person.id_number.upper())] = person

    def add_bank_card(self, card: BankCard) -> None:
        self.add_person(card.holder)
        self._cards[card.card_number] = card

    async def check_person(self, person: Person) -> Outcome:
        await self._answer_delay()
        return self.verdict(person)

    def verdict(self, person: Person) -> Outcome:
        """The answer to a person check, without the service's delay (for other simulators)."""
        known = self._people.get((person.id_type, person.id_number.upper()))
        if known is None:
            return Outcome.NOT_FOUND
        if known.name != person.name:
            return Outcome.NAME_MISMATCH
        if person.valid_from and known.valid_from and person.valid_from != known.valid_from:
            return Outcome.VALIDITY_MISMATCH
        if person.valid_to and known.valid_to and person.valid_to != known.valid_to:
            return Outcome.VALIDITY_MISMATCH
        return Outcome.MATCH

    async def check_bank_card(self, card: BankCard) -> Outcome:
        await self._answer_delay()
        known = self._cards.get(card.card_number)
        if known is None:
            return Outcome.CARD_MISMATCH
        holder = known.holder
        if (holder.id_type, holder.id_number.upper()) != (
            card.holder.id_type,
            card.holder.id_number.upper(),
        ):
            return Outcome.CARD_MISMATCH
        if holder.name != card.holder.name:
            return Outcome.NAME_MISMATCH
        if known.reserved_mobile != card.reserved_mobile:
            return Outcome.MOBILE_MISMATCH
        return Outcome.MATCH

    async def _answer_delay(self) -> None:
        await asyncio.sleep(self.delay_seconds)
        if not self.available:
            raise IdentityUnavailable("simulated outage")


def person_from_json(item: dict[str, str]) -> Person:
    return Person(
        name=item["name"],
        id_type=item["idType"],
        id_number=item["idNumber"],
        valid_from=item.get("validFrom"),
        valid_to=item.get("validTo"),
    )


def person_to_json(person: Person) -> dict[str, str | None]:
    return {
        "name": person.name,
        "idType": person.id_type,
        "idNumber": person.id_number,
        "validFrom": person.valid_from,
        "validTo": person.valid_to,
    }
