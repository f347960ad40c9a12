"""Tariff guarantee insurance (TI-1, TI-4..TI-7, GW-2): credit-check authorisations, quotas,
policies, shared claims, and their status subscriptions."""

from __future__ import annotations

from collections.abc import AsyncGenerator, Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

import strawberry
from strawberry import relay

import models
from resolvers.core import permissions, scopes
from resolvers.credit import records as credit
from resolvers.insurance import claims, credit_authorisations, customs, policies, quotas
from resolvers.insurance import loaders as insurance_loaders
from schema.accounts.types import Enterprise, load_enterprise
from schema.agreements import SignedDocument, signed_document, signing_step_one
from schema.base import Connection, Info, UserError, guarded, node_pk, scoped_nodes
from schema.marketplace.reference import Institution

CreditAuthorisationStatus = strawberry.enum(
    models.CreditAuthorisationStatus, name="CreditAuthorisationStatus"
)
TariffQuotaStatus = strawberry.enum(
    models.QuotaStatus,
    name="TariffQuotaStatus",
    description="RECEIVED: 接收成功; APPROVED: 成功; FAILED: 失败; EXPIRED: 已过期.",
)
QuotaChangeKind = strawberry.enum(models.QuotaEventKind, name="QuotaChangeKind")
PolicyPurpose = strawberry.enum(
    models.PolicyPurpose,
    name="PolicyPurpose",
    description="汇总征税 / 纳税期限担保 / 征税要素担保.",
)
InvoiceType = strawberry.enum(
    models.InvoiceType,
    name="InvoiceType",
    description="电子发票 / 纸质普通发票 / 纸质专票 / 无需开具发票.",
)
TariffPolicyStatus = strawberry.enum(models.PolicyStatus, name="TariffPolicyStatus")
CustomsCreditRating = strawberry.enum(models.CustomsCreditRating, name="CustomsCreditRating")


@strawberry.type(description="A customs district (关区) by its four-digit code.")
class CustomsOffice:
    code: str
    name: str

    @classmethod
    def of(cls, code: str) -> CustomsOffice:
        return cls(code=code, name=customs.name(code))


async def _institution(info: Info, pk: int) -> Institution:
    return Institution.from_model(await info.context.loaders.institution.load(pk))


@strawberry.type(
    description="企业征信授权书: lets an insurer check the enterprise's credit (TI-4)."
)
class CreditAuthorisation(relay.Node):
    pk: relay.NodeID[int]
    number: str = strawberry.field(description="企业征信编号")
    status: CreditAuthorisationStatus  # type: ignore[valid-type]
    insurer_reason: str | None
    signed_at: datetime = strawberry.field(description="签署时间")
    decided_at: datetime | None
    institution_pk: strawberry.Private[int]
    enterprise_pk: strawberry.Private[int]
    document_pk: strawberry.Private[int]

    @strawberry.field
    async def insurer(self, info: Info) -> Institution:
        return await _institution(info, self.institution_pk)

    @strawberry.field
    async def enterprise(self, info: Info) -> Enterprise:
        return await load_enterprise(info, self.enterprise_pk)

    @strawberry.field(description="The signed e-authorisation (电子授权书), to preview.")
    async def document(self, info: Info) -> SignedDocument | None:
        return await signed_document(info, self.document_pk)

    @classmethod
    def from_model(cls, row: models.CreditAuthorisation) -> CreditAuthorisation:
        assert row.id is not None
        return cls(
            pk=row.id,
            number=row.number,
            status=row.status,
            insurer_reason=row.insurer_reason,
            signed_at=row.submitted_at,
            decided_at=row.decided_at,
            institution_pk=row.institution_id,
            enterprise_pk=row.enterprise_id,
            document_pk=row.document_id,
        )

    @classmethod
    async def resolve_nodes(
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Any]:
        return await scoped_nodes(cls, models.CreditAuthorisation, info, node_ids)


