"""Reference data every consumer reads: regions and financial institutions."""

from __future__ import annotations

from sqlmodel import col, select

from models import Institution, InstitutionKind, Region
from resolvers.core import pagination
from resolvers.core.context import RequestContext


async def regions(ctx: RequestContext, parent_code: str | None) -> list[Region]:
    statement = select(Region).order_by(col(Region.code))
    if parent_code is None:
        statement = statement.where(col(Region.parent_id).is_(None))
    else:
        parent = select(Region.id).where(col(Region.code) == parent_code).scalar_subquery()
        statement = statement.where(col(Region.parent_id) == parent)
    return list((await ctx.db.exec(statement)).all())


async def institutions(
    ctx: RequestContext, kind: InstitutionKind | None, first: int, after: str | None
) -> pagination.Page[Institution]:
    statement = select(Institution).order_by(col(Institution.name), col(Institution.id))
    if kind is not None:
        statement = statement.where(col(Institution.kind) == kind)
    return await pagination.paginate(ctx, statement, first, after)
