"""Committing a use case: the transaction first, then the events it produced."""

from __future__ import annotations

import logging
import secrets
from typing import Any

from sqlalchemy import update
from sqlmodel import col

from integrations.broker import BrokerError
from models import OutboxMessage
from resolvers.core.context import RequestContext

log = logging.getLogger(__name__)


async def commit(ctx: RequestContext) -> None:
    """Commit, then publish the pending events (never before: a rolled-back change is silent)."""
    await ctx.db.commit()
    pending, ctx.pending_events = ctx.pending_events, []
    for topic, event in pending:
        try:
            await ctx.services.broker.publish(topic, event)
        except BrokerError:
            log.warning("event not published", extra={"topic": topic, "type": event.get("type")})


def send_later(
    ctx: RequestContext, institution_id: int, kind: str, reference: str, payload: dict[str, Any]
) -> None:
    """The call to a bank or insurer, written in the same transaction as the state change it
    announces; the outbox delivers it at least once (the key lets the institution deduplicate)."""
    ctx.db.add(
        OutboxMessage(
            kind=kind,
            institution_id=institution_id,
            idempotency_key=f"{kind}:{reference}:{secrets.token_hex(4)}",
            payload={"reference": reference, **payload},
            next_attempt_at=ctx.clock.now(),
        )
    )


async def transition(
    ctx: RequestContext, row: Any, allowed: tuple[str, ...], **values: Any
) -> bool:
    """Change ``row`` only if its status is still one of ``allowed``, in one conditional UPDATE
    (two reviewers or two portal users cannot both decide it); True if it changed, and then the
    row holds the new values."""
    model = type(row)
    result = await ctx.db.exec(
        update(model)
        .where(col(model.id) == row.id)
        .where(col(model.status).in_(allowed))
        .values(**values)
    )
    if result.rowcount != 1:
        return False
    await ctx.db.refresh(row)
    return True


async def rollback(ctx: RequestContext) -> None:
    await ctx.db.rollback()
    ctx.pending_events.clear()
