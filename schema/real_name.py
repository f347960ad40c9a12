"""Real-name verification (SW-18)."""

from __future__ import annotations

from datetime import datetime

import strawberry

import models
from resolvers.real_name import actions as cases
from schema import identity as inputs
from schema.accounts.types import IdType, RealNameLevel
from schema.base import Info, UserError, guarded, to_domain
from schema.cards import CardSignatureInput
from schema.identity import BankCardInput, IdentityInput

BankKeyBank = strawberry.enum(
    cases.BankKeyBank,
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
    legal_rep_id_type: IdType  # type: ignore[valid-type]
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
    method: RealNameMethod  # type: ignore[valid-type]
    level: RealNameLevel  # type: ignore[valid-type]
    status: VerificationStatus  # type: ignore[valid-type]
    step: RealNameStep | None  # type: ignore[valid-type]
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
    level: RealNameLevel  # type: ignore[valid-type]
    granted_by: RealNameVerification | None
    in_progress: RealNameVerification | None = strawberry.field(
        description="The latest verification still under way (or just failed)."
    )


@strawberry.type
class RealNameVerificationPayload:
    verification: RealNameVerification | None
    level: RealNameLevel | None  # type: ignore[valid-type]
    user_errors: list[UserError]


async def _payload(
    info: Info, row: models.RealNameVerification | None, errors: list[UserError]
) -> RealNameVerificationPayload:
    if row is None:
        return RealNameVerificationPayload(verification=None, level=None, user_errors=errors)
    ctx = info.context
    account = ctx.viewer.account
    assert account is not None
    check = None
    if account.enterprise_id is not None and row.step is not None:
        enterprise = await ctx.loaders.enterprise.load(account.enterprise_id)
        check = cases.next_check(row, enterprise, account)
    return RealNameVerificationPayload(
        verification=RealNameVerification.from_model(row, check),
        level=account.real_name_level,
        user_errors=errors,
    )


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
        row, errors = await guarded(
            info,
            lambda: cases.with_card(
                info.context, input.challenge_id, input.certificate, input.signature
            ),
        )
        return await _payload(info, row, errors)

    @strawberry.mutation(
        description="ID (MEDIUM): operators with a resident ID; individuals with one of five "
        "documents. The identity must be the account's."
    )
    async def real_name_verify_identity(
        self, info: Info, input: IdentityInput
    ) -> RealNameVerificationPayload:
        row, errors = await guarded(info, lambda: cases.with_id(info.context, inputs.person(input)))
        return await _payload(info, row, errors)

    @strawberry.mutation(description="Bank card four elements (HIGH): operators, individuals.")
    async def real_name_verify_bank_card(
        self, info: Info, identity: IdentityInput, bank_card: BankCardInput
    ) -> RealNameVerificationPayload:
        row, errors = await guarded(
            info,
            lambda: cases.with_bank_card(
                info.context, inputs.person(identity), inputs.bank_card(bank_card)
            ),
        )
        return await _payload(info, row, errors)

    @strawberry.mutation(description="Admins: legal-representative verification, step one.")
    async def real_name_legal_rep_start(
        self, info: Info, input: RealNameLegalRepStartInput
    ) -> RealNameVerificationPayload:
        data = to_domain(cases.EnterpriseCheckInput, input)
        row, errors = await guarded(info, lambda: cases.legal_rep_start(info.context, data))
        return await _payload(info, row, errors)

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
        row, errors = await guarded(info, lambda: cases.legal_rep_continue(info.context, data))
        return await _payload(info, row, errors)

    @strawberry.mutation(
        description="Admins: bank key of CCB, ABC or CMBC (HIGH once the bank confirms; "
        "watch viewerRealName or accountEvents)."
    )
    async def real_name_bank_key_start(
        self,
        info: Info,
        bank: BankKeyBank,  # type: ignore[valid-type]
    ) -> RealNameVerificationPayload:
        row, errors = await guarded(
            info, lambda: cases.bank_key_start(info.context, cases.BankKeyBank(bank).value)
        )
        return await _payload(info, row, errors)
