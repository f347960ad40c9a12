"""信易贷企业白名单 (XC-7): the credit-easy-loan whitelist of a region, as its publisher lists it,
read through the credit service; institutions and government admins see it."""

from __future__ import annotations

from integrations.credit import CreditError, WhitelistEntry
from models import AccountKind
from resolvers.core import pagination, permissions
from resolvers.core.context import RequestContext
from resolvers.core.errors import BadUserInput, Forbidden
from resolvers.marketplace import government

READERS = (AccountKind.INSTITUTION_USER, AccountKind.GOVERNMENT_ADMIN)


async def entries(
    ctx: RequestContext, region_code: str, first: int, after: str | None
) -> pagination.Page[WhitelistEntry]:
    account = permissions.require_account(ctx)
    if account.kind not in READERS:
        raise Forbidden("INSTITUTIONS_AND_GOVERNMENT_ONLY", ctx.locale)
    pagination.check_first(ctx, first)
    if await government.region_by_code(ctx, region_code) is None:
        raise BadUserInput("UNKNOWN_REGION", ctx.locale)
    try:
        listed = await ctx.services.credit.whitelist(region_code.strip())
    except CreditError as error:
        raise BadUserInput("CREDIT_SERVICE_UNAVAILABLE", ctx.locale) from error
    offset = pagination.decode_cursor(ctx, after) + 1 if after else 0
    rows = listed[offset : offset + first]
    return pagination.Page(rows, offset, len(listed), offset + len(rows) < len(listed))
