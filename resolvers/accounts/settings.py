"""Account information and settings (SW-11, SW-12).

Changing a name, ID type or ID number voids the real-name verification (SW-11, SW-18); for
operators it also unbinds their card once cards exist (the card issue adds that step here).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from integrations.profile_sync import ProfileSnapshot, SyncRejected, SyncUnavailable
from models import (
    Account,
    AccountKind,
    CodeChannel,
    CodePurpose,
    Enterprise,
    OverseasProfile,
    RealNameLevel,
)
from resolvers.accounts import loaders as account_loaders
from resolvers.accounts import sessions
from resolvers.accounts.errors import AccountErrorCode
from resolvers.cards import actions as cards
from resolvers.core import codes, events, fields, permissions
from resolvers.core.context import RequestContext
from resolvers.core.errors import CommonErrorCode, Problems, UserErrors
from resolvers.core.fields import IdType
from resolvers.core.identifiers import IdentifierError, normalise, validate_org_code, validate_uscc
from resolvers.core.uow import commit, rollback
from resolvers.identity.checks import IdentityInput, checked_person


@dataclass
class EmployerInput:
    enterprise_name: str | None = None
    uscc: str | None = None
    org_code: str | None = None
    legal_rep_name: str | None = None


@dataclass
class OverseasContactInput:
    contact_name: str
    contact_phone: str
    organisation_name: str
    address: str
    department: str | None = None
    job_title: str | None = None
    fax: str | None = None
    mobile: str | None = None
    notes: str | None = None


def may_see(viewer: Account | None, account: Account) -> bool:
    """An account is visible to itself and to the admin of its enterprise."""
    if viewer is None:
        return False
    if viewer.id == account.id:
        return True
    return (
        viewer.kind == AccountKind.ENTERPRISE_ADMIN
        and account.enterprise_id is not None
        and viewer.enterprise_id == account.enterprise_id
    )


async def visible_accounts(ctx: RequestContext, ids: list[int]) -> list[Account | None]:
    """``node(id)`` of accounts: those the viewer may see (:func:`may_see`), else None."""
    rows: list[Account | None] = await ctx.loaders.account.load_many(ids)
    viewer = ctx.viewer.account
    return [row if row is not None and may_see(viewer, row) else None for row in rows]


async def visible_enterprises(ctx: RequestContext, ids: list[int]) -> list[Enterprise | None]:
    """``node(id)`` of enterprises: only the one the viewer acts for."""
    rows: list[Enterprise | None] = await ctx.loaders.enterprise.load_many(ids)
    acting = permissions.acting_enterprise_id(ctx.viewer.account)
    return [row if row is not None and acting == row.id else None for row in rows]


def may_set_registration_number(current: str | None) -> bool:
    """SW-5: the home registration number can be added once, never changed."""
    return not current


def check_identity(
    ctx: RequestContext, data: IdentityInput, problems: Problems
) -> tuple[str, str, str | None, str | None] | None:
    person = checked_person(ctx, data, problems)
    if person is None:
        return None
    return person.name, person.id_number, person.valid_from, person.valid_to


def apply_identity(
    account: Account, data: IdentityInput, checked: tuple[str, str, str | None, str | None]
) -> bool:
    """Write the identity; returns whether name, ID type or number changed (voiding real name)."""
    name, number, start, end = checked
    changed = (name, data.id_type.value, number) != (
        account.name,
        account.id_type,
        account.id_number,
    )
    account.name = name
    account.id_type = data.id_type
    account.id_number = number
    account.id_valid_from = start
    account.id_valid_to = end
    if changed:
        account.real_name_level = RealNameLevel.NONE
    return changed


async def update_identity(ctx: RequestContext, data: IdentityInput) -> Account:
    """Admins, operators and individuals edit their own name and ID (SW-11)."""
    account = permissions.require_account(ctx)
    if account.kind not in (
        AccountKind.ENTERPRISE_ADMIN,
        AccountKind.OPERATOR,
        AccountKind.INDIVIDUAL,
    ):
        raise UserErrors.one(CommonErrorCode.NOT_REQUIRED)
    problems = Problems()
    checked = check_identity(ctx, data, problems)
    if checked is not None and account.kind == AccountKind.OPERATOR:
        await check_operator_identity_free(ctx, account, data.id_type, checked[1], problems)
    problems.raise_if_any()
    assert checked is not None
    if apply_identity(account, data, checked) and account.kind == AccountKind.OPERATOR:
        # SW-11: the bound card no longer matches the operator.
        await cards.unbind_account(ctx, account)
    account.updated_at = ctx.clock.now()
    ctx.db.add(account)
    events.account_event(ctx, account, events.AccountEventKind.PROFILE_UPDATED)
    await commit(ctx)
    return account


async def check_operator_identity_free(
    ctx: RequestContext, operator: Account, id_type: IdType, id_number: str, problems: Problems
) -> None:
    statement = (
        select(Account.id)
        .where(col(Account.enterprise_id) == operator.enterprise_id)
        .where(col(Account.kind) == AccountKind.OPERATOR)
        .where(col(Account.id_type) == id_type)
        .where(col(Account.id_number) == id_number)
    )
    if operator.id is not None:
        statement = statement.where(col(Account.id) != operator.id)
    if (await ctx.db.exec(statement)).first() is not None:
        problems.add(AccountErrorCode.OPERATOR_IDENTITY_TAKEN, "idNumber")


async def change_password(ctx: RequestContext, old: str, new: str, confirmation: str) -> Account:
    """Old + new password; also the forced change of the initial password (SW-6, SW-11)."""
    account = permissions.require_account(ctx, allow_restricted=True)
    if account.must_verify_mobile:
        raise UserErrors.one(CommonErrorCode.NOT_REQUIRED)
    problems = Problems()
    password = fields.new_password(problems, new, confirmation)
    if password is not None and password == old:
        problems.add(AccountErrorCode.PASSWORD_REUSED, "password")
    problems.raise_if_any()
    assert password is not None
    if not await ctx.services.passwords.verify(account.password_hash, old):
        raise UserErrors.one(AccountErrorCode.WRONG_PASSWORD, "oldPassword")
    account.password_hash = await ctx.services.passwords.hash(password)
    account.must_change_password = False
    account.updated_at = ctx.clock.now()
    ctx.db.add(account)
    # Other sessions, possibly opened with the old password, end now; this one goes on.
    await sessions.revoke_all(ctx, account, except_session=ctx.viewer.session)
    events.account_event(ctx, account, events.AccountEventKind.PASSWORD_CHANGED)
    await commit(ctx)
    return account


async def send_mobile_change_code(ctx: RequestContext, new_mobile: str | None) -> None:
    """A code to the current mobile (identity proof), or to the new one (ownership proof)."""
    account = permissions.require_account(ctx)
    if new_mobile is None:
        if not account.mobile:
            raise UserErrors.one(AccountErrorCode.MOBILE_REQUIRED)
        await codes.send(ctx, CodeChannel.SMS, CodePurpose.CHANGE_MOBILE_OLD, account.mobile)
    else:
        problems = Problems()
        mobile = fields.mobile(problems, new_mobile, "target")
        problems.raise_if_any()
        assert mobile is not None
        await codes.send(ctx, CodeChannel.SMS, CodePurpose.CHANGE_MOBILE_NEW, mobile)
    await commit(ctx)


async def change_mobile(
    ctx: RequestContext,
    new_mobile: str,
    new_mobile_code: str,
    current_mobile_code: str | None,
    id_type: IdType | None,
    id_number: str | None,
) -> Account:
    """SW-11: prove identity by the current mobile's code or by the ID on file, then prove
    the new mobile with its own code."""
    account = permissions.require_account(ctx)
    problems = Problems()
    mobile = fields.mobile(problems, new_mobile, "mobile")
    if not (new_mobile_code or "").strip():
        problems.add(CommonErrorCode.REQUIRED, "newMobileCode")
    by_id = current_mobile_code is None
    if by_id and (id_type is None or not id_number):
        problems.add(CommonErrorCode.REQUIRED, "idNumber")
    if mobile is not None and mobile == account.mobile:
        problems.add(CommonErrorCode.NO_CHANGE, "mobile")
    problems.raise_if_any()
    assert mobile is not None
    if by_id:
        assert id_type is not None and id_number is not None
        if (id_type.value, normalise(id_number)) != (account.id_type, account.id_number):
            raise UserErrors.one(CommonErrorCode.IDENTITY_MISMATCH, "idNumber")
    else:
        if not account.mobile:
            raise UserErrors.one(AccountErrorCode.MOBILE_REQUIRED, "currentMobileCode")
        await codes.consume(
            ctx,
            CodeChannel.SMS,
            CodePurpose.CHANGE_MOBILE_OLD,
            account.mobile,
            current_mobile_code or "",
            "currentMobileCode",
        )
    await codes.consume(
        ctx,
        CodeChannel.SMS,
        CodePurpose.CHANGE_MOBILE_NEW,
        mobile,
        new_mobile_code,
        "newMobileCode",
    )
    account.mobile = mobile
    account.updated_at = ctx.clock.now()
    ctx.db.add(account)
    try:
        await ctx.db.flush()
    except IntegrityError as error:
        await rollback(ctx)
        raise UserErrors.one(AccountErrorCode.PHONE_LOGIN_TAKEN, "mobile") from error
    events.account_event(ctx, account, events.AccountEventKind.MOBILE_CHANGED)
    await commit(ctx)
    return account


async def send_email_change_code(ctx: RequestContext, new_email: str) -> None:
    permissions.require_account(ctx)
    problems = Problems()
    email = fields.email(problems, new_email, "target")
    problems.raise_if_any()
    assert email is not None
    await codes.send(ctx, CodeChannel.EMAIL, CodePurpose.CHANGE_EMAIL, email)
    await commit(ctx)


async def change_email(ctx: RequestContext, new_email: str, code: str) -> Account:
    account = permissions.require_account(ctx)
    problems = Problems()
    email = fields.email(problems, new_email, "email")
    if not (code or "").strip():
        problems.add(CommonErrorCode.REQUIRED, "code")
    problems.raise_if_any()
    assert email is not None
    await codes.consume(ctx, CodeChannel.EMAIL, CodePurpose.CHANGE_EMAIL, email, code, "code")
    account.email = email
    account.updated_at = ctx.clock.now()
    ctx.db.add(account)
    events.account_event(ctx, account, events.AccountEventKind.EMAIL_CHANGED)
    await commit(ctx)
    return account


async def update_employer(ctx: RequestContext, data: EmployerInput) -> Account:
    """SW-11, individuals: one or two of {name, USCC, org code} at a time, and the legal
    representative's name."""
    account = permissions.require_account(ctx)
    if account.kind != AccountKind.INDIVIDUAL:
        raise UserErrors.one(CommonErrorCode.NOT_REQUIRED)
    problems = Problems()
    name = fields.text(
        problems, data.enterprise_name, "enterpriseName", max_length=100, required=False
    )
    uscc = _optional_identifier(problems, validate_uscc, data.uscc, "uscc")
    org_code = _optional_identifier(problems, validate_org_code, data.org_code, "orgCode")
    rep = fields.text(problems, data.legal_rep_name, "legalRepName", max_length=50, required=False)
    problems.raise_if_any()
    current = (account.employer_name, account.employer_uscc, account.employer_org_code)
    wanted = (name or current[0], uscc or current[1], org_code or current[2])
    changed = sum(1 for before, after in zip(current, wanted, strict=True) if before != after)
    if changed == 3:
        raise UserErrors.one(AccountErrorCode.EMPLOYER_TOO_MANY_CHANGES, "enterpriseName")
    if changed == 0 and (rep is None or rep == account.employer_legal_rep_name):
        raise UserErrors.one(CommonErrorCode.NO_CHANGE)
    account.employer_name, account.employer_uscc, account.employer_org_code = wanted
    if rep is not None:
        account.employer_legal_rep_name = rep
    account.updated_at = ctx.clock.now()
    ctx.db.add(account)
    events.account_event(ctx, account, events.AccountEventKind.PROFILE_UPDATED)
    await commit(ctx)
    return account


