"""The credit domain's loaders."""

from __future__ import annotations

from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from models import CreditRecord
from resolvers.core.loaders import GroupLoader


def credit_records(db: AsyncSession) -> GroupLoader:
    """An enterprise's kept credit records (TI-1, XC-8), by enterprise."""
    return GroupLoader(db, CreditRecord, col(CreditRecord.enterprise_id))
