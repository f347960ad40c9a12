"""The marketplace's loaders: product regions, order histories, certification documents."""

from __future__ import annotations

from collections.abc import Sequence

from aiodataloader import DataLoader
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from models import CertificationDocument, LoanOrderEvent, ProductRegion, Region
from resolvers.core.loaders import GroupLoader


class ProductRegions(DataLoader[int, list[Region]]):
    """The regions each product serves, by region code, in one joined statement."""

    def __init__(self, db: AsyncSession) -> None:
        super().__init__()
        self._db = db

    async def batch_load_fn(self, keys: Sequence[int]) -> list[list[Region]]:
        statement = (
            select(ProductRegion.product_id, Region)
            .join(Region, col(Region.id) == col(ProductRegion.region_id))
            .where(col(ProductRegion.product_id).in_(keys))
            .order_by(col(Region.code))
        )
        groups: dict[int, list[Region]] = {key: [] for key in keys}
        for product_id, region in (await self._db.exec(statement)).all():
            groups[product_id].append(region)
        return [groups[key] for key in keys]


def order_history(db: AsyncSession) -> GroupLoader:
    return GroupLoader(db, LoanOrderEvent, col(LoanOrderEvent.order_id))


def certification_documents(db: AsyncSession) -> GroupLoader:
    return GroupLoader(
        db,
        CertificationDocument,
        col(CertificationDocument.certification_id),
        order=col(CertificationDocument.kind),
    )
