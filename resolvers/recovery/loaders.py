"""The recovery domain's loaders: a manual review's images and candidate accounts."""

from __future__ import annotations

from collections.abc import Sequence

from aiodataloader import DataLoader
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from models import Account, ManualReview, ReviewUpload
from resolvers.core.loaders import GroupLoader
from resolvers.recovery.manual_reviews import candidates_for


def review_uploads(db: AsyncSession) -> GroupLoader:
    return GroupLoader(db, ReviewUpload, col(ReviewUpload.review_id))


class ReviewCandidates(DataLoader[int, list[Account]]):
    """The accounts each manual review's form describes (SW-9, SW-10)."""

    def __init__(self, db: AsyncSession) -> None:
        super().__init__()
        self._db = db

    async def batch_load_fn(self, keys: Sequence[int]) -> list[list[Account]]:
        rows = (
            await self._db.exec(select(ManualReview).where(col(ManualReview.id).in_(keys)))
        ).all()
        found = await candidates_for(self._db, list(rows))
        return [found.get(key, []) for key in keys]
