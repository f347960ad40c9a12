"""The viewer's own account information and settings (SW-11, SW-12)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import strawberry

import models
from resolvers.accounts import settings as cases
from resolvers.core.fields import IdType as DomainIdType
from schema.accounts.sessions import AccountPayload
from schema.accounts.types import Account, account_from_model
from schema.base import Info, UserError, perform, to_domain


@strawberry.input
class AccountIdentityUpdateInput:
    name: str
    id_type: DomainIdType
    id_number: str
    id_valid_from: str | None = None
    id_valid_to: str | None = None


@strawberry.input
class AccountPasswordChangeInput:
    old_password: str
    password: str
    password_confirmation: str


@strawberry.input(description="Prove who you are with the current mobile's code, or with your ID.")
class AccountMobileChangeInput:
    mobile: str
    new_mobile_code: str = strawberry.field(description="Code of purpose CHANGE_MOBILE_NEW.")
    current_mobile_code: str | None = strawberry.field(
        default=None, description="Code of purpose CHANGE_MOBILE_OLD; or give idType and idNumber."
    )
    id_type: DomainIdType | None = None
    id_number: str | None = None


@strawberry.input
class AccountEmailChangeInput:
    email: str
    code: str = strawberry.field(description="Code of purpose CHANGE_EMAIL sent to the new email.")


@strawberry.input(description="Change one or two of name, USCC and org code at a time (SW-11).")
class AccountEmployerUpdateInput:
    enterprise_name: str | None = None
    uscc: str | None = None
    org_code: str | None = None
    legal_rep_name: str | None = None


@strawberry.input
class OverseasContactUpdateInput:
    contact_name: str
    contact_phone: str
    organisation_name: str
    address: str
    department: str | None = None
    job_title: str | None = None
    fax: str | None = None
    mobile: str | None = None
    notes: str | None = None


@strawberry.input
class AccountSettingsUpdateInput:
    phone_login_enabled: bool = strawberry.field(
        description="Log in with the bound mobile instead of the username (SW-12)."
    )


async def _payload(info: Info, action: Callable[[], Awaitable[models.Account]]) -> AccountPayload:
    return await perform(info, AccountPayload, action, account=account_from_model)


@strawberry.type
class AccountProfileSyncPayload:
    account: Account | None
    receipt_id: str | None = strawberry.field(description="The national platform's receipt.")
    user_errors: list[UserError]


@strawberry.type
class AccountSettingsMutation:
    @strawberry.mutation(description="Edit your name and ID; voids real-name verification (SW-11).")
    async def account_identity_update(
        self, info: Info, input: AccountIdentityUpdateInput
    ) -> AccountPayload:
        data = to_domain(cases.IdentityInput, input)
        return await _payload(info, lambda: cases.update_identity(info.context, data))

    @strawberry.mutation(description="Change your password; your other sessions end (SW-6, SW-11).")
    async def account_password_change(
        self, info: Info, input: AccountPasswordChangeInput
    ) -> AccountPayload:
        return await _payload(
            info,
            lambda: cases.change_password(
                info.context, input.old_password, input.password, input.password_confirmation
            ),
        )

    @strawberry.mutation(description="Change the bound mobile (SW-11).")
    async def account_mobile_change(
        self, info: Info, input: AccountMobileChangeInput
    ) -> AccountPayload:
        return await _payload(
            info,
            lambda: cases.change_mobile(
                info.context,
                input.mobile,
                input.new_mobile_code,
                input.current_mobile_code,
                input.id_type,
                input.id_number,
            ),
        )

    @strawberry.mutation(description="Change the bound email (SW-11).")
    async def account_email_change(
        self, info: Info, input: AccountEmailChangeInput
    ) -> AccountPayload:
        return await _payload(
            info, lambda: cases.change_email(info.context, input.email, input.code)
        )

    @strawberry.mutation(description="Individuals: the enterprise you work for (SW-11).")
    async def account_employer_update(
        self, info: Info, input: AccountEmployerUpdateInput
    ) -> AccountPayload:
        data = to_domain(cases.EmployerInput, input)
        return await _payload(info, lambda: cases.update_employer(info.context, data))

    @strawberry.mutation(description="Overseas users: contact details (SW-11).")
    async def overseas_contact_update(
        self, info: Info, input: OverseasContactUpdateInput
    ) -> AccountPayload:
        data = to_domain(cases.OverseasContactInput, input)
        return await _payload(info, lambda: cases.update_overseas_contact(info.context, data))

    @strawberry.mutation(
        description="Overseas users: add the home registration number, once (SW-5)."
    )
    async def overseas_registration_number_set(
        self, info: Info, registration_number: str
    ) -> AccountPayload:
        return await _payload(
            info, lambda: cases.set_registration_number(info.context, registration_number)
        )

    @strawberry.mutation(
        description="Profile sync: push your identity to the national government platform (SW-12)."
    )
    async def account_profile_sync(self, info: Info) -> AccountProfileSyncPayload:
        return await perform(
            info,
            AccountProfileSyncPayload,
            lambda: cases.sync_profile(info.context),
            account=lambda synced: account_from_model(synced[0]),
            receipt_id=lambda synced: synced[1],
        )

    @strawberry.mutation(description="Account settings: the phone login switch (SW-12).")
    async def account_settings_update(
        self, info: Info, input: AccountSettingsUpdateInput
    ) -> AccountPayload:
        return await _payload(
            info, lambda: cases.set_phone_login(info.context, input.phone_login_enabled)
        )
