"""What username recovery and password reset share (SW-9, SW-10): tickets, throttling, masking.

A ticket is opened by the first step and named by an unguessable public id; each later step
names it. It records the checks passed so far, so the rule "two of four" is a count over it.
Every start and every check counts as an attempt, per account and per client address, and the
count is committed at once so that a failing check still uses up a try.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import AsyncIterator, Iterable
from datetime import timedelta
from enum import StrEnum

from sqlalchemy import func
from sqlmodel import col, select

from models import (
    Account,
    AccountKind,
    Enterprise,
    RecoveryAttempt,
    RecoveryPurpose,
    RecoveryStatus,
    RecoveryTicket,
)
from resolvers.core.context import RequestContext
from resolvers.core.errors import BadUserInput, TooManyRequests, UserErrors
from resolvers.recovery.errors import RecoveryErrorCode

TICKET_TTL = timedelta(minutes=30)


class RecoveryFactor(StrEnum):
    """A check a recovery has passed."""

    BOUND_MOBILE = "BOUND_MOBILE"
    LEGAL_REP = "LEGAL_REP"
    ADMIN = "ADMIN"
    OPERATOR_MOBILES = "OPERATOR_MOBILES"
    SELF_IDENTITY = "SELF_IDENTITY"
    BANK_CARD = "BANK_CARD"
    BANK_KEY = "BANK_KEY"
    MOBILE_CODE = "MOBILE_CODE"
    EMAIL_CODE = "EMAIL_CODE"
    ACCOUNT_INFO = "ACCOUNT_INFO"
    E_LICENCE = "E_LICENCE"


# SW-9 (admin, account-info check): two of these four; a matching bound mobile is one of them.
ADMIN_FACTORS = frozenset(
    {
        RecoveryFactor.BOUND_MOBILE,
        RecoveryFactor.LEGAL_REP,
        RecoveryFactor.ADMIN,
        RecoveryFactor.OPERATOR_MOBILES,
    }
)


ADMIN_FACTORS_NEEDED = 2


def admin_factors_satisfied(factors: set[str]) -> bool:
    return admin_checks_needed(factors) == 0


def admin_checks_needed(factors: Iterable[str]) -> int:
    """How many more of the admin's four checks must pass."""
    return max(0, ADMIN_FACTORS_NEEDED - len(ADMIN_FACTORS & set(factors)))


async def count_attempt(
    ctx: RequestContext, purpose: RecoveryPurpose, account_id: int | None
) -> None:
    """Refuse the tenth try on one account in an hour (and floods from one address), else
    record this try and commit it before the check runs."""
    since = ctx.clock.now() - timedelta(hours=1)
    recent = select(func.count()).select_from(RecoveryAttempt)
    recent = recent.where(col(RecoveryAttempt.created_at) > since)
    if account_id is not None:
        tries = (
            await ctx.db.exec(recent.where(col(RecoveryAttempt.account_id) == account_id))
        ).one()
        if tries >= ctx.policy.recovery_attempts_per_hour:
            raise UserErrors.one(RecoveryErrorCode.RECOVERY_LIMIT_REACHED)
    if ctx.client_ip is not None:
        tries = (
            await ctx.db.exec(recent.where(col(RecoveryAttempt.client_ip) == ctx.client_ip))
        ).one()
        if tries >= ctx.policy.recovery_attempts_per_client_hour:
            raise TooManyRequests("RECOVERY_RATE", ctx.locale)
    ctx.db.add(
        RecoveryAttempt(
            account_id=account_id,
            client_ip=ctx.client_ip,
            purpose=purpose,
            created_at=ctx.clock.now(),
        )
    )
    await ctx.db.commit()


def open_ticket(
    ctx: RequestContext,
    purpose: RecoveryPurpose,
    account_kind: AccountKind,
    method: str,
    *,
    account: Account | None = None,
    enterprise_id: int | None = None,
    verified_mobile: str | None = None,
    factors: set[str] | None = None,
) -> RecoveryTicket:
    now = ctx.clock.now()
    ticket = RecoveryTicket(
        public_id=secrets.token_urlsafe(32),
        purpose=purpose,
        account_kind=account_kind,
        method=method,
        account_id=account.id if account else None,
        enterprise_id=enterprise_id if enterprise_id is not None else _enterprise_of(account),
        verified_mobile=verified_mobile,
        factors=sorted(factors or set()),
        client_ip=ctx.client_ip,
        created_at=now,
        expires_at=now + TICKET_TTL,
    )
    ctx.db.add(ticket)
    return ticket


def _enterprise_of(account: Account | None) -> int | None:
    return account.enterprise_id if account else None


