"""Registration of every account kind (SW-2 enterprise, SW-3 individual, SW-4 public
institution, SW-5 overseas).

Every field is checked first and all problems are returned together; then uniqueness; then
the verification code is used up and the rows are written in one transaction. An image
captcha guards the sending of the code (see ``verificationCodeSend``), so a registration
cannot trigger an SMS without one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from models import (
    Account,
    AccountKind,
    CodeChannel,
    CodePurpose,
    Enterprise,
    EnterpriseKind,
    OverseasProfile,
    SessionMethod,
)
from resolvers.accounts import sessions
from resolvers.accounts.errors import AccountErrorCode
from resolvers.core import codes, fields
from resolvers.core.context import RequestContext
from resolvers.core.errors import CommonErrorCode, Problems, UserErrors
from resolvers.core.fields import IdType
from resolvers.core.identifiers import validate_org_code_matches_uscc, validate_uscc
from resolvers.core.uow import commit, rollback

# An enterprise first seen through an operator card's login does not know its legal
# representative (resolvers.cards.actions): its document type is written as OTHER. Rows written
# before that hold a blank, and a type that is none of IdType reads as this one too.
UNKNOWN_LEGAL_REP_ID_TYPE = IdType.OTHER


def legal_rep_id_type(enterprise: Enterprise) -> IdType:
    """The legal representative's document type as the API shows it."""
    try:
        return IdType(enterprise.legal_rep_id_type)
    except ValueError:
        return UNKNOWN_LEGAL_REP_ID_TYPE


@dataclass
class EnterpriseInfoInput:
    uscc: str
    org_code: str
    name: str
    legal_rep_name: str
    legal_rep_id_type: IdType
    legal_rep_id_number: str
    legal_rep_id_valid_from: str | None = None
    legal_rep_id_valid_to: str | None = None


@dataclass
class AdminAccountInput:
    username: str
    password: str
    password_confirmation: str
    name: str
    id_type: IdType
    id_number: str
    email: str
    mobile: str
    id_valid_from: str | None = None
    id_valid_to: str | None = None


@dataclass
class EnterpriseRegistrationInput:
    kind: EnterpriseKind
    enterprise: EnterpriseInfoInput
    admin: AdminAccountInput
    sms_code: str
    accept_terms: bool


@dataclass
class IndividualRegistrationInput:
    name: str
    id_type: IdType
    id_number: str
    username: str
    password: str
    password_confirmation: str
    email: str
    accept_terms: bool
    id_valid_from: str | None = None
    id_valid_to: str | None = None
    mobile: str | None = None
    sms_code: str | None = None
    email_code: str | None = None
    verify_by_email: bool = False


@dataclass
class OverseasRegistrationInput:
    username: str
    password: str
    password_confirmation: str
    country_code: str
    organisation_name: str
    contact_name: str
    contact_phone: str
    address: str
    email: str
    email_code: str
    accept_terms: bool
    registration_number: str | None = None
    department: str | None = None
    job_title: str | None = None
    fax: str | None = None
    mobile: str | None = None
    notes: str | None = None


@dataclass
class CheckedEnterprise:
    uscc: str
    org_code: str
    name: str
    legal_rep_name: str
    legal_rep_id_type: IdType
    legal_rep_id_number: str
    valid_from: str
    valid_to: str


def check_enterprise_info(
    ctx: RequestContext, info: EnterpriseInfoInput, problems: Problems
) -> CheckedEnterprise | None:
    """Step one of SW-2 / SW-4: the enterprise's identity as on its business licence."""
    prefix = ("enterprise",)
    uscc = fields.identifier(problems, validate_uscc, info.uscc, *prefix, "uscc")
    org_code = None
    if uscc is not None:
        org_code = fields.identifier(
            problems,
            lambda v: validate_org_code_matches_uscc(v, uscc),
            info.org_code,
            *prefix,
            "orgCode",
        )
    elif not (info.org_code or "").strip():
        problems.add(CommonErrorCode.REQUIRED, *prefix, "orgCode")
    name = fields.text(problems, info.name, *prefix, "name", max_length=100)
    rep_name = fields.text(problems, info.legal_rep_name, *prefix, "legalRepName", max_length=50)
    number, start, end = fields.id_document(
        problems,
        ctx.clock.today(),
        info.legal_rep_id_type,
        info.legal_rep_id_number,
        info.legal_rep_id_valid_from,
        info.legal_rep_id_valid_to,
        *prefix,
        "legalRep",
    )
    if None in (uscc, org_code, name, rep_name, number):
        return None
    return CheckedEnterprise(
        uscc=uscc or "",
        org_code=org_code or "",
        name=name or "",
        legal_rep_name=rep_name or "",
        legal_rep_id_type=info.legal_rep_id_type,
        legal_rep_id_number=number or "",
        valid_from=start or "",
        valid_to=end or "",
    )


