"""我的消息: the platform's messages to an account, with unread counts (HN-3, XC-6)."""

from __future__ import annotations

from sqlalchemy import func, inspect, update
from sqlmodel import col, select

from models import Account, Message
from resolvers.core import pagination, permissions
from resolvers.core.context import RequestContext
from resolvers.core.errors import CommonErrorCode, UserErrors
from resolvers.core.uow import commit


def send(ctx: RequestContext, account_id: int, title: str, body: str) -> None:
    """Written in the transaction of what it reports: no outcome without its message."""
    ctx.db.add(
        Message(
            account_id=account_id, title=title[:100], body=body[:1000], created_at=ctx.clock.now()
        )
    )


async def search(
    ctx: RequestContext, unread_only: bool, first: int, after: str | None
) -> pagination.Page[Message]:
    account = permissions.require_account(ctx)
    statement = (
        select(Message)
        .where(col(Message.account_id) == account.id)
        .order_by(col(Message.id).desc())
    )
    if unread_only:
        statement = statement.where(col(Message.read_at).is_(None))
    return await pagination.paginate(ctx, statement, first, after)


async def unread_count(ctx: RequestContext) -> int:
    """The viewer's unread messages; after a refused mutation too (see :func:`_viewer`)."""
    account = await _viewer(ctx)
    statement = (
        select(func.count())
        .select_from(Message)
        .where(col(Message.account_id) == account.id)
        .where(col(Message.read_at).is_(None))
    )
    return int((await ctx.db.exec(statement)).one())


async def mark_read(ctx: RequestContext, message_id: int | None) -> int:
    """One message of the viewer's, or with ``None`` all of them; returns how many changed.
    Another account's message, or one that does not exist, is NOT_FOUND (nothing changes)."""
    account = permissions.require_account(ctx)
    statement = (
        update(Message)
        .where(col(Message.account_id) == account.id)
        .where(col(Message.read_at).is_(None))
        .values(read_at=ctx.clock.now())
    )
    if message_id is not None:
        owned = (
            await ctx.db.exec(
                select(Message.id)
                .where(col(Message.id) == message_id)
                .where(col(Message.account_id) == account.id)
            )
        ).first()
        if owned is None:
            raise UserErrors.one(CommonErrorCode.NOT_FOUND, "id")
        statement = statement.where(col(Message.id) == message_id)
    changed = (await ctx.db.exec(statement)).rowcount
    await commit(ctx)
    return int(changed)


async def _viewer(ctx: RequestContext) -> Account:
    """The viewer's account, read again if a rollback expired it: a refused mutation's payload
    still shows the unread count, and an expired row would otherwise be loaded without
    ``await`` (MissingGreenlet)."""
    for row in (ctx.viewer.account, ctx.viewer.session):
        if row is not None and inspect(row).expired_attributes:
            await ctx.db.refresh(row)
    return permissions.require_account(ctx)
