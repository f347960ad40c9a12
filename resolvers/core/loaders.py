"""Per-request DataLoaders: every by-ID lookup scattered through a response is one statement.

The kernel knows only the generic shapes: rows of a table by a column (:class:`RowLoader`) and
the rows belonging to each key (:class:`GroupLoader`), plus shortcuts for the tables every
domain reads (accounts, enterprises, institutions, regions, products, signed documents). A
domain keeps its own loaders next to its use cases, as factories taking the database session;
``ctx.loaders.of(factory)`` creates each once per request.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Sequence
from functools import cached_property
from typing import Any, TypeVar

from aiodataloader import DataLoader
from sqlalchemy import ColumnElement
from sqlmodel import SQLModel, col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from models import Account, Enterprise, Institution, Product, Region, SignedDocument

T = TypeVar("T", bound=SQLModel)
L = TypeVar("L", bound=DataLoader[Any, Any])


def by_key(
    rows: Iterable[T], key: Callable[[T], Hashable], keys: Sequence[Hashable]
) -> list[T | None]:
    """``rows`` in the order of ``keys``, None where a key has no row."""
    found = {key(row): row for row in rows}
    return [found.get(k) for k in keys]


class RowLoader(DataLoader[int, Any]):
    """Loads rows of one table by a column, one ``IN`` statement per batch."""

    def __init__(self, db: AsyncSession, model: type[SQLModel], column: Any) -> None:
        super().__init__()
        self._db = db
        self._model = model
        self._column: ColumnElement[Any] = column
        self._key: str = column.key

    async def batch_load_fn(self, keys: Sequence[int]) -> list[Any]:
        result = await self._db.exec(select(self._model).where(self._column.in_(keys)))
        return by_key(result.all(), lambda row: getattr(row, self._key), keys)


class GroupLoader(DataLoader[int, list[Any]]):
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


class Loaders:
    """The request's loaders, each created on first use."""

    def __init__(self, db: AsyncSession) -> None:
        self._db = db
        self._made: dict[Callable[[AsyncSession], Any], Any] = {}

    def of(self, factory: Callable[[AsyncSession], L]) -> L:
        """The request's loader made by ``factory`` (a domain's loader), created once."""
        loader = self._made.get(factory)
        if loader is None:
            loader = self._made[factory] = factory(self._db)
        return loader

    @cached_property
    def enterprise(self) -> RowLoader:
        return RowLoader(self._db, Enterprise, col(Enterprise.id))

    @cached_property
    def account(self) -> RowLoader:
        return RowLoader(self._db, Account, col(Account.id))

    @cached_property
    def institution(self) -> RowLoader:
        return RowLoader(self._db, Institution, col(Institution.id))

    @cached_property
    def region(self) -> RowLoader:
        return RowLoader(self._db, Region, col(Region.id))

    @cached_property
    def product(self) -> RowLoader:
        return RowLoader(self._db, Product, col(Product.id))

    @cached_property
    def signed_document(self) -> RowLoader:
        return RowLoader(self._db, SignedDocument, col(SignedDocument.id))

    def prime_account(self, account: Account) -> None:
        assert account.id is not None
        self.account.clear(account.id).prime(account.id, account)
