"""What username recovery and password reset share (SW-9, SW-10): the recovery ticket as the
client follows it, its payload, the status query and the status subscription."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from datetime import datetime

import strawberry

import models
from resolvers.recovery import manual_reviews as review_cases
from resolvers.recovery import password_reset as reset_cases
from resolvers.recovery import tickets as recovery_cases
from resolvers.recovery import username_recovery as username_cases
from schema.base import Info, UserError

RecoveryPurpose = strawberry.enum(models.RecoveryPurpose, name="RecoveryPurpose")
RecoveryStatus = strawberry.enum(
    models.RecoveryStatus,
    name="RecoveryStatus",
    description="OPEN: checks under way; PENDING: a bank or the e-licence service is asked; "
    "VERIFIED: usernames shown, or a new password may be set; COMPLETED; FAILED.",
)
RecoveryFactor = strawberry.enum(recovery_cases.RecoveryFactor, name="RecoveryFactor")
PasswordResetMethod = strawberry.enum(reset_cases.PasswordResetMethod, name="PasswordResetMethod")


@strawberry.type(description="A recovery method and whether the account holds its data.")
class PasswordResetMethodOption:
    method: reset_cases.PasswordResetMethod
    available: bool
    unavailable_reason: str | None = strawberry.field(
        description="身份信息不完整 (IDENTITY_INCOMPLETE) or why the method does not apply."
    )


@strawberry.type(description="One username recovery or password reset in progress.")
class AccountRecovery:
    id: str = strawberry.field(description="The recovery's handle for the next steps.")
    purpose: models.RecoveryPurpose
    account_kind: models.AccountKind
    status: models.RecoveryStatus
    factors_passed: list[recovery_cases.RecoveryFactor]
    failure_reason: str | None
    expires_at: datetime
    row: strawberry.Private[models.RecoveryTicket]

    @strawberry.field(description="Admin account-info check: the mobile is the bound one.")
    def mobile_is_bound(self) -> bool | None:
        return username_cases.mobile_is_bound(self.row)

    @strawberry.field(
        description="Admin account-info check: how many more of the four checks must pass."
    )
    def checks_needed(self) -> int | None:
        return username_cases.checks_needed(self.row)

    @strawberry.field(
        description="The two operators whose mobiles the check asks for, masked (**某)."
    )
    async def operators_for_check(self, info: Info) -> list[str]:
        return await username_cases.masked_operators_for_check(info.context, self.row)

    @strawberry.field(description="Shown once the recovery is VERIFIED (username recovery).")
    async def usernames(self, info: Info) -> list[str]:
        return await recovery_cases.usernames_of(info.context, self.row)

    @strawberry.field(description="Password reset: the methods of this account kind.")
    async def methods(self, info: Info) -> list[PasswordResetMethodOption]:
        return [
            PasswordResetMethodOption(
                method=o.method,
                available=o.available,
                unavailable_reason=o.unavailable_reason.value if o.unavailable_reason else None,
            )
            for o in await reset_cases.methods_of(info.context, self.row)
        ]

    @strawberry.field(description="Password reset: the bound mobile, masked (138****0001).")
    async def masked_mobile(self, info: Info) -> str | None:
        return await reset_cases.masked_mobile(info.context, self.row)

    @strawberry.field(description="Password reset: the bound email, masked (lo*****ng@126.com).")
    async def masked_email(self, info: Info) -> str | None:
        return await reset_cases.masked_email(info.context, self.row)

    @classmethod
    def from_model(cls, row: models.RecoveryTicket) -> AccountRecovery:
        return cls(
            id=row.public_id,
            purpose=row.purpose,
            account_kind=models.AccountKind(row.account_kind),
            status=row.status,
            factors_passed=[recovery_cases.RecoveryFactor(f) for f in row.factors],
            failure_reason=row.failure_reason,
            expires_at=row.expires_at,
            row=row,
        )


@strawberry.type
class AccountRecoveryPayload:
    recovery: AccountRecovery | None
    user_errors: list[UserError]
    manual_review_available: bool = strawberry.field(
        default=False,
        description="The legal-representative check failed: the details may be submitted "
        "for manual review (manualReviewSubmit).",
    )

    @classmethod
    def build(
        cls, *, user_errors: list[UserError], recovery: AccountRecovery | None = None
    ) -> AccountRecoveryPayload:
        """For ``perform``: whether a refusal offers the manual review is the use case's rule."""
        return cls(
            recovery=recovery,
            user_errors=user_errors,
            manual_review_available=review_cases.offered_after(e.code for e in user_errors),
        )


@strawberry.type
class RecoveryTicketQuery:
    @strawberry.field(description="A recovery by its handle; null once expired or unknown.")
    async def account_recovery(self, info: Info, id: str) -> AccountRecovery | None:
        row = await recovery_cases.lookup_ticket(info.context, id)
        return AccountRecovery.from_model(row) if row is not None else None


@strawberry.type
class RecoverySubscription:
    @strawberry.subscription(
        description="A recovery as it is now, then as a bank (bank key) or the e-licence "
        "service answers; ends once VERIFIED, COMPLETED or FAILED. No login needed."
    )
    async def account_recovery_status_changed(
        self, info: Info, id: str
    ) -> AsyncGenerator[AccountRecovery, None]:
        async for row in recovery_cases.watch(info.context, id):
            yield AccountRecovery.from_model(row)
