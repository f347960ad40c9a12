"""Insurance claims (理赔信息, TI-7) an insurer shared with the platform."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import strawberry
from strawberry import relay

import models
from resolvers.insurance import claims as cases
from schema.base import Connection, Info
from schema.insurance.reference import PageSize, insurer_pk, load_insurer, money
from schema.marketplace.reference import Institution


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
        return await load_insurer(info, self.institution_pk)

    @classmethod
    def from_model(cls, row: models.InsuranceClaim) -> InsuranceClaim:
        return cls(
            report_number=row.report_number,
            enterprise_name=row.enterprise_name,
            insured_name=row.insured_name,
            policy_number=row.policy_number,
            insurance_type=row.insurance_type,
            payout_amount=money(row.payout_amount),
            currency=row.currency,
            incident_at=row.incident_at,
            paid_at=row.paid_at,
            institution_pk=row.institution_id,
        )


@strawberry.input
class InsuranceClaimFilter:
    insurer_id: relay.GlobalID | None = None
    policy_number: str | None = strawberry.field(
        default=None, description="Part of the policy number (保单编号): every claim containing it."
    )


@strawberry.type
class ClaimQuery:
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
        page = await cases.search(
            info.context,
            cases.ClaimFilter(insurer_pk(info, wanted.insurer_id), wanted.policy_number),
            first,
            after,
        )
        return Connection.from_page(page, InsuranceClaim.from_model)
