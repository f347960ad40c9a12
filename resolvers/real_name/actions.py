"""Real-name verification (SW-18; manual 004 §3.6).

Enterprise admins: any card of the enterprise (HIGH; a legal-person card also binds when the
admin has none), the legal representative's identity in three steps (the enterprise against the
market regulator's register; the legal representative by ID, or by bank card when the document
is not a resident ID; then the admin the same way), or the enterprise's bank key at CCB, ABC or
CMBC (the bank answers by webhook; asking a bank is :mod:`resolvers.real_name.bank_keys`, which
username recovery by bank key, :mod:`resolvers.recovery.bank_key`, uses too). Operators: ID
(MEDIUM, resident IDs), bank card four elements (HIGH), a card whose holder is the operator
(HIGH; binding such a card verifies). Individuals: one of five document kinds (MEDIUM) or a bank
card (HIGH).

The level is kept on the account; changing its name, ID type or ID number voids it
(:func:`resolvers.accounts.settings.apply_identity`), and
:func:`resolvers.real_name.levels.require_level` is what features that need a verified person call.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import col, select

from integrations.identity import BankCard, Person
from models import (
    Account,
    AccountKind,
    ChallengePurpose,
    CodeChannel,
    CodePurpose,
    Enterprise,
    RealNameLevel,
    RealNameMethod,
    RealNameStep,
    RealNameVerification,
    VerificationStatus,
)
from resolvers.cards import actions as cards
from resolvers.core import codes, fields, permissions
from resolvers.core.context import RequestContext
from resolvers.core.errors import CommonErrorCode, Forbidden, Problems, UserErrors
from resolvers.core.fields import IdType
from resolvers.core.uow import commit
from resolvers.identity.checks import (
    BankCardInput,
    IdentityInput,
    checked_person,
    matches_legal_rep,
    registry_record,
    same_person,
    verify_bank_card,
    verify_person,
)
from resolvers.real_name import bank_keys
from resolvers.real_name.errors import RealNameErrorCode
from resolvers.real_name.levels import RANK
from resolvers.real_name.levels import grant as _grant
from resolvers.real_name.levels import new_verification as _new

# Individuals verify by ID with one of these five documents; OTHER needs a bank card.
INDIVIDUAL_DOCUMENTS = frozenset(
    {
        IdType.RESIDENT_ID,
        IdType.PASSPORT,
        IdType.TAIWAN_PERMIT,
        IdType.HK_MACAO_PERMIT,
        IdType.FOREIGNER_RESIDENCE_PERMIT,
    }
)


@dataclass
class EnterpriseCheckInput:
    enterprise_name: str
    uscc: str
    legal_rep_name: str
    legal_rep_id_type: IdType
    legal_rep_id_number: str


@dataclass
class PersonCheckInput:
    """A step of the legal-representative verification: an ID check, or a bank card."""

    verification_id: int
    identity: IdentityInput
    bank_card: BankCardInput | None = None


@dataclass
class Outcome:
    """What a step leaves: the verification, the account's level after it, and what the next
    step of a legal-representative verification asks for (ID_CARD or BANK_CARD)."""

    verification: RealNameVerification
    level: RealNameLevel
    next_check: str | None = None


async def _outcome(
    ctx: RequestContext, account: Account, verification: RealNameVerification
) -> Outcome:
    check = None
    if account.enterprise_id is not None and verification.step is not None:
        enterprise = await ctx.loaders.enterprise.load(account.enterprise_id)
        check = next_check(verification, enterprise, account)
    return Outcome(verification, RealNameLevel(account.real_name_level), check)


def _require_below(account: Account, level: RealNameLevel) -> None:
    if RANK[account.real_name_level] >= RANK[level]:
        raise UserErrors.one(CommonErrorCode.NOT_REQUIRED)


def _require_kind(ctx: RequestContext, *kinds: AccountKind) -> Account:
    account = permissions.require_account(ctx)
    if account.kind not in kinds:
        raise UserErrors.one(CommonErrorCode.METHOD_NOT_AVAILABLE)
    return account


async def with_card(
    ctx: RequestContext, challenge_id: str, certificate: str, signature: str
) -> Outcome:
    """IC card: a card of the enterprise (admin) or a card held by the operator: HIGH."""
    account = _require_kind(ctx, AccountKind.ENTERPRISE_ADMIN, AccountKind.OPERATOR)
    identity = await cards.verified_card(
        ctx, challenge_id, certificate, signature, ChallengePurpose.REAL_NAME
    )
    assert account.enterprise_id is not None
    enterprise = await ctx.loaders.enterprise.load(account.enterprise_id)
    holder = identity.holder
    if holder.uscc != enterprise.uscc:
        raise UserErrors.one(CommonErrorCode.CARD_ENTERPRISE_MISMATCH, "certificate")
    if account.kind == AccountKind.OPERATOR and (
        holder.holder_id_type,
        holder.holder_id_number,
    ) != (
        account.id_type,
        account.id_number,
    ):
        raise UserErrors.one(CommonErrorCode.IDENTITY_MISMATCH, "certificate")
    if account.kind == AccountKind.ENTERPRISE_ADMIN:
        await cards.bind_legal_person_card_if_none(ctx, identity, enterprise, account)
    verification = _new(ctx, account, RealNameMethod.CARD, RealNameLevel.HIGH)
    _grant(ctx, account, verification)
    await commit(ctx)
    return await _outcome(ctx, account, verification)


async def with_id(ctx: RequestContext, identity: IdentityInput) -> Outcome:
    """身份信息认证: the account's own identity against the authority: MEDIUM."""
    account = _require_kind(ctx, AccountKind.OPERATOR, AccountKind.INDIVIDUAL)
    _require_below(account, RealNameLevel.MEDIUM)
    allowed = (
        INDIVIDUAL_DOCUMENTS if account.kind == AccountKind.INDIVIDUAL else {IdType.RESIDENT_ID}
    )
    if account.id_type not in allowed:
        raise UserErrors.one(RealNameErrorCode.ID_TYPE_NOT_VERIFIABLE, "identity", "idType")
    person = _own_person(ctx, account, identity)
    await verify_person(ctx, person, "identity")
    verification = _new(ctx, account, RealNameMethod.ID_DOCUMENT, RealNameLevel.MEDIUM)
    _grant(ctx, account, verification)
    await commit(ctx)
    return await _outcome(ctx, account, verification)


