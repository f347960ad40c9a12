"""The enterprise bank key (UKEY) check at a bank: which banks offer it, asking one through the
outbox (``ENTERPRISE_VERIFY``), and the verification waiting for its answer.

Two use cases ask a bank: an admin's real-name verification (:mod:`resolvers.real_name.actions`)
and a username recovery by the enterprise's bank key (:mod:`resolvers.recovery.bank_key`, which
also receives the bank's answers and hands those of real-name verifications back). Both import
this module; it imports neither.
"""

from __future__ import annotations

from enum import StrEnum

from sqlmodel import col, select

from models import Institution, InstitutionKind, RealNameVerification, VerificationStatus
from resolvers.core.context import RequestContext
from resolvers.core.errors import CommonErrorCode, UserErrors
from resolvers.core.uow import send_later
from resolvers.real_name.errors import RealNameErrorCode

REFUSED_BY_BANK = "银行认证未通过"


class BankKeyBank(StrEnum):
    """The banks whose enterprise bank key (UKEY) can verify an enterprise."""

    CCB = "CCB"
    ABC = "ABC"
    CMBC = "CMBC"


BANK_KEY_BANKS = frozenset(BankKeyBank)


async def bank(ctx: RequestContext, code: str) -> Institution:
    """The bank of ``code``, if it verifies enterprises by bank key; else BANK_UNAVAILABLE."""
    found = (
        await ctx.db.exec(
            select(Institution)
            .where(col(Institution.code) == code)
            .where(col(Institution.kind) == InstitutionKind.BANK)
        )
    ).first()
    if code not in BANK_KEY_BANKS or found is None:
        raise UserErrors.one(RealNameErrorCode.BANK_UNAVAILABLE, "bank")
    return found


def ask(
    ctx: RequestContext,
    to: Institution,
    verification: RealNameVerification,
    uscc: str,
    name: str,
) -> None:
    """The verification waits (PENDING) for the bank, asked in the same transaction."""
    assert to.id is not None
    verification.status = VerificationStatus.PENDING
    verification.bank_code = to.code
    send_later(
        ctx,
        to.id,
        "ENTERPRISE_VERIFY",
        verification.reference,
        {"uscc": uscc, "enterpriseName": name},
    )


async def waiting(
    ctx: RequestContext, reference: str, bank_code: str | None = None
) -> RealNameVerification | None:
    """The verification of ``reference`` still waiting for (``bank_code``'s) answer."""
    verification = (
        await ctx.db.exec(
            select(RealNameVerification).where(col(RealNameVerification.reference) == reference)
        )
    ).first()
    if (
        verification is None
        or verification.status != VerificationStatus.PENDING
        or (bank_code is not None and verification.bank_code != bank_code)
    ):
        return None
    return verification


async def answered(ctx: RequestContext, bank_code: str, reference: str) -> RealNameVerification:
    """The verification a bank's answer is about; an answer about nothing waiting is NOT_FOUND."""
    verification = await waiting(ctx, reference, bank_code)
    if verification is None:
        raise UserErrors.one(CommonErrorCode.NOT_FOUND)
    return verification


def succeed(ctx: RequestContext, verification: RealNameVerification) -> None:
    verification.status = VerificationStatus.SUCCEEDED
    verification.decided_at = ctx.clock.now()
    ctx.db.add(verification)


def fail(ctx: RequestContext, verification: RealNameVerification, reason: object) -> None:
    verification.status = VerificationStatus.FAILED
    verification.failure_reason = str(reason or REFUSED_BY_BANK)[:200]
    verification.decided_at = ctx.clock.now()
    ctx.db.add(verification)
