"""The WeChat mini-program (HN-5): the personal-information notice, login with the
``wx.login()`` code and binding a WeChat user to a 湘企融 account.

The mobile certification's face verification is part of certification
(``schema/marketplace/certification.py``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import strawberry

from resolvers.wechat import actions as cases
from schema.accounts.types import Account, account_from_model
from schema.base import Info, UserError, perform


@strawberry.type(description="个人信息保护指引: what the mini-program shows before anything else.")
class PersonalInformationNotice:
    notice: str
    version: str = strawberry.field(description="Send back as consentVersion.")
    text: str


@strawberry.type(description="A WeChat login: a session, or a ticket to bind an account first.")
class WeChatSessionPayload:
    token: str | None
    account: Account | None
    binding_ticket: str | None = strawberry.field(
        description="The WeChat user is not bound yet: bind with wechatBind (10 minutes)."
    )
    user_errors: list[UserError]


@strawberry.input
class WeChatBindInput:
    ticket: str
    login: str
    password: str
    sms_code: str = strawberry.field(description="Code of purpose LOGIN to the account's mobile.")


# The converters of a WeChatSessionPayload's fields (``perform(..., **SESSION)``).
SESSION: dict[str, Callable[[cases.WeChatLogin], Any]] = {
    "token": lambda login: login.opened.token if login.opened else None,
    "account": lambda login: account_from_model(login.opened.account) if login.opened else None,
    "binding_ticket": lambda login: login.binding_ticket,
}


@strawberry.type
class WeChatQuery:
    @strawberry.field(description="The personal-information protection notice (HN-5).")
    def personal_information_notice(self) -> PersonalInformationNotice:
        return PersonalInformationNotice(
            notice=cases.NOTICE, version=cases.NOTICE_VERSION, text=cases.NOTICE_TEXT
        )


@strawberry.type
class WeChatMutation:
    @strawberry.mutation(
        description="Mini-program login with the wx.login() code, after consenting to the "
        "personal-information notice (HN-5)."
    )
    async def wechat_session_create(
        self, info: Info, code: str, consent_version: str
    ) -> WeChatSessionPayload:
        return await perform(
            info,
            WeChatSessionPayload,
            lambda: cases.login(info.context, code, consent_version),
            **SESSION,
        )

    @strawberry.mutation(description="Bind the WeChat user to a 湘企融 account and log in (HN-5).")
    async def wechat_bind(self, info: Info, input: WeChatBindInput) -> WeChatSessionPayload:
        return await perform(
            info,
            WeChatSessionPayload,
            lambda: cases.bind(
                info.context, input.ticket, input.login, input.password, input.sms_code
            ),
            **SESSION,
        )