def _own_person(ctx: RequestContext, account: Account, identity: IdentityInput) -> Person:
    """The typed identity, which must be the account's (edit the account's identity first)."""
    problems = Problems()
    person = checked_person(ctx, identity, problems, "identity")
    problems.raise_if_any()
    assert person is not None
    if (person.name, person.id_type, person.id_number) != (
        account.name,
        account.id_type,
        account.id_number,
    ):
        raise UserErrors.one(CommonErrorCode.IDENTITY_MISMATCH, "identity")
    return person


async def _checked_card(
    ctx: RequestContext, person: Person, data: BankCardInput | None
) -> BankCard:
    if data is None:
        raise UserErrors.one(CommonErrorCode.REQUIRED, "bankCard")
    problems = Problems()
    number = fields.bank_card(problems, data.card_number, "bankCard", "cardNumber")
    mobile = fields.mobile(problems, data.reserved_mobile, "bankCard", "reservedMobile")
    if not (data.sms_code or "").strip():
        problems.add(CommonErrorCode.REQUIRED, "bankCard", "smsCode")
    problems.raise_if_any()
    assert number is not None and mobile is not None
    await codes.consume(
        ctx, CodeChannel.SMS, CodePurpose.BANK_CARD, mobile, data.sms_code, "bankCard", "smsCode"
    )
    await ctx.db.commit()
    return BankCard(person, number, mobile)


async def with_bank_card(
    ctx: RequestContext, identity: IdentityInput, bank_card: BankCardInput | None
) -> Outcome:
    """银行卡认证: the account holder's card, with the card's reserved mobile: HIGH."""
    account = _require_kind(ctx, AccountKind.OPERATOR, AccountKind.INDIVIDUAL)
    _require_below(account, RealNameLevel.HIGH)
    person = _own_person(ctx, account, identity)
    card = await _checked_card(ctx, person, bank_card)
    await verify_bank_card(ctx, card, "bankCard")
    verification = _new(ctx, account, RealNameMethod.BANK_CARD, RealNameLevel.HIGH)
    _grant(ctx, account, verification)
    await commit(ctx)
    return await _outcome(ctx, account, verification)


async def legal_rep_start(ctx: RequestContext, data: EnterpriseCheckInput) -> Outcome:
    """Step one: the enterprise and its legal representative as the market regulator has them."""
    admin = permissions.require_admin(ctx)
    _require_below(admin, RealNameLevel.HIGH)
    problems = Problems()
    name = fields.text(problems, data.enterprise_name, "enterpriseName", max_length=100)
    uscc = fields.text(problems, data.uscc, "uscc", max_length=18)
    rep = fields.text(problems, data.legal_rep_name, "legalRepName", max_length=50)
    number = fields.text(problems, data.legal_rep_id_number, "legalRepIdNumber", max_length=32)
    problems.raise_if_any()
    assert name and uscc and rep and number and admin.enterprise_id is not None
    enterprise = await ctx.loaders.enterprise.load(admin.enterprise_id)
    if uscc.upper() != enterprise.uscc:
        raise UserErrors.one(CommonErrorCode.VERIFICATION_FAILED, "uscc")
    record = await registry_record(ctx, enterprise.uscc, "uscc")
    person = Person(rep, data.legal_rep_id_type.value, number.upper())
    if not matches_legal_rep(record, name, person) or not same_person(
        person,
        enterprise.legal_rep_name,
        enterprise.legal_rep_id_type,
        enterprise.legal_rep_id_number,
    ):
        raise UserErrors.one(CommonErrorCode.LEGAL_REP_MISMATCH)
    verification = _new(ctx, admin, RealNameMethod.LEGAL_REP_IDENTITY, RealNameLevel.HIGH)
    verification.step = RealNameStep.LEGAL_REP
    await commit(ctx)
    return await _outcome(ctx, admin, verification)


