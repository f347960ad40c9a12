"""Password reset (SW-10) for the five account kinds of the manual (004 §2.4).

1. The username and an image captcha open a ticket that lists the account kind's methods and
   whether the account holds each method's data ("identity information incomplete" otherwise).
2. One method passes: a code to the bound mobile or email; the owner's identity (account info);
   the enterprise and its legal representative against the market regulator's register (with
   manual review as the fallback, :mod:`resolvers.manual_reviews`); or the electronic business
   licence, scanned in the regulator's mini-program (USCCs starting with 9 only).
3. The new password is set, every session of the account ends, and the ticket is spent.

The first step says whether the username exists (the manual's next screen shows the account's
masked mobile and email); behind a captcha and the attempt throttle that is all it tells.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlmodel import col, select

from integrations.registry import RegistryError
from models import (
    Account,
    AccountKind,
    CodeChannel,
    CodePurpose,
    Enterprise,
    OverseasProfile,
    RecoveryPurpose,
    RecoveryStatus,
    RecoveryTicket,
)
from resolvers.accounts import sessions
from resolvers.core import audit, captcha, codes, events, fields
from resolvers.core.context import RequestContext
from resolvers.core.errors import CommonErrorCode, ErrorCode, Problems, UserErrors
from resolvers.core.uow import commit
from resolvers.identity.checks import (
    IdentityInput,
    checked_person,
    matches_legal_rep,
    registry_record,
    same_person,
)
from resolvers.recovery import tickets as recovery
from resolvers.recovery.errors import RecoveryErrorCode
from resolvers.recovery.tickets import RecoveryFactor


class PasswordResetMethod(StrEnum):
    MOBILE = "MOBILE"
    EMAIL = "EMAIL"
    ACCOUNT_INFO = "ACCOUNT_INFO"
    LEGAL_REP = "LEGAL_REP"
    E_LICENCE = "E_LICENCE"


# A ticket's method until one check passes (the method is recorded then).
METHOD_NOT_CHOSEN = "NOT_CHOSEN"
METHODS: dict[AccountKind, tuple[PasswordResetMethod, ...]] = {
    AccountKind.ENTERPRISE_ADMIN: tuple(PasswordResetMethod),
    AccountKind.OPERATOR: (
        PasswordResetMethod.MOBILE,
        PasswordResetMethod.EMAIL,
        PasswordResetMethod.ACCOUNT_INFO,
    ),
    AccountKind.INDIVIDUAL: (
        PasswordResetMethod.MOBILE,
        PasswordResetMethod.EMAIL,
        PasswordResetMethod.ACCOUNT_INFO,
    ),
    AccountKind.MINISTRY: (
        PasswordResetMethod.MOBILE,
        PasswordResetMethod.EMAIL,
        PasswordResetMethod.ACCOUNT_INFO,
    ),
    AccountKind.OVERSEAS: (PasswordResetMethod.EMAIL, PasswordResetMethod.ACCOUNT_INFO),
}


@dataclass
class MethodOption:
    method: PasswordResetMethod
    available: bool
    # Why it is not available: IDENTITY_INCOMPLETE or E_LICENCE_UNSUPPORTED.
    unavailable_reason: ErrorCode | None = None


@dataclass
class StartInput:
    username: str
    captcha_id: str
    captcha_answer: str


@dataclass
class OrganisationInput:
    """Overseas accounts: the organisation and contact person as registered (SW-5)."""

    organisation_name: str
    contact_name: str
    country_code: str


@dataclass
class LegalRepInput:
    enterprise_name: str
    uscc: str
    legal_rep: IdentityInput
    operator_mobile: str
    sms_code: str


@dataclass
class VerifyInput:
    recovery_id: str
    method: PasswordResetMethod
    code: str | None = None
    identity: IdentityInput | None = None
    organisation: OrganisationInput | None = None
    legal_rep: LegalRepInput | None = None


@dataclass
class CompleteInput:
    recovery_id: str
    password: str
    password_confirmation: str


async def start(ctx: RequestContext, data: StartInput) -> RecoveryTicket:
    problems = Problems()
    username = fields.text(problems, data.username, "username", max_length=40)
    if not data.captcha_id or not data.captcha_answer:
        problems.add(CommonErrorCode.REQUIRED, "captcha")
    problems.raise_if_any()
    assert username is not None
    await captcha.consume(ctx, data.captcha_id, data.captcha_answer, "captcha")
    account = (
        await ctx.db.exec(select(Account).where(col(Account.username_key) == username.lower()))
    ).first()
    if account is None:
        await recovery.count_attempt(ctx, RecoveryPurpose.PASSWORD, None)
        raise UserErrors.one(RecoveryErrorCode.ACCOUNT_NOT_FOUND, "username")
    if account.kind not in METHODS:
        raise UserErrors.one(CommonErrorCode.METHOD_NOT_AVAILABLE, "username")
    await recovery.count_attempt(ctx, RecoveryPurpose.PASSWORD, account.id)
    ticket = recovery.open_ticket(
        ctx, RecoveryPurpose.PASSWORD, account.kind, METHOD_NOT_CHOSEN, account=account
    )
    await commit(ctx)
    return ticket


async def methods_of(ctx: RequestContext, ticket: RecoveryTicket) -> list[MethodOption]:
    """A password reset's methods for its account's kind; none for a username recovery."""
    if ticket.purpose != RecoveryPurpose.PASSWORD or ticket.account_id is None:
        return []
    account = await ctx.loaders.account.load(ticket.account_id)
    enterprise = (
        await ctx.loaders.enterprise.load(account.enterprise_id) if account.enterprise_id else None
    )
    profile = await _overseas_profile(ctx, account)
    return [_option(method, account, enterprise, profile) for method in METHODS[account.kind]]


def _option(
    method: PasswordResetMethod,
    account: Account,
    enterprise: Enterprise | None,
    profile: OverseasProfile | None,
) -> MethodOption:
    if method == PasswordResetMethod.E_LICENCE:
        if enterprise is None or not enterprise.uscc.startswith("9"):
            return MethodOption(method, False, RecoveryErrorCode.E_LICENCE_UNSUPPORTED)
        return MethodOption(method, True)
    present = {
        PasswordResetMethod.MOBILE: bool(account.mobile),
        PasswordResetMethod.EMAIL: bool(account.email),
        PasswordResetMethod.ACCOUNT_INFO: bool(account.id_type and account.id_number)
        or profile is not None,
        PasswordResetMethod.LEGAL_REP: enterprise is not None
        and bool(enterprise.legal_rep_name and enterprise.legal_rep_id_number),
    }[method]
    if not present:
        return MethodOption(method, False, RecoveryErrorCode.IDENTITY_INCOMPLETE)
    return MethodOption(method, True)


async def masked_mobile(ctx: RequestContext, ticket: RecoveryTicket) -> str | None:
    """The reset account's bound mobile as the manual shows it (138****0001)."""
    account = await _reset_account(ctx, ticket)
    return recovery.mask_mobile(account.mobile if account else None)