@strawberry.type(description="额度变更记录: one event of a quota, with the amounts around it.")
class QuotaChange:
    kind: QuotaChangeKind  # type: ignore[valid-type]
    status: TariffQuotaStatus  # type: ignore[valid-type]
    amount: Decimal | None = strawberry.field(description="The change (变更额度), in yuan.")
    total_before: Decimal
    total_after: Decimal
    used_before: Decimal
    used_after: Decimal
    remaining_after: Decimal
    rate: Decimal | None
    reference: str | None = strawberry.field(description="The policy application concerned.")
    reason: str | None
    at: datetime


@strawberry.type(description="额度: what the insurer covers for the enterprise (TI-5).")
class TariffQuota(relay.Node):
    pk: relay.NodeID[int]
    number: str
    status: TariffQuotaStatus  # type: ignore[valid-type]
    requested_amount: Decimal = strawberry.field(description="意向额度, yuan.")
    approved_total: Decimal = strawberry.field(description="批复(总)额度, yuan.")
    used: Decimal = strawberry.field(description="已用额度: issued policies' coverage.")
    reserved: Decimal = strawberry.field(description="Held by applications being decided.")
    remaining: Decimal = strawberry.field(description="剩余额度 = total - used - reserved.")
    rate: Decimal | None = strawberry.field(description="批复费率, percent (1.80 = 1.8 %).")
    effective_date: date | None
    expiry_date: date | None
    approved_at: datetime | None = strawberry.field(description="审批时间")
    pending_increase: Decimal | None = strawberry.field(description="额度追加 under review.")
    submitted_at: datetime = strawberry.field(description="申请时间")
    enterprise_name: str
    contact_name: str
    legal_rep_name: str
    insurer_branch: str | None
    address: str
    customs_code: str = strawberry.field(description="海关十位编码")
    email: str
    contact_phone: str
    legal_rep_phone: str
    salesperson_number: str | None
    insurer_reason: str | None
    registered_customs_code: strawberry.Private[str]
    institution_pk: strawberry.Private[int]
    enterprise_pk: strawberry.Private[int]

    def _usable(self, info: Info) -> bool:
        today = info.context.clock.today()
        return self.status == models.QuotaStatus.APPROVED and (
            self.expiry_date is None or self.expiry_date >= today
        )

    @strawberry.field
    def registered_customs(self) -> CustomsOffice:
        return CustomsOffice.of(self.registered_customs_code)

    @strawberry.field
    async def insurer(self, info: Info) -> Institution:
        return await _institution(info, self.institution_pk)

    @strawberry.field
    async def enterprise(self, info: Info) -> Enterprise:
        return await load_enterprise(info, self.enterprise_pk)

    @strawberry.field(description="额度变更记录 / 额度状态记录, oldest first.")
    async def history(self, info: Info) -> list[QuotaChange]:
        rows = await info.context.loaders.of(insurance_loaders.quota_changes).load(self.pk)
        return [
            QuotaChange(
                kind=r.kind,
                status=r.status,
                amount=r.amount,
                total_before=r.total_before,
                total_after=r.total_after,
                used_before=r.used_before,
                used_after=r.used_after,
                remaining_after=r.remaining_after,
                rate=r.rate,
                reference=r.reference,
                reason=r.reason,
                at=r.at,
            )
            for r in rows
        ]

    @strawberry.field(description="重新申请: FAILED or EXPIRED.")
    def viewer_can_reapply(self) -> bool:
        return self.status in quotas.REAPPLICABLE and self.reserved == 0

    @strawberry.field(description="额度追加: APPROVED, valid, no increase under review.")
    def viewer_can_increase(self, info: Info) -> bool:
        return self._usable(info) and self.pending_increase is None

    @strawberry.field(description="申请投保: APPROVED, valid, with quota remaining.")
    def viewer_can_apply_for_policy(self, info: Info) -> bool:
        return self._usable(info) and self.remaining > 0

    @classmethod
    def from_model(cls, row: models.TariffQuota) -> TariffQuota:
        assert row.id is not None
        return cls(
            pk=row.id,
            number=row.number,
            status=row.status,
            requested_amount=row.requested_amount,
            approved_total=row.approved_total,
            used=row.used,
            reserved=row.reserved,
            remaining=quotas.remaining(row),
            rate=row.rate,
            effective_date=row.effective_date,
            expiry_date=row.expiry_date,
            approved_at=row.approved_at,
            pending_increase=row.pending_increase,
            submitted_at=row.submitted_at,
            enterprise_name=row.enterprise_name,
            contact_name=row.contact_name,
            legal_rep_name=row.legal_rep_name,
            insurer_branch=row.insurer_branch,
            address=row.address,
            customs_code=row.customs_code,
            email=row.email,
            contact_phone=row.contact_phone,
            legal_rep_phone=row.legal_rep_phone,
            salesperson_number=row.salesperson_number,
            insurer_reason=row.insurer_reason,
            registered_customs_code=row.registered_customs,
            institution_pk=row.institution_id,
            enterprise_pk=row.enterprise_id,
        )

    @classmethod
    async def resolve_nodes(
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Any]:
        return await scoped_nodes(cls, models.TariffQuota, info, node_ids)


