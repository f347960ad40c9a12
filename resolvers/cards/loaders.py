"""The cards domain's loaders."""

from __future__ import annotations

from collections.abc import Sequence

from aiodataloader import DataLoader
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from models import BusinessPermission, Card, OperatorPermission
from resolvers.core.loaders import RowLoader


def cards(db: AsyncSession) -> RowLoader:
    return RowLoader(db, Card, col(Card.id))


class BusinessPermissions(DataLoader[int, set[BusinessPermission]]):
    """An operator's granted business permissions (TI-2), for many operators in one statement."""

    def __init__(self, db: AsyncSession) -> None:
        super().__init__()
        self._db = db

    async def batch_load_fn(self, keys: Sequence[int]) -> list[set[BusinessPermission]]:
        statement = select(OperatorPermission).where(col(OperatorPermission.account_id).in_(keys))
        granted: dict[int, set[BusinessPermission]] = {key: set() for key in keys}
        for row in (await self._db.exec(statement)).all():
            granted[row.account_id].add(BusinessPermission(row.permission))
        return [granted[key] for key in keys]