def next_check(
    verification: RealNameVerification, enterprise: Enterprise, admin: Account
) -> str | None:
    """ID_CARD when the person to check holds a resident ID, else BANK_CARD."""
    id_type: str | None
    if verification.step == RealNameStep.LEGAL_REP:
        id_type = enterprise.legal_rep_id_type
    elif verification.step == RealNameStep.ADMIN:
        id_type = admin.id_type
    else:
        return None
    return "ID_CARD" if id_type == IdType.RESIDENT_ID else "BANK_CARD"


async def legal_rep_continue(ctx: RequestContext, data: PersonCheckInput) -> Outcome:
    """Steps two (the legal representative) and three (the admin)."""
    admin = permissions.require_admin(ctx)
    verification = await ctx.db.get(RealNameVerification, data.verification_id)
    if (
        verification is None
        or verification.account_id != admin.id
        or verification.status != VerificationStatus.IN_PROGRESS
        or verification.step not in (RealNameStep.LEGAL_REP, RealNameStep.ADMIN)
    ):
        raise UserErrors.one(RealNameErrorCode.VERIFICATION_STEP_INVALID, "verificationId")
    assert admin.enterprise_id is not None
    enterprise = await ctx.loaders.enterprise.load(admin.enterprise_id)
    if verification.step == RealNameStep.LEGAL_REP:
        expected = (
            enterprise.legal_rep_name,
            enterprise.legal_rep_id_type,
            enterprise.legal_rep_id_number,
        )
    else:
        expected = (admin.name, admin.id_type or "", admin.id_number or "")
    problems = Problems()
    person = checked_person(ctx, data.identity, problems, "identity")
    problems.raise_if_any()
    assert person is not None
    if (person.name, person.id_type, person.id_number) != expected:
        raise UserErrors.one(CommonErrorCode.IDENTITY_MISMATCH, "identity")
    if next_check(verification, enterprise, admin) == "ID_CARD":
        await verify_person(ctx, person, "identity")
    else:
        card = await _checked_card(ctx, person, data.bank_card)
        await verify_bank_card(ctx, card, "bankCard")
    if verification.step == RealNameStep.LEGAL_REP:
        verification.step = RealNameStep.ADMIN
        ctx.db.add(verification)
    else:
        _grant(ctx, admin, verification)
    await commit(ctx)
    return await _outcome(ctx, admin, verification)


async def bank_key_start(ctx: RequestContext, bank_code: str) -> Outcome:
    """银行UKEY认证: the enterprise's bank confirms its account holder with the bank key."""
    admin = permissions.require_admin(ctx)
    _require_below(admin, RealNameLevel.HIGH)
    bank = await bank_keys.bank(ctx, bank_code)
    assert admin.enterprise_id is not None
    enterprise = await ctx.loaders.enterprise.load(admin.enterprise_id)
    verification = _new(ctx, admin, RealNameMethod.BANK_KEY, RealNameLevel.HIGH)
    bank_keys.ask(ctx, bank, verification, enterprise.uscc, enterprise.name)
    await commit(ctx)
    return await _outcome(ctx, admin, verification)


async def bank_key_answered(
    ctx: RequestContext, verification: RealNameVerification, passed: bool, reason: object
) -> None:
    """The bank's answer to an account's bank-key verification (the bank's answers arrive
    through :func:`resolvers.recovery.bank_key.decided`): the level, or a failure. The caller
    commits."""
    if passed and verification.account_id is not None:
        account = await ctx.loaders.account.load(verification.account_id)
        _grant(ctx, account, verification)
    else:
        bank_keys.fail(ctx, verification, reason)


async def current(
    ctx: RequestContext,
) -> tuple[Account, RealNameVerification | None, RealNameVerification | None]:
    """The viewer's level, the verification that granted it, and one still under way."""
    account = permissions.require_account(ctx)
    if account.kind in (
        AccountKind.OVERSEAS,
        AccountKind.INSTITUTION_USER,
        AccountKind.PLATFORM_REVIEWER,
    ):
        raise Forbidden("NO_REAL_NAME", ctx.locale)
    rows = list(
        (
            await ctx.db.exec(
                select(RealNameVerification)
                .where(col(RealNameVerification.account_id) == account.id)
                .order_by(col(RealNameVerification.id).desc())
                .limit(20)
            )
        ).all()
    )
    granted = None
    if account.real_name_level != RealNameLevel.NONE:
        granted = next((v for v in rows if v.status == VerificationStatus.SUCCEEDED), None)
    open_ = next(
        (
            v
            for v in rows
            if v.status in (VerificationStatus.IN_PROGRESS, VerificationStatus.PENDING)
            or (v.status == VerificationStatus.FAILED and v is rows[0])
        ),
        None,
    )
    return account, granted, open_