@strawberry.type(description="发票信息")
class PolicyInvoice:
    type: InvoiceType  # type: ignore[valid-type]
    title: str = strawberry.field(description="发票抬头: the enterprise's name.")
    address: str | None
    bank_name: str | None
    email: str | None
    tax_number: str | None
    bank_account: str | None
    phone: str | None


@strawberry.type
class PolicyHistoryEntry:
    status: TariffPolicyStatus  # type: ignore[valid-type]
    reason: str | None
    at: datetime


@strawberry.type(description="投保单 and, once issued, 保单 (TI-6).")
class TariffPolicy(relay.Node):
    pk: relay.NodeID[int]
    application_number: str = strawberry.field(description="投保单编号")
    policy_number: str | None = strawberry.field(description="保单编号, once issued.")
    status: TariffPolicyStatus  # type: ignore[valid-type]
    purpose: PolicyPurpose  # type: ignore[valid-type]
    start_date: date
    end_date: date
    coverage: Decimal = strawberry.field(description="本单投保额度 (保额), yuan.")
    rate: Decimal = strawberry.field(description="保险费率, percent.")
    premium_estimate: Decimal = strawberry.field(
        description="coverage x rate to the cent: 请以保险公司计算为准."
    )
    premium: Decimal | None = strawberry.field(description="The insurer's premium: final.")
    invoice: PolicyInvoice
    collection_account: str | None = strawberry.field(description="保险公司收款账号")
    collection_account_name: str | None = strawberry.field(description="收款账号名称")
    insurer_reason: str | None
    submitted_at: datetime
    issued_at: datetime | None
    registered_customs_code: strawberry.Private[str]
    clearance_customs_code: strawberry.Private[str]
    institution_pk: strawberry.Private[int]
    enterprise_pk: strawberry.Private[int]
    quota_pk: strawberry.Private[int]
    e_policy_pk: strawberry.Private[int | None]

    @strawberry.field(description="被保险人注册海关")
    def registered_customs(self) -> CustomsOffice:
        return CustomsOffice.of(self.registered_customs_code)

    @strawberry.field(description="被保险人通关海关")
    def clearance_customs(self) -> CustomsOffice:
        return CustomsOffice.of(self.clearance_customs_code)

    @strawberry.field
    async def insurer(self, info: Info) -> Institution:
        return await _institution(info, self.institution_pk)

    @strawberry.field
    async def enterprise(self, info: Info) -> Enterprise:
        return await load_enterprise(info, self.enterprise_pk)

    @strawberry.field
    async def quota(self, info: Info) -> TariffQuota:
        return TariffQuota.from_model(
            await info.context.loaders.of(insurance_loaders.quotas).load(self.quota_pk)
        )

    @strawberry.field
    async def history(self, info: Info) -> list[PolicyHistoryEntry]:
        rows = await info.context.loaders.of(insurance_loaders.policy_history).load(self.pk)
        return [PolicyHistoryEntry(status=r.status, reason=r.reason, at=r.at) for r in rows]

    @strawberry.field(description="电子保单: the PDF signed by the insurer, once issued.")
    async def e_policy(self, info: Info) -> SignedDocument | None:
        return await signed_document(info, self.e_policy_pk)

    @classmethod
    def from_model(cls, row: models.TariffPolicy) -> TariffPolicy:
        assert row.id is not None
        return cls(
            pk=row.id,
            application_number=row.number,
            policy_number=row.policy_number,
            status=row.status,
            purpose=row.purpose,
            start_date=row.start_date,
            end_date=row.end_date,
            coverage=row.coverage,
            rate=row.rate,
            premium_estimate=row.premium_estimate,
            premium=row.premium,
            invoice=PolicyInvoice(
                type=row.invoice_type,
                title=row.invoice_title,
                address=row.address,
                bank_name=row.bank_name,
                email=row.email,
                tax_number=row.tax_number,
                bank_account=row.bank_account,
                phone=row.phone,
            ),
            collection_account=row.collection_account,
            collection_account_name=row.collection_account_name,
            insurer_reason=row.insurer_reason,
            submitted_at=row.submitted_at,
            issued_at=row.issued_at,
            registered_customs_code=row.registered_customs,
            clearance_customs_code=row.clearance_customs,
            institution_pk=row.institution_id,
            enterprise_pk=row.enterprise_id,
            quota_pk=row.quota_id,
            e_policy_pk=row.e_policy_document_id,
        )

    @classmethod
    async def resolve_nodes(
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Any]:
        return await scoped_nodes(cls, models.TariffPolicy, info, node_ids)


