"""Account events: what a subscriber to ``accountEvents`` sees about its own account."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from models import Account, Session
from resolvers.core.context import RequestContext, Services


class AccountEventKind(StrEnum):
    LOGGED_IN = "LOGGED_IN"
    LOCKED = "LOCKED"
    PASSWORD_CHANGED = "PASSWORD_CHANGED"
    MOBILE_CHANGED = "MOBILE_CHANGED"
    EMAIL_CHANGED = "EMAIL_CHANGED"
    PROFILE_UPDATED = "PROFILE_UPDATED"
    SETTINGS_CHANGED = "SETTINGS_CHANGED"
    PROFILE_SYNCED = "PROFILE_SYNCED"
    PERMISSIONS_CHANGED = "PERMISSIONS_CHANGED"
    OPERATOR_CREATED = "OPERATOR_CREATED"
    OPERATOR_UPDATED = "OPERATOR_UPDATED"
    OPERATOR_DELETED = "OPERATOR_DELETED"
    SESSION_ENDED = "SESSION_ENDED"
    REAL_NAME_CHANGED = "REAL_NAME_CHANGED"
    QUALIFICATIONS_SYNCED = "QUALIFICATIONS_SYNCED"


@dataclass(frozen=True, slots=True)
class AccountEvent:
    kind: AccountEventKind
    account_id: int
    occurred_at: datetime
    subject_id: int | None = None
    session_id: int | None = None


def topic_for(account_id: int) -> str:
    return f"account:{account_id}"


def _queue(ctx: RequestContext, account_id: int, kind: AccountEventKind, **extra: Any) -> None:
    event = {
        "type": kind.value,
        "accountId": account_id,
        "at": ctx.clock.now().isoformat(),
        **extra,
    }
    ctx.pending_events.append((topic_for(account_id), event))


def account_event(
    ctx: RequestContext, account: Account, kind: AccountEventKind, subject: Account | None = None
) -> None:
    assert account.id is not None
    _queue(ctx, account.id, kind, subjectId=subject.id if subject else None)


def session_ended(ctx: RequestContext, session: Session) -> None:
    _queue(ctx, session.account_id, AccountEventKind.SESSION_ENDED, sessionId=session.id)


def sessions_ended(ctx: RequestContext, account_id: int, except_session: Session | None) -> None:
    keep = except_session.id if except_session else None
    _queue(ctx, account_id, AccountEventKind.SESSION_ENDED, sessionId=None, keepSessionId=keep)


def parse(event: dict[str, Any]) -> AccountEvent:
    return AccountEvent(
        kind=AccountEventKind(event["type"]),
        account_id=int(event["accountId"]),
        occurred_at=datetime.fromisoformat(event["at"]),
        subject_id=event.get("subjectId"),
        session_id=event.get("sessionId"),
    )


def ends_session(event: AccountEvent, raw: dict[str, Any], session_id: int) -> bool:
    """Whether this event means the subscriber's own session is over."""
    if event.kind != AccountEventKind.SESSION_ENDED:
        return False
    if event.session_id is not None:
        return event.session_id == session_id
    return raw.get("keepSessionId") != session_id


async def stream(services: Services, account_id: int) -> AsyncIterator[dict[str, Any]]:
    subscription = services.broker.subscribe(topic_for(account_id))
    try:
        async for raw in subscription:
            yield raw
    finally:
        subscription.close()


def agreement_topics(enterprise_id: int, institution_id: int) -> tuple[str, str]:
    """An agreement's changes go to its enterprise and to the bank's portal users (GW-2)."""
    return f"enterprise:{enterprise_id}:agreements", f"institution:{institution_id}:agreements"


def agreement_event(ctx: RequestContext, agreement: Any) -> None:
    event = {
        "type": "AGREEMENT_STATUS_CHANGED",
        "agreementId": agreement.id,
        "status": str(agreement.status),
        "at": ctx.clock.now().isoformat(),
    }
    for topic in agreement_topics(agreement.enterprise_id, agreement.institution_id):
        ctx.pending_events.append((topic, event))
