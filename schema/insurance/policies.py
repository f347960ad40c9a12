"""Tariff guarantee insurance policies (投保单 / 保单, TI-6): the application from an APPROVED
quota, the policy the insurer issues, its history, and its status subscription (GW-2)."""

from __future__ import annotations

from collections.abc import AsyncGenerator, Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import strawberry
from strawberry import relay

import models
from models.insurance import PremiumPaymentStatus as PaymentStatusModel
from resolvers.core import scopes
from resolvers.insurance import access, payments, states
from resolvers.insurance import loaders as insurance_loaders
from resolvers.insurance import policies as cases
from schema.accounts.types import Enterprise, load_enterprise
from schema.agreements import SignedDocument, signed_document
from schema.base import Connection, Info, UserError, node_pk, perform
from schema.insurance.quotas import TariffQuota
from schema.insurance.reference import (
    CustomsOffice,
    PageSize,
    insurance_nodes,
    insurer_pk,
    load_insurer,
    money,
    money_or_none,
    percent,
)
from schema.marketplace.reference import Institution

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
TariffPolicyStatus = strawberry.enum(
    models.PolicyStatus,
    name="TariffPolicyStatus",
    description="EXPIRED: issued, and the end date has passed (at once, as of now).",
)
PremiumPaymentStatus = strawberry.enum(
    PaymentStatusModel,
    name="PremiumPaymentStatus",
    description="在线交费 (TI-8): UNPAID 未交费, PROCESSING 交费处理中, PAID 已交费, "
    "REFUSED 保险公司拒绝 (may be paid again).",
)


@strawberry.type(description="发票信息")
class PolicyInvoice:
    type: models.InvoiceType
    title: str = strawberry.field(description="发票抬头: the enterprise's name.")
    address: str | None
    bank_name: str | None
    email: str | None
    tax_number: str | None
    bank_account: str | None
    phone: str | None


@strawberry.type
class PolicyHistoryEntry:
    status: models.PolicyStatus
    reason: str | None
    at: datetime
    payment_status: PaymentStatusModel | None = strawberry.field(
        default=None, description="Set on the entries of the premium payment (TI-8)."
    )


def _policy_status(root: TariffPolicy, info: Info) -> models.PolicyStatus:
    return states.policy_status(root.row, info.context.clock.today())


@strawberry.type(description="投保单 and, once issued, 保单 (TI-6).")
class TariffPolicy(relay.Node):
    pk: relay.NodeID[int]
    application_number: str = strawberry.field(description="投保单编号")
    policy_number: str | None = strawberry.field(description="保单编号, once issued.")
    status: models.PolicyStatus = strawberry.field(
        resolver=_policy_status,
        description="As of now: an ISSUED policy past its end date is EXPIRED.",
    )
    purpose: models.PolicyPurpose
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
    payment_status: PaymentStatusModel | None = strawberry.field(
        description="在线交费 (TI-8): null until issued."
    )
    payment_amount: Decimal | None = strawberry.field(description="The amount paid or being paid.")
    payment_receipt_number: str | None = strawberry.field(description="The insurer's receipt.")
    payment_reason: str | None = strawberry.field(description="Why the insurer refused it.")
    paid_at: datetime | None = strawberry.field(description="交费时间, the insurer's.")
    registered_customs_code: strawberry.Private[str]
    clearance_customs_code: strawberry.Private[str]
    institution_pk: strawberry.Private[int]
    enterprise_pk: strawberry.Private[int]
    quota_pk: strawberry.Private[int]
    e_policy_pk: strawberry.Private[int | None]
    e_policy_signer: strawberry.Private[str | None]
    row: strawberry.Private[models.TariffPolicy]

    @strawberry.field(description="被保险人注册海关")
    def registered_customs(self) -> CustomsOffice:
        return CustomsOffice.of(self.registered_customs_code)

    @strawberry.field(description="被保险人通关海关")
    def clearance_customs(self) -> CustomsOffice:
        return CustomsOffice.of(self.clearance_customs_code)

    @strawberry.field
    async def insurer(self, info: Info) -> Institution:
        return await load_insurer(info, self.institution_pk)

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
        return [
            PolicyHistoryEntry(
                status=r.status, reason=r.reason, at=r.at, payment_status=r.payment_status
            )
            for r in rows
        ]

    @strawberry.field(
        description="电子保单: the PDF the insurer stamped with its seal and signed, once issued; "
        "its signerCardNumber is the serial number of the insurer's signing certificate."
    )
    async def e_policy(self, info: Info) -> SignedDocument | None:
        document = await signed_document(info, self.e_policy_pk)
        if document is not None and self.e_policy_signer:
            document.signer_card_number = self.e_policy_signer
        return document

    @strawberry.field(description="在线交费: the premium is due and may be paid now.")
    def viewer_can_pay(self, info: Info) -> bool:
        return payments.can_pay(self.row, info.context.clock.today())

    @classmethod
    def from_model(cls, row: models.TariffPolicy) -> TariffPolicy:
        assert row.id is not None
        return cls(
            pk=row.id,
            application_number=row.number,
            policy_number=row.policy_number,
            purpose=row.purpose,
            start_date=row.start_date,
            end_date=row.end_date,
            coverage=money(row.coverage),
            rate=percent(row.rate) or row.rate,
            premium_estimate=money(row.premium_estimate),
            premium=money_or_none(row.premium),
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
            payment_status=row.payment_status,
            payment_amount=money_or_none(row.payment_amount),
            payment_receipt_number=row.payment_receipt,
            payment_reason=row.payment_reason,
            paid_at=row.paid_at,
            registered_customs_code=row.registered_customs,
            clearance_customs_code=row.clearance_customs,
            institution_pk=row.institution_id,
            enterprise_pk=row.enterprise_id,
            quota_pk=row.quota_id,
            e_policy_pk=row.e_policy_document_id,
            e_policy_signer=row.e_policy_signer,
            row=row,
        )

    @classmethod
    async def resolve_nodes(
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Any]:
        return await insurance_nodes(cls, models.TariffPolicy, info, node_ids)