@strawberry.type(description="理赔信息 an insurer shared with the platform (TI-7).")
class InsuranceClaim:
    report_number: str = strawberry.field(description="报案号")
    enterprise_name: str
    insured_name: str | None = strawberry.field(description="被投保企业名称 (the customs).")
    policy_number: str
    insurance_type: str = strawberry.field(description="险种类型")
    payout_amount: Decimal = strawberry.field(description="赔款金额")
    currency: str
    incident_at: datetime = strawberry.field(description="出险日期")
    paid_at: datetime = strawberry.field(description="赔款日期")
    institution_pk: strawberry.Private[int]

    @strawberry.field(description="理赔保险公司")
    async def insurer(self, info: Info) -> Institution:
        return await _institution(info, self.institution_pk)

    @classmethod
    def from_model(cls, row: models.InsuranceClaim) -> InsuranceClaim:
        return cls(
            report_number=row.report_number,
            enterprise_name=row.enterprise_name,
            insured_name=row.insured_name,
            policy_number=row.policy_number,
            insurance_type=row.insurance_type,
            payout_amount=row.payout_amount,
            currency=row.currency,
            incident_at=row.incident_at,
            paid_at=row.paid_at,
            institution_pk=row.institution_id,
        )


@strawberry.type(description="May the viewer's enterprise take out tariff insurance (TI-1)?")
class TariffInsuranceEligibility:
    customs_credit_rating: CustomsCreditRating | None  # type: ignore[valid-type]
    eligible: bool = strawberry.field(description="Customs credit GENERAL or better.")


# Inputs and payloads -----------------------------------------------------------------------


@strawberry.input
class CreditAuthorisationSignPrepareInput:
    insurer_id: relay.GlobalID
    seal_id: relay.GlobalID = strawberry.field(description="An ENABLED seal held by the signer.")
    certificate: str = strawberry.field(description="The card's signing certificate, DER base64.")


@strawberry.type
class CreditAuthorisationSignPreparePayload:
    signing_session_id: str | None
    digest_to_sign: str | None
    preview_data_url: str | None = strawberry.field(description="The letter with the seal.")
    user_errors: list[UserError]


@strawberry.input
class SigningCompleteInput:
    signing_session_id: str
    signature: str = strawberry.field(description="The card's ECDSA signature, DER base64.")


@strawberry.type
class CreditAuthorisationPayload:
    credit_authorisation: CreditAuthorisation | None
    user_errors: list[UserError]


