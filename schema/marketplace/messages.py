"""我的消息: the platform's messages to an account, with unread counts (HN-3, XC-6)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry

import models
from resolvers.marketplace import messages as cases
from schema.base import Connection, Info, UserError, perform


@strawberry.type(description="我的消息.")
class Message:
    id: int
    title: str
    body: str
    created_at: datetime
    read_at: datetime | None

    @classmethod
    def from_model(cls, row: models.Message) -> Message:
        assert row.id is not None
        return cls(
            id=row.id,
            title=row.title,
            body=row.body,
            created_at=row.created_at,
            read_at=row.read_at,
        )


def _marked(root: MessagesMarkReadPayload) -> int:
    return root.changed or 0


async def _unread_count(info: Info) -> int:
    return await cases.unread_count(info.context)


@strawberry.type
class MessagesMarkReadPayload:
    marked: int = strawberry.field(
        resolver=_marked, description="How many messages were marked read; 0 when refused."
    )
    unread_count: int = strawberry.field(resolver=_unread_count)
    user_errors: list[UserError]
    changed: strawberry.Private[int | None] = None

    @classmethod
    def build(
        cls, *, user_errors: list[UserError], changed: int | None = None
    ) -> MessagesMarkReadPayload:
        """The payload from ``perform``: its shown fields are resolved from what the use case
        returned (``changed``), so a refusal nulls none of them."""
        return cls(user_errors=user_errors, changed=changed)


@strawberry.type
class MessageQuery:
    @strawberry.field(description="我的消息, newest first.")
    async def messages(
        self,
        info: Info,
        unread_only: bool = False,
        first: Annotated[int, strawberry.argument(description="1 to 100")] = 20,
        after: str | None = None,
    ) -> Connection[Message]:
        page = await cases.search(info.context, unread_only, first, after)
        return Connection.from_page(page, Message.from_model)

    @strawberry.field
    async def unread_message_count(self, info: Info) -> int:
        return await cases.unread_count(info.context)


@strawberry.type
class MessageMutation:
    @strawberry.mutation(description="Mark one message read, or all of them without an id.")
    async def messages_mark_read(
        self, info: Info, id: int | None = None
    ) -> MessagesMarkReadPayload:
        return await perform(
            info,
            MessagesMarkReadPayload.build,
            lambda: cases.mark_read(info.context, id),
            changed=lambda marked: marked,
        )
