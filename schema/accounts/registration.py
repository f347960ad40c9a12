"""Registration of every account kind (SW-2 to SW-5)."""

from __future__ import annotations

import strawberry

import models
from resolvers.accounts import registration as cases
from resolvers.accounts.sessions import OpenedSession
from schema.accounts.types import Account, EnterpriseKind, IdType, account_from_model
from schema.base import Info, UserError, guarded, to_domain


@strawberry.input(description="Step one: the enterprise as on its business licence.")
class EnterpriseInfoInput:
    uscc: str = strawberry.field(description="统一社会信用代码, 18 characters (GB 32100).")
    org_code: str = strawberry.field(
        description="组织机构代码: positions 9-17 of the USCC; '-' optional."
    )
    name: str
    legal_rep_name: str
    legal_rep_id_type: IdType  # type: ignore[valid-type]
    legal_rep_id_number: str
    legal_rep_id_valid_from: str | None = strawberry.field(default=None, description="YYYYMMDD")
    legal_rep_id_valid_to: str | None = strawberry.field(
        default=None, description="YYYYMMDD; 00000000 means long-term."
    )


@strawberry.input(description="Step two: the admin account.")
class AdminAccountInput:
    username: str = strawberry.field(description="6-18 letters, or letters and digits.")
    password: str = strawberry.field(
        description="8-16 characters with three of: capitals, lower-case, digits, symbols."
    )
    password_confirmation: str
    name: str
    id_type: IdType  # type: ignore[valid-type]
    id_number: str
    email: str
    mobile: str
    id_valid_from: str | None = None
    id_valid_to: str | None = None


@strawberry.input
class EnterpriseRegisterInput:
    kind: EnterpriseKind = models.EnterpriseKind.ENTERPRISE  # type: ignore[valid-type]
    enterprise: EnterpriseInfoInput
    admin: AdminAccountInput
    sms_code: str = strawberry.field(description="Sent to admin.mobile with purpose REGISTRATION.")
    accept_terms: bool


@strawberry.input
class IndividualRegisterInput:
    name: str
    id_type: IdType  # type: ignore[valid-type]
    id_number: str
    username: str
    password: str
    password_confirmation: str
    email: str
    accept_terms: bool
    id_valid_from: str | None = None
    id_valid_to: str | None = None
    mobile: str | None = None
    sms_code: str | None = None
    verify_by_email: bool = strawberry.field(
        default=False,
        description="Passport and permit holders may verify by email instead of mobile (SW-3).",
    )
    email_code: str | None = None


@strawberry.input
class OverseasRegisterInput:
    username: str = strawberry.field(description="6-18 lower-case letters, or letters and digits.")
    password: str
    password_confirmation: str
    country_code: str = strawberry.field(description="ISO 3166 code, e.g. BDI or DE.")
    organisation_name: str
    contact_name: str
    contact_phone: str
    address: str
    email: str
    email_code: str
    accept_terms: bool
    registration_number: str | None = strawberry.field(
        default=None, description="Home registration number; cannot be changed once set."
    )
    department: str | None = None
    job_title: str | None = None
    fax: str | None = None
    mobile: str | None = None
    notes: str | None = None


@strawberry.type(description="A new account, logged in.")
class RegistrationPayload:
    account: Account | None
    token: str | None = strawberry.field(description="Bearer token of the new session.")
    user_errors: list[UserError]

    @classmethod
    def build(cls, opened: OpenedSession | None, errors: list[UserError]) -> RegistrationPayload:
        if opened is None:
            return cls(account=None, token=None, user_errors=errors)
        return cls(
            account=account_from_model(opened.account), token=opened.token, user_errors=errors
        )


@strawberry.type
class EnterpriseRegistrationCheckPayload:
    valid: bool
    user_errors: list[UserError]


@strawberry.type
class RegistrationMutation:
    @strawberry.mutation(
        description="Check step one of an enterprise registration; writes nothing."
    )
    async def enterprise_registration_check(
        self, info: Info, input: EnterpriseInfoInput
    ) -> EnterpriseRegistrationCheckPayload:
        _, errors = await guarded(
            info,
            lambda: cases.preview_enterprise(
                info.context, to_domain(cases.EnterpriseInfoInput, input)
            ),
        )
        return EnterpriseRegistrationCheckPayload(valid=not errors, user_errors=errors)

    @strawberry.mutation(
        description="Cardless registration of an enterprise or public institution admin."
    )
    async def enterprise_register(
        self, info: Info, input: EnterpriseRegisterInput
    ) -> RegistrationPayload:
        data = cases.EnterpriseRegistrationInput(
            kind=models.EnterpriseKind(input.kind),
            enterprise=to_domain(cases.EnterpriseInfoInput, input.enterprise),
            admin=to_domain(cases.AdminAccountInput, input.admin),
            sms_code=input.sms_code,
            accept_terms=input.accept_terms,
        )
        opened, errors = await guarded(info, lambda: cases.register_enterprise(info.context, data))
        return RegistrationPayload.build(opened, errors)

    @strawberry.mutation(description="Registration of an individual user (SW-3).")
    async def individual_register(
        self, info: Info, input: IndividualRegisterInput
    ) -> RegistrationPayload:
        data = to_domain(cases.IndividualRegistrationInput, input)
        opened, errors = await guarded(info, lambda: cases.register_individual(info.context, data))
        return RegistrationPayload.build(opened, errors)

    @strawberry.mutation(
        description="Registration of an overseas or HK, Macao, Taiwan enterprise user (SW-5)."
    )
    async def overseas_register(
        self, info: Info, input: OverseasRegisterInput
    ) -> RegistrationPayload:
        data = to_domain(cases.OverseasRegistrationInput, input)
        opened, errors = await guarded(info, lambda: cases.register_overseas(info.context, data))
        return RegistrationPayload.build(opened, errors)
