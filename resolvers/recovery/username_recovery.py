"""Username recovery (SW-9) for admins, operators and individuals.

Methods, as in the manual (004 §2.3):

- admin, ACCOUNT_INFO: enterprise name + organisation code + a mobile proved by SMS; then two
  of {bound mobile, legal representative identity, admin identity, two operators' mobiles},
  where a mobile that is the admin's bound one counts as one;
- operator / individual, BOUND_MOBILE: the bound mobile proved by SMS, then the own identity
  exactly as registered;
- operator / individual, BANK_CARD: identity and the four bank-card elements in one step;
- admin, ENTERPRISE_REAL_NAME: a mobile proved by SMS, the enterprise, and its bank key at CCB,
  ABC or CMBC; the bank's answer arrives by webhook and then every username of the enterprise
  is shown (see :mod:`resolvers.recovery.bank_key`);
- every kind, manual review: :mod:`resolvers.recovery.manual_reviews`.

Failures never say which part of the data was wrong (VERIFICATION_FAILED), except where the
manual's screens do: "not the bound mobile" and "fewer than two operators".
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlmodel import col, select

from integrations.identity import BankCard
from models import (
    Account,
    AccountKind,
    CodeChannel,
    CodePurpose,
    Enterprise,
    RecoveryPurpose,
    RecoveryStatus,
    RecoveryTicket,
)
from resolvers.core import codes, fields
from resolvers.core.context import RequestContext
from resolvers.core.errors import CommonErrorCode, Problems, UserErrors
from resolvers.core.uow import commit
from resolvers.identity.checks import (
    BankCardInput,
    IdentityInput,
    checked_person,
    same_person,
    verify_bank_card,
)
from resolvers.recovery import tickets as recovery
from resolvers.recovery.errors import RecoveryErrorCode
from resolvers.recovery.tickets import RecoveryFactor

RECOVERABLE = (AccountKind.ENTERPRISE_ADMIN, AccountKind.OPERATOR, AccountKind.INDIVIDUAL)


class UsernameRecoveryMethod(StrEnum):
    ACCOUNT_INFO = "ACCOUNT_INFO"
    BOUND_MOBILE = "BOUND_MOBILE"
    BANK_CARD = "BANK_CARD"
    ENTERPRISE_REAL_NAME = "ENTERPRISE_REAL_NAME"


class RecoveryCheck(StrEnum):
    """One check of a ticket's later steps."""

    # "经办人信息": whoever fills the form; counts if it is the legal representative or admin.
    SELF = "SELF"
    LEGAL_REP = "LEGAL_REP"
    ADMIN = "ADMIN"
    OPERATOR_MOBILES = "OPERATOR_MOBILES"


@dataclass
class StartInput:
    account_kind: AccountKind
    mobile: str
    sms_code: str
    enterprise_name: str | None = None
    org_code: str | None = None


@dataclass
class OperatorMobileInput:
    mobile: str
    sms_code: str


@dataclass
class VerifyInput:
    recovery_id: str
    check: RecoveryCheck
    identity: IdentityInput | None = None
    operator_mobiles: list[OperatorMobileInput] | None = None


@dataclass
class BankCardRecoveryInput:
    account_kind: AccountKind
    identity: IdentityInput
    bank_card: BankCardInput
    enterprise_name: str | None = None
    org_code: str | None = None


def _check_kind(kind: AccountKind) -> None:
    if kind not in RECOVERABLE:
        raise UserErrors.one(CommonErrorCode.METHOD_NOT_AVAILABLE, "accountKind")


def _enterprise_fields(
    problems: Problems, kind: AccountKind, name: str | None, code: str | None
) -> tuple[str, str] | None:
    if kind == AccountKind.INDIVIDUAL:
        return None
    checked_name = fields.text(problems, name, "enterpriseName", max_length=100)
    checked_code = fields.text(problems, code, "orgCode", max_length=18)
    return (checked_name or "", checked_code or "")


