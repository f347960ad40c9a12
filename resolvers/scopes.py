"""Whose records a viewer sees (GW-4): an enterprise its own, an institution's portal user what is
addressed to its institution. Every list and node look-up of agreements and loan orders goes
through here, so the rule lives in one place."""

from __future__ import annotations

from typing import Any

from sqlmodel import col

from models import Account, AccountKind
from resolvers import sessions
from resolvers.context import RequestContext
from resolvers.errors import Forbidden


def scope_condition(ctx: RequestContext, model: Any) -> Any:
    """A WHERE condition on ``model`` (with enterprise_id and institution_id) for the viewer."""
    account = sessions.require_account(ctx)
    if account.kind == AccountKind.INSTITUTION_USER and account.institution_id is not None:
        return col(model.institution_id) == account.institution_id
    if account.enterprise_id is not None:
        return col(model.enterprise_id) == account.enterprise_id
    raise Forbidden("NO_SCOPE", ctx.locale)


def may_see(account: Account | None, enterprise_id: int, institution_id: int) -> bool:
    if account is None:
        return False
    if account.kind == AccountKind.INSTITUTION_USER:
        return account.institution_id == institution_id
    return account.enterprise_id is not None and account.enterprise_id == enterprise_id


def topic_for(ctx: RequestContext, kind: str) -> str:
    """The viewer's topic: ``enterprise:<id>:<kind>`` or ``institution:<id>:<kind>``."""
    account = sessions.require_account(ctx)
    if account.kind == AccountKind.INSTITUTION_USER and account.institution_id is not None:
        return f"institution:{account.institution_id}:{kind}"
    if account.enterprise_id is not None:
        return f"enterprise:{account.enterprise_id}:{kind}"
    raise Forbidden("NO_SCOPE", ctx.locale)