@strawberry.input(description="额度申请: every field of the form (TI-5).")
class TariffQuotaInput:
    insurer_id: relay.GlobalID
    requested_amount: Decimal = strawberry.field(description="意向额度, yuan.")
    contact_name: str
    legal_rep_name: str
    address: str
    customs_code: str = strawberry.field(description="海关十位编码")
    registered_customs: str = strawberry.field(description="注册海关: a `customsOffices` code.")
    email: str
    contact_phone: str
    legal_rep_phone: str
    insurer_branch: str | None = None
    salesperson_number: str | None = strawberry.field(
        default=None, description="保险公司业务员编号"
    )


@strawberry.type
class TariffQuotaPayload:
    quota: TariffQuota | None
    user_errors: list[UserError]


@strawberry.input(description="发票信息: the fields the invoice type needs are required.")
class PolicyInvoiceInput:
    type: InvoiceType  # type: ignore[valid-type]
    address: str | None = None
    bank_name: str | None = None
    email: str | None = None
    tax_number: str | None = None
    bank_account: str | None = None
    phone: str | None = None


@strawberry.input(description="投保 (TI-6): from an APPROVED quota.")
class TariffPolicyInput:
    quota_id: relay.GlobalID
    purpose: PolicyPurpose  # type: ignore[valid-type]
    registered_customs: str
    clearance_customs: str
    start_date: date
    end_date: date
    coverage: Decimal
    invoice: PolicyInvoiceInput


@strawberry.type
class TariffPolicyPayload:
    policy: TariffPolicy | None
    user_errors: list[UserError]


@strawberry.input
class CreditAuthorisationFilter:
    insurer_id: relay.GlobalID | None = None
    status: CreditAuthorisationStatus | None = None  # type: ignore[valid-type]
    signed_from: datetime | None = None
    signed_to: datetime | None = None


@strawberry.input
class TariffQuotaFilter:
    insurer_id: relay.GlobalID | None = None
    status: TariffQuotaStatus | None = None  # type: ignore[valid-type]
    submitted_from: datetime | None = None
    submitted_to: datetime | None = None


@strawberry.input
class TariffPolicyFilter:
    insurer_id: relay.GlobalID | None = None
    status: TariffPolicyStatus | None = None  # type: ignore[valid-type]
    policy_number: str | None = None
    submitted_from: datetime | None = None
    submitted_to: datetime | None = None


@strawberry.input
class InsuranceClaimFilter:
    insurer_id: relay.GlobalID | None = None
    policy_number: str | None = None


def _insurer_pk(info: Info, id: relay.GlobalID | None) -> int | None:
    return node_pk(info, id, "Institution") if id else None


PageSize = Annotated[int, strawberry.argument(description="1 to 100")]


