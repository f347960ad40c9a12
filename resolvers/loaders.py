"""Per-request DataLoaders: every by-ID lookup scattered through a response is one statement."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Sequence
from typing import Any, TypeVar

from aiodataloader import DataLoader
from sqlalchemy import ColumnElement
from sqlmodel import SQLModel, col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from models import (
    Account,
    BusinessPermission,
    CertificationDocument,
    CreditRecord,
    Enterprise,
    Institution,
    LoanOrderEvent,
    ManualReview,
    OperatorPermission,
    OverseasProfile,
    Product,
    ProductRegion,
    Region,
    ReviewUpload,
    SignedDocument,
    TariffPolicyEvent,
    TariffQuota,
    TariffQuotaEvent,
)

T = TypeVar("T", bound=SQLModel)


def _by_key(
    rows: Iterable[T], key: Callable[[T], Hashable], keys: Sequence[Hashable]
) -> list[T | None]:
    found = {key(row): row for row in rows}
    return [found.get(k) for k in keys]


class _RowLoader(DataLoader[int, Any]):
    """Loads rows of one table by a column, one ``IN`` statement per batch."""

    def __init__(self, db: AsyncSession, model: type[SQLModel], column: Any) -> None:
        super().__init__()
        self._db = db
        self._model = model
        self._column: ColumnElement[Any] = column
        self._key: str = column.key

    async def batch_load_fn(self, keys: Sequence[int]) -> list[Any]:
        result = await self._db.exec(select(self._model).where(self._column.in_(keys)))
        return _by_key(result.all(), lambda row: getattr(row, self._key), keys)


class _GroupLoader(DataLoader[int, list[Any]]):
    """The rows of one table that belong to each key (a history per record), oldest first
    (or in ``order``), one ``IN`` statement per batch."""

    def __init__(
        self, db: AsyncSession, model: type[SQLModel], column: Any, order: Any = None
    ) -> None:
        super().__init__()
        self._db = db
        self._model = model
        self._column: ColumnElement[Any] = column
        self._key: str = column.key
        self._order = order if order is not None else col(model.id)  # type: ignore[attr-defined]

    async def batch_load_fn(self, keys: Sequence[int]) -> list[list[Any]]:
        statement = select(self._model).where(self._column.in_(keys)).order_by(self._order)
        groups: dict[int, list[Any]] = {key: [] for key in keys}
        for row in (await self._db.exec(statement)).all():
            groups[getattr(row, self._key)].append(row)
        return [groups[key] for key in keys]


class _PermissionLoader(DataLoader[int, set[BusinessPermission]]):
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


class _ReviewCandidateLoader(DataLoader[int, list[Account]]):
    """The accounts each manual review's form describes (SW-9, SW-10)."""

    def __init__(self, db: AsyncSession) -> None:
        super().__init__()
        self._db = db

    async def batch_load_fn(self, keys: Sequence[int]) -> list[list[Account]]:
        from resolvers.manual_reviews import candidates_for

        rows = (
            await self._db.exec(select(ManualReview).where(col(ManualReview.id).in_(keys)))
        ).all()
        found = await candidates_for(self._db, list(rows))
        return [found.get(key, []) for key in keys]


class _ProductRegionLoader(DataLoader[int, list[Region]]):
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


class Loaders:
    def __init__(self, db: AsyncSession) -> None:
        self.enterprise = _RowLoader(db, Enterprise, col(Enterprise.id))
        self.account = _RowLoader(db, Account, col(Account.id))
        self.overseas_profile = _RowLoader(db, OverseasProfile, col(OverseasProfile.account_id))
        self.institution = _RowLoader(db, Institution, col(Institution.id))
        self.permissions = _PermissionLoader(db)
        self.signed_document = _RowLoader(db, SignedDocument, col(SignedDocument.id))
        self.tariff_quota = _RowLoader(db, TariffQuota, col(TariffQuota.id))
        self.quota_changes = _GroupLoader(db, TariffQuotaEvent, col(TariffQuotaEvent.quota_id))
        self.policy_history = _GroupLoader(db, TariffPolicyEvent, col(TariffPolicyEvent.policy_id))
        self.review_uploads = _GroupLoader(db, ReviewUpload, col(ReviewUpload.review_id))
        self.product_regions = _ProductRegionLoader(db)
        self.region = _RowLoader(db, Region, col(Region.id))
        self.product = _RowLoader(db, Product, col(Product.id))
        self.credit_records = _GroupLoader(db, CreditRecord, col(CreditRecord.enterprise_id))
        self.order_history = _GroupLoader(db, LoanOrderEvent, col(LoanOrderEvent.order_id))
        self.certification_documents = _GroupLoader(
            db,
            CertificationDocument,
            col(CertificationDocument.certification_id),
            order=col(CertificationDocument.kind),
        )
        self.review_candidates = _ReviewCandidateLoader(db)

    def prime_account(self, account: Account) -> None:
        assert account.id is not None
        self.account.clear(account.id).prime(account.id, account)
