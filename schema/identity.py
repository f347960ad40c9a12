"""The person and bank-card inputs that recovery and real-name verification share."""

from __future__ import annotations

from typing import overload

import strawberry

from resolvers.core.fields import IdType as DomainIdType
from resolvers.identity.checks import BankCardInput as DomainBankCardInput
from resolvers.identity.checks import IdentityInput as DomainIdentityInput
from schema.base import to_domain


@strawberry.input(description="A person as the forms ask: name, document, validity (YYYYMMDD).")
class IdentityInput:
    name: str
    id_type: DomainIdType
    id_number: str
    id_valid_from: str | None = None
    id_valid_to: str | None = strawberry.field(
        default=None, description="00000000 means long-term."
    )


@strawberry.input(description="Bank-card four elements: the card, its reserved mobile and code.")
class BankCardInput:
    card_number: str
    reserved_mobile: str = strawberry.field(
        description="The mobile the bank holds for the card; need not be the account's."
    )
    sms_code: str = strawberry.field(description="Code of purpose BANK_CARD to reservedMobile.")


def person(value: IdentityInput) -> DomainIdentityInput:
    return to_domain(DomainIdentityInput, value)


@overload
def identity(value: IdentityInput) -> DomainIdentityInput: ...
@overload
def identity(value: IdentityInput | None) -> DomainIdentityInput | None: ...
def identity(value: IdentityInput | None) -> DomainIdentityInput | None:
    return person(value) if value is not None else None


@overload
def bank_card(value: BankCardInput) -> DomainBankCardInput: ...
@overload
def bank_card(value: BankCardInput | None) -> DomainBankCardInput | None: ...
def bank_card(value: BankCardInput | None) -> DomainBankCardInput | None:
    return to_domain(DomainBankCardInput, value) if value is not None else None
