"""An enterprise's credit records (TI-1, XC-8), read from the credit service and kept, so that
what a decision was based on stays visible. Records older than a day are read again."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import col, delete, select

from integrations.credit import CreditError
from models import CreditRecord, CreditRecordKind, CustomsCreditRating, Enterprise
from resolvers.core.context import RequestContext
from resolvers.core.errors import UserErrors
from resolvers.credit.errors import CreditErrorCode

FRESH_FOR = timedelta(days=1)
# TI-1: the policyholder has a customs credit rating of GENERAL or better.
INSURABLE_RATINGS = frozenset(
    {
        CustomsCreditRating.ADVANCED_CERTIFIED,
        CustomsCreditRating.GENERAL_CERTIFIED,
        CustomsCreditRating.GENERAL,
    }
)


async def records(ctx: RequestContext, enterprise: Enterprise) -> list[CreditRecord]:
    """The enterprise's records, fetched again when the stored ones are older than a day."""
    stored = list(
        (
            await ctx.db.exec(
                select(CreditRecord)
                .where(col(CreditRecord.enterprise_id) == enterprise.id)
                .order_by(col(CreditRecord.record_date).desc(), col(CreditRecord.id))
            )
        ).all()
    )
    now = ctx.clock.now()
    if stored and all(r.fetched_at > now - FRESH_FOR for r in stored):
        return stored
    try:
        facts = await ctx.services.credit.records(enterprise.uscc)
    except CreditError as error:
        if stored:
            return stored  # stale beats nothing; the fetch time says how stale
        raise UserErrors.one(CreditErrorCode.CREDIT_RECORDS_UNAVAILABLE) from error
    await ctx.db.exec(delete(CreditRecord).where(col(CreditRecord.enterprise_id) == enterprise.id))
    fresh = [
        CreditRecord(
            enterprise_id=enterprise.id or 0,
            kind=CreditRecordKind(fact.kind),
            value=fact.value[:200],
            source=fact.source[:50],
            external_id=fact.external_id,
            record_date=fact.record_date,
            active_until=fact.active_until,
            fetched_at=now,
        )
        for fact in facts
        if fact.kind in CreditRecordKind.__members__
    ]
    ctx.db.add_all(fresh)
    await ctx.db.flush()
    return sorted(fresh, key=lambda r: r.record_date, reverse=True)


def customs_rating(rows: list[CreditRecord]) -> CustomsCreditRating | None:
    """The newest customs credit rating among the records, if any."""
    ratings = [r for r in rows if r.kind == CreditRecordKind.CUSTOMS_CREDIT_RATING]
    if not ratings:
        return None
    newest = max(ratings, key=lambda r: r.record_date)
    return (
        CustomsCreditRating(newest.value)
        if newest.value in CustomsCreditRating.__members__
        else None
    )


async def require_insurable(ctx: RequestContext, enterprise: Enterprise) -> CustomsCreditRating:
    """TI-1: refuse an enterprise rated below GENERAL (or with no customs rating at all)."""
    rating = customs_rating(await records(ctx, enterprise))
    if rating not in INSURABLE_RATINGS:
        raise UserErrors.one(CreditErrorCode.CUSTOMS_CREDIT_INELIGIBLE, "insurerId")
    assert rating is not None
    return rating
