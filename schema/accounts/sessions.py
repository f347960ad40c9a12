"""Logging in and out (SW-6, SW-19)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import strawberry

from resolvers.accounts import sessions as cases
from schema.accounts.security import CaptchaAnswerInput
from schema.accounts.types import Account, account_from_model
from schema.base import Info, UserError, perform


@strawberry.input
class SessionCreateInput:
    username: str = strawberry.field(
        description="Username, or the mobile if phone login is on (SW-12)."
    )
    password: str
    captcha: CaptchaAnswerInput


@strawberry.type
class SessionPayload:
    token: str | None = strawberry.field(description="Send as `Authorization: Bearer <token>`.")
    account: Account | None
    user_errors: list[UserError]


@strawberry.input(
    description="HN-2, XC-3: the account (an institution admin's is its mobile), the password "
    "and the SMS code of purpose LOGIN, sent to the account's registered mobile."
)
class SessionCreateWithSmsCodeInput:
    login: str
    password: str
    sms_code: str


@strawberry.input
class SessionVerifyMobileInput:
    code: str = strawberry.field(description="The SMS code of purpose FIRST_LOGIN.")


@strawberry.type
class AccountPayload:
    account: Account | None
    user_errors: list[UserError]


@strawberry.type
class SessionRevokePayload:
    revoked: bool
    user_errors: list[UserError]

    @classmethod
    def build(cls, *, user_errors: list[UserError]) -> SessionRevokePayload:
        """For ``perform``: revoked unless refused."""
        return cls(revoked=not user_errors, user_errors=user_errors)


# The converters of a login payload's fields (``perform(..., **OPENED)``).
OPENED: dict[str, Callable[[cases.OpenedSession], Any]] = {
    "token": lambda opened: opened.token,
    "account": lambda opened: account_from_model(opened.account),
}


@strawberry.type
class SessionMutation:
    @strawberry.mutation(
        description="Log in with username and password and an image captcha (SW-6)."
    )
    async def session_create(self, info: Info, input: SessionCreateInput) -> SessionPayload:
        return await perform(
            info,
            SessionPayload,
            lambda: cases.login_with_password(
                info.context, input.username, input.password, input.captcha.id, input.captcha.answer
            ),
            **OPENED,
        )

    @strawberry.mutation(
        description="Log in with account + password + SMS code (Hunan, Xuchang: HN-2, XC-3)."
    )
    async def session_create_with_sms_code(
        self, info: Info, input: SessionCreateWithSmsCodeInput
    ) -> SessionPayload:
        return await perform(
            info,
            SessionPayload,
            lambda: cases.login_with_password_and_code(
                info.context, input.login, input.password, input.sms_code
            ),
            **OPENED,
        )

    @strawberry.mutation(
        description="First login of an admin-created operator: the SMS check (SW-6)."
    )
    async def session_verify_mobile(
        self, info: Info, input: SessionVerifyMobileInput
    ) -> AccountPayload:
        return await perform(
            info,
            AccountPayload,
            lambda: cases.verify_first_login_mobile(info.context, input.code),
            account=account_from_model,
        )

    @strawberry.mutation(
        description="Log out: the session ends on every connection using it (SW-19)."
    )
    async def session_revoke(self, info: Info) -> SessionRevokePayload:
        return await perform(info, SessionRevokePayload.build, lambda: cases.revoke(info.context))
