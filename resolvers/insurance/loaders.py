"""The insurance domain's loaders: quotas and the histories of quotas and policies."""

from __future__ import annotations

from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from models import TariffPolicyEvent, TariffQuota, TariffQuotaEvent
from resolvers.core.loaders import GroupLoader, RowLoader


def quotas(db: AsyncSession) -> RowLoader:
    return RowLoader(db, TariffQuota, col(TariffQuota.id))


def quota_changes(db: AsyncSession) -> GroupLoader:
    return GroupLoader(db, TariffQuotaEvent, col(TariffQuotaEvent.quota_id))


def policy_history(db: AsyncSession) -> GroupLoader:
    return GroupLoader(db, TariffPolicyEvent, col(TariffPolicyEvent.policy_id))
