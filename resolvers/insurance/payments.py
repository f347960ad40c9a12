"""在线交费 (TI-8): an issued policy's premium paid online through the insurer's integration.

``UNPAID`` (the policy was issued) -> ``PROCESSING`` (the payment went to the insurer through the
outbox, with the amount due: the insurer's premium) -> ``PAID`` (the insurer confirmed it through
its signed webhook, with its receipt) or ``REFUSED`` (the insurer refused it, with its reason: an
amount that is not the premium it charged, say), after which it may be paid again. A payment is
one attempt at a time, each with its own id, so a late answer to an earlier attempt changes
nothing. Every step goes into the policy's history and is pushed on ``tariffPolicyStatusChanged``.

A payment whose request the outbox gave up on (the insurer refused the delivery, or could not be
reached) may be paid again at once; :func:`mark_send_failed` records the refusal when the outbox
reports it.
"""

from __future__ import annotations

import secrets
from datetime import date, datetime
from typing import Any, cast

from sqlalchemy import CursorResult, update
from sqlmodel import col, select

from models import OutboxMessage, OutboxStatus, PolicyStatus, TariffPolicy
from models.insurance import PremiumPaymentStatus
from resolvers.core.context import RequestContext
from resolvers.core.errors import CommonErrorCode, UserErrors
from resolvers.core.uow import commit, send_later
from resolvers.insurance import access, checks, states
from resolvers.insurance.errors import InsuranceErrorCode
from resolvers.insurance.history import policy_entry

REQUEST = "PREMIUM_PAY"
DECISIONS = ("PREMIUM_PAID", "PREMIUM_REFUSED")


async def _delivery_given_up(ctx: RequestContext, policy: TariffPolicy) -> bool:
    """The outbox will never deliver the payment under way (it is DEAD)."""
    statement = (
        select(OutboxMessage.status)
        .where(
            col(OutboxMessage.idempotency_key).startswith(
                f"{REQUEST}:{policy.number}:", autoescape=True
            )
        )
        .order_by(col(OutboxMessage.id).desc())
    )
    return (await ctx.db.exec(statement)).first() == OutboxStatus.DEAD


def can_pay(policy: TariffPolicy, today: date) -> bool:
    """在线交费 now: issued (or since expired), with a premium, unpaid or refused."""
    return (
        states.policy_status(policy, today) in (PolicyStatus.ISSUED, PolicyStatus.EXPIRED)
        and policy.premium is not None
        and policy.payment_status in (PremiumPaymentStatus.UNPAID, PremiumPaymentStatus.REFUSED)
    )


async def pay(ctx: RequestContext, policy_id: int) -> TariffPolicy:
    """Pay the premium of an issued (or since expired) policy of the enterprise."""
    policy = await access.own(ctx, TariffPolicy, policy_id)
    if policy.payment_status == PremiumPaymentStatus.PROCESSING:
        if not await _delivery_given_up(ctx, policy):
            raise UserErrors.one(InsuranceErrorCode.PREMIUM_PAYMENT_PENDING, "id")
    elif not can_pay(policy, ctx.clock.today()):
        raise UserErrors.one(InsuranceErrorCode.PREMIUM_NOT_PAYABLE, "id")
    payment_id = "PAY" + ctx.clock.now().strftime("%Y%m%d") + f"{secrets.randbelow(10**12):012d}"
    # One conditional UPDATE: two payments started together cannot both go out.
    result = await ctx.db.execute(
        update(TariffPolicy)
        .where(col(TariffPolicy.id) == policy.id)
        .where(col(TariffPolicy.payment_status).is_not_distinct_from(policy.payment_status))
        .where(col(TariffPolicy.payment_id).is_not_distinct_from(policy.payment_id))
        .values(
            payment_status=PremiumPaymentStatus.PROCESSING,
            payment_id=payment_id,
            payment_amount=policy.premium,
            payment_reason=None,
            updated_at=ctx.clock.now(),
        )
    )
    if cast(CursorResult[Any], result).rowcount != 1:
        raise UserErrors.one(InsuranceErrorCode.PREMIUM_PAYMENT_PENDING, "id")
    await ctx.db.refresh(policy)
    policy_entry(ctx, policy, None, PremiumPaymentStatus.PROCESSING)
    enterprise = await ctx.loaders.enterprise.load(policy.enterprise_id)
    send_later(
        ctx,
        policy.institution_id,
        REQUEST,
        policy.number,
        {
            "paymentId": payment_id,
            "policyNumber": policy.policy_number,
            "amount": str(policy.payment_amount),
            "currency": "CNY",
            "coverage": str(policy.coverage),
            "rate": str(policy.rate),
            "collectionAccount": policy.collection_account,
            "payerName": enterprise.name if enterprise else "",
            "payerUscc": enterprise.uscc if enterprise else "",
        },
    )
    await commit(ctx)
    ctx.services.outbox_signal()
    return policy


def _paid_at(ctx: RequestContext, event: dict[str, Any]) -> datetime:
    try:
        moment = datetime.fromisoformat(str(event.get("paidAt") or ""))
    except ValueError as error:
        raise UserErrors.one(CommonErrorCode.INVALID_FORMAT, "paidAt") from error
    if moment.tzinfo is None:
        raise UserErrors.one(CommonErrorCode.INVALID_FORMAT, "paidAt")
    return moment


async def decide(ctx: RequestContext, policy: TariffPolicy, event: dict[str, Any]) -> None:
    """The insurer's answer to the payment under way: PREMIUM_PAID or PREMIUM_REFUSED. An answer
    to another attempt, or one that makes no sense (an amount that is not finite or not the one
    paid), is refused and changes nothing."""
    if (
        policy.payment_status != PremiumPaymentStatus.PROCESSING
        or str(event.get("paymentId")) != policy.payment_id
    ):
        raise UserErrors.one(CommonErrorCode.INVALID_TRANSITION, "paymentId")
    amount = checks.event_amount(event, "amount") if "amount" in event else None
    reason = str(event.get("reason") or "")[:200] or None
    if event.get("decision") == "PREMIUM_PAID":
        if amount != policy.payment_amount:
            raise UserErrors.one(CommonErrorCode.AMOUNT_INVALID, "amount")
        policy.payment_status = PremiumPaymentStatus.PAID
        policy.paid_at = _paid_at(ctx, event)
        policy.payment_receipt = str(event.get("receiptNumber") or "")[:64] or None
        policy.payment_reason = None
    else:
        policy.payment_status = PremiumPaymentStatus.REFUSED
        policy.payment_reason = reason or "保险公司拒绝交费"
    policy.updated_at = ctx.clock.now()
    ctx.db.add(policy)
    policy_entry(ctx, policy, policy.payment_reason, policy.payment_status)
    await commit(ctx)


async def mark_send_failed(ctx: RequestContext, number: str, reason: str) -> None:
    """The outbox gave up on a payment: it is REFUSED with the outbox's reason, payable again."""
    statement = select(TariffPolicy).where(col(TariffPolicy.number) == number)
    policy = (await ctx.db.exec(statement)).first()
    if policy is None or policy.payment_status != PremiumPaymentStatus.PROCESSING:
        return
    policy.payment_status, policy.payment_reason = PremiumPaymentStatus.REFUSED, reason
    ctx.db.add(policy)
    policy_entry(ctx, policy, reason, policy.payment_status)
