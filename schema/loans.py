"""Loan applications and orders (LN-5, LN-6, TI-3, GW-2)."""

from __future__ import annotations

from collections.abc import AsyncGenerator, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

import strawberry
from strawberry import relay

import models
from resolvers.core import scopes
from resolvers.credit import loaders as credit_loaders
from resolvers.credit import risk
from resolvers.loans import actions as cases
from resolvers.marketplace import loaders as marketplace_loaders
from resolvers.marketplace import orders as marketplace_orders
from schema.accounts.types import Enterprise, enterprise_from_model, load_enterprise
from schema.agreements import SIGNING_STEP_ONE, SignedDocument, signed_document
from schema.base import Connection, Info, UserError, node_pk, perform, scoped_nodes
from schema.marketplace.products import Product
from schema.marketplace.reference import Institution

LoanOrderStatus = strawberry.enum(
    models.LoanOrderStatus,
    name="LoanOrderStatus",
    description="ACCEPTED: 申请成功 银行已受理; SEND_FAILED: 申请发送失败 (apply again).",
)


RiskSeverity = strawberry.enum(
    risk.RiskSeverity, name="RiskSeverity", description="风险等级 of a risk flag."
)
RiskFlagCode = strawberry.enum(risk.RiskFlagCode, name="RiskFlagCode")
CreditRecordKind = strawberry.enum(models.CreditRecordKind, name="CreditRecordKind")


@strawberry.type(description="企业信用记录 (XC-8): as the credit source reported it.")
class CreditRecord:
    kind: models.CreditRecordKind
    value: str
    source: str
    record_date: date
    active_until: date | None
    external_id: str | None
    fetched_at: datetime

    @classmethod
    def from_model(cls, row: models.CreditRecord) -> CreditRecord:
        return cls(
            kind=row.kind,
            value=row.value,
            source=row.source,
            record_date=row.record_date,
            active_until=row.active_until,
            external_id=row.external_id,
            fetched_at=row.fetched_at,
        )


@strawberry.type(description="风险监控标识 (XC-9): a flag a credit record raises.")
class RiskFlag:
    code: risk.RiskFlagCode
    severity: risk.RiskSeverity
    record: CreditRecord


@dataclass(frozen=True, slots=True)
class Credit:
    """An enterprise's credit as an order shows it: records, flags, level."""

    records: list[CreditRecord]
    flags: list[RiskFlag]
    level: risk.RiskSeverity | None

    @classmethod
    def of(cls, rows: list[models.CreditRecord], today: date) -> Credit:
        records = {id(r): CreditRecord.from_model(r) for r in rows}
        raised = risk.flags(rows, today)
        return cls(
            records=list(records.values()),
            flags=[
                RiskFlag(code=f.code, severity=f.severity, record=records[id(f.record)])
                for f in raised
            ],
            level=risk.level(raised),
        )


CREDIT_FIELDS = frozenset({"creditRecords", "riskFlags", "riskLevel"})


def _selects(fields: list[Any], wanted: frozenset[str]) -> bool:
    return any(f.name in wanted or _selects(getattr(f, "selections", []), wanted) for f in fields)


async def prefetch(info: Info, orders: list[LoanOrder]) -> list[LoanOrder]:
    """Give a page of orders their enterprises, and their credit if the query asks for it."""
    loaders = info.context.loaders
    ids = list({o.enterprise_pk for o in orders})
    enterprises = dict(zip(ids, await loaders.enterprise.load_many(ids), strict=True))
    credit: dict[int, Credit] = {}
    if _selects(info.selected_fields, CREDIT_FIELDS):
        today = info.context.clock.today()
        rows = await loaders.of(credit_loaders.credit_records).load_many(ids)
        credit = {i: Credit.of(r, today) for i, r in zip(ids, rows, strict=True)}
    for order in orders:
        found = enterprises.get(order.enterprise_pk)
        order.prefetched_enterprise = enterprise_from_model(found) if found else None
        order.prefetched_credit = credit.get(order.enterprise_pk)
    return orders


@strawberry.type
class LoanOrderHistoryEntry:
    status: models.LoanOrderStatus
    reason: str | None
    at: datetime


