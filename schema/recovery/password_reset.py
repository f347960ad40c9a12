"""Password reset (SW-10): the username and a captcha, one method (a code, the owner's identity,
the legal representative against the register, the electronic business licence), then the new
password."""

from __future__ import annotations

import strawberry

import models
from resolvers.recovery import password_reset as reset_cases
from schema.base import Info, UserError, perform, to_domain
from schema.identity import IdentityInput, identity
from schema.recovery.tickets import AccountRecovery, AccountRecoveryPayload


@strawberry.input(description="Step one of a password reset (SW-10).")
class PasswordResetStartInput:
    username: str
    captcha_id: str
    captcha_answer: str


@strawberry.input
class PasswordResetCodeSendInput:
    recovery_id: str
    channel: models.CodeChannel
    captcha_id: str
    captcha_answer: str


@strawberry.input(description="Overseas accounts: the organisation as registered.")
class OrganisationInput:
    organisation_name: str
    contact_name: str
    country_code: str


@strawberry.input(description="法定代表人信息验证: checked against the market regulator.")
class LegalRepresentativeCheckInput:
    enterprise_name: str
    uscc: str
    legal_rep: IdentityInput
    operator_mobile: str = strawberry.field(description="The mobile of whoever fills the form.")
    sms_code: str = strawberry.field(description="Code of purpose ACCOUNT_RECOVERY.")


@strawberry.input(description="Step two of a password reset: one method.")
class PasswordResetVerifyInput:
    recovery_id: str
    method: reset_cases.PasswordResetMethod
    code: str | None = strawberry.field(default=None, description="MOBILE or EMAIL.")
    identity: IdentityInput | None = strawberry.field(default=None, description="ACCOUNT_INFO.")
    organisation: OrganisationInput | None = strawberry.field(
        default=None, description="ACCOUNT_INFO of overseas accounts."
    )
    legal_rep: LegalRepresentativeCheckInput | None = strawberry.field(
        default=None, description="LEGAL_REP."
    )


@strawberry.input
class PasswordResetCompleteInput:
    recovery_id: str
    password: str
    password_confirmation: str


@strawberry.type
class PasswordResetLicencePayload:
    recovery: AccountRecovery | None
    qr_content: str | None = strawberry.field(
        description="Show as a QR code; scanned with the e-licence mini-program."
    )
    user_errors: list[UserError]


@strawberry.type
class PasswordResetCompletePayload:
    username: str | None
    user_errors: list[UserError]


def _legal_rep(value: LegalRepresentativeCheckInput | None) -> reset_cases.LegalRepInput | None:
    if value is None:
        return None
    return reset_cases.LegalRepInput(
        enterprise_name=value.enterprise_name,
        uscc=value.uscc,
        legal_rep=identity(value.legal_rep),
        operator_mobile=value.operator_mobile,
        sms_code=value.sms_code,
    )


@strawberry.type
class PasswordResetMutation:
    @strawberry.mutation(description="Password reset, step one: username and captcha (SW-10).")
    async def password_reset_start(
        self, info: Info, input: PasswordResetStartInput
    ) -> AccountRecoveryPayload:
        data = to_domain(reset_cases.StartInput, input)
        return await perform(
            info,
            AccountRecoveryPayload.build,
            lambda: reset_cases.start(info.context, data),
            recovery=AccountRecovery.from_model,
        )

    @strawberry.mutation(
        description="Password reset: a code to the account's bound mobile (SMS) or email."
    )
    async def password_reset_code_send(
        self, info: Info, input: PasswordResetCodeSendInput
    ) -> AccountRecoveryPayload:
        return await perform(
            info,
            AccountRecoveryPayload.build,
            lambda: reset_cases.send_code(
                info.context,
                input.recovery_id,
                input.channel,
                input.captcha_id,
                input.captcha_answer,
            ),
            recovery=AccountRecovery.from_model,
        )

    @strawberry.mutation(description="Password reset, step two: one method (SW-10).")
    async def password_reset_verify(
        self, info: Info, input: PasswordResetVerifyInput
    ) -> AccountRecoveryPayload:
        data = reset_cases.VerifyInput(
            recovery_id=input.recovery_id,
            method=input.method,
            code=input.code,
            identity=identity(input.identity),
            organisation=to_domain(reset_cases.OrganisationInput, input.organisation)
            if input.organisation
            else None,
            legal_rep=_legal_rep(input.legal_rep),
        )
        return await perform(
            info,
            AccountRecoveryPayload.build,
            lambda: reset_cases.verify(info.context, data),
            recovery=AccountRecovery.from_model,
        )

    @strawberry.mutation(
        description="Password reset by electronic business licence: a QR code to scan; poll "
        "accountRecovery until VERIFIED (USCCs starting with 9 only)."
    )
    async def password_reset_licence_start(
        self, info: Info, recovery_id: str
    ) -> PasswordResetLicencePayload:
        return await perform(
            info,
            PasswordResetLicencePayload,
            lambda: reset_cases.start_licence(info.context, recovery_id),
            recovery=lambda session: AccountRecovery.from_model(session.ticket),
            qr_content=lambda session: session.qr_content,
        )

    @strawberry.mutation(
        description="Password reset, last step: the new password; every session of the "
        "account ends."
    )
    async def password_reset_complete(
        self, info: Info, input: PasswordResetCompleteInput
    ) -> PasswordResetCompletePayload:
        data = to_domain(reset_cases.CompleteInput, input)
        return await perform(
            info,
            PasswordResetCompletePayload,
            lambda: reset_cases.complete(info.context, data),
            username=lambda account: account.username,
        )
