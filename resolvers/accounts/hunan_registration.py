"""湘企融 registration and look-ups (HN-1): the company is chosen from the market regulator's
register by name, which fills its USCC and registered address; the login account starts with a
letter; the mobile is proved by SMS; the user consents to the platform agreement.

Anyone can name any company here, so a new account does nothing for the enterprise until a
reviewer certifies it (:mod:`resolvers.certification`); several people may register the same
company, and none sees another's data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import col, select

from integrations.registry import EnterpriseRecord, RegistryError
from models import (
    Account,
    AccountKind,
    CodeChannel,
    CodePurpose,
    Enterprise,
    EnterpriseKind,
    Region,
)
from resolvers.accounts.errors import AccountErrorCode
from resolvers.accounts.registration import check_username_free
from resolvers.core import codes, fields
from resolvers.core.context import RequestContext
from resolvers.core.errors import BadUserInput, CommonErrorCode, Problems, UserErrors
from resolvers.core.uow import commit
from resolvers.identity.checks import registry_record

ACCOUNT = re.compile(r"^[A-Za-z][A-Za-z0-9_]{3,19}$")
SYMBOLS = re.compile(r"^[\x21-\x7e]{8,20}$")


@dataclass
class RegistrationInput:
    company_name: str
    uscc: str
    account: str
    mobile: str
    password: str
    password_confirmation: str
    sms_code: str
    accept_terms: bool


async def suggestions(ctx: RequestContext, name: str) -> list[EnterpriseRecord]:
    """As the user types the company name: at most ten registered companies."""
    text = name.strip()
    if len(text) < 2:
        return []
    try:
        return await ctx.services.registry.search(text[:50], limit=10)
    except RegistryError as error:
        raise BadUserInput("REGISTRY_UNAVAILABLE", ctx.locale) from error


def _password(problems: Problems, password: str, confirmation: str) -> str | None:
    has_letter = any(c.isascii() and c.isalpha() for c in password)
    has_digit = any(c.isdigit() for c in password)
    if not SYMBOLS.match(password) or not (has_letter and has_digit):
        problems.add(AccountErrorCode.HUNAN_PASSWORD_POLICY, "password")
        return None
    if password != confirmation:
        problems.add(CommonErrorCode.PASSWORD_MISMATCH, "passwordConfirmation")
        return None
    return password


async def register(ctx: RequestContext, data: RegistrationInput) -> Account:
    problems = Problems()
    account = data.account.strip()
    if not ACCOUNT.match(account):
        problems.add(AccountErrorCode.HUNAN_ACCOUNT_FORMAT, "account")
    mobile = fields.mobile(problems, data.mobile, "mobile")
    password = _password(problems, data.password, data.password_confirmation)
    company = fields.text(problems, data.company_name, "companyName", max_length=100)
    if not (data.uscc or "").strip():
        problems.add(CommonErrorCode.REQUIRED, "uscc")
    if not data.accept_terms:
        problems.add(CommonErrorCode.CONSENT_REQUIRED, "acceptTerms")
    if not (data.sms_code or "").strip():
        problems.add(CommonErrorCode.REQUIRED, "smsCode")
    if not problems.has("account"):
        await check_username_free(ctx, account, problems, "account")
    problems.raise_if_any()
    assert mobile and password and company
    record = await registry_record(ctx, data.uscc.strip().upper(), "uscc")
    if record.name != company:
        raise UserErrors.one(CommonErrorCode.ENTERPRISE_NOT_IN_REGISTRY, "companyName")
    await codes.consume(
        ctx, CodeChannel.SMS, CodePurpose.REGISTRATION, mobile, data.sms_code, "smsCode"
    )
    enterprise = await _enterprise(ctx, record)
    created = Account(
        kind=AccountKind.ENTERPRISE_USER,
        username=account,
        username_key=account.lower(),
        password_hash=await ctx.services.passwords.hash(password),
        enterprise_id=enterprise.id,
        name=account,
        mobile=mobile,
        created_at=ctx.clock.now(),
    )
    ctx.db.add(created)
    await commit(ctx)
    return created


def shows_legal_rep_identity(certified_at: datetime | None) -> bool:
    """HN-3: an enterprise user reads its enterprise's legal representative's ID once a
    reviewer certified it (naming a company must not reveal the register's data)."""
    return certified_at is not None


async def _enterprise(ctx: RequestContext, record: EnterpriseRecord) -> Enterprise:
    """The enterprise as the register has it (or as the platform already knows it)."""
    found = (
        await ctx.db.exec(select(Enterprise).where(col(Enterprise.uscc) == record.uscc))
    ).first()
    if found is not None:
        return found
    region_id = (
        await ctx.db.exec(select(Region.id).where(col(Region.code) == record.region_code))
    ).first()
    enterprise = enterprise_from_record(record, region_id)
    enterprise.created_at = ctx.clock.now()
    ctx.db.add(enterprise)
    await ctx.db.flush()
    return enterprise


def enterprise_from_record(record: EnterpriseRecord, region_id: int | None) -> Enterprise:
    """An enterprise as the register has it; the ID's validity is not in the register."""
    return Enterprise(
        kind=EnterpriseKind.ENTERPRISE,
        uscc=record.uscc,
        org_code=record.uscc[8:17],
        name=record.name,
        legal_rep_name=record.legal_rep_name,
        legal_rep_id_type=record.legal_rep_id_type,
        legal_rep_id_number=record.legal_rep_id_number,
        legal_rep_id_valid_from="",
        legal_rep_id_valid_to="",
        address=record.address,
        region_id=region_id,
    )