async def _enterprise(ctx: RequestContext, names: tuple[str, str] | None) -> Enterprise | None:
    if names is None:
        return None
    enterprise = await recovery.enterprise_by_name_and_code(ctx, *names)
    if enterprise is None:
        raise UserErrors.one(CommonErrorCode.VERIFICATION_FAILED)
    return enterprise


async def _accounts(
    ctx: RequestContext, kind: AccountKind, enterprise: Enterprise | None, *conditions: Any
) -> list[Account]:
    statement = select(Account).where(col(Account.kind) == kind, *conditions)
    statement = statement.order_by(col(Account.id))
    if enterprise is not None:
        statement = statement.where(col(Account.enterprise_id) == enterprise.id)
    return list((await ctx.db.exec(statement)).all())


async def start(ctx: RequestContext, data: StartInput) -> RecoveryTicket:
    """Step one: the enterprise (not for individuals) and a mobile the client proves it holds."""
    _check_kind(data.account_kind)
    problems = Problems()
    names = _enterprise_fields(problems, data.account_kind, data.enterprise_name, data.org_code)
    mobile = fields.mobile(problems, data.mobile, "mobile")
    if not (data.sms_code or "").strip():
        problems.add(CommonErrorCode.REQUIRED, "smsCode")
    problems.raise_if_any()
    assert mobile is not None
    await recovery.count_attempt(ctx, RecoveryPurpose.USERNAME, None)
    await codes.consume(
        ctx, CodeChannel.SMS, CodePurpose.ACCOUNT_RECOVERY, mobile, data.sms_code, "smsCode"
    )
    # The code is spent whatever the checks below say.
    await ctx.db.commit()
    enterprise = await _enterprise(ctx, names)
    if enterprise is None and data.account_kind != AccountKind.INDIVIDUAL:
        raise UserErrors.one(CommonErrorCode.VERIFICATION_FAILED)
    if data.account_kind == AccountKind.ENTERPRISE_ADMIN:
        admins = await _accounts(ctx, AccountKind.ENTERPRISE_ADMIN, enterprise)
        admin = admins[0] if admins else None
        if admin is None:
            raise UserErrors.one(CommonErrorCode.VERIFICATION_FAILED)
        bound = {RecoveryFactor.BOUND_MOBILE.value} if admin.mobile == mobile else set()
        ticket = recovery.open_ticket(
            ctx,
            RecoveryPurpose.USERNAME,
            AccountKind.ENTERPRISE_ADMIN,
            UsernameRecoveryMethod.ACCOUNT_INFO,
            account=admin,
            verified_mobile=mobile,
            factors=bound,
        )
    else:
        ticket = recovery.open_ticket(
            ctx,
            RecoveryPurpose.USERNAME,
            data.account_kind,
            UsernameRecoveryMethod.BOUND_MOBILE,
            enterprise_id=enterprise.id if enterprise else None,
            verified_mobile=mobile,
        )
    await commit(ctx)
    return ticket


async def verify(ctx: RequestContext, data: VerifyInput) -> RecoveryTicket:
    """One later check; the ticket is VERIFIED once its method's rule is met."""
    ticket = await recovery.find_ticket(
        ctx, data.recovery_id, RecoveryPurpose.USERNAME, RecoveryStatus.OPEN
    )
    await recovery.count_attempt(ctx, RecoveryPurpose.USERNAME, ticket.account_id)
    if ticket.method == UsernameRecoveryMethod.ACCOUNT_INFO:
        await _admin_check(ctx, ticket, data)
        if recovery.admin_factors_satisfied(set(ticket.factors)):
            ticket.status = RecoveryStatus.VERIFIED
    else:
        await _own_identity(ctx, ticket, data)
    ctx.db.add(ticket)
    await commit(ctx)
    return ticket


