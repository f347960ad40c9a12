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
from resolvers.context import Services

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
            try:
                if bank is None:
                    raise BankRejected(f"no bank is configured for {code}")
                await bank.send(
                    BankRequest(message.kind, message.idempotency_key, code, dict(message.payload))
                )
            except BankUnavailable as error:
                message.attempts += 1
                message.last_error = str(error)[:500]
                if message.attempts >= MAX_ATTEMPTS:
                    message.status = OutboxStatus.DEAD
                message.next_attempt_at = now + backoff(message.attempts)
            except BankRejected as error:
                message.attempts += 1
                message.status = OutboxStatus.DEAD
                message.last_error = str(error)[:500]
                log.error(
                    "bank refused an outbox message", extra={"outboxId": message.id, "bank": code}
                )
            else:
                message.attempts += 1
                message.status = OutboxStatus.DELIVERED
                message.delivered_at = now
                delivered += 1
            db.add(message)
            await db.commit()
    return delivered
