"""信易贷企业白名单 (XC-7): the credit-easy-loan whitelist of a region."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import strawberry

from resolvers.credit import whitelist as cases
from schema.base import Connection, Info


@strawberry.type(description="An enterprise on the credit-easy-loan whitelist (XC-7).")
class WhitelistEntry:
    name: str
    uscc: str
    region_code: str
    source: str = strawberry.field(description="Who published it, e.g. the city's credit office.")
    listed_on: date


@strawberry.type
class WhitelistQuery:
    @strawberry.field(
        description="信易贷企业白名单 of a region and the regions inside it: institutions and "
        "government admins (XC-7)."
    )
    async def credit_whitelist(
        self,
        info: Info,
        region_code: str,
        first: Annotated[int, strawberry.argument(description="1 to 100")] = 20,
        after: str | None = None,
    ) -> Connection[WhitelistEntry]:
        page = await cases.entries(info.context, region_code, first, after)
        return Connection.from_page(
            page,
            lambda e: WhitelistEntry(
                name=e.name,
                uscc=e.uscc,
                region_code=e.region_code,
                source=e.source,
                listed_on=e.listed_on,
            ),
        )