async def check_enterprise_available(
    ctx: RequestContext, uscc: str, problems: Problems
) -> Enterprise | None:
    """An enterprise has exactly one admin (SW-1): refuse a second registration."""
    existing = (await ctx.db.exec(select(Enterprise).where(col(Enterprise.uscc) == uscc))).first()
    if existing is None:
        return None
    admin = (
        await ctx.db.exec(
            select(Account.id)
            .where(col(Account.enterprise_id) == existing.id)
            .where(col(Account.kind) == AccountKind.ENTERPRISE_ADMIN)
        )
    ).first()
    if admin is not None:
        problems.add(AccountErrorCode.ADMIN_EXISTS, "enterprise", "uscc")
    return existing


async def check_username_free(
    ctx: RequestContext, username: str, problems: Problems, *field: str
) -> None:
    taken = (
        await ctx.db.exec(select(Account.id).where(col(Account.username_key) == username.lower()))
    ).first()
    if taken is not None:
        problems.add(CommonErrorCode.USERNAME_TAKEN, *field)


async def preview_enterprise(ctx: RequestContext, info: EnterpriseInfoInput) -> None:
    """Step one alone, for the form's "next" button: nothing is written."""
    problems = Problems()
    checked = check_enterprise_info(ctx, info, problems)
    if checked is not None:
        await check_enterprise_available(ctx, checked.uscc, problems)
    problems.raise_if_any()


async def register_enterprise(
    ctx: RequestContext, data: EnterpriseRegistrationInput
) -> sessions.OpenedSession:
    problems = Problems()
    checked = check_enterprise_info(ctx, data.enterprise, problems)
    admin = data.admin
    username = fields.username(problems, admin.username, "admin", "username")
    password = fields.new_password(problems, admin.password, admin.password_confirmation, "admin")
    name = fields.text(problems, admin.name, "admin", "name", max_length=50)
    id_number, id_from, id_to = fields.id_document(
        problems,
        ctx.clock.today(),
        admin.id_type,
        admin.id_number,
        admin.id_valid_from,
        admin.id_valid_to,
        "admin",
    )
    email = fields.email(problems, admin.email, "admin", "email")
    mobile = fields.mobile(problems, admin.mobile, "admin", "mobile")
    if not (data.sms_code or "").strip():
        problems.add(CommonErrorCode.REQUIRED, "smsCode")
    if not data.accept_terms:
        problems.add(CommonErrorCode.CONSENT_REQUIRED, "acceptTerms")
    existing = None
    if checked is not None:
        existing = await check_enterprise_available(ctx, checked.uscc, problems)
    if username is not None:
        await check_username_free(ctx, username, problems, "admin", "username")
    problems.raise_if_any()
    assert checked and username and password and name and id_number and email and mobile

    await codes.consume(
        ctx, CodeChannel.SMS, CodePurpose.REGISTRATION, mobile, data.sms_code, "smsCode"
    )
    values: dict[str, Any] = {
        "kind": data.kind,
        "uscc": checked.uscc,
        "org_code": checked.org_code,
        "name": checked.name,
        "legal_rep_name": checked.legal_rep_name,
        "legal_rep_id_type": checked.legal_rep_id_type,
        "legal_rep_id_number": checked.legal_rep_id_number,
        "legal_rep_id_valid_from": checked.valid_from,
        "legal_rep_id_valid_to": checked.valid_to,
    }
    # An enterprise known without an admin (from a card, say) gets this admin.
    enterprise = existing or Enterprise(**values)
    for name_, value in values.items():
        setattr(enterprise, name_, value)
    ctx.db.add(enterprise)
    await ctx.db.flush()
    account = Account(
        kind=AccountKind.ENTERPRISE_ADMIN,
        username=username,
        username_key=username.lower(),
        password_hash=await ctx.services.passwords.hash(password),
        enterprise_id=enterprise.id,
        name=name,
        id_type=admin.id_type,
        id_number=id_number,
        id_valid_from=id_from,
        id_valid_to=id_to,
        email=email,
        mobile=mobile,
    )
    return await _insert_and_log_in(ctx, account)