def _optional_identifier(
    problems: Problems, check: Callable[[str], str], value: str | None, field: str
) -> str | None:
    if not (value or "").strip():
        return None
    try:
        return check(value or "")
    except IdentifierError as error:
        problems.add(error.code, field)
        return None


async def overseas_profile_of(ctx: RequestContext, account: Account) -> OverseasProfile:
    assert account.id is not None
    profile = await ctx.loaders.of(account_loaders.overseas_profiles).load(account.id)
    if profile is None:
        raise UserErrors.one(CommonErrorCode.NOT_FOUND)
    return profile


async def update_overseas_contact(ctx: RequestContext, data: OverseasContactInput) -> Account:
    account = permissions.require_account(ctx)
    if account.kind != AccountKind.OVERSEAS:
        raise UserErrors.one(CommonErrorCode.NOT_REQUIRED)
    profile = await overseas_profile_of(ctx, account)
    problems = Problems()
    values = {
        "contact_name": fields.text(problems, data.contact_name, "contactName", max_length=50),
        "contact_phone": fields.text(problems, data.contact_phone, "contactPhone", max_length=30),
        "organisation_name": fields.text(
            problems, data.organisation_name, "organisationName", max_length=100
        ),
        "address": fields.text(problems, data.address, "address", max_length=200),
        "department": fields.text(
            problems, data.department, "department", max_length=100, required=False
        ),
        "job_title": fields.text(
            problems, data.job_title, "jobTitle", max_length=50, required=False
        ),
        "fax": fields.text(problems, data.fax, "fax", max_length=30, required=False),
        "mobile": fields.text(problems, data.mobile, "mobile", max_length=30, required=False),
        "notes": fields.text(problems, data.notes, "notes", max_length=500, required=False),
    }
    problems.raise_if_any()
    for name, value in values.items():
        setattr(profile, name, value)
    account.name = values["contact_name"] or account.name
    account.updated_at = ctx.clock.now()
    ctx.db.add(profile)
    ctx.db.add(account)
    events.account_event(ctx, account, events.AccountEventKind.PROFILE_UPDATED)
    await commit(ctx)
    return account


