"""Per-request DataLoaders: every by-ID lookup scattered through a response is one statement."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Sequence
from typing import Any, TypeVar

from aiodataloader import DataLoader
from sqlalchemy import ColumnElement
from sqlmodel import SQLModel, col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from models import Account, Enterprise, Institution, OverseasProfile

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


class Loaders:
    def __init__(self, db: AsyncSession) -> None:
        self.enterprise = _RowLoader(db, Enterprise, col(Enterprise.id))
        self.account = _RowLoader(db, Account, col(Account.id))
        self.overseas_profile = _RowLoader(db, OverseasProfile, col(OverseasProfile.account_id))
        self.institution = _RowLoader(db, Institution, col(Institution.id))

    def prime_account(self, account: Account) -> None:
        assert account.id is not None
        self.account.clear(account.id).prime(account.id, account)
