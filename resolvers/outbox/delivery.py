"""Delivering the outbox: at least once, with backoff; the institution's idempotency key makes
it once in effect (GW-3).

A message is marked DELIVERED only after the bank or insurer took it; a crash in between leaves
it PENDING, so it is sent again with the same idempotency key, which the institution ignores the
second time. Unreachable institutions are retried with exponential backoff; a refusal is final
(DEAD), and the business object learns that its request never arrived.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta

from sqlmodel import col, select

from integrations.institutions import (
    InstitutionRejected,
    InstitutionRequest,
    InstitutionUnavailable,
)
from models import Institution, OutboxMessage, OutboxStatus
from resolvers.agreements import actions as agreements
from resolvers.core.context import RequestContext, Services, Viewer
from resolvers.core.loaders import Loaders
from resolvers.core.uow import commit
from resolvers.insurance import credit_authorisations, payments
from resolvers.insurance import policies as tariff_policies
from resolvers.insurance import quotas as tariff_quotas
from resolvers.loans import actions as loans
from resolvers.recovery import bank_key

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 8
BATCH = 20
# What each kind of request does when it can never be delivered: (ctx, reference, reason).
GIVE_UP: dict[str, Callable[[RequestContext, str, str], Awaitable[None]]] = {
    "AGREEMENT_SUBMIT": agreements.submit_send_failed,
    "AGREEMENT_TERMINATE": agreements.terminate_send_failed,
    "LOAN_SUBMIT": loans.mark_send_failed,
    "CREDIT_AUTHORISATION_SUBMIT": credit_authorisations.mark_send_failed,
    "QUOTA_APPLY": tariff_quotas.mark_send_failed,
    "QUOTA_INCREASE": tariff_quotas.increase_send_failed,
    "POLICY_APPLY": tariff_policies.mark_send_failed,
    "PREMIUM_PAY": payments.mark_send_failed,
    "ENTERPRISE_VERIFY": bank_key.send_failed,
}
UNREACHABLE = {"BANK": "银行暂时无法连接", "INSURER": "保险公司暂时无法连接"}
REFUSED = {"BANK": "银行拒绝接收", "INSURER": "保险公司拒绝接收"}


def backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(300, 2**attempts))


async def deliver_due(services: Services) -> int:
    """Deliver what is due now; returns how many were handed to an institution."""
    delivered = 0
    now = services.clock.now()
    async with services.sessionmaker() as db:
        ctx = RequestContext(services, db, Viewer(), "zh-CN", Loaders(db), "outbox")
        due = (
            await db.exec(
                select(OutboxMessage, Institution.code, Institution.kind)
                .join(Institution, col(Institution.id) == col(OutboxMessage.institution_id))
                .where(col(OutboxMessage.status) == OutboxStatus.PENDING)
                .where(col(OutboxMessage.next_attempt_at) <= now)
                .order_by(col(OutboxMessage.id))
                .limit(BATCH)
                .with_for_update(skip_locked=True)
            )
        ).all()
        for message, code, kind in due:
            institution = services.institutions.get(code, kind)
            message.attempts += 1
            try:
                if institution is None:
                    raise InstitutionRejected(f"no institution is configured for {code}")
                await institution.send(
                    InstitutionRequest(
                        message.kind, message.idempotency_key, code, dict(message.payload)
                    )
                )
            except InstitutionUnavailable as error:
                message.last_error = str(error)[:500]
                message.next_attempt_at = now + backoff(message.attempts)
                if message.attempts >= MAX_ATTEMPTS:
                    await _give_up(ctx, message, UNREACHABLE.get(kind, UNREACHABLE["BANK"]))
            except InstitutionRejected as error:
                message.last_error = str(error)[:500]
                log.error(
                    "institution refused an outbox message",
                    extra={"outboxId": message.id, "institution": code},
                )
                await _give_up(ctx, message, REFUSED.get(kind, REFUSED["BANK"]))
            else:
                message.status = OutboxStatus.DELIVERED
                message.delivered_at = now
                delivered += 1
            db.add(message)
            await commit(ctx)
    return delivered


async def _give_up(ctx: RequestContext, message: OutboxMessage, reason: str) -> None:
    """No more tries: the business object learns that its request never arrived."""
    message.status = OutboxStatus.DEAD
    handler = GIVE_UP.get(message.kind)
    if handler is not None:
        await handler(ctx, str(message.payload.get("reference")), reason)
