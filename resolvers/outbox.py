"""Delivering the outbox: at least once, with backoff; the bank's idempotency key makes it once
in effect (GW-3).

A message is marked DELIVERED only after the bank took it; a crash in between leaves it
PENDING, so it is sent again with the same idempotency key, which the bank ignores the second
time. Unreachable banks are retried with exponential backoff; a refusal is final (DEAD).
"""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlmodel import col, select

from integrations.banks import BankRejected, BankRequest, BankUnavailable
from models import Institution, OutboxMessage, OutboxStatus
from resolvers import loans
from resolvers.context import RequestContext, Services, Viewer
from resolvers.loaders import Loaders
from resolvers.uow import commit

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 8
BATCH = 20


def backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(300, 2**attempts))


async def deliver_due(services: Services) -> int:
    """Deliver what is due now; returns how many were handed to a bank."""
    delivered = 0
    now = services.clock.now()
    async with services.sessionmaker() as db:
        ctx = RequestContext(services, db, Viewer(), "zh-CN", Loaders(db), "outbox")
        due = (
            await db.exec(
                select(OutboxMessage, Institution.code)
                .join(Institution, col(Institution.id) == col(OutboxMessage.institution_id))
                .where(col(OutboxMessage.status) == OutboxStatus.PENDING)
                .where(col(OutboxMessage.next_attempt_at) <= now)
                .order_by(col(OutboxMessage.id))
                .limit(BATCH)
                .with_for_update(skip_locked=True)
            )
        ).all()
        for message, code in due:
            bank = services.banks.bank(code)
            message.attempts += 1
            try:
                if bank is None:
                    raise BankRejected(f"no bank is configured for {code}")
                await bank.send(
                    BankRequest(message.kind, message.idempotency_key, code, dict(message.payload))
                )
            except BankUnavailable as error:
                message.last_error = str(error)[:500]
                message.next_attempt_at = now + backoff(message.attempts)
                if message.attempts >= MAX_ATTEMPTS:
                    await _give_up(ctx, message, "银行暂时无法连接")
            except BankRejected as error:
                message.last_error = str(error)[:500]
                log.error(
                    "bank refused an outbox message", extra={"outboxId": message.id, "bank": code}
                )
                await _give_up(ctx, message, "银行拒绝接收")
            else:
                message.status = OutboxStatus.DELIVERED
                message.delivered_at = now
                delivered += 1
            db.add(message)
            await commit(ctx)
    return delivered


async def _give_up(ctx: RequestContext, message: OutboxMessage, reason: str) -> None:
    """No more tries: the business object learns that its request never reached the bank."""
    message.status = OutboxStatus.DEAD
    if message.kind == "LOAN_SUBMIT":
        await loans.mark_send_failed(ctx, str(message.payload.get("reference")), reason)