async def masked_email(ctx: RequestContext, ticket: RecoveryTicket) -> str | None:
    """The reset account's bound email as the manual shows it (lo*****ng@126.com)."""
    account = await _reset_account(ctx, ticket)
    return recovery.mask_email(account.email if account else None)


async def _reset_account(ctx: RequestContext, ticket: RecoveryTicket) -> Account | None:
    if ticket.purpose != RecoveryPurpose.PASSWORD or ticket.account_id is None:
        return None
    account: Account = await ctx.loaders.account.load(ticket.account_id)
    return account


async def _overseas_profile(ctx: RequestContext, account: Account) -> OverseasProfile | None:
    if account.kind != AccountKind.OVERSEAS:
        return None
    return await ctx.db.get(OverseasProfile, account.id)


async def _usable(
    ctx: RequestContext, ticket: RecoveryTicket, method: PasswordResetMethod
) -> Account:
    """The ticket's account, if ``method`` is one of its kind's and its data is present."""
    for option in await methods_of(ctx, ticket):
        if option.method == method:
            if option.unavailable_reason is not None:
                raise UserErrors.one(option.unavailable_reason, "method")
            assert ticket.account_id is not None
            return await ctx.loaders.account.load(ticket.account_id)
    raise UserErrors.one(CommonErrorCode.METHOD_NOT_AVAILABLE, "method")


async def send_code(
    ctx: RequestContext, recovery_id: str, channel: CodeChannel, captcha_id: str, answer: str
) -> RecoveryTicket:
    """A code to the account's own bound mobile or email, never to a target the client names."""
    ticket = await recovery.find_ticket(
        ctx, recovery_id, RecoveryPurpose.PASSWORD, RecoveryStatus.OPEN
    )
    method = PasswordResetMethod.MOBILE if channel == CodeChannel.SMS else PasswordResetMethod.EMAIL
    account = await _usable(ctx, ticket, method)
    await captcha.consume(ctx, captcha_id, answer, "captcha")
    target = account.mobile if channel == CodeChannel.SMS else account.email
    assert target is not None
    await codes.send(ctx, channel, CodePurpose.PASSWORD_RESET, target)
    await commit(ctx)
    return ticket


