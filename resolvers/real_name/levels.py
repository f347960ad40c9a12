"""Real-name levels (SW-18): recording a verification, granting its level, and the rule
features call to require one. Cards use this to verify an operator who binds their own card,
without depending on the verification flows (which use cards)."""

from __future__ import annotations

import secrets

from models import (
    Account,
    AccountKind,
    RealNameLevel,
    RealNameMethod,
    RealNameStep,
    RealNameVerification,
    VerificationStatus,
)
from resolvers.core import events
from resolvers.core.context import RequestContext
from resolvers.core.errors import UserErrors
from resolvers.real_name.errors import RealNameErrorCode

RANK = {RealNameLevel.NONE: 0, RealNameLevel.MEDIUM: 1, RealNameLevel.HIGH: 2}


def require_level(account: Account, level: RealNameLevel) -> None:
    """For features that need a verified person: refuse below ``level``."""
    if RANK[account.real_name_level] < RANK[level]:
        raise UserErrors.one(RealNameErrorCode.REAL_NAME_REQUIRED, level=level.value)


def new_verification(
    ctx: RequestContext, account: Account | None, method: RealNameMethod, level: RealNameLevel
) -> RealNameVerification:
    verification = RealNameVerification(
        reference=f"RN{secrets.token_hex(12).upper()}",
        account_id=account.id if account else None,
        enterprise_id=account.enterprise_id if account else None,
        method=method,
        level=level,
        status=VerificationStatus.IN_PROGRESS,
        name=account.name if account else None,
        id_type=account.id_type if account else None,
        id_number=account.id_number if account else None,
        created_at=ctx.clock.now(),
    )
    ctx.db.add(verification)
    return verification


def grant(ctx: RequestContext, account: Account, verification: RealNameVerification) -> None:
    verification.status = VerificationStatus.SUCCEEDED
    verification.step = RealNameStep.DONE if verification.step else None
    verification.decided_at = ctx.clock.now()
    verification.name, verification.id_type, verification.id_number = (
        account.name,
        account.id_type,
        account.id_number,
    )
    ctx.db.add(verification)
    level = RealNameLevel(verification.level)
    if RANK[level] > RANK[account.real_name_level]:
        account.real_name_level = level
        account.updated_at = ctx.clock.now()
        ctx.db.add(account)
    events.account_event(ctx, account, events.AccountEventKind.REAL_NAME_CHANGED)


def card_bound(ctx: RequestContext, account: Account) -> None:
    """An operator who binds a card whose holder they are is verified by it (HIGH)."""
    if account.kind == AccountKind.OPERATOR and account.real_name_level != RealNameLevel.HIGH:
        grant(ctx, account, new_verification(ctx, account, RealNameMethod.CARD, RealNameLevel.HIGH))