async def _admin_check(ctx: RequestContext, ticket: RecoveryTicket, data: VerifyInput) -> None:
    assert ticket.account_id is not None and ticket.enterprise_id is not None
    admin = await ctx.loaders.account.load(ticket.account_id)
    enterprise = await ctx.loaders.enterprise.load(ticket.enterprise_id)
    if data.check == RecoveryCheck.OPERATOR_MOBILES:
        await _operator_mobiles(ctx, ticket, enterprise, data.operator_mobiles or [])
        return
    problems = Problems()
    person = checked_person(ctx, data.identity, problems, "identity")
    problems.raise_if_any()
    assert person is not None
    is_legal_rep = same_person(
        person,
        enterprise.legal_rep_name,
        enterprise.legal_rep_id_type,
        enterprise.legal_rep_id_number,
        enterprise.legal_rep_id_valid_from,
        enterprise.legal_rep_id_valid_to,
    )
    is_admin = same_person(
        person, admin.name, admin.id_type, admin.id_number, admin.id_valid_from, admin.id_valid_to
    )
    if data.check == RecoveryCheck.SELF:
        # An agent (neither) passes nothing here and goes on to the other checks.
        if is_legal_rep:
            recovery.add_factor(ticket, RecoveryFactor.LEGAL_REP)
        elif is_admin:
            recovery.add_factor(ticket, RecoveryFactor.ADMIN)
    elif data.check == RecoveryCheck.LEGAL_REP and is_legal_rep:
        recovery.add_factor(ticket, RecoveryFactor.LEGAL_REP)
    elif data.check == RecoveryCheck.ADMIN and is_admin:
        recovery.add_factor(ticket, RecoveryFactor.ADMIN)
    else:
        raise UserErrors.one(CommonErrorCode.VERIFICATION_FAILED, "identity")


async def operators_for_check(ctx: RequestContext, enterprise_id: int) -> list[Account]:
    """The two operators whose mobiles the check asks for (the manual names them masked)."""
    statement = (
        select(Account)
        .where(col(Account.enterprise_id) == enterprise_id)
        .where(col(Account.kind) == AccountKind.OPERATOR)
        .where(col(Account.mobile).is_not(None))
        .order_by(col(Account.id))
        .limit(2)
    )
    return list((await ctx.db.exec(statement)).all())


def mobile_is_bound(ticket: RecoveryTicket) -> bool | None:
    """Admin account-info check: whether the proved mobile is the admin's bound one (the
    manual's "not the bound mobile" screen); None for other methods."""
    if ticket.method != UsernameRecoveryMethod.ACCOUNT_INFO:
        return None
    return RecoveryFactor.BOUND_MOBILE in ticket.factors


def checks_needed(ticket: RecoveryTicket) -> int | None:
    """Admin account-info check: how many more of the four checks must pass."""
    if ticket.method != UsernameRecoveryMethod.ACCOUNT_INFO:
        return None
    return recovery.admin_checks_needed(ticket.factors)


async def masked_operators_for_check(ctx: RequestContext, ticket: RecoveryTicket) -> list[str]:
    """The names of the two operators whose mobiles the admin's check asks for, masked."""
    if ticket.method != UsernameRecoveryMethod.ACCOUNT_INFO or ticket.enterprise_id is None:
        return []
    operators = await operators_for_check(ctx, ticket.enterprise_id)
    return [recovery.mask_name(o.name) for o in operators]


async def _operator_mobiles(
    ctx: RequestContext,
    ticket: RecoveryTicket,
    enterprise: Enterprise,
    given: list[OperatorMobileInput],
) -> None:
    assert enterprise.id is not None
    operators = await operators_for_check(ctx, enterprise.id)
    if len(operators) < 2:
        raise UserErrors.one(RecoveryErrorCode.FEWER_THAN_TWO_OPERATORS, "operatorMobiles")
    problems = Problems()
    mobiles = [
        fields.mobile(problems, item.mobile, "operatorMobiles", str(i), "mobile")
        for i, item in enumerate(given[:2])
    ]
    if len(given) != 2:
        problems.add(CommonErrorCode.REQUIRED, "operatorMobiles")
    elif mobiles[0] is not None and mobiles[0] == mobiles[1]:
        problems.add(RecoveryErrorCode.SAME_OPERATOR_TWICE, "operatorMobiles", "1", "mobile")
    problems.raise_if_any()
    for index, (operator, mobile, item) in enumerate(zip(operators, mobiles, given, strict=True)):
        field = ("operatorMobiles", str(index))
        assert mobile is not None
        await codes.consume(
            ctx, CodeChannel.SMS, CodePurpose.ACCOUNT_RECOVERY, mobile, item.sms_code, *field
        )
        await ctx.db.commit()
        if operator.mobile != mobile:
            raise UserErrors.one(CommonErrorCode.VERIFICATION_FAILED, *field, "mobile")
    recovery.add_factor(ticket, RecoveryFactor.OPERATOR_MOBILES)


