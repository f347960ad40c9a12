"""Onboarding by government admins (XC-2): regions, institutions and institution admins.

A government admin holds a region (or, with none, the whole platform) and works inside its
subtree: it adds regions below its own, institutions in them, and each institution's admin,
whose login is the admin's mobile and whose initial password is 111111, to be changed at the
first login (the same forced change as the Single Window's operators, SW-6).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from models import Account, AccountKind, Institution, InstitutionKind, Region
from resolvers.core import fields, permissions
from resolvers.core.context import RequestContext
from resolvers.core.errors import CommonErrorCode, Forbidden, Problems, UserErrors
from resolvers.core.identifiers import validate_uscc
from resolvers.core.uow import commit
from resolvers.marketplace.errors import MarketplaceErrorCode

INITIAL_INSTITUTION_PASSWORD = "111111"


def require_government_admin(ctx: RequestContext) -> Account:
    account = permissions.require_account(ctx)
    if account.kind != AccountKind.GOVERNMENT_ADMIN:
        raise Forbidden("GOVERNMENT_ADMINS_ONLY", ctx.locale)
    return account


async def subtree(ctx: RequestContext, root_id: int | None) -> set[int] | None:
    """The ids of a region and every region below it; None means every region."""
    if root_id is None:
        return None
    rows = (await ctx.db.exec(select(Region.id, Region.parent_id))).all()
    children: dict[int | None, list[int]] = {}
    for region_id, parent_id in rows:
        assert region_id is not None
        children.setdefault(parent_id, []).append(region_id)
    found, todo = set(), [root_id]
    while todo:
        current = todo.pop()
        found.add(current)
        todo.extend(children.get(current, []))
    return found


async def ancestors(ctx: RequestContext, region_id: int) -> list[int]:
    """A region and the regions above it (a product serving a province serves its cities)."""
    rows: dict[int | None, int | None] = dict(
        (await ctx.db.exec(select(Region.id, Region.parent_id))).all()
    )
    chain: list[int] = []
    current: int | None = region_id
    while current is not None and current not in chain:
        chain.append(current)
        current = rows.get(current)
    return chain


async def region_by_code(ctx: RequestContext, code: str) -> Region | None:
    return (await ctx.db.exec(select(Region).where(col(Region.code) == code.strip()))).first()


async def _own_region(ctx: RequestContext, admin: Account, code: str, *field: str) -> Region:
    region = await region_by_code(ctx, code)
    allowed = await subtree(ctx, admin.region_id)
    if region is None or (allowed is not None and region.id not in allowed):
        raise UserErrors.one(CommonErrorCode.NOT_FOUND, *field)
    return region


@dataclass
class RegionInput:
    code: str
    name: str
    parent_code: str | None = None


async def create_region(ctx: RequestContext, data: RegionInput) -> Region:
    admin = require_government_admin(ctx)
    problems = Problems()
    code = fields.text(problems, data.code, "code", max_length=32)
    name = fields.text(problems, data.name, "name", max_length=100)
    if code is not None and not code.isdigit():
        problems.add(CommonErrorCode.INVALID_FORMAT, "code")
    problems.raise_if_any()
    parent = None
    if not data.parent_code and admin.region_id is not None:
        raise UserErrors.one(CommonErrorCode.REQUIRED, "parentCode")
    if data.parent_code:
        parent = await _own_region(ctx, admin, data.parent_code, "parentCode")
    region = Region(code=code or "", name=name or "", parent_id=parent.id if parent else None)
    ctx.db.add(region)
    try:
        await ctx.db.flush()
    except IntegrityError as error:
        raise UserErrors.one(MarketplaceErrorCode.REGION_EXISTS, "code") from error
    await commit(ctx)
    return region


@dataclass
class InstitutionInput:
    code: str
    name: str
    kind: InstitutionKind
    region_code: str
    uscc: str | None = None


async def create_institution(ctx: RequestContext, data: InstitutionInput) -> Institution:
    admin = require_government_admin(ctx)
    problems = Problems()
    code = fields.text(problems, data.code, "code", max_length=32)
    name = fields.text(problems, data.name, "name", max_length=100)
    uscc = None
    if (data.uscc or "").strip():
        uscc = fields.identifier(problems, validate_uscc, data.uscc, "uscc")
    problems.raise_if_any()
    region = await _own_region(ctx, admin, data.region_code, "regionCode")
    institution = Institution(
        code=(code or "").upper(),
        name=name or "",
        kind=data.kind,
        uscc=uscc,
        region_id=region.id,
    )
    ctx.db.add(institution)
    try:
        await ctx.db.flush()
    except IntegrityError as error:
        raise UserErrors.one(MarketplaceErrorCode.INSTITUTION_EXISTS, "code") from error
    await commit(ctx)
    return institution


async def governed_institution(
    ctx: RequestContext, admin: Account, institution_id: int
) -> Institution:
    institution = await ctx.loaders.institution.load(institution_id)
    allowed = await subtree(ctx, admin.region_id)
    if institution is None or (allowed is not None and institution.region_id not in allowed):
        raise UserErrors.one(CommonErrorCode.NOT_FOUND, "institutionId")
    return institution


@dataclass
class InstitutionAdminInput:
    institution_id: int
    name: str
    mobile: str


async def create_institution_admin(ctx: RequestContext, data: InstitutionAdminInput) -> Account:
    """The login is the mobile; the initial password 111111 must be changed at first login."""
    admin = require_government_admin(ctx)
    problems = Problems()
    name = fields.text(problems, data.name, "name", max_length=50)
    mobile = fields.mobile(problems, data.mobile, "mobile")
    problems.raise_if_any()
    assert name is not None and mobile is not None
    institution = await governed_institution(ctx, admin, data.institution_id)
    taken = (
        await ctx.db.exec(select(Account.id).where(col(Account.username_key) == mobile))
    ).first()
    if taken is not None:
        raise UserErrors.one(CommonErrorCode.USERNAME_TAKEN, "mobile")
    account = Account(
        kind=AccountKind.INSTITUTION_USER,
        username=mobile,
        username_key=mobile,
        password_hash=await ctx.services.passwords.hash(INITIAL_INSTITUTION_PASSWORD),
        must_change_password=True,
        institution_id=institution.id,
        name=name,
        mobile=mobile,
        created_at=ctx.clock.now(),
    )
    ctx.db.add(account)
    await commit(ctx)
    return account


async def institutions_governed(ctx: RequestContext) -> list[Institution]:
    admin = require_government_admin(ctx)
    allowed = await subtree(ctx, admin.region_id)
    statement = select(Institution).order_by(col(Institution.name), col(Institution.id))
    if allowed is not None:
        statement = statement.where(col(Institution.region_id).in_(allowed))
    return list((await ctx.db.exec(statement)).all())


async def regions_governed(ctx: RequestContext) -> list[Region]:
    admin = require_government_admin(ctx)
    allowed = await subtree(ctx, admin.region_id)
    statement = select(Region).order_by(col(Region.code))
    if allowed is not None:
        statement = statement.where(col(Region.id).in_(allowed))
    return list((await ctx.db.exec(statement)).all())
