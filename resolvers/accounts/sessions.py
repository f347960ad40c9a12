"""Sessions: password login (SW-6), the operator's first login, logout (SW-19).

A session is a random bearer token; the database keeps only its SHA-256, so a stolen copy of
the table opens nothing. Logout revokes the row and tells live WebSocket connections to close.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlmodel import col, select, update

from models import (
    Account,
    AccountStatus,
    CodeChannel,
    CodePurpose,
    Session,
    SessionMethod,
)
from resolvers.accounts.errors import AccountErrorCode
from resolvers.core import captcha, codes, events
from resolvers.core.context import RequestContext, Viewer
from resolvers.core.errors import (
    CommonErrorCode,
    Problems,
    Unauthenticated,
    UserErrors,
)
from resolvers.core.identifiers import IdentifierError, validate_mobile
from resolvers.core.permissions import require_account
from resolvers.core.uow import commit


@dataclass(frozen=True, slots=True)
class OpenedSession:
    token: str
    session: Session
    account: Account


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def open_session(
    ctx: RequestContext, account: Account, method: SessionMethod, card_kind: str | None = None
) -> OpenedSession:
    token = secrets.token_urlsafe(32)
    now = ctx.clock.now()
    assert account.id is not None
    session = Session(
        token_hash=token_hash(token),
        account_id=account.id,
        method=method,
        card_kind=card_kind,
        created_at=now,
        expires_at=now + timedelta(seconds=ctx.policy.session_ttl_seconds),
        client_ip=ctx.client_ip,
    )
    ctx.db.add(session)
    await ctx.db.flush()
    # The rest of this request (the mutation's payload) sees the new session as the viewer.
    ctx.viewer = Viewer(account=account, session=session)
    return OpenedSession(token, session, account)


async def authenticate(ctx: RequestContext, token: str) -> Viewer:
    """Resolve a bearer token to its account; an unknown, expired or revoked token is refused."""
    result = await ctx.db.exec(
        select(Session, Account)
        .join(Account, col(Account.id) == col(Session.account_id))
        .where(col(Session.token_hash) == token_hash(token))
    )
    row = result.first()
    if row is None:
        raise Unauthenticated("INVALID_TOKEN", ctx.locale)
    session, account = row
    if session.revoked_at is not None or session.expires_at <= ctx.clock.now():
        raise Unauthenticated("SESSION_ENDED", ctx.locale)
    if account.status != AccountStatus.ENABLED:
        raise Unauthenticated("ACCOUNT_DISABLED", ctx.locale)
    ctx.loaders.prime_account(account)
    return Viewer(account=account, session=session)


async def find_login_account(
    ctx: RequestContext, login: str
) -> tuple[Account | None, SessionMethod]:
    """By username (any letter case), or by a mobile whose owner switched phone login on."""
    result = await ctx.db.exec(select(Account).where(col(Account.username_key) == login.lower()))
    account = result.first()
    if account is not None:
        return account, SessionMethod.PASSWORD
    try:
        mobile = validate_mobile(login)
    except IdentifierError:
        return None, SessionMethod.PASSWORD
    result = await ctx.db.exec(
        select(Account)
        .where(col(Account.mobile) == mobile)
        .where(col(Account.phone_login_enabled).is_(True))
    )
    return result.first(), SessionMethod.PHONE_PASSWORD


async def login_with_password(
    ctx: RequestContext, login: str, password: str, captcha_id: str, captcha_answer: str
) -> OpenedSession:
    problems = Problems()
    if not login.strip():
        problems.add(CommonErrorCode.REQUIRED, "username")
    if not password:
        problems.add(CommonErrorCode.REQUIRED, "password")
    problems.raise_if_any()
    await captcha.consume(ctx, captcha_id, captcha_answer, "captcha")
    account, method = await find_login_account(ctx, login.strip())
    now = ctx.clock.now()
    if account is not None and account.locked_until is not None and account.locked_until > now:
        minutes = int((account.locked_until - now).total_seconds() // 60) + 1
        raise UserErrors.one(AccountErrorCode.ACCOUNT_LOCKED, "username", minutes=minutes)
    valid = await ctx.services.passwords.verify(
        account.password_hash if account else None, password
    )
    if account is None or not valid:
        if account is not None:
            await _record_failure(ctx, account)
        raise UserErrors.one(AccountErrorCode.INVALID_CREDENTIALS, "password")
    if not account.activated:
        raise UserErrors.one(AccountErrorCode.ACCOUNT_NOT_ACTIVATED, "username")
    if account.status != AccountStatus.ENABLED:
        raise UserErrors.one(AccountErrorCode.ACCOUNT_DISABLED, "username")
    account.failed_logins = 0
    account.locked_until = None
    ctx.db.add(account)
    opened = await open_session(ctx, account, method)
    events.account_event(ctx, account, events.AccountEventKind.LOGGED_IN)
    await commit(ctx)
    return opened


async def send_login_code(ctx: RequestContext, login: str) -> None:
    """HN-2, XC-3: the code goes to the mobile the account registered, never to one the client
    names; the answer is the same whether or not the account exists."""
    account = (
        await ctx.db.exec(select(Account).where(col(Account.username_key) == login.strip().lower()))
    ).first()
    if account is not None and account.mobile and account.status == AccountStatus.ENABLED:
        await codes.send(ctx, CodeChannel.SMS, CodePurpose.LOGIN, account.mobile)


async def login_with_password_and_code(
    ctx: RequestContext, login: str, password: str, code: str
) -> OpenedSession:
    """Account (or an institution admin's mobile) + password + the SMS code to its mobile."""
    account = await verify_password_and_code(ctx, login, password, code)
    opened = await open_session(ctx, account, SessionMethod.PASSWORD_SMS)
    events.account_event(ctx, account, events.AccountEventKind.LOGGED_IN)
    await commit(ctx)
    return opened


async def verify_password_and_code(
    ctx: RequestContext, login: str, password: str, code: str
) -> Account:
    """The checks of that login (also what binding a WeChat user to an account asks)."""
    problems = Problems()
    for value, name in (
        (login.strip(), "login"),
        (password, "password"),
        (code.strip(), "smsCode"),
    ):
        if not value:
            problems.add(CommonErrorCode.REQUIRED, name)
    problems.raise_if_any()
    account = (
        await ctx.db.exec(select(Account).where(col(Account.username_key) == login.strip().lower()))
    ).first()
    if account is None or not account.mobile:
        raise UserErrors.one(AccountErrorCode.INVALID_CREDENTIALS, "password")
    now = ctx.clock.now()
    if account.locked_until is not None and account.locked_until > now:
        minutes = int((account.locked_until - now).total_seconds() // 60) + 1
        raise UserErrors.one(AccountErrorCode.ACCOUNT_LOCKED, "login", minutes=minutes)
    await codes.consume(ctx, CodeChannel.SMS, CodePurpose.LOGIN, account.mobile, code, "smsCode")
    if not await ctx.services.passwords.verify(account.password_hash, password):
        await _record_failure(ctx, account)
        raise UserErrors.one(AccountErrorCode.INVALID_CREDENTIALS, "password")
    if account.status != AccountStatus.ENABLED:
        raise UserErrors.one(AccountErrorCode.ACCOUNT_DISABLED, "login")
    account.failed_logins = 0
    account.locked_until = None
    ctx.db.add(account)
    return account


async def _record_failure(ctx: RequestContext, account: Account) -> None:
    """Count a wrong password; at the limit, lock the account for a while."""
    account.failed_logins += 1
    if account.failed_logins >= ctx.policy.login_max_failures:
        account.locked_until = ctx.clock.now() + timedelta(seconds=ctx.policy.login_lock_seconds)
        account.failed_logins = 0
        events.account_event(ctx, account, events.AccountEventKind.LOCKED)
    ctx.db.add(account)
    await commit(ctx)


async def send_first_login_code(ctx: RequestContext) -> None:
    account = require_account(ctx, allow_restricted=True)
    if not account.must_verify_mobile:
        raise UserErrors.one(CommonErrorCode.NOT_REQUIRED)
    if not account.mobile:
        raise UserErrors.one(AccountErrorCode.MOBILE_REQUIRED)
    await codes.send(ctx, CodeChannel.SMS, CodePurpose.FIRST_LOGIN, account.mobile)
    await commit(ctx)


async def verify_first_login_mobile(ctx: RequestContext, code: str) -> Account:
    """SW-6: the SMS code sent to the mobile the admin entered for this operator."""
    account = require_account(ctx, allow_restricted=True)
    if not account.must_verify_mobile or not account.mobile:
        raise UserErrors.one(CommonErrorCode.NOT_REQUIRED)
    await codes.consume(ctx, CodeChannel.SMS, CodePurpose.FIRST_LOGIN, account.mobile, code, "code")
    account.must_verify_mobile = False
    ctx.db.add(account)
    await commit(ctx)
    return account


async def revoke(ctx: RequestContext) -> None:
    """Logout: this session ends now, on every connection that uses it (SW-19)."""
    session = ctx.viewer.session
    account = ctx.viewer.account
    if session is None or account is None:
        raise Unauthenticated(locale=ctx.locale)
    session.revoked_at = ctx.clock.now()
    ctx.db.add(session)
    events.session_ended(ctx, session)
    await commit(ctx)


async def revoke_all(
    ctx: RequestContext, account: Account, except_session: Session | None = None
) -> None:
    """End every session of an account (used when its password changes)."""
    statement = (
        update(Session)
        .where(col(Session.account_id) == account.id)
        .where(col(Session.revoked_at).is_(None))
        .values(revoked_at=ctx.clock.now())
    )
    if except_session is not None:
        statement = statement.where(col(Session.id) != except_session.id)
    await ctx.db.exec(statement)
    assert account.id is not None
    events.sessions_ended(ctx, account.id, except_session)
