"""Whose records a viewer sees (GW-4): an enterprise its own, an institution's portal user what is
addressed to its institution (a bank its agreements and orders, an insurer its credit-check
authorisations, quotas and policies). Every list and node look-up of these goes through here, so
the rule lives in one place."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any, TypeVar

from sqlmodel import col, select
from sqlmodel.sql.expression import SelectOfScalar

from models import (
    Account,
    AccountKind,
    Agreement,
    CreditAuthorisation,
    Institution,
    LoanOrder,
    TariffPolicy,
    TariffQuota,
)
from resolvers.core import permissions
from resolvers.core.context import RequestContext
from resolvers.core.errors import CommonErrorCode, Forbidden, UserErrors

Scoped = TypeVar("Scoped", Agreement, LoanOrder, CreditAuthorisation, TariffQuota, TariffPolicy)


def scope_condition(ctx: RequestContext, model: Any) -> Any:
    """A WHERE condition on ``model`` (with enterprise_id and institution_id) for the viewer."""
    account = permissions.require_account(ctx)
    if account.kind == AccountKind.INSTITUTION_USER and account.institution_id is not None:
        return col(model.institution_id) == account.institution_id
    enterprise_id = permissions.acting_enterprise_id(account)
    if enterprise_id is not None:
        return col(model.enterprise_id) == enterprise_id
    raise Forbidden("NO_SCOPE", ctx.locale)


def may_see(account: Account | None, enterprise_id: int, institution_id: int) -> bool:
    if account is None:
        return False
    if account.kind == AccountKind.INSTITUTION_USER:
        return account.institution_id == institution_id
    acting = permissions.acting_enterprise_id(account)
    return acting is not None and acting == enterprise_id


def audience(ctx: RequestContext) -> str | None:
    """The viewer's scope as a name, ``enterprise:<id>`` or ``institution:<id>``; None for a
    viewer with no scope. Viewers with the same audience see the same agreements and orders."""
    account = ctx.viewer.account
    if account is None:
        return None
    if account.kind == AccountKind.INSTITUTION_USER and account.institution_id is not None:
        return f"institution:{account.institution_id}"
    enterprise_id = permissions.acting_enterprise_id(account)
    if enterprise_id is not None:
        return f"enterprise:{enterprise_id}"
    return None


def topic_for(ctx: RequestContext, kind: str) -> str:
    """The viewer's topic: ``enterprise:<id>:<kind>`` or ``institution:<id>:<kind>``."""
    permissions.require_account(ctx)
    scope = audience(ctx)
    if scope is None:
        raise Forbidden("NO_SCOPE", ctx.locale)
    return f"{scope}:{kind}"


def announce(ctx: RequestContext, kind: str, row: Scoped, event: dict[str, Any]) -> None:
    """Queue ``event`` for the two audiences of ``row`` (its enterprise and its institution) on
    the ``kind`` topics :func:`watch` listens to; published when the transaction commits."""
    for scope in (f"enterprise:{row.enterprise_id}", f"institution:{row.institution_id}"):
        ctx.pending_events.append((f"{scope}:{kind}", event))


async def watch(
    ctx: RequestContext, kind: str, model: type[Scoped], id_key: str
) -> AsyncIterator[Scoped]:
    """Rows of the viewer's scope as they change (GW-2), loaded fresh for each event, with no
    database connection held between events; the scope is checked again on every row."""
    account = permissions.require_account(ctx)
    subscription = ctx.services.broker.subscribe(topic_for(ctx, kind))
    try:
        async for raw in subscription:
            await ctx.refresh()
            row = (await ctx.db.exec(select(model).where(col(model.id) == raw[id_key]))).first()
            if row is not None and may_see(account, row.enterprise_id, row.institution_id):
                yield row
            await ctx.close()
    finally:
        subscription.close()


def newest_first(
    ctx: RequestContext, model: type[Scoped], bank_id: int | None, status: str | None
) -> SelectOfScalar[Scoped]:
    """The viewer's records of ``model``, newest application first, optionally of one bank and
    one status: the common start of every agreement and order search."""
    statement = (
        select(model)
        .where(scope_condition(ctx, model))
        .order_by(col(model.submitted_at).desc(), col(model.id).desc())
    )
    if bank_id is not None:
        statement = statement.where(col(model.institution_id) == bank_id)
    if status is not None:
        statement = statement.where(col(model.status) == status)
    return statement


async def visible(ctx: RequestContext, model: type[Scoped], ids: list[int]) -> dict[int, Scoped]:
    """The rows among ``ids`` the viewer may see (for ``node(id)``), by id."""
    rows = await ctx.db.exec(select(model).where(col(model.id).in_(ids)))
    viewer = ctx.viewer.account
    return {
        row.id: row
        for row in rows.all()
        if row.id is not None and may_see(viewer, row.enterprise_id, row.institution_id)
    }


async def addressed_to(
    ctx: RequestContext, model: type[Scoped], bank_code: str, number: str
) -> Scoped:
    """The record a bank's callback names: it must exist and be addressed to that bank."""
    bank = (
        await ctx.db.exec(select(Institution).where(col(Institution.code) == bank_code))
    ).first()
    row = (await ctx.db.exec(select(model).where(col(model.number) == number))).first()
    if bank is None or row is None or row.institution_id != bank.id:
        raise UserErrors.one(CommonErrorCode.NOT_FOUND, "reference")
    return row