async def register_individual(
    ctx: RequestContext, data: IndividualRegistrationInput
) -> sessions.OpenedSession:
    problems = Problems()
    name = fields.text(problems, data.name, "name", max_length=50)
    id_number, id_from, id_to = fields.id_document(
        problems,
        ctx.clock.today(),
        data.id_type,
        data.id_number,
        data.id_valid_from,
        data.id_valid_to,
    )
    username = fields.username(problems, data.username, "username")
    password = fields.new_password(problems, data.password, data.password_confirmation)
    email = fields.email(problems, data.email, "email")
    by_email = data.verify_by_email
    if by_email and data.id_type not in fields.EMAIL_VERIFIABLE_ID_TYPES:
        problems.add(AccountErrorCode.EMAIL_VERIFICATION_NOT_ALLOWED, "verifyByEmail")
    mobile = fields.mobile(problems, data.mobile, "mobile", required=not by_email)
    code_field = "emailCode" if by_email else "smsCode"
    code = data.email_code if by_email else data.sms_code
    if not (code or "").strip():
        problems.add(CommonErrorCode.REQUIRED, code_field)
    if not data.accept_terms:
        problems.add(CommonErrorCode.CONSENT_REQUIRED, "acceptTerms")
    if username is not None:
        await check_username_free(ctx, username, problems, "username")
    problems.raise_if_any()
    assert name and id_number and username and password and email and code

    if by_email:
        await codes.consume(
            ctx, CodeChannel.EMAIL, CodePurpose.REGISTRATION, email, code, code_field
        )
    else:
        assert mobile is not None
        await codes.consume(
            ctx, CodeChannel.SMS, CodePurpose.REGISTRATION, mobile, code, code_field
        )
    account = Account(
        kind=AccountKind.INDIVIDUAL,
        username=username,
        username_key=username.lower(),
        password_hash=await ctx.services.passwords.hash(password),
        name=name,
        id_type=data.id_type,
        id_number=id_number,
        id_valid_from=id_from,
        id_valid_to=id_to,
        email=email,
        mobile=mobile,
    )
    return await _insert_and_log_in(ctx, account)


async def register_overseas(
    ctx: RequestContext, data: OverseasRegistrationInput
) -> sessions.OpenedSession:
    problems = Problems()
    username = fields.username(problems, data.username, "username", overseas=True)
    password = fields.new_password(problems, data.password, data.password_confirmation)
    country = fields.country(problems, data.country_code, "countryCode")
    registration_number = fields.text(
        problems, data.registration_number, "registrationNumber", max_length=50, required=False
    )
    organisation = fields.text(problems, data.organisation_name, "organisationName", max_length=100)
    department = fields.text(
        problems, data.department, "department", max_length=100, required=False
    )
    job_title = fields.text(problems, data.job_title, "jobTitle", max_length=50, required=False)
    contact = fields.text(problems, data.contact_name, "contactName", max_length=50)
    contact_phone = fields.text(problems, data.contact_phone, "contactPhone", max_length=30)
    fax = fields.text(problems, data.fax, "fax", max_length=30, required=False)
    mobile = fields.text(problems, data.mobile, "mobile", max_length=30, required=False)
    address = fields.text(problems, data.address, "address", max_length=200)
    email = fields.email(problems, data.email, "email")
    notes = fields.text(problems, data.notes, "notes", max_length=500, required=False)
    if not (data.email_code or "").strip():
        problems.add(CommonErrorCode.REQUIRED, "emailCode")
    if not data.accept_terms:
        problems.add(CommonErrorCode.CONSENT_REQUIRED, "acceptTerms")
    if username is not None:
        await check_username_free(ctx, username, problems, "username")
    problems.raise_if_any()
    assert username and password and country and organisation and contact and contact_phone
    assert address and email

    await codes.consume(
        ctx, CodeChannel.EMAIL, CodePurpose.REGISTRATION, email, data.email_code, "emailCode"
    )
    account = Account(
        kind=AccountKind.OVERSEAS,
        username=username,
        username_key=username,
        password_hash=await ctx.services.passwords.hash(password),
        name=contact,
        email=email,
    )
    profile = OverseasProfile(
        account_id=0,
        country_code=country,
        registration_number=registration_number,
        organisation_name=organisation,
        department=department,
        job_title=job_title,
        contact_name=contact,
        contact_phone=contact_phone,
        fax=fax,
        # Overseas mobiles are free-form contact numbers, not mainland SMS targets.
        mobile=mobile,
        address=address,
        notes=notes,
    )
    return await _insert_and_log_in(ctx, account, profile=profile)


async def _insert_and_log_in(
    ctx: RequestContext,
    account: Account,
    profile: OverseasProfile | None = None,
) -> sessions.OpenedSession:
    """Write the account (a concurrent duplicate surfaces as a user error) and log it in."""
    ctx.db.add(account)
    try:
        await ctx.db.flush()
        if profile is not None:
            assert account.id is not None
            profile.account_id = account.id
            ctx.db.add(profile)
            await ctx.db.flush()
    except IntegrityError as error:
        await rollback(ctx)
        raise _duplicate(error) from error
    opened = await sessions.open_session(ctx, account, SessionMethod.PASSWORD)
    await commit(ctx)
    return opened


def _duplicate(error: IntegrityError) -> UserErrors:
    text = str(error.orig).lower()
    if "one_admin" in text or "enterprise_id" in text:
        return UserErrors.one(AccountErrorCode.ADMIN_EXISTS, "enterprise", "uscc")
    if "operator_identity" in text:
        return UserErrors.one(AccountErrorCode.OPERATOR_IDENTITY_TAKEN, "idNumber")
    return UserErrors.one(CommonErrorCode.USERNAME_TAKEN, "username")
