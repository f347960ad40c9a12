"""The interface shared by the HTTP adapter and the simulator."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol


class IdentityError(Exception):
    """The identity service gave no verdict."""


class IdentityUnavailable(IdentityError):
    """The identity service could not be reached in time: try again later."""


class IdentityRejected(IdentityError):
    """The identity service refused the query itself (malformed, unsupported document)."""


class Outcome(StrEnum):
    """What the authority says about the data it was given."""

    MATCH = "MATCH"
    # 姓名与证件号码不一致: the number exists under another name.
    NAME_MISMATCH = "NAME_MISMATCH"
    # 库中无此号: no person with this document number.
    NOT_FOUND = "NOT_FOUND"
    # The validity dates differ from the document on record.
    VALIDITY_MISMATCH = "VALIDITY_MISMATCH"
    # Bank card: the card is not this person's, or the reserved mobile differs.
    CARD_MISMATCH = "CARD_MISMATCH"
    MOBILE_MISMATCH = "MOBILE_MISMATCH"


@dataclass(frozen=True, slots=True)
class Person:
    name: str
    id_type: str
    id_number: str
    valid_from: str | None = None
    valid_to: str | None = None


@dataclass(frozen=True, slots=True)
class BankCard:
    """The four elements: the holder (name and ID) with the card number and reserved mobile."""

    holder: Person
    card_number: str
    reserved_mobile: str


class IdentityVerifier(Protocol):
    async def check_person(self, person: Person) -> Outcome:
        """Name and document number (and validity, when given) against the issuing authority."""
        ...

    async def check_bank_card(self, card: BankCard) -> Outcome:
        """The four bank-card elements against the card's issuing bank (via UnionPay)."""
        ...
