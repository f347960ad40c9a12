"""Subscriptions over graphql-transport-ws; every event is the viewer's own."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from datetime import datetime

import strawberry

from resolvers.core import events as cases
from resolvers.core import permissions
from resolvers.core.errors import Unauthenticated
from schema.accounts.types import Account, account_from_model
from schema.base import Info

AccountEventKind = strawberry.enum(cases.AccountEventKind, name="AccountEventKind")


@strawberry.type(description="Something that happened to the viewer's account.")
class AccountEvent:
    kind: cases.AccountEventKind
    occurred_at: datetime
    account_pk: strawberry.Private[int]
    subject_pk: strawberry.Private[int | None]

    @strawberry.field
    async def account(self, info: Info) -> Account | None:
        row = await info.context.loaders.account.load(self.account_pk)
        return account_from_model(row) if row else None

    @strawberry.field(description="The operator concerned, for OPERATOR_* events.")
    async def subject(self, info: Info) -> Account | None:
        if self.subject_pk is None:
            return None
        row = await info.context.loaders.account.load(self.subject_pk)
        return account_from_model(row) if row else None


@strawberry.type
class Subscription:
    @strawberry.subscription(
        description="The viewer's account events; ends when the session ends (SW-19)."
    )
    async def account_events(self, info: Info) -> AsyncGenerator[AccountEvent, None]:
        ctx = info.context
        account = permissions.require_account(ctx, allow_restricted=True)
        session = ctx.viewer.session
        assert account.id is not None and session is not None and session.id is not None
        async for raw in cases.stream(ctx.services, account.id):
            event = cases.parse(raw)
            if cases.ends_session(event, raw, session.id):
                raise Unauthenticated("SESSION_ENDED", ctx.locale)
            if session.expires_at <= ctx.clock.now():
                raise Unauthenticated("SESSION_ENDED", ctx.locale)
            await ctx.refresh()
            yield AccountEvent(
                kind=event.kind,
                occurred_at=event.occurred_at,
                account_pk=event.account_id,
                subject_pk=event.subject_id,
            )
            # Hold no database connection while waiting for the next event.
            await ctx.close()