async def find_ticket(
    ctx: RequestContext, public_id: str, purpose: RecoveryPurpose, *statuses: RecoveryStatus
) -> RecoveryTicket:
    """The caller's ticket in one of ``statuses``; anything else is RECOVERY_INVALID."""
    ticket = (
        await ctx.db.exec(
            select(RecoveryTicket).where(col(RecoveryTicket.public_id) == public_id[:43])
        )
    ).first()
    if (
        ticket is None
        or ticket.purpose != purpose
        or ticket.expires_at <= ctx.clock.now()
        or (statuses and ticket.status not in statuses)
    ):
        raise UserErrors.one(RecoveryErrorCode.RECOVERY_INVALID, "recoveryId")
    return ticket


async def lookup_ticket(ctx: RequestContext, public_id: str) -> RecoveryTicket | None:
    """For the status query: an unknown or expired ticket reads as nothing."""
    ticket = (
        await ctx.db.exec(
            select(RecoveryTicket).where(col(RecoveryTicket.public_id) == public_id[:43])
        )
    ).first()
    if ticket is None or ticket.expires_at <= ctx.clock.now():
        return None
    return ticket


FINAL = frozenset({RecoveryStatus.VERIFIED, RecoveryStatus.COMPLETED, RecoveryStatus.FAILED})


def _topic(public_id: str) -> str:
    """The ticket's event topic: a digest, so the handle itself never reaches the broker or
    its logs."""
    return "recovery:" + hashlib.sha256(public_id.encode()).hexdigest()[:32]


def announce(ctx: RequestContext, ticket: RecoveryTicket) -> None:
    """Tell a waiting client that a bank or the e-licence service answered (after commit)."""
    event = {"type": "RECOVERY_STATUS_CHANGED", "status": str(ticket.status)}
    ctx.pending_events.append((_topic(ticket.public_id), event))


async def watch(ctx: RequestContext, public_id: str) -> AsyncIterator[RecoveryTicket]:
    """The ticket now, then each change until it is VERIFIED, COMPLETED or FAILED. The handle
    is the capability: no login is needed (the user has forgotten it)."""
    ticket = await lookup_ticket(ctx, public_id)
    if ticket is None:
        raise BadUserInput("RECOVERY_INVALID", ctx.locale)
    subscription = ctx.services.broker.subscribe(_topic(ticket.public_id))
    try:
        yield ticket
        if ticket.status in FINAL:
            return
        await ctx.close()
        async for _ in subscription:
            await ctx.refresh()
            ticket = await lookup_ticket(ctx, public_id)
            if ticket is None:
                return
            yield ticket
            await ctx.close()
            if ticket.status in FINAL:
                return
    finally:
        subscription.close()


def add_factor(ticket: RecoveryTicket, factor: RecoveryFactor) -> None:
    ticket.factors = sorted({*ticket.factors, factor.value})


async def enterprise_by_name_and_code(
    ctx: RequestContext, name: str, code: str
) -> Enterprise | None:
    """The enterprise with this Chinese name and organisation code (or USCC)."""
    code = code.replace("-", "").strip().upper()
    column = Enterprise.uscc if len(code) == 18 else Enterprise.org_code
    return (
        await ctx.db.exec(
            select(Enterprise)
            .where(col(column) == code)
            .where(col(Enterprise.name) == name.strip())
        )
    ).first()


async def usernames_of(ctx: RequestContext, ticket: RecoveryTicket) -> list[str]:
    """What a verified username recovery shows: the account, or every account of the
    enterprise after an enterprise real-name check (SW-9)."""
    if ticket.status != RecoveryStatus.VERIFIED or ticket.purpose != RecoveryPurpose.USERNAME:
        return []
    statement = select(Account.username).order_by(col(Account.id))
    if ticket.account_id is not None:
        statement = statement.where(col(Account.id) == ticket.account_id)
    elif ticket.enterprise_id is not None:
        statement = statement.where(col(Account.enterprise_id) == ticket.enterprise_id)
    else:
        return []
    return list((await ctx.db.exec(statement)).all())


def mask_mobile(mobile: str | None) -> str | None:
    return f"{mobile[:3]}****{mobile[-4:]}" if mobile else None


def mask_email(email: str | None) -> str | None:
    """``lo*****ng@126.com``, as the manual's screen shows it."""
    if not email:
        return None
    local, _, domain = email.partition("@")
    if len(local) <= 4:
        return f"{local[:1]}***@{domain}"
    return f"{local[:2]}*****{local[-2:]}@{domain}"


def mask_name(name: str) -> str:
    """``**某``: only the last character of a name."""
    return "*" * (len(name) - 1) + name[-1:]
