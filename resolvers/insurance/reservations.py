"""Reservations (TI-6): a policy application holds coverage of its quota until the insurer
answers, then the coverage is used (the policy is issued) or given back. Each change is one
conditional UPDATE, so concurrent applications can never together exceed the quota; each is
recorded in the quota's history with the amounts around it.

Money columns are exact on both databases (:class:`models.insurance.ExactDecimal`), and the
amounts compared with them bind through the same type, so the comparison is in whole fen on
SQLite and in NUMERIC on PostgreSQL, with no float anywhere."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from sqlalchemy import CursorResult, update
from sqlmodel import col, select

from models import QuotaEventKind, QuotaStatus, TariffQuota
from resolvers.core.context import RequestContext
from resolvers.insurance.history import record


async def reserve(
    ctx: RequestContext, quota: TariffQuota, coverage: Decimal, reference: str
) -> bool:
    """Hold ``coverage`` of a usable quota, or nothing if the remaining quota is smaller: one
    conditional UPDATE, so two applications racing for the last of the quota cannot both win."""
    total_before, used_before = quota.approved_total, quota.used
    available = col(TariffQuota.approved_total) - col(TariffQuota.used) - col(TariffQuota.reserved)
    result = await ctx.db.execute(
        update(TariffQuota)
        .where(col(TariffQuota.id) == quota.id)
        .where(col(TariffQuota.status) == QuotaStatus.APPROVED)
        .where(col(TariffQuota.expiry_date) >= ctx.clock.today())
        .where(available >= coverage)
        .values(reserved=TariffQuota.reserved + coverage)
    )
    if cast(CursorResult[Any], result).rowcount != 1:
        return False
    await ctx.db.refresh(quota)
    record(ctx, quota, QuotaEventKind.RESERVED, total_before, used_before, coverage, reference)
    return True


async def settle(
    ctx: RequestContext, quota_id: int, coverage: Decimal, reference: str, issued: bool
) -> None:
    """The insurer answered a policy application: the held coverage is used, or given back."""
    quota = (await ctx.db.exec(select(TariffQuota).where(col(TariffQuota.id) == quota_id))).one()
    total_before, used_before = quota.approved_total, quota.used
    changes: dict[str, Any] = {"reserved": TariffQuota.reserved - coverage}
    if issued:
        changes["used"] = TariffQuota.used + coverage
    await ctx.db.execute(
        update(TariffQuota).where(col(TariffQuota.id) == quota_id).values(**changes)
    )
    await ctx.db.refresh(quota)
    kind = QuotaEventKind.CONSUMED if issued else QuotaEventKind.RELEASED
    record(ctx, quota, kind, total_before, used_before, coverage, reference)
