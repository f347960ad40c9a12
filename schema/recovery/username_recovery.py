"""Username recovery (SW-9): the admin's account-info checks, the own identity of operators and
individuals, identity and bank card, and the enterprise's bank key."""

from __future__ import annotations

import strawberry

import models
from resolvers.real_name.bank_keys import BankKeyBank as DomainBankKeyBank
from resolvers.recovery import bank_key as bank_key_cases
from resolvers.recovery import username_recovery as username_cases
from schema.base import Info, perform, to_domain
from schema.identity import BankCardInput, IdentityInput, bank_card, identity
from schema.recovery.tickets import AccountRecovery, AccountRecoveryPayload

UsernameRecoveryMethod = strawberry.enum(
    username_cases.UsernameRecoveryMethod, name="UsernameRecoveryMethod"
)
RecoveryCheck = strawberry.enum(
    username_cases.RecoveryCheck,
    name="RecoveryCheck",
    description="SELF: whoever fills the form; it counts if that is the legal representative "
    "or the admin.",
)


@strawberry.input(description="Step one of a username recovery (SW-9).")
class UsernameRecoveryStartInput:
    account_kind: models.AccountKind
    mobile: str = strawberry.field(
        description="Admin: the bound mobile or another; operator / individual: the bound one."
    )
    sms_code: str = strawberry.field(description="Code of purpose ACCOUNT_RECOVERY to mobile.")
    enterprise_name: str | None = strawberry.field(
        default=None, description="Admins and operators."
    )
    org_code: str | None = strawberry.field(
        default=None, description="9-character organisation code ('-' optional) or the USCC."
    )


@strawberry.input
class OperatorMobileInput:
    mobile: str
    sms_code: str = strawberry.field(description="Code of purpose ACCOUNT_RECOVERY to mobile.")


@strawberry.input(description="One later check of a username recovery.")
class UsernameRecoveryVerifyInput:
    recovery_id: str
    check: username_cases.RecoveryCheck
    identity: IdentityInput | None = None
    operator_mobiles: list[OperatorMobileInput] | None = strawberry.field(
        default=None, description="OPERATOR_MOBILES: the two operators' mobiles, in order."
    )


@strawberry.input(description="Operators and individuals: identity and bank card in one step.")
class UsernameRecoveryBankCardInput:
    account_kind: models.AccountKind
    identity: IdentityInput
    bank_card: BankCardInput
    enterprise_name: str | None = None
    org_code: str | None = None


@strawberry.input(description="Admins: the enterprise verified by its bank key (企业实名认证).")
class UsernameRecoveryBankKeyInput:
    mobile: str
    sms_code: str = strawberry.field(description="Code of purpose ACCOUNT_RECOVERY to mobile.")
    enterprise_name: str
    code: str = strawberry.field(description="USCC or organisation code.")
    bank: DomainBankKeyBank


@strawberry.type
class UsernameRecoveryMutation:
    @strawberry.mutation(description="Username recovery, step one (SW-9).")
    async def username_recovery_start(
        self, info: Info, input: UsernameRecoveryStartInput
    ) -> AccountRecoveryPayload:
        data = to_domain(username_cases.StartInput, input)
        return await perform(
            info,
            AccountRecoveryPayload.build,
            lambda: username_cases.start(info.context, data),
            recovery=AccountRecovery.from_model,
        )

    @strawberry.mutation(description="Username recovery: one more check (SW-9).")
    async def username_recovery_verify(
        self, info: Info, input: UsernameRecoveryVerifyInput
    ) -> AccountRecoveryPayload:
        data = username_cases.VerifyInput(
            recovery_id=input.recovery_id,
            check=input.check,
            identity=identity(input.identity),
            operator_mobiles=[
                username_cases.OperatorMobileInput(m.mobile, m.sms_code)
                for m in input.operator_mobiles or []
            ],
        )
        return await perform(
            info,
            AccountRecoveryPayload.build,
            lambda: username_cases.verify(info.context, data),
            recovery=AccountRecovery.from_model,
        )

    @strawberry.mutation(description="Username recovery by identity and bank card (SW-9).")
    async def username_recovery_by_bank_card(
        self, info: Info, input: UsernameRecoveryBankCardInput
    ) -> AccountRecoveryPayload:
        data = username_cases.BankCardRecoveryInput(
            account_kind=input.account_kind,
            identity=identity(input.identity),
            bank_card=bank_card(input.bank_card),
            enterprise_name=input.enterprise_name,
            org_code=input.org_code,
        )
        return await perform(
            info,
            AccountRecoveryPayload.build,
            lambda: username_cases.by_bank_card(info.context, data),
            recovery=AccountRecovery.from_model,
        )

    @strawberry.mutation(
        description="Username recovery by the enterprise's bank key; poll accountRecovery "
        "until VERIFIED, then every username of the enterprise is shown (SW-9)."
    )
    async def username_recovery_by_bank_key(
        self, info: Info, input: UsernameRecoveryBankKeyInput
    ) -> AccountRecoveryPayload:
        data = to_domain(bank_key_cases.BankKeyRecoveryInput, input)
        return await perform(
            info,
            AccountRecoveryPayload.build,
            lambda: bank_key_cases.start(info.context, data),
            recovery=AccountRecovery.from_model,
        )
