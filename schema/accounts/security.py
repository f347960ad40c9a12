"""Image captchas and verification codes."""

from __future__ import annotations

from datetime import datetime

import strawberry

import models
from resolvers.accounts import code_requests as verification
from resolvers.core import captcha as captcha_cases
from schema.base import Info, UserError, perform

CodeChannel = strawberry.enum(models.CodeChannel, name="CodeChannel")
CodePurpose = strawberry.enum(
    models.CodePurpose,
    name="CodePurpose",
    description="REGISTRATION, ACCOUNT_RECOVERY and BANK_CARD need a solved captcha and name "
    "the target; PASSWORD_RESET codes go through passwordResetCodeSend; the others need a "
    "logged-in account.",
)


@strawberry.type(description="An image captcha: single use, valid for five minutes.")
class Captcha:
    id: str = strawberry.field(description="Send back with the answer.")
    image_data_url: str = strawberry.field(description="A PNG as a data: URL.")
    expires_at: datetime


@strawberry.input(description="The answer to an image captcha (case-insensitive).")
class CaptchaAnswerInput:
    id: str
    answer: str


@strawberry.input
class VerificationCodeSendInput:
    channel: models.CodeChannel
    purpose: models.CodePurpose
    target: str | None = strawberry.field(
        default=None, description="Mobile or email; not needed where the account's own is used."
    )
    captcha: CaptchaAnswerInput | None = None


@strawberry.type
class VerificationCodeSendPayload:
    sent: bool
    user_errors: list[UserError]

    @classmethod
    def build(cls, *, user_errors: list[UserError]) -> VerificationCodeSendPayload:
        """For ``perform``: sent unless refused."""
        return cls(sent=not user_errors, user_errors=user_errors)


@strawberry.type
class SecurityMutation:
    @strawberry.mutation(description="A new image captcha.")
    async def captcha_create(self, info: Info) -> Captcha:
        issued = await captcha_cases.issue(info.context)
        return Captcha(
            id=issued.public_id, image_data_url=issued.data_url, expires_at=issued.expires_at
        )

    @strawberry.mutation(
        description="Send an SMS or email code: 6 digits, 5 minutes, single use, throttled."
    )
    async def verification_code_send(
        self, info: Info, input: VerificationCodeSendInput
    ) -> VerificationCodeSendPayload:
        answer = input.captcha
        return await perform(
            info,
            VerificationCodeSendPayload.build,
            lambda: verification.request_code(
                info.context,
                input.channel,
                input.purpose,
                input.target,
                answer.id if answer else None,
                answer.answer if answer else None,
            ),
        )
