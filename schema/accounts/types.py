"""Accounts and enterprises as the API shows them (SW-1, SW-11)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Annotated, Any

import strawberry
from strawberry import relay

import models
from resolvers.accounts import hunan_registration, registration
from resolvers.accounts import loaders as account_loaders
from resolvers.accounts import operators as operator_cases
from resolvers.accounts import settings as settings_cases
from resolvers.cards import loaders as card_loaders
from resolvers.core import permissions
from resolvers.core.fields import IdType as DomainIdType
from schema.base import Connection, Info
from schema.marketplace.reference import Institution, Region

AccountKind = strawberry.enum(models.AccountKind, name="AccountKind")
AccountStatus = strawberry.enum(models.AccountStatus, name="AccountStatus")
RealNameLevel = strawberry.enum(models.RealNameLevel, name="RealNameLevel")
EnterpriseKind = strawberry.enum(models.EnterpriseKind, name="EnterpriseKind")
IdType = strawberry.enum(
    DomainIdType, name="IdType", description="证件类型: kinds of identity document."
)
NextStep = strawberry.enum(permissions.NextStep, name="NextStep")
BusinessPermission = strawberry.enum(
    models.BusinessPermission,
    name="BusinessPermission",
    description="Granted by the legal person (TI-2).",
)


@strawberry.interface(description="A Single Window login identity (SW-1).")
class Account(relay.Node):
    pk: relay.NodeID[int]
    kind: models.AccountKind
    username: str
    name: str
    email: str | None
    mobile: str | None
    status: models.AccountStatus
    activated: bool = strawberry.field(
        description="False for accounts created by card login until a password is set (SW-8)."
    )
    phone_login_enabled: bool
    real_name_level: models.RealNameLevel
    created_at: datetime
    profile_synced_at: datetime | None = strawberry.field(
        description="When the profile was last synchronised with the national platform (SW-12)."
    )
    next_step: permissions.NextStep = strawberry.field(
        description="What the account must do before any business (SW-6)."
    )

    @classmethod
    async def resolve_nodes(
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Any]:
        rows = await settings_cases.visible_accounts(info.context, [int(i) for i in node_ids])
        return [account_from_model(row) if row is not None else None for row in rows]


def _common(model: models.Account) -> dict[str, Any]:
    assert model.id is not None
    return {
        "pk": model.id,
        "kind": model.kind,
        "username": model.username,
        "name": model.name,
        "email": model.email,
        "mobile": model.mobile,
        "status": model.status,
        "activated": model.activated,
        "phone_login_enabled": model.phone_login_enabled,
        "real_name_level": model.real_name_level,
        "created_at": model.created_at,
        "profile_synced_at": model.profile_synced_at,
        "next_step": permissions.next_step(model),
    }


def _identity(model: models.Account) -> dict[str, Any]:
    return {
        "id_type": DomainIdType(model.id_type) if model.id_type else None,
        "id_number": model.id_number,
        "id_valid_from": model.id_valid_from,
        "id_valid_to": model.id_valid_to,
    }


@strawberry.type(description="The one admin of an enterprise (管理员); does no business (SW-1).")
class EnterpriseAdmin(Account):
    id_type: DomainIdType | None
    id_number: str | None
    id_valid_from: str | None
    id_valid_to: str | None
    enterprise_id: strawberry.Private[int]

    @strawberry.field
    async def enterprise(self, info: Info) -> Enterprise:
        return await load_enterprise(info, self.enterprise_id)


@strawberry.type(description="An operator of an enterprise (操作员).")
class Operator(Account):
    id_type: DomainIdType | None
    id_number: str | None
    id_valid_from: str | None
    id_valid_to: str | None
    must_change_password: bool
    enterprise_id: strawberry.Private[int]

    @strawberry.field
    async def enterprise(self, info: Info) -> Enterprise:
        return await load_enterprise(info, self.enterprise_id)

    @strawberry.field(description="Whether the viewer may edit this operator (SW-13).")
    def viewer_can_update(self, info: Info) -> bool:
        return operator_cases.can_manage(info.context, self.enterprise_id)

    @strawberry.field(description="Business permissions granted by the legal person (TI-2).")
    async def permissions(self, info: Info) -> list[models.BusinessPermission]:
        granted = await info.context.loaders.of(card_loaders.BusinessPermissions).load(self.pk)
        return sorted(granted)

    @strawberry.field(description="Whether the viewer may delete this operator (SW-13).")
    def viewer_can_delete(self, info: Info) -> bool:
        return self.viewer_can_update(info)


@strawberry.type(description="The enterprise an individual user states they work for (SW-11).")
class Employer:
    enterprise_name: str | None
    uscc: str | None
    org_code: str | None
    legal_rep_name: str | None


@strawberry.type(description="An individual user (个人用户, SW-3).")
class IndividualUser(Account):
    id_type: DomainIdType | None
    id_number: str | None
    id_valid_from: str | None
    id_valid_to: str | None
    employer: Employer


@strawberry.type(description="An overseas or Hong Kong, Macao, Taiwan enterprise user (SW-5).")
class OverseasUser(Account):
    @strawberry.field
    async def profile(self, info: Info) -> OverseasProfile:
        row = await info.context.loaders.of(account_loaders.overseas_profiles).load(self.pk)
        return OverseasProfile.from_model(row)


@strawberry.type
class OverseasProfile:
    country_code: str
    registration_number: str | None
    organisation_name: str
    department: str | None
    job_title: str | None
    contact_name: str
    contact_phone: str
    fax: str | None
    mobile: str | None
    address: str
    notes: str | None

    @strawberry.field(
        description="The registration number can be added once, never changed (SW-5)."
    )
    def can_set_registration_number(self) -> bool:
        return settings_cases.may_set_registration_number(self.registration_number)

    @classmethod
    def from_model(cls, row: models.OverseasProfile) -> OverseasProfile:
        names = {"account_id"}
        return cls(**{k: v for k, v in row.model_dump().items() if k not in names})


@strawberry.type(description="A ministry (部委) user.")
class MinistryUser(Account):
    pass


@strawberry.type(description="A user of a bank's or insurer's portal (GW-4).")
class InstitutionUser(Account):
    institution_id: strawberry.Private[int]

    @strawberry.field
    async def institution(self, info: Info) -> Institution:
        return Institution.from_model(
            await info.context.loaders.institution.load(self.institution_id)
        )


@strawberry.type(description="A platform reviewer: decides manual reviews (SW-9, SW-10).")
class PlatformReviewer(Account):
    pass


@strawberry.type(description="A government admin (政府端管理员): onboards institutions (XC-2).")
class GovernmentAdmin(Account):
    region_id: strawberry.Private[int | None]

    @strawberry.field(description="The region governed; null for the whole platform.")
    async def region(self, info: Info) -> Region | None:
        if self.region_id is None:
            return None
        row = await info.context.loaders.region.load(self.region_id)
        return Region(code=row.code, name=row.name) if row else None


@strawberry.type(description="A 湘企融 enterprise user (HN-1): acts once certified (HN-3).")
class EnterpriseUser(Account):
    certified_at: datetime | None
    enterprise_id: strawberry.Private[int]

    @strawberry.field(
        description="The registered enterprise; its legal representative's ID shows once certified."
    )
    async def enterprise(self, info: Info) -> Enterprise:
        row = await info.context.loaders.enterprise.load(self.enterprise_id)
        return enterprise_from_model(
            row, reveal_identity=hunan_registration.shows_legal_rep_identity(self.certified_at)
        )


def account_from_model(model: models.Account) -> Account:
    common = _common(model)
    if model.kind == models.AccountKind.ENTERPRISE_ADMIN:
        assert model.enterprise_id is not None
        return EnterpriseAdmin(**common, **_identity(model), enterprise_id=model.enterprise_id)
    if model.kind == models.AccountKind.OPERATOR:
        assert model.enterprise_id is not None
        return Operator(
            **common,
            **_identity(model),
            must_change_password=model.must_change_password,
            enterprise_id=model.enterprise_id,
        )
    if model.kind == models.AccountKind.INDIVIDUAL:
        employer = Employer(
            enterprise_name=model.employer_name,
            uscc=model.employer_uscc,
            org_code=model.employer_org_code,
            legal_rep_name=model.employer_legal_rep_name,
        )
        return IndividualUser(**common, **_identity(model), employer=employer)
    if model.kind == models.AccountKind.OVERSEAS:
        return OverseasUser(**common)
    if model.kind == models.AccountKind.INSTITUTION_USER:
        assert model.institution_id is not None
        return InstitutionUser(**common, institution_id=model.institution_id)
    if model.kind == models.AccountKind.PLATFORM_REVIEWER:
        return PlatformReviewer(**common)
    if model.kind == models.AccountKind.ENTERPRISE_USER:
        assert model.enterprise_id is not None
        return EnterpriseUser(
            **common, certified_at=model.certified_at, enterprise_id=model.enterprise_id
        )
    if model.kind == models.AccountKind.GOVERNMENT_ADMIN:
        return GovernmentAdmin(**common, region_id=model.region_id)
    return MinistryUser(**common)


def operator_from_model(model: models.Account) -> Operator:
    converted = account_from_model(model)
    assert isinstance(converted, Operator)
    return converted


@strawberry.type(description="An enterprise or public institution (SW-2, SW-4).")
class Enterprise(relay.Node):
    pk: relay.NodeID[int]
    kind: models.EnterpriseKind
    uscc: str
    org_code: str
    name: str
    legal_rep_name: str
    # OTHER while the legal representative is unknown (an enterprise first seen through an
    # operator card's login): registration.legal_rep_id_type.
    legal_rep_id_type: DomainIdType
    legal_rep_id_number: str
    legal_rep_id_valid_from: str
    legal_rep_id_valid_to: str
    address: str | None

    @strawberry.field(
        description=(
            "The enterprise's operators; only its admin may list them (SW-13). Null, with a "
            "FORBIDDEN error, for anyone else who sees the enterprise (its operators, a bank's "
            "portal users), so that the rest of their answer stands."
        )
    )
    async def operators(
        self,
        info: Info,
        first: Annotated[int, strawberry.argument(description="1 to 100")] = 20,
        after: str | None = None,
        query: Annotated[
            str | None, strawberry.argument(description="Part of a username or a name.")
        ] = None,
    ) -> Connection[Operator] | None:
        page = await operator_cases.list_operators(info.context, self.pk, query, first, after)
        return Connection.from_page(page, operator_from_model)

    @classmethod
    async def resolve_nodes(
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Any]:
        rows = await settings_cases.visible_enterprises(info.context, [int(i) for i in node_ids])
        return [enterprise_from_model(row) if row is not None else None for row in rows]


def enterprise_from_model(model: models.Enterprise, reveal_identity: bool = True) -> Enterprise:
    """``reveal_identity`` False masks the legal representative's ID (a Hunan user who named
    the company but is not certified yet must not read it from the register's data)."""
    assert model.id is not None
    return Enterprise(
        pk=model.id,
        kind=model.kind,
        uscc=model.uscc,
        org_code=model.org_code,
        name=model.name,
        legal_rep_name=model.legal_rep_name,
        legal_rep_id_type=registration.legal_rep_id_type(model),
        legal_rep_id_number=model.legal_rep_id_number if reveal_identity else "******",
        legal_rep_id_valid_from=model.legal_rep_id_valid_from,
        legal_rep_id_valid_to=model.legal_rep_id_valid_to,
        address=model.address,
    )


async def load_enterprise(info: Info, enterprise_id: int) -> Enterprise:
    row = await info.context.loaders.enterprise.load(enterprise_id)
    return enterprise_from_model(row)