async def _own_identity(ctx: RequestContext, ticket: RecoveryTicket, data: VerifyInput) -> None:
    """Operators and individuals: the account with this bound mobile and this identity."""
    problems = Problems()
    person = checked_person(ctx, data.identity, problems, "identity")
    problems.raise_if_any()
    assert person is not None
    enterprise = (
        await ctx.loaders.enterprise.load(ticket.enterprise_id) if ticket.enterprise_id else None
    )
    kind = AccountKind(ticket.account_kind)
    holders = await _accounts(ctx, kind, enterprise, col(Account.mobile) == ticket.verified_mobile)
    for account in holders:
        if same_person(
            person,
            account.name,
            account.id_type,
            account.id_number,
            account.id_valid_from,
            account.id_valid_to,
        ):
            ticket.account_id = account.id
            recovery.add_factor(ticket, RecoveryFactor.BOUND_MOBILE)
            recovery.add_factor(ticket, RecoveryFactor.SELF_IDENTITY)
            ticket.status = RecoveryStatus.VERIFIED
            return
    raise UserErrors.one(CommonErrorCode.VERIFICATION_FAILED, "identity")


async def by_bank_card(ctx: RequestContext, data: BankCardRecoveryInput) -> RecoveryTicket:
    """Operators and individuals: identity check plus the four bank-card elements."""
    if data.account_kind not in (AccountKind.OPERATOR, AccountKind.INDIVIDUAL):
        raise UserErrors.one(CommonErrorCode.METHOD_NOT_AVAILABLE, "accountKind")
    problems = Problems()
    names = _enterprise_fields(problems, data.account_kind, data.enterprise_name, data.org_code)
    person = checked_person(ctx, data.identity, problems, "identity")
    card_number = fields.bank_card(problems, data.bank_card.card_number, "bankCard", "cardNumber")
    reserved = fields.mobile(problems, data.bank_card.reserved_mobile, "bankCard", "reservedMobile")
    problems.raise_if_any()
    assert person is not None and card_number is not None and reserved is not None
    await recovery.count_attempt(ctx, RecoveryPurpose.USERNAME, None)
    await codes.consume(
        ctx,
        CodeChannel.SMS,
        CodePurpose.BANK_CARD,
        reserved,
        data.bank_card.sms_code,
        "bankCard",
        "smsCode",
    )
    await ctx.db.commit()
    enterprise = await _enterprise(ctx, names)
    await verify_bank_card(ctx, BankCard(person, card_number, reserved), "bankCard")
    matches = await _accounts(
        ctx,
        data.account_kind,
        enterprise,
        col(Account.id_type) == person.id_type,
        col(Account.id_number) == person.id_number,
    )
    account = matches[0] if matches else None
    if account is None:
        raise UserErrors.one(CommonErrorCode.VERIFICATION_FAILED, "identity")
    ticket = recovery.open_ticket(
        ctx,
        RecoveryPurpose.USERNAME,
        data.account_kind,
        UsernameRecoveryMethod.BANK_CARD,
        account=account,
        factors={RecoveryFactor.SELF_IDENTITY.value, RecoveryFactor.BANK_CARD.value},
    )
    ticket.status = RecoveryStatus.VERIFIED
    await commit(ctx)
    return ticket
