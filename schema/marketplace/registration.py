"""湘企融 registration by company name from the market regulator's register (HN-1)."""

from __future__ import annotations

from datetime import date

import strawberry

from resolvers.accounts import hunan_registration as cases
from schema.accounts.types import Account, account_from_model
from schema.base import Info, UserError, perform, to_domain


@strawberry.type(description="A company in the market regulator's register.")
class RegistryEnterprise:
    name: str
    uscc: str
    address: str
    status: str = strawberry.field(description="登记状态, e.g. 存续.")
    region_code: str
    enterprise_type: str
    established_on: date
    registered_capital: str
    authority: str
    industry: str
    legal_rep_name: str
    business_scope: str


@strawberry.input(description="湘企融 registration (HN-1).")
class HunanRegisterInput:
    company_name: str = strawberry.field(description="As chosen from registrySuggestions.")
    uscc: str
    account: str = strawberry.field(description="Starts with a letter; 4-20 characters.")
    mobile: str
    password: str = strawberry.field(description="8-20 characters with letters and digits.")
    password_confirmation: str
    sms_code: str = strawberry.field(description="Code of purpose REGISTRATION to mobile.")
    accept_terms: bool


@strawberry.type
class HunanRegisterPayload:
    account: Account | None
    user_errors: list[UserError]


@strawberry.type
class HunanRegistrationQuery:
    @strawberry.field(description="Companies whose name matches, for the registration form.")
    async def registry_suggestions(self, info: Info, name: str) -> list[RegistryEnterprise]:
        rows = await cases.suggestions(info.context, name)
        return [
            RegistryEnterprise(
                name=r.name,
                uscc=r.uscc,
                address=r.address,
                status=r.status,
                region_code=r.region_code,
                enterprise_type=r.enterprise_type,
                established_on=r.established_on,
                registered_capital=r.registered_capital,
                authority=r.authority,
                industry=r.industry,
                legal_rep_name=r.legal_rep_name,
                business_scope=r.business_scope,
            )
            for r in rows
        ]


@strawberry.type
class HunanRegistrationMutation:
    @strawberry.mutation(
        description="湘企融 registration; then log in with sessionCreateWithSmsCode."
    )
    async def hunan_register(self, info: Info, input: HunanRegisterInput) -> HunanRegisterPayload:
        data = to_domain(cases.RegistrationInput, input)
        return await perform(
            info,
            HunanRegisterPayload,
            lambda: cases.register(info.context, data),
            account=account_from_model,
        )
