"""Registration of every account kind (SW-2 to SW-5)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import strawberry

import models
from resolvers.accounts import registration as cases
from resolvers.accounts.sessions import OpenedSession
from resolvers.core.fields import IdType as DomainIdType
from schema.accounts.types import Account, account_from_model
from schema.base import Info, UserError, perform, to_domain


@strawberry.input(description="Step one: the enterprise as on its business licence.")
class EnterpriseInfoInput:
    uscc: str = strawberry.field(description="统一社会信用代码, 18 characters (GB 32100).")
    org_code: str = strawberry.field(
        description="组织机构代码: positions 9-17 of the USCC; '-' optional."
    )
    name: str
    legal_rep_name: str
    legal_rep_id_type: DomainIdType
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
    id_type: DomainIdType
    id_number: str
    email: str
    mobile: str
    id_valid_from: str | None = None
    id_valid_to: str | None = None


@strawberry.input
class EnterpriseRegisterInput:
    kind: models.EnterpriseKind = models.EnterpriseKind.ENTERPRISE
    enterprise: EnterpriseInfoInput
    admin: AdminAccountInput
    sms_code: str = strawberry.field(description="Sent to admin.mobile with purpose REGISTRATION.")
    accept_terms: bool


@strawberry.input
class IndividualRegisterInput:
    name: str
    id_type: DomainIdType
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


# The converters of a registration payload's fields (``perform(..., **LOGGED_IN)``).
LOGGED_IN: dict[str, Callable[[OpenedSession], Any]] = {
    "account": lambda opened: account_from_model(opened.account),
    "token": lambda opened: opened.token,
}


@strawberry.type
class EnterpriseRegistrationCheckPayload:
    valid: bool
    user_errors: list[UserError]

    @classmethod
    def build(cls, *, user_errors: list[UserError]) -> EnterpriseRegistrationCheckPayload:
        """For ``perform``: valid unless refused."""
        return cls(valid=not user_errors, user_errors=user_errors)


@strawberry.type
class RegistrationMutation:
    @strawberry.mutation(
        description="Check step one of an enterprise registration; writes nothing."
    )
    async def enterprise_registration_check(
        self, info: Info, input: EnterpriseInfoInput
    ) -> EnterpriseRegistrationCheckPayload:
        data = to_domain(cases.EnterpriseInfoInput, input)
        return await perform(
            info,
            EnterpriseRegistrationCheckPayload.build,
            lambda: cases.preview_enterprise(info.context, data),
        )

    @strawberry.mutation(
        description="Cardless registration of an enterprise or public institution admin."
    )
    async def enterprise_register(
        self, info: Info, input: EnterpriseRegisterInput
    ) -> RegistrationPayload:
        data = cases.EnterpriseRegistrationInput(
            kind=input.kind,
            enterprise=to_domain(cases.EnterpriseInfoInput, input.enterprise),
            admin=to_domain(cases.AdminAccountInput, input.admin),
            sms_code=input.sms_code,
            accept_terms=input.accept_terms,
        )
        return await perform(
            info,
            RegistrationPayload,
            lambda: cases.register_enterprise(info.context, data),
            **LOGGED_IN,
        )

    @strawberry.mutation(description="Registration of an individual user (SW-3).")
    async def individual_register(
        self, info: Info, input: IndividualRegisterInput
    ) -> RegistrationPayload:
        data = to_domain(cases.IndividualRegistrationInput, input)
        return await perform(
            info,
            RegistrationPayload,
            lambda: cases.register_individual(info.context, data),
            **LOGGED_IN,
        )

    @strawberry.mutation(
        description="Registration of an overseas or HK, Macao, Taiwan enterprise user (SW-5)."
    )
    async def overseas_register(
        self, info: Info, input: OverseasRegisterInput
    ) -> RegistrationPayload:
        data = to_domain(cases.OverseasRegistrationInput, input)
        return await perform(
            info,
            RegistrationPayload,
            lambda: cases.register_overseas(info.context, data),
            **LOGGED_IN,
        )
