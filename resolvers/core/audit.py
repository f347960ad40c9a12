"""The audit log: reviewer decisions and password resets, with who, what, when and from where."""

from __future__ import annotations

from models import AuditEntry
from resolvers.core.context import RequestContext


def record(
    ctx: RequestContext,
    actor_id: int | None,
    action: str,
    subject_type: str,
    subject_id: int,
    **detail: str,
) -> None:
    """Written in the transaction of the action itself: no action without its entry."""
    ctx.db.add(
        AuditEntry(
            actor_account_id=actor_id,
            action=action,
            subject_type=subject_type,
            subject_id=subject_id,
            detail=dict(detail),
            client_ip=ctx.client_ip,
            created_at=ctx.clock.now(),
        )
    )