@strawberry.type
class InsuranceQuery:
    @strawberry.field(description="企业征信信息: credit-check authorisations, newest first.")
    async def credit_authorisations(
        self,
        info: Info,
        filter: CreditAuthorisationFilter | None = None,
        first: PageSize = 20,
        after: str | None = None,
    ) -> Connection[CreditAuthorisation]:
        wanted = filter or CreditAuthorisationFilter()
        page = await credit_authorisations.search(
            info.context,
            credit_authorisations.AuthorisationFilter(
                insurer_id=_insurer_pk(info, wanted.insurer_id),
                status=wanted.status,
                signed_from=wanted.signed_from,
                signed_to=wanted.signed_to,
            ),
            first,
            after,
        )
        return Connection.from_page(page, CreditAuthorisation.from_model)

    @strawberry.field(description="额度申请 list: the enterprise's (or insurer's) quotas.")
    async def tariff_quotas(
        self,
        info: Info,
        filter: TariffQuotaFilter | None = None,
        first: PageSize = 20,
        after: str | None = None,
    ) -> Connection[TariffQuota]:
        wanted = filter or TariffQuotaFilter()
        page = await quotas.search(
            info.context,
            quotas.QuotaFilter(
                insurer_id=_insurer_pk(info, wanted.insurer_id),
                status=wanted.status,
                submitted_from=wanted.submitted_from,
                submitted_to=wanted.submitted_to,
            ),
            first,
            after,
        )
        return Connection.from_page(page, TariffQuota.from_model)

    @strawberry.field(description="关税险投保 list: applications and policies, newest first.")
    async def tariff_policies(
        self,
        info: Info,
        filter: TariffPolicyFilter | None = None,
        first: PageSize = 20,
        after: str | None = None,
    ) -> Connection[TariffPolicy]:
        wanted = filter or TariffPolicyFilter()
        page = await policies.search(
            info.context,
            policies.PolicyFilter(
                insurer_id=_insurer_pk(info, wanted.insurer_id),
                status=wanted.status,
                policy_number=wanted.policy_number,
                submitted_from=wanted.submitted_from,
                submitted_to=wanted.submitted_to,
            ),
            first,
            after,
        )
        return Connection.from_page(page, TariffPolicy.from_model)

    @strawberry.field(
        description="理赔信息 (TI-7): the enterprise's claims; an insurer sees all shared claims."
    )
    async def insurance_claims(
        self,
        info: Info,
        filter: InsuranceClaimFilter | None = None,
        first: PageSize = 20,
        after: str | None = None,
    ) -> Connection[InsuranceClaim]:
        wanted = filter or InsuranceClaimFilter()
        page = await claims.search(
            info.context,
            claims.ClaimFilter(_insurer_pk(info, wanted.insurer_id), wanted.policy_number),
            first,
            after,
        )
        return Connection.from_page(page, InsuranceClaim.from_model)

    @strawberry.field(description="The customs districts a policy may name.")
    def customs_offices(self) -> list[CustomsOffice]:
        return [CustomsOffice(code=c, name=n) for c, n in customs.OFFICES.items()]

    @strawberry.field(description="TI-1: the viewer's enterprise's customs credit rating.")
    async def tariff_insurance_eligibility(self, info: Info) -> TariffInsuranceEligibility:
        ctx = info.context
        account = permissions.require_account(ctx)
        enterprise = await ctx.loaders.enterprise.load(account.enterprise_id or 0)
        if enterprise is None:
            return TariffInsuranceEligibility(customs_credit_rating=None, eligible=False)
        rating = credit.customs_rating(await credit.records(ctx, enterprise))
        await ctx.db.commit()  # keep what was fetched
        return TariffInsuranceEligibility(
            customs_credit_rating=rating, eligible=rating in credit.INSURABLE_RATINGS
        )


def _quota_form(info: Info, input: TariffQuotaInput) -> quotas.QuotaForm:
    return quotas.QuotaForm(
        insurer_id=node_pk(info, input.insurer_id, "Institution"),
        requested_amount=input.requested_amount,
        contact_name=input.contact_name,
        legal_rep_name=input.legal_rep_name,
        address=input.address,
        customs_code=input.customs_code,
        registered_customs=input.registered_customs,
        email=input.email,
        contact_phone=input.contact_phone,
        legal_rep_phone=input.legal_rep_phone,
        insurer_branch=input.insurer_branch,
        salesperson_number=input.salesperson_number,
    )


def _quota_payload(row: models.TariffQuota | None, errors: list[UserError]) -> TariffQuotaPayload:
    return TariffQuotaPayload(
        quota=TariffQuota.from_model(row) if row else None, user_errors=errors
    )