async def set_registration_number(ctx: RequestContext, number: str) -> Account:
    """SW-5 / SW-11: the home registration number may be added once, then never changed."""
    account = permissions.require_account(ctx)
    if account.kind != AccountKind.OVERSEAS:
        raise UserErrors.one(CommonErrorCode.NOT_REQUIRED)
    profile = await overseas_profile_of(ctx, account)
    if not may_set_registration_number(profile.registration_number):
        raise UserErrors.one(AccountErrorCode.REGISTRATION_NUMBER_IMMUTABLE, "registrationNumber")
    problems = Problems()
    value = fields.text(problems, number, "registrationNumber", max_length=50)
    problems.raise_if_any()
    profile.registration_number = value
    ctx.db.add(profile)
    events.account_event(ctx, account, events.AccountEventKind.PROFILE_UPDATED)
    await commit(ctx)
    return account


async def set_phone_login(ctx: RequestContext, enabled: bool) -> Account:
    """SW-12: refused when another account already logs in with the same mobile."""
    account = permissions.require_account(ctx)
    if enabled and not account.mobile:
        raise UserErrors.one(AccountErrorCode.MOBILE_REQUIRED, "enabled")
    if enabled == account.phone_login_enabled:
        return account
    if enabled:
        other = (
            await ctx.db.exec(
                select(Account.id)
                .where(col(Account.mobile) == account.mobile)
                .where(col(Account.phone_login_enabled).is_(True))
                .where(col(Account.id) != account.id)
            )
        ).first()
        if other is not None:
            raise UserErrors.one(AccountErrorCode.PHONE_LOGIN_TAKEN, "enabled")
    account.phone_login_enabled = enabled
    ctx.db.add(account)
    try:
        await ctx.db.flush()
    except IntegrityError as error:
        await rollback(ctx)
        raise UserErrors.one(AccountErrorCode.PHONE_LOGIN_TAKEN, "enabled") from error
    events.account_event(ctx, account, events.AccountEventKind.SETTINGS_CHANGED)
    await commit(ctx)
    return account