@strawberry.type(description="An application to a bank, with its review progress (LN-5, LN-6).")
class LoanOrder(relay.Node):
    pk: relay.NodeID[int]
    number: str
    amount: Decimal = strawberry.field(description="In yuan, two decimals.")
    currency: str
    term_months: int
    purpose: str
    contact_name: str
    contact_phone: str
    remark: str | None
    status: models.LoanOrderStatus
    bank_reason: str | None
    submitted_at: datetime = strawberry.field(description="Application time (申请时间).")
    institution_pk: strawberry.Private[int]
    enterprise_pk: strawberry.Private[int]
    document_pk: strawberry.Private[int | None]
    product_pk: strawberry.Private[int | None]

    # Look-ahead (GW-4): a page of orders is given its enterprises and credit in two batched
    # loads before the fields run, so these fields answer synchronously; an order resolved on
    # its own (a node, a payload, an event) loads lazily through the same loaders.
    prefetched_enterprise: strawberry.Private[Enterprise | None] = None
    prefetched_credit: strawberry.Private[Credit | None] = None

    @strawberry.field(description="企业信用记录 of the applicant (XC-8).")
    def credit_records(self, info: Info) -> list[CreditRecord]:
        if self.prefetched_credit is not None:
            return self.prefetched_credit.records
        return self._credit(info, "records")  # type: ignore[return-value]

    @strawberry.field(description="风险监控标识: the applicant's risk flags, most severe first.")
    def risk_flags(self, info: Info) -> list[RiskFlag]:
        if self.prefetched_credit is not None:
            return self.prefetched_credit.flags
        return self._credit(info, "flags")  # type: ignore[return-value]

    @strawberry.field(description="The highest severity among the risk flags; null: none.")
    def risk_level(self, info: Info) -> risk.RiskSeverity | None:
        if self.prefetched_credit is not None:
            return self.prefetched_credit.level
        return self._credit(info, "level")  # type: ignore[return-value]

    async def _credit(self, info: Info, part: str) -> Any:
        rows = await info.context.loaders.of(credit_loaders.credit_records).load(self.enterprise_pk)
        return getattr(Credit.of(rows, info.context.clock.today()), part)

    @strawberry.field(description="The marketplace product applied for (HN-4); null for LN-5.")
    async def product(self, info: Info) -> Product | None:
        if self.product_pk is None:
            return None
        row = await info.context.loaders.product.load(self.product_pk)
        return Product.from_model(row) if row else None

    @strawberry.field(description="Whether the viewer's institution may accept it now (XC-6).")
    def viewer_can_accept(self, info: Info) -> bool:
        return cases.can_accept(info.context, self.status, self.institution_pk, self.product_pk)

    @strawberry.field(description="Whether the viewer's institution may terminate it (XC-6).")
    def viewer_can_terminate(self, info: Info) -> bool:
        return cases.can_terminate(info.context, self.status, self.institution_pk, self.product_pk)

    @strawberry.field(description="The applicant; a bank portal sees its details (GW-4).")
    def enterprise(self, info: Info) -> Enterprise:
        if self.prefetched_enterprise is not None:
            return self.prefetched_enterprise
        return load_enterprise(info, self.enterprise_pk)  # type: ignore[return-value]

    @strawberry.field
    async def bank(self, info: Info) -> Institution:
        return Institution.from_model(
            await info.context.loaders.institution.load(self.institution_pk)
        )

    @strawberry.field
    async def history(self, info: Info) -> list[LoanOrderHistoryEntry]:
        rows = await info.context.loaders.of(marketplace_loaders.order_history).load(self.pk)
        return [LoanOrderHistoryEntry(status=r.status, reason=r.reason, at=r.at) for r in rows]

    @strawberry.field(description="The signed authorisation letter.")
    async def authorisation_letter(self, info: Info) -> SignedDocument | None:
        return await signed_document(info, self.document_pk)

    @strawberry.field(description="After 申请发送失败 the enterprise may apply again (LN-5).")
    def viewer_can_apply_again(self) -> bool:
        return cases.can_apply_again(self.status)

    @classmethod
    def from_model(cls, row: models.LoanOrder) -> LoanOrder:
        assert row.id is not None
        return cls(
            pk=row.id,
            number=row.number,
            amount=row.amount,
            currency=row.currency,
            term_months=row.term_months,
            purpose=row.purpose,
            contact_name=row.contact_name,
            contact_phone=row.contact_phone,
            remark=row.remark,
            status=row.status,
            bank_reason=row.bank_reason,
            submitted_at=row.submitted_at,
            institution_pk=row.institution_id,
            enterprise_pk=row.enterprise_id,
            document_pk=row.document_id,
            product_pk=row.product_id,
        )

    @classmethod
    async def resolve_nodes(
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Any]:
        """Visible to its enterprise and to its bank's portal users, to nobody else."""
        return await scoped_nodes(cls, models.LoanOrder, info, node_ids)


@strawberry.input
class LoanApplicationInput:
    bank_id: relay.GlobalID
    amount: Decimal
    term_months: int
    purpose: str
    contact_name: str
    contact_phone: str
    certificate: str = strawberry.field(
        description="The applicant's card signing certificate (slot 9C)."
    )
    remark: str | None = None


@strawberry.type
class LoanApplicationPreparePayload:
    signing_session_id: str | None
    digest_to_sign: str | None
    preview_data_url: str | None = strawberry.field(
        description="The authorisation letter to review."
    )
    user_errors: list[UserError]


@strawberry.input
class LoanApplicationCompleteInput:
    signing_session_id: str
    signature: str


@strawberry.type
class LoanOrderPayload:
    order: LoanOrder | None
    user_errors: list[UserError]


@strawberry.input
class LoanOrderFilter:
    bank_id: relay.GlobalID | None = None
    status: models.LoanOrderStatus | None = None
    submitted_from: datetime | None = None
    submitted_to: datetime | None = None
    min_risk_level: risk.RiskSeverity | None = strawberry.field(
        default=None, description="Only orders whose applicant has a flag this severe (XC-9)."
    )