async def verify(ctx: RequestContext, data: VerifyInput) -> RecoveryTicket:
    ticket = await recovery.find_ticket(
        ctx, data.recovery_id, RecoveryPurpose.PASSWORD, RecoveryStatus.OPEN
    )
    account = await _usable(ctx, ticket, data.method)
    if data.method == PasswordResetMethod.E_LICENCE:
        raise UserErrors.one(CommonErrorCode.METHOD_NOT_AVAILABLE, "method")
    await recovery.count_attempt(ctx, RecoveryPurpose.PASSWORD, account.id)
    factor = await CHECKS[data.method](ctx, account, data)
    ticket.method = data.method
    recovery.add_factor(ticket, factor)
    ticket.status = RecoveryStatus.VERIFIED
    ctx.db.add(ticket)
    await commit(ctx)
    return ticket


async def _by_code(ctx: RequestContext, account: Account, data: VerifyInput) -> RecoveryFactor:
    if not (data.code or "").strip():
        raise UserErrors.one(CommonErrorCode.REQUIRED, "code")
    if data.method == PasswordResetMethod.MOBILE:
        assert account.mobile is not None
        channel, target, factor = CodeChannel.SMS, account.mobile, RecoveryFactor.MOBILE_CODE
    else:
        assert account.email is not None
        channel, target, factor = CodeChannel.EMAIL, account.email, RecoveryFactor.EMAIL_CODE
    await codes.consume(ctx, channel, CodePurpose.PASSWORD_RESET, target, data.code or "", "code")
    return factor


async def _by_account_info(
    ctx: RequestContext, account: Account, data: VerifyInput
) -> RecoveryFactor:
    if account.kind == AccountKind.OVERSEAS:
        return await _by_organisation(ctx, account, data.organisation)
    problems = Problems()
    person = checked_person(ctx, data.identity, problems, "identity")
    problems.raise_if_any()
    assert person is not None
    if not same_person(
        person,
        account.name,
        account.id_type,
        account.id_number,
        account.id_valid_from,
        account.id_valid_to,
    ):
        raise UserErrors.one(CommonErrorCode.VERIFICATION_FAILED, "identity")
    return RecoveryFactor.ACCOUNT_INFO


async def _by_organisation(
    ctx: RequestContext, account: Account, data: OrganisationInput | None
) -> RecoveryFactor:
    if data is None:
        raise UserErrors.one(CommonErrorCode.REQUIRED, "organisation")
    profile = await ctx.db.get(OverseasProfile, account.id)
    assert profile is not None
    given = (
        data.organisation_name.strip(),
        data.contact_name.strip(),
        data.country_code.strip().upper(),
    )
    if given != (profile.organisation_name, profile.contact_name, profile.country_code):
        raise UserErrors.one(CommonErrorCode.VERIFICATION_FAILED, "organisation")
    return RecoveryFactor.ACCOUNT_INFO


async def _by_legal_rep(ctx: RequestContext, account: Account, data: VerifyInput) -> RecoveryFactor:
    """The enterprise and its legal representative as the market regulator holds them."""
    form = data.legal_rep
    if form is None:
        raise UserErrors.one(CommonErrorCode.REQUIRED, "legalRep")
    problems = Problems()
    name = fields.text(problems, form.enterprise_name, "legalRep", "enterpriseName", max_length=100)
    uscc = fields.text(problems, form.uscc, "legalRep", "uscc", max_length=18)
    person = checked_person(ctx, form.legal_rep, problems, "legalRep", "legalRep")
    mobile = fields.mobile(problems, form.operator_mobile, "legalRep", "operatorMobile")
    problems.raise_if_any()
    assert name and uscc and person and mobile
    await codes.consume(
        ctx,
        CodeChannel.SMS,
        CodePurpose.ACCOUNT_RECOVERY,
        mobile,
        form.sms_code,
        "legalRep",
        "smsCode",
    )
    # Spent whatever the register says: one code, one try at the legal representative.
    await ctx.db.commit()
    assert account.enterprise_id is not None
    enterprise = await ctx.loaders.enterprise.load(account.enterprise_id)
    if uscc.upper() != enterprise.uscc:
        raise UserErrors.one(CommonErrorCode.LEGAL_REP_MISMATCH, "legalRep")
    try:
        record = await registry_record(ctx, enterprise.uscc, "legalRep")
    except UserErrors as failure:
        if failure.problems[0].code == CommonErrorCode.ENTERPRISE_NOT_IN_REGISTRY:
            raise UserErrors.one(CommonErrorCode.LEGAL_REP_MISMATCH, "legalRep") from failure
        raise
    if not matches_legal_rep(record, name, person):
        raise UserErrors.one(CommonErrorCode.LEGAL_REP_MISMATCH, "legalRep")
    return RecoveryFactor.LEGAL_REP