@strawberry.type
class InsuranceMutation:
    @strawberry.mutation(description="Step one of signing a credit-check authorisation (TI-4).")
    async def credit_authorisation_sign_prepare(
        self, info: Info, input: CreditAuthorisationSignPrepareInput
    ) -> CreditAuthorisationSignPreparePayload:
        draft = credit_authorisations.AuthorisationDraft(
            insurer_id=node_pk(info, input.insurer_id, "Institution"),
            seal_id=node_pk(info, input.seal_id, "Seal"),
            certificate=input.certificate,
        )
        prepared, errors = await guarded(
            info, lambda: credit_authorisations.prepare(info.context, draft)
        )
        return CreditAuthorisationSignPreparePayload(
            **signing_step_one(prepared), user_errors=errors
        )

    @strawberry.mutation(description="Step two (TI-4): the signed letter goes to the insurer.")
    async def credit_authorisation_sign_complete(
        self, info: Info, input: SigningCompleteInput
    ) -> CreditAuthorisationPayload:
        row, errors = await guarded(
            info,
            lambda: credit_authorisations.complete(
                info.context, input.signing_session_id, input.signature
            ),
        )
        return CreditAuthorisationPayload(
            credit_authorisation=CreditAuthorisation.from_model(row) if row else None,
            user_errors=errors,
        )

    @strawberry.mutation(description="额度申请 (TI-5).")
    async def tariff_quota_apply(self, info: Info, input: TariffQuotaInput) -> TariffQuotaPayload:
        form = _quota_form(info, input)
        row, errors = await guarded(info, lambda: quotas.apply(info.context, form))
        return _quota_payload(row, errors)

    @strawberry.mutation(description="重新申请 of a FAILED or EXPIRED quota (TI-5).")
    async def tariff_quota_reapply(
        self, info: Info, id: relay.GlobalID, input: TariffQuotaInput
    ) -> TariffQuotaPayload:
        pk, form = node_pk(info, id, "TariffQuota"), _quota_form(info, input)
        row, errors = await guarded(info, lambda: quotas.reapply(info.context, pk, form))
        return _quota_payload(row, errors)

    @strawberry.mutation(description="额度追加 of an APPROVED quota (TI-5).")
    async def tariff_quota_increase(
        self, info: Info, id: relay.GlobalID, amount: Decimal
    ) -> TariffQuotaPayload:
        pk = node_pk(info, id, "TariffQuota")
        row, errors = await guarded(info, lambda: quotas.increase(info.context, pk, amount))
        return _quota_payload(row, errors)

    @strawberry.mutation(description="投保 (TI-6): holds the coverage until the insurer answers.")
    async def tariff_policy_apply(
        self, info: Info, input: TariffPolicyInput
    ) -> TariffPolicyPayload:
        invoice = input.invoice
        form = policies.PolicyForm(
            quota_id=node_pk(info, input.quota_id, "TariffQuota"),
            purpose=models.PolicyPurpose(input.purpose),
            registered_customs=input.registered_customs,
            clearance_customs=input.clearance_customs,
            start_date=input.start_date,
            end_date=input.end_date,
            coverage=input.coverage,
            invoice=policies.Invoice(
                type=models.InvoiceType(invoice.type),
                address=invoice.address,
                bank_name=invoice.bank_name,
                email=invoice.email,
                tax_number=invoice.tax_number,
                bank_account=invoice.bank_account,
                phone=invoice.phone,
            ),
        )
        row, errors = await guarded(info, lambda: policies.apply(info.context, form))
        return TariffPolicyPayload(
            policy=TariffPolicy.from_model(row) if row else None, user_errors=errors
        )


@strawberry.type
class InsuranceSubscription:
    @strawberry.subscription(
        description="Credit-check authorisations as insurers answer (enterprise or insurer)."
    )
    async def credit_authorisation_status_changed(
        self, info: Info
    ) -> AsyncGenerator[CreditAuthorisation, None]:
        watched = scopes.watch(
            info.context, credit_authorisations.KIND, models.CreditAuthorisation, "id"
        )
        async for row in watched:
            yield CreditAuthorisation.from_model(row)

    @strawberry.subscription(description="Quota changes, to the enterprise and the insurer (GW-2).")
    async def tariff_quota_status_changed(self, info: Info) -> AsyncGenerator[TariffQuota, None]:
        async for row in scopes.watch(info.context, quotas.KIND, models.TariffQuota, "id"):
            yield TariffQuota.from_model(row)

    @strawberry.subscription(
        description="Policy changes, to the enterprise and the insurer (GW-2)."
    )
    async def tariff_policy_status_changed(self, info: Info) -> AsyncGenerator[TariffPolicy, None]:
        async for row in scopes.watch(info.context, policies.KIND, models.TariffPolicy, "id"):
            yield TariffPolicy.from_model(row)
