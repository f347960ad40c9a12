"""TI-1: may the viewer's enterprise take out tariff insurance? Its customs credit rating, GENERAL
or better, read from its credit records (fetched again when older than a day, and kept, so that
what a decision was based on stays visible)."""

from __future__ import annotations

from dataclasses import dataclass

from models import CustomsCreditRating
from resolvers.core.context import RequestContext
from resolvers.core.uow import commit
from resolvers.credit import records as credit
from resolvers.insurance import access


@dataclass(frozen=True)
class Eligibility:
    customs_credit_rating: CustomsCreditRating | None
    eligible: bool


async def of_viewer(ctx: RequestContext) -> Eligibility:
    """The viewer's enterprise's rating; an account of no enterprise is not eligible. Only who
    may read tariff insurance sees it (TI-2)."""
    account = await access.require_reader(ctx)
    enterprise = await ctx.loaders.enterprise.load(account.enterprise_id or 0)
    if enterprise is None:
        return Eligibility(customs_credit_rating=None, eligible=False)
    rating = credit.customs_rating(await credit.records(ctx, enterprise))
    await commit(ctx)  # keep the records fetched (credit.records writes them when stale)
    return Eligibility(customs_credit_rating=rating, eligible=rating in credit.INSURABLE_RATINGS)
