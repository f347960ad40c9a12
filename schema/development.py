"""The development view: exists only in the embedded mode, never in production.

It lists the messages the outbox "sent" and the answers of open captchas, so that a newcomer
in GraphiQL and the black-box tests can complete every flow without a phone.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry

from resolvers.core import captcha as captcha_cases
from resolvers.wechat import actions as wechat
from schema.base import Info


@strawberry.type
class OutboxMessage:
    channel: str
    target: str
    subject: str
    text: str
    sent_at: datetime


@strawberry.type
class OpenCaptcha:
    id: str
    answer: str
    expires_at: datetime


@strawberry.type(description="Embedded mode only.")
class DevelopmentView:
    @strawberry.field(description="Messages sent through the embedded outbox, newest first.")
    def messages(
        self,
        info: Info,
        target: str | None = None,
        first: Annotated[int, strawberry.argument(description="1 to 100")] = 20,
    ) -> list[OutboxMessage]:
        outbox = info.context.services.outbox
        if outbox is None:
            return []
        found = [m for m in outbox.messages if target is None or m.target == target]
        return [
            OutboxMessage(
                channel=m.channel,
                target=m.target,
                subject=m.subject,
                text=m.text,
                sent_at=m.sent_at,
            )
            for m in found[: max(1, min(first, 100))]
        ]

    @strawberry.field(
        description="The simulated mini-program's wx.login(): a one-time code for a WeChat user."
    )
    def wechat_login_code(self, info: Info, user: str) -> str | None:
        return wechat.simulated_login_code(info.context, user)

    @strawberry.field(description="Captchas not yet used or expired, with their answers.")
    async def captchas(self, info: Info) -> list[OpenCaptcha]:
        rows = await captcha_cases.open_captchas(info.context)
        return [OpenCaptcha(id=r.public_id, answer=r.answer, expires_at=r.expires_at) for r in rows]


@strawberry.type
class DevelopmentQuery:
    @strawberry.field(description="Embedded mode only: the outbox and open captchas.")
    def development(self) -> DevelopmentView:
        return DevelopmentView()
