"""The accounts domain's loaders."""

from __future__ import annotations

from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from models import OverseasProfile
from resolvers.core.loaders import RowLoader


def overseas_profiles(db: AsyncSession) -> RowLoader:
    """An overseas account's profile (SW-5), by account."""
    return RowLoader(db, OverseasProfile, col(OverseasProfile.account_id))
