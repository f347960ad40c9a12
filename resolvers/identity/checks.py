"""Identity checks through the identity service and the register, with their outcomes mapped to
user errors (SW-9, SW-10, SW-18). Also the plain comparisons of a typed identity with the one an
account or enterprise holds."""

from __future__ import annotations

from dataclasses import dataclass

from integrations.identity import BankCard, IdentityError, Outcome, Person
from integrations.registry import EnterpriseRecord, RegistryError
from resolvers.core import fields
from resolvers.core.context import RequestContext
from resolvers.core.errors import CommonErrorCode, Problems, UserErrors
from resolvers.core.fields import IdType
from resolvers.identity.errors import IdentityErrorCode

OUTCOME_ERRORS = {
    Outcome.NAME_MISMATCH: IdentityErrorCode.ID_NAME_MISMATCH,
    Outcome.NOT_FOUND: IdentityErrorCode.ID_NOT_FOUND,
    Outcome.VALIDITY_MISMATCH: IdentityErrorCode.ID_VALIDITY_MISMATCH,
    Outcome.CARD_MISMATCH: IdentityErrorCode.BANK_CARD_MISMATCH,
    Outcome.MOBILE_MISMATCH: IdentityErrorCode.BANK_CARD_MISMATCH,
}


@dataclass
class IdentityInput:
    """A person as the forms ask for one: name, document, and its validity for resident IDs."""

    name: str
    id_type: IdType
    id_number: str
    id_valid_from: str | None = None
    id_valid_to: str | None = None


@dataclass
class BankCardInput:
    card_number: str
    reserved_mobile: str
    sms_code: str


def checked_person(
    ctx: RequestContext, data: IdentityInput | None, problems: Problems, *prefix: str
) -> Person | None:
    """The typed identity in normal form, or None with its problems recorded."""
    if data is None:
        problems.add(CommonErrorCode.REQUIRED, *prefix)
        return None
    name = fields.text(problems, data.name, *prefix, "name", max_length=50)
    number, start, end = fields.id_document(
        problems,
        ctx.clock.today(),
        data.id_type,
        data.id_number,
        data.id_valid_from,
        data.id_valid_to,
        *prefix,
    )
    if name is None or number is None:
        return None
    return Person(name, data.id_type.value, number, start, end)


def same_person(
    person: Person,
    name: str | None,
    id_type: str | None,
    id_number: str | None,
    valid_from: str | None = None,
    valid_to: str | None = None,
) -> bool:
    """Whether a typed identity is the one on record; validity dates count where both exist."""
    if (person.name, person.id_type, person.id_number) != (name, id_type, id_number):
        return False
    for given, held in ((person.valid_from, valid_from), (person.valid_to, valid_to)):
        if given and held and given != held:
            return False
    return True


async def verify_person(ctx: RequestContext, person: Person, *field: str) -> None:
    """The identity authority must know this person under this name."""
    try:
        outcome = await ctx.services.identity.check_person(person)
    except IdentityError as error:
        raise UserErrors.one(CommonErrorCode.IDENTITY_SERVICE_UNAVAILABLE, *field) from error
    if outcome != Outcome.MATCH:
        raise UserErrors.one(OUTCOME_ERRORS[outcome], *field)


async def verify_bank_card(ctx: RequestContext, card: BankCard, *field: str) -> None:
    """The four elements: first the person, then the card with its reserved mobile."""
    await verify_person(ctx, card.holder, *field)
    try:
        outcome = await ctx.services.identity.check_bank_card(card)
    except IdentityError as error:
        raise UserErrors.one(CommonErrorCode.IDENTITY_SERVICE_UNAVAILABLE, *field) from error
    if outcome != Outcome.MATCH:
        raise UserErrors.one(OUTCOME_ERRORS[outcome], *field)


async def registry_record(ctx: RequestContext, uscc: str, *field: str) -> EnterpriseRecord:
    try:
        record = await ctx.services.registry.lookup(uscc)
    except RegistryError as error:
        raise UserErrors.one(CommonErrorCode.REGISTRY_UNAVAILABLE, *field) from error
    if record is None:
        raise UserErrors.one(CommonErrorCode.ENTERPRISE_NOT_IN_REGISTRY, *field)
    return record


def matches_legal_rep(record: EnterpriseRecord, name: str, person: Person) -> bool:
    """The enterprise's name and legal representative as the market regulator holds them."""
    return (record.name, record.legal_rep_name, record.legal_rep_id_type) == (
        name,
        person.name,
        person.id_type,
    ) and record.legal_rep_id_number.upper() == person.id_number.upper()
