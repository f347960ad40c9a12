"""Committing a use case: the transaction first, then the events it produced."""

from __future__ import annotations

import logging

from integrations.broker import BrokerError
from resolvers.context import RequestContext

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


async def rollback(ctx: RequestContext) -> None:
    await ctx.db.rollback()
    ctx.pending_events.clear()