async def sync_profile(ctx: RequestContext) -> tuple[Account, str]:
    """SW-12 profile sync: push the identity to the national platform, keep its receipt."""
    account = permissions.require_account(ctx)
    enterprise = None
    if account.enterprise_id is not None:
        enterprise = await ctx.loaders.enterprise.load(account.enterprise_id)
    assert account.id is not None
    snapshot = ProfileSnapshot(
        account_id=account.id,
        username=account.username,
        name=account.name,
        id_type=account.id_type,
        id_number=account.id_number,
        mobile=account.mobile,
        email=account.email,
        enterprise_uscc=enterprise.uscc if enterprise else None,
        enterprise_name=enterprise.name if enterprise else None,
    )
    try:
        receipt = await ctx.services.profile_syncer.sync(snapshot)
    except SyncRejected as error:
        raise UserErrors.one(AccountErrorCode.PROFILE_SYNC_REJECTED, reason=error.reason) from error
    except SyncUnavailable as error:
        raise UserErrors.one(AccountErrorCode.PROFILE_SYNC_UNAVAILABLE) from error
    account.profile_synced_at = ctx.clock.now()
    account.profile_sync_receipt = receipt.receipt_id
    ctx.db.add(account)
    events.account_event(ctx, account, events.AccountEventKind.PROFILE_SYNCED)
    await commit(ctx)
    return account, receipt.receipt_id
