"""Real-name verification (SW-18)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import strawberry

import models
from resolvers.core.fields import IdType as DomainIdType
from resolvers.real_name import actions as cases
from resolvers.real_name import bank_keys
from schema import identity as inputs
from schema.base import Info, UserError, perform, to_domain
from schema.cards import CardSignatureInput
from schema.identity import BankCardInput, IdentityInput

BankKeyBank = strawberry.enum(
    bank_keys.BankKeyBank,
    name="BankKeyBank",
    description="Banks whose enterprise bank key (UKEY) verifies an enterprise: China "
    "Construction Bank, Agricultural Bank of China, China Minsheng Bank.",
)
RealNameMethod = strawberry.enum(models.RealNameMethod, name="RealNameMethod")
RealNameStep = strawberry.enum(
    models.RealNameStep,
    name="RealNameStep",
    description="Legal-representative verification: ENTERPRISE, then LEGAL_REP, then ADMIN.",
)
VerificationStatus = strawberry.enum(models.VerificationStatus, name="VerificationStatus")


@strawberry.input(description="Step one: the enterprise as the market regulator registered it.")
class RealNameLegalRepStartInput:
    enterprise_name: str
    uscc: str
    legal_rep_name: str
    legal_rep_id_type: DomainIdType
    legal_rep_id_number: str


@strawberry.input(
    description="Steps two (the legal representative) and three (the admin): an ID check "
    "when the person holds a resident ID, otherwise a bank card."
)
class RealNameLegalRepContinueInput:
    verification_id: int
    identity: IdentityInput
    bank_card: BankCardInput | None = None


@strawberry.type(description="One real-name verification of the viewer.")
class RealNameVerification:
    id: int
    method: models.RealNameMethod
    level: models.RealNameLevel
    status: models.VerificationStatus
    step: models.RealNameStep | None
    next_check: str | None = strawberry.field(
        description="ID_CARD or BANK_CARD: what the next step of a legal-representative "
        "verification asks for."
    )
    bank: str | None
    failure_reason: str | None
    created_at: datetime
    decided_at: datetime | None

    @classmethod
    def from_model(
        cls, row: models.RealNameVerification, next_check: str | None = None
    ) -> RealNameVerification:
        assert row.id is not None
        return cls(
            id=row.id,
            method=row.method,
            level=models.RealNameLevel(row.level),
            status=row.status,
            step=row.step,
            next_check=next_check,
            bank=row.bank_code,
            failure_reason=row.failure_reason,
            created_at=row.created_at,
            decided_at=row.decided_at,
        )


@strawberry.type(description="The viewer's real-name level, what granted it, what is under way.")
class RealNameStatus:
    level: models.RealNameLevel
    granted_by: RealNameVerification | None
    in_progress: RealNameVerification | None = strawberry.field(
        description="The latest verification still under way (or just failed)."
    )


@strawberry.type
class RealNameVerificationPayload:
    verification: RealNameVerification | None
    level: models.RealNameLevel | None
    user_errors: list[UserError]


# The converters of the payload's fields (``perform(..., **OUTCOME)``): the verification with
# what its next step asks for, and the viewer's level after it.
OUTCOME: dict[str, Callable[[cases.Outcome], Any]] = {
    "verification": lambda done: RealNameVerification.from_model(
        done.verification, done.next_check
    ),
    "level": lambda done: done.level,
}


@strawberry.type
class RealNameQuery:
    @strawberry.field(description="The viewer's real-name verification (SW-18).")
    async def viewer_real_name(self, info: Info) -> RealNameStatus:
        account, granted, open_ = await cases.current(info.context)
        return RealNameStatus(
            level=account.real_name_level,
            granted_by=RealNameVerification.from_model(granted) if granted else None,
            in_progress=RealNameVerification.from_model(open_) if open_ else None,
        )


@strawberry.type
class RealNameMutation:
    @strawberry.mutation(
        description="IC card (HIGH): sign a REAL_NAME challenge with a card of the enterprise "
        "(admin; a legal-person card also binds) or one held by the operator."
    )
    async def real_name_verify_with_card(
        self, info: Info, input: CardSignatureInput
    ) -> RealNameVerificationPayload:
        return await perform(
            info,
            RealNameVerificationPayload,
            lambda: cases.with_card(
                info.context, input.challenge_id, input.certificate, input.signature
            ),
            **OUTCOME,
        )

    @strawberry.mutation(
        description="ID (MEDIUM): operators with a resident ID; individuals with one of five "
        "documents. The identity must be the account's."
    )
    async def real_name_verify_identity(
        self, info: Info, input: IdentityInput
    ) -> RealNameVerificationPayload:
        data = inputs.person(input)
        return await perform(
            info,
            RealNameVerificationPayload,
            lambda: cases.with_id(info.context, data),
            **OUTCOME,
        )

    @strawberry.mutation(description="Bank card four elements (HIGH): operators, individuals.")
    async def real_name_verify_bank_card(
        self, info: Info, identity: IdentityInput, bank_card: BankCardInput
    ) -> RealNameVerificationPayload:
        person, card = inputs.person(identity), inputs.bank_card(bank_card)
        return await perform(
            info,
            RealNameVerificationPayload,
            lambda: cases.with_bank_card(info.context, person, card),
            **OUTCOME,
        )

    @strawberry.mutation(description="Admins: legal-representative verification, step one.")
    async def real_name_legal_rep_start(
        self, info: Info, input: RealNameLegalRepStartInput
    ) -> RealNameVerificationPayload:
        data = to_domain(cases.EnterpriseCheckInput, input)
        return await perform(
            info,
            RealNameVerificationPayload,
            lambda: cases.legal_rep_start(info.context, data),
            **OUTCOME,
        )

    @strawberry.mutation(
        description="Admins: legal-representative verification, steps two and three (HIGH)."
    )
    async def real_name_legal_rep_continue(
        self, info: Info, input: RealNameLegalRepContinueInput
    ) -> RealNameVerificationPayload:
        data = cases.PersonCheckInput(
            verification_id=input.verification_id,
            identity=inputs.person(input.identity),
            bank_card=inputs.bank_card(input.bank_card),
        )
        return await perform(
            info,
            RealNameVerificationPayload,
            lambda: cases.legal_rep_continue(info.context, data),
            **OUTCOME,
        )

    @strawberry.mutation(
        description="Admins: bank key of CCB, ABC or CMBC (HIGH once the bank confirms; "
        "watch viewerRealName or accountEvents)."
    )
    async def real_name_bank_key_start(
        self,
        info: Info,
        bank: bank_keys.BankKeyBank,
    ) -> RealNameVerificationPayload:
        return await perform(
            info,
            RealNameVerificationPayload,
            lambda: cases.bank_key_start(info.context, bank),
            **OUTCOME,
        )
