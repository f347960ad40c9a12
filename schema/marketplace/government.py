"""Government onboarding (XC-2): regions, institutions, institution admins."""

from __future__ import annotations

import strawberry

import models
from resolvers.marketplace import government as cases
from schema.accounts.types import Account, account_from_model
from schema.base import Info, UserError, node_pk, perform, to_domain
from schema.marketplace.reference import Institution, Region


@strawberry.input
class RegionCreateInput:
    code: str = strawberry.field(description="Administrative division code, digits.")
    name: str
    parent_code: str | None = strawberry.field(
        default=None, description="Required unless the admin governs the whole platform."
    )


@strawberry.type
class RegionPayload:
    region: Region | None
    user_errors: list[UserError]


@strawberry.input
class InstitutionCreateInput:
    code: str
    name: str
    kind: models.InstitutionKind
    region_code: str
    uscc: str | None = None


@strawberry.type
class InstitutionPayload:
    institution: Institution | None
    user_errors: list[UserError]


@strawberry.input(description="新增管理员: login = mobile, initial password 111111.")
class InstitutionAdminCreateInput:
    institution_id: strawberry.relay.GlobalID
    name: str
    mobile: str


@strawberry.type
class InstitutionAdminPayload:
    account: Account | None
    user_errors: list[UserError]


@strawberry.type
class GovernmentQuery:
    @strawberry.field(description="Government admins: the regions they govern (XC-2).")
    async def governed_regions(self, info: Info) -> list[Region]:
        return [Region.from_model(r) for r in await cases.regions_governed(info.context)]

    @strawberry.field(description="Government admins: the institutions in their regions (XC-2).")
    async def governed_institutions(self, info: Info) -> list[Institution]:
        return [Institution.from_model(r) for r in await cases.institutions_governed(info.context)]


@strawberry.type
class GovernmentMutation:
    @strawberry.mutation(description="新增行政区 (government admins, XC-2).")
    async def region_create(self, info: Info, input: RegionCreateInput) -> RegionPayload:
        data = to_domain(cases.RegionInput, input)
        return await perform(
            info,
            RegionPayload,
            lambda: cases.create_region(info.context, data),
            region=Region.from_model,
        )

    @strawberry.mutation(description="新增机构 (government admins, XC-2).")
    async def institution_create(
        self, info: Info, input: InstitutionCreateInput
    ) -> InstitutionPayload:
        data = to_domain(cases.InstitutionInput, input)
        return await perform(
            info,
            InstitutionPayload,
            lambda: cases.create_institution(info.context, data),
            institution=Institution.from_model,
        )

    @strawberry.mutation(
        description="新增管理员: an institution's admin; logs in with mobile + password + SMS "
        "code and must change the initial password 111111 first (XC-2, XC-3)."
    )
    async def institution_admin_create(
        self, info: Info, input: InstitutionAdminCreateInput
    ) -> InstitutionAdminPayload:
        data = cases.InstitutionAdminInput(
            institution_id=node_pk(info, input.institution_id, "Institution"),
            name=input.name,
            mobile=input.mobile,
        )
        return await perform(
            info,
            InstitutionAdminPayload,
            lambda: cases.create_institution_admin(info.context, data),
            account=account_from_model,
        )