@strawberry.input(description="发票信息: the fields the invoice type needs are required.")
class PolicyInvoiceInput:
    type: models.InvoiceType
    address: str | None = None
    bank_name: str | None = None
    email: str | None = None
    tax_number: str | None = None
    bank_account: str | None = None
    phone: str | None = None


@strawberry.input(description="投保 (TI-6): from an APPROVED quota.")
class TariffPolicyInput:
    quota_id: relay.GlobalID
    purpose: models.PolicyPurpose
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
class TariffPolicyFilter:
    insurer_id: relay.GlobalID | None = None
    status: models.PolicyStatus | None = None
    policy_number: str | None = None
    submitted_from: datetime | None = None
    submitted_to: datetime | None = None
    payment_status: PaymentStatusModel | None = None


def _policy_form(info: Info, input: TariffPolicyInput) -> cases.PolicyForm:
    invoice = input.invoice
    return cases.PolicyForm(
        quota_id=node_pk(info, input.quota_id, "TariffQuota"),
        purpose=input.purpose,
        registered_customs=input.registered_customs,
        clearance_customs=input.clearance_customs,
        start_date=input.start_date,
        end_date=input.end_date,
        coverage=input.coverage,
        invoice=cases.Invoice(
            type=invoice.type,
            address=invoice.address,
            bank_name=invoice.bank_name,
            email=invoice.email,
            tax_number=invoice.tax_number,
            bank_account=invoice.bank_account,
            phone=invoice.phone,
        ),
    )


@strawberry.type
class PolicyQuery:
    @strawberry.field(description="关税险投保 list: applications and policies, newest first.")
    async def tariff_policies(
        self,
        info: Info,
        filter: TariffPolicyFilter | None = None,
        first: PageSize = 20,
        after: str | None = None,
    ) -> Connection[TariffPolicy]:
        wanted = filter or TariffPolicyFilter()
        page = await cases.search(
            info.context,
            cases.PolicyFilter(
                insurer_id=insurer_pk(info, wanted.insurer_id),
                status=wanted.status,
                policy_number=wanted.policy_number,
                submitted_from=wanted.submitted_from,
                submitted_to=wanted.submitted_to,
                payment_status=wanted.payment_status,
            ),
            first,
            after,
        )
        return Connection.from_page(page, TariffPolicy.from_model)


@strawberry.type
class PolicyMutation:
    @strawberry.mutation(description="投保 (TI-6): holds the coverage until the insurer answers.")
    async def tariff_policy_apply(
        self, info: Info, input: TariffPolicyInput
    ) -> TariffPolicyPayload:
        form = _policy_form(info, input)
        return await perform(
            info,
            TariffPolicyPayload,
            lambda: cases.apply(info.context, form),
            policy=TariffPolicy.from_model,
        )

    @strawberry.mutation(
        description="在线交费 (TI-8): pay the premium of an issued policy through the insurer; "
        "the insurer's answer comes live on tariffPolicyStatusChanged."
    )
    async def tariff_policy_pay(self, info: Info, id: relay.GlobalID) -> TariffPolicyPayload:
        pk = node_pk(info, id, "TariffPolicy")
        return await perform(
            info,
            TariffPolicyPayload,
            lambda: payments.pay(info.context, pk),
            policy=TariffPolicy.from_model,
        )


@strawberry.type
class PolicySubscription:
    @strawberry.subscription(
        description="Policy changes, to the enterprise and the insurer (GW-2)."
    )
    async def tariff_policy_status_changed(self, info: Info) -> AsyncGenerator[TariffPolicy, None]:
        await access.require_reader(info.context)
        async for row in scopes.watch(info.context, cases.KIND, models.TariffPolicy, "id"):
            yield TariffPolicy.from_model(row)
