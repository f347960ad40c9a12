"""Who may see and do tariff insurance (TI-2).

On the enterprise's side only the legal person's card session and operators the legal person
granted ``TARIFF_INSURANCE`` read anything of it (credit-check letters, quotas, policies with
their e-policies, claims, the credit rating), as only they may act; an admin's password
session or an operator without the permission gets ``FORBIDDEN`` with reason
``PERMISSION_REQUIRED:TARIFF_INSURANCE``, and ``node(id)`` answers null. An insurer's portal
users read what is addressed to their insurer (and every shared claim), as before.
"""

from __future__ import annotations

from typing import TypeVar

from sqlmodel import col, select

from models import Account, AccountKind, BusinessPermission, TariffPolicy, TariffQuota
from resolvers.cards import actions as cards
from resolvers.core import permissions
from resolvers.core.context import RequestContext
from resolvers.core.errors import CommonErrorCode, UserErrors

PERMISSION = BusinessPermission.TARIFF_INSURANCE
Owned = TypeVar("Owned", TariffQuota, TariffPolicy)


async def require_actor(ctx: RequestContext) -> Account:
    """The legal person's card session or an operator with the permission: they may act."""
    return await cards.require_permission(ctx, PERMISSION)


async def require_reader(ctx: RequestContext) -> Account:
    """Anyone who may read tariff insurance: an actor, or an institution's portal user (whose
    reads are scoped to its institution)."""
    account = permissions.require_account(ctx)
    if account.kind == AccountKind.INSTITUTION_USER:
        return account
    if account.id is None and await _shared_execution_may_read(ctx, account):
        return account
    return await require_actor(ctx)


async def may_read(ctx: RequestContext) -> bool:
    """For ``node(id)``: null rather than an error when the viewer may not read."""
    account = ctx.viewer.account
    if account is None:
        return False
    if account.kind == AccountKind.INSTITUTION_USER:
        return True
    return PERMISSION in await cards.viewer_permissions(ctx)


async def _shared_execution_may_read(ctx: RequestContext, account: Account) -> bool:
    """A scope-shared subscription (gateway/fanout.py) runs once for every subscriber of the
    same kind in the same scope, as no account in particular; it reads as the subscriber whose
    session started it."""
    if cards.is_legal_person_session(ctx):
        return True
    session = ctx.viewer.session
    if session is None or account.kind != AccountKind.OPERATOR:
        return False
    return PERMISSION in await cards.permissions_of(ctx, session.account_id)


async def own(ctx: RequestContext, model: type[Owned], pk: int) -> Owned:
    """A quota or policy of the actor's enterprise; another enterprise's is "not found"."""
    actor = await require_actor(ctx)
    row = (await ctx.db.exec(select(model).where(col(model.id) == pk))).first()
    if row is None or row.enterprise_id != actor.enterprise_id:
        raise UserErrors.one(CommonErrorCode.NOT_FOUND, "id")
    return row
