"""The viewer and the Relay node field."""

from __future__ import annotations

import strawberry
from strawberry import relay

from resolvers.core import permissions
from schema.accounts.types import Account, account_from_model
from schema.base import Info, refetch


@strawberry.type
class ViewerQuery:
    @strawberry.field(description="Refetch any object by its global ID; null if not yours to see.")
    async def node(self, info: Info, id: relay.GlobalID) -> relay.Node | None:
        # Written out (not relay.node()) because that field can join only one schema per process.
        return await refetch(info, id)

    @strawberry.field(description="The logged-in account, or null.")
    def viewer(self, info: Info) -> Account | None:
        account = info.context.viewer.account
        if account is None:
            return None
        permissions.require_account(info.context, allow_restricted=True)
        return account_from_model(account)
