"""The agreements domain's loaders: the history of each agreement."""

from __future__ import annotations

from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from models import AgreementEvent
from resolvers.core.loaders import GroupLoader


def history(db: AsyncSession) -> GroupLoader:
    """Every status an agreement went through, oldest first: one statement per page."""
    return GroupLoader(db, AgreementEvent, col(AgreementEvent.agreement_id))