CHECKS: dict[PasswordResetMethod, Any] = {
    PasswordResetMethod.MOBILE: _by_code,
    PasswordResetMethod.EMAIL: _by_code,
    PasswordResetMethod.ACCOUNT_INFO: _by_account_info,
    PasswordResetMethod.LEGAL_REP: _by_legal_rep,
}


@dataclass
class LicenceSession:
    ticket: RecoveryTicket
    qr_content: str


async def start_licence(ctx: RequestContext, recovery_id: str) -> LicenceSession:
    """Show the QR code the legal representative scans with the e-licence mini-program."""
    ticket = await recovery.find_ticket(
        ctx, recovery_id, RecoveryPurpose.PASSWORD, RecoveryStatus.OPEN, RecoveryStatus.FAILED
    )
    account = await _usable(ctx, ticket, PasswordResetMethod.E_LICENCE)
    await recovery.count_attempt(ctx, RecoveryPurpose.PASSWORD, account.id)
    assert account.enterprise_id is not None
    enterprise = await ctx.loaders.enterprise.load(account.enterprise_id)
    session_id = secrets.token_hex(16)
    try:
        challenge = await ctx.services.licence.start(session_id, enterprise.uscc)
    except RegistryError as error:
        raise UserErrors.one(CommonErrorCode.REGISTRY_UNAVAILABLE) from error
    ticket.method = PasswordResetMethod.E_LICENCE
    ticket.licence_session = session_id
    ticket.status = RecoveryStatus.PENDING
    ticket.failure_reason = None
    ctx.db.add(ticket)
    await commit(ctx)
    return LicenceSession(ticket, challenge.qr_content)


async def licence_decided(ctx: RequestContext, event: dict[str, Any]) -> None:
    """The e-licence service's signed callback: which enterprise's licence authorised it."""
    session_id = str(event.get("sessionId", ""))[:64]
    ticket = (
        await ctx.db.exec(
            select(RecoveryTicket)
            .where(col(RecoveryTicket.licence_session) == session_id)
            .where(col(RecoveryTicket.status) == RecoveryStatus.PENDING)
        )
    ).first()
    if ticket is None or ticket.account_id is None:
        raise UserErrors.one(CommonErrorCode.NOT_FOUND)
    account = await ctx.loaders.account.load(ticket.account_id)
    assert account.enterprise_id is not None
    enterprise = await ctx.loaders.enterprise.load(account.enterprise_id)
    if event.get("result") == "AUTHORISED" and event.get("uscc") == enterprise.uscc:
        recovery.add_factor(ticket, RecoveryFactor.E_LICENCE)
        ticket.status = RecoveryStatus.VERIFIED
    else:
        ticket.status = RecoveryStatus.FAILED
        ticket.failure_reason = "电子营业执照未授权 / the licence did not authorise this account"
    ctx.db.add(ticket)
    recovery.announce(ctx, ticket)
    await commit(ctx)


async def complete(ctx: RequestContext, data: CompleteInput) -> Account:
    ticket = await recovery.find_ticket(
        ctx, data.recovery_id, RecoveryPurpose.PASSWORD, RecoveryStatus.VERIFIED
    )
    problems = Problems()
    password = fields.new_password(problems, data.password, data.password_confirmation)
    problems.raise_if_any()
    assert password is not None and ticket.account_id is not None
    account = await ctx.loaders.account.load(ticket.account_id)
    await set_password(ctx, account, password)
    ticket.status = RecoveryStatus.COMPLETED
    ticket.completed_at = ctx.clock.now()
    ctx.db.add(ticket)
    assert ticket.id is not None
    audit.record(ctx, None, "PASSWORD_RESET", "recovery_ticket", ticket.id, method=ticket.method)
    await commit(ctx)
    return account


async def set_password(
    ctx: RequestContext, account: Account, password: str, *, hashed: str | None = None
) -> None:
    """The new password: the lock lifts, and every session of the account ends."""
    account.password_hash = hashed or await ctx.services.passwords.hash(password)
    account.must_change_password = False
    account.failed_logins = 0
    account.locked_until = None
    account.updated_at = ctx.clock.now()
    ctx.db.add(account)
    await sessions.revoke_all(ctx, account)
    events.account_event(ctx, account, events.AccountEventKind.PASSWORD_CHANGED)
