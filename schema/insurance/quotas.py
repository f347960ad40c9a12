"""Tariff insurance quotas (额度, TI-5): the application, re-application and increase, the
quota's change history, and its status subscription (GW-2)."""

from __future__ import annotations

from collections.abc import AsyncGenerator, Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import strawberry
from strawberry import relay

import models
from resolvers.core import scopes
from resolvers.insurance import access, states
from resolvers.insurance import loaders as insurance_loaders
from resolvers.insurance import quotas as cases
from schema.accounts.types import Enterprise, load_enterprise
from schema.base import Connection, Info, UserError, node_pk, perform
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

TariffQuotaStatus = strawberry.enum(
    models.QuotaStatus,
    name="TariffQuotaStatus",
    description="RECEIVED: 接收成功; APPROVED: 成功; FAILED: 失败; EXPIRED: 已过期.",
)
QuotaChangeKind = strawberry.enum(models.QuotaEventKind, name="QuotaChangeKind")


@strawberry.type(description="额度变更记录: one event of a quota, with the amounts around it.")
class QuotaChange:
    kind: models.QuotaEventKind
    status: models.QuotaStatus
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

    @classmethod
    def from_model(cls, row: models.TariffQuotaEvent) -> QuotaChange:
        return cls(
            kind=row.kind,
            status=row.status,
            amount=money_or_none(row.amount),
            total_before=money(row.total_before),
            total_after=money(row.total_after),
            used_before=money(row.used_before),
            used_after=money(row.used_after),
            remaining_after=money(row.remaining_after),
            rate=percent(row.rate),
            reference=row.reference,
            reason=row.reason,
            at=row.at,
        )


def _quota_status(root: TariffQuota, info: Info) -> models.QuotaStatus:
    return states.quota_status(root.row, info.context.clock.today())


@strawberry.type(description="额度: what the insurer covers for the enterprise (TI-5).")
class TariffQuota(relay.Node):
    pk: relay.NodeID[int]
    number: str
    status: models.QuotaStatus = strawberry.field(
        resolver=_quota_status,
        description="As of now: an APPROVED quota past its expiry date is EXPIRED at once.",
    )
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
    row: strawberry.Private[models.TariffQuota]

    @strawberry.field
    def registered_customs(self) -> CustomsOffice:
        return CustomsOffice.of(self.registered_customs_code)

    @strawberry.field
    async def insurer(self, info: Info) -> Institution:
        return await load_insurer(info, self.institution_pk)

    @strawberry.field
    async def enterprise(self, info: Info) -> Enterprise:
        return await load_enterprise(info, self.enterprise_pk)

    @strawberry.field(description="额度变更记录 / 额度状态记录, oldest first.")
    async def history(self, info: Info) -> list[QuotaChange]:
        rows = await info.context.loaders.of(insurance_loaders.quota_changes).load(self.pk)
        return [QuotaChange.from_model(r) for r in rows]

    @strawberry.field(description="重新申请: FAILED or EXPIRED.")
    def viewer_can_reapply(self, info: Info) -> bool:
        return states.can_reapply(self.row, info.context.clock.today())

    @strawberry.field(description="额度追加: APPROVED, valid, no increase under review.")
    def viewer_can_increase(self, info: Info) -> bool:
        return states.can_increase(self.row, info.context.clock.today())

    @strawberry.field(description="申请投保: APPROVED, valid, with quota remaining.")
    def viewer_can_apply_for_policy(self, info: Info) -> bool:
        return states.can_cover(self.row, info.context.clock.today())

    @classmethod
    def from_model(cls, row: models.TariffQuota) -> TariffQuota:
        assert row.id is not None
        return cls(
            pk=row.id,
            number=row.number,
            requested_amount=money(row.requested_amount),
            approved_total=money(row.approved_total),
            used=money(row.used),
            reserved=money(row.reserved),
            remaining=money(states.remaining(row)),
            rate=percent(row.rate),
            effective_date=row.effective_date,
            expiry_date=row.expiry_date,
            approved_at=row.approved_at,
            pending_increase=money_or_none(row.pending_increase),
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
            row=row,
        )

    @classmethod
    async def resolve_nodes(
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Any]:
        return await insurance_nodes(cls, models.TariffQuota, info, node_ids)


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


@strawberry.input
class TariffQuotaFilter:
    insurer_id: relay.GlobalID | None = None
    status: models.QuotaStatus | None = None
    submitted_from: datetime | None = None
    submitted_to: datetime | None = None


def _quota_form(info: Info, input: TariffQuotaInput) -> cases.QuotaForm:
    return cases.QuotaForm(
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


@strawberry.type
class QuotaQuery:
    @strawberry.field(description="额度申请 list: the enterprise's (or insurer's) quotas.")
    async def tariff_quotas(
        self,
        info: Info,
        filter: TariffQuotaFilter | None = None,
        first: PageSize = 20,
        after: str | None = None,
    ) -> Connection[TariffQuota]:
        wanted = filter or TariffQuotaFilter()
        page = await cases.search(
            info.context,
            cases.QuotaFilter(
                insurer_id=insurer_pk(info, wanted.insurer_id),
                status=wanted.status,
                submitted_from=wanted.submitted_from,
                submitted_to=wanted.submitted_to,
            ),
            first,
            after,
        )
        return Connection.from_page(page, TariffQuota.from_model)


@strawberry.type
class QuotaMutation:
    @strawberry.mutation(description="额度申请 (TI-5).")
    async def tariff_quota_apply(self, info: Info, input: TariffQuotaInput) -> TariffQuotaPayload:
        form = _quota_form(info, input)
        return await perform(
            info,
            TariffQuotaPayload,
            lambda: cases.apply(info.context, form),
            quota=TariffQuota.from_model,
        )

    @strawberry.mutation(description="重新申请 of a FAILED or EXPIRED quota (TI-5).")
    async def tariff_quota_reapply(
        self, info: Info, id: relay.GlobalID, input: TariffQuotaInput
    ) -> TariffQuotaPayload:
        pk, form = node_pk(info, id, "TariffQuota"), _quota_form(info, input)
        return await perform(
            info,
            TariffQuotaPayload,
            lambda: cases.reapply(info.context, pk, form),
            quota=TariffQuota.from_model,
        )

    @strawberry.mutation(description="额度追加 of an APPROVED quota (TI-5).")
    async def tariff_quota_increase(
        self, info: Info, id: relay.GlobalID, amount: Decimal
    ) -> TariffQuotaPayload:
        pk = node_pk(info, id, "TariffQuota")
        return await perform(
            info,
            TariffQuotaPayload,
            lambda: cases.increase(info.context, pk, amount),
            quota=TariffQuota.from_model,
        )


@strawberry.type
class QuotaSubscription:
    @strawberry.subscription(description="Quota changes, to the enterprise and the insurer (GW-2).")
    async def tariff_quota_status_changed(self, info: Info) -> AsyncGenerator[TariffQuota, None]:
        await access.require_reader(info.context)
        async for row in scopes.watch(info.context, cases.KIND, models.TariffQuota, "id"):
            yield TariffQuota.from_model(row)