@strawberry.type
class LoanQuery:
    @strawberry.field(description="The enterprise's loan applications (LN-6), newest first.")
    async def loan_orders(
        self,
        info: Info,
        filter: LoanOrderFilter | None = None,
        first: Annotated[int, strawberry.argument(description="1 to 100")] = 20,
        after: str | None = None,
    ) -> Connection[LoanOrder]:
        wanted = filter or LoanOrderFilter()
        page = await cases.search(
            info.context,
            cases.LoanOrderFilter(
                bank_id=node_pk(info, wanted.bank_id, "Institution") if wanted.bank_id else None,
                status=wanted.status,
                submitted_from=wanted.submitted_from,
                submitted_to=wanted.submitted_to,
                min_risk_level=wanted.min_risk_level,
            ),
            first,
            after,
        )
        orders = await prefetch(info, [LoanOrder.from_model(row) for row in page.items])
        by_pk = {order.pk: order for order in orders}
        return Connection.from_page(page, lambda row: by_pk[row.id])


@strawberry.type
class LoanMutation:
    @strawberry.mutation(
        description="Step one (LN-5): the form and the letter; FINANCING permission."
    )
    async def loan_application_prepare(
        self, info: Info, input: LoanApplicationInput
    ) -> LoanApplicationPreparePayload:
        draft = cases.LoanDraft(
            bank_id=node_pk(info, input.bank_id, "Institution"),
            amount=input.amount,
            term_months=input.term_months,
            purpose=input.purpose,
            contact_name=input.contact_name,
            contact_phone=input.contact_phone,
            certificate=input.certificate,
            remark=input.remark,
        )
        return await perform(
            info,
            LoanApplicationPreparePayload,
            lambda: cases.prepare(info.context, draft),
            **SIGNING_STEP_ONE,
        )

    @strawberry.mutation(
        description="Step two (LN-5): the signed letter; the application goes to the bank."
    )
    async def loan_application_complete(
        self, info: Info, input: LoanApplicationCompleteInput
    ) -> LoanOrderPayload:
        return await perform(
            info,
            LoanOrderPayload,
            lambda: cases.complete(info.context, input.signing_session_id, input.signature),
            order=LoanOrder.from_model,
        )

    @strawberry.mutation(
        description="Ask for the money of an APPROVED loan; needs a user binding (TI-3)."
    )
    async def loan_order_drawdown_request(self, info: Info, id: relay.GlobalID) -> LoanOrderPayload:
        pk = node_pk(info, id, "LoanOrder")
        return await perform(
            info,
            LoanOrderPayload,
            lambda: cases.request_drawdown(info.context, pk),
            order=LoanOrder.from_model,
        )


@strawberry.type
class LoanSubscription:
    @strawberry.subscription(
        description="Status changes of the viewer's enterprise's loan orders (GW-2)."
    )
    async def loan_order_status_changed(self, info: Info) -> AsyncGenerator[LoanOrder, None]:
        async for row in scopes.watch(info.context, "loans", models.LoanOrder, "orderId"):
            yield LoanOrder.from_model(row)


@strawberry.input(description="立即申请: the marketplace application form (HN-4).")
class LoanOrderApplyInput:
    product_id: relay.GlobalID
    amount: Decimal
    term_months: int
    purpose: str
    contact_name: str
    contact_phone: str
    remark: str | None = None


@strawberry.type
class MarketplaceOrderMutation:
    @strawberry.mutation(description="Apply for a marketplace product; certified users (HN-4).")
    async def loan_order_apply(self, info: Info, input: LoanOrderApplyInput) -> LoanOrderPayload:
        data = marketplace_orders.ApplicationInput(
            product_id=node_pk(info, input.product_id, "Product"),
            amount=input.amount,
            term_months=input.term_months,
            purpose=input.purpose,
            contact_name=input.contact_name,
            contact_phone=input.contact_phone,
            remark=input.remark,
        )
        return await perform(
            info,
            LoanOrderPayload,
            lambda: marketplace_orders.apply(info.context, data),
            order=LoanOrder.from_model,
        )

    @strawberry.mutation(description="受理: the product's institution accepts the order (XC-6).")
    async def loan_order_accept(self, info: Info, id: relay.GlobalID) -> LoanOrderPayload:
        pk = node_pk(info, id, "LoanOrder")
        return await perform(
            info,
            LoanOrderPayload,
            lambda: marketplace_orders.accept(info.context, pk),
            order=LoanOrder.from_model,
        )

    @strawberry.mutation(description="终止: the institution ends the order with a reason (XC-6).")
    async def loan_order_terminate(
        self, info: Info, id: relay.GlobalID, reason: str
    ) -> LoanOrderPayload:
        pk = node_pk(info, id, "LoanOrder")
        return await perform(
            info,
            LoanOrderPayload,
            lambda: marketplace_orders.terminate(info.context, pk, reason),
            order=LoanOrder.from_model,
        )
