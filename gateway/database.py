"""The async engine, sessions, migrations and a per-request SQL statement counter."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlmodel.ext.asyncio.session import AsyncSession

from gateway.settings import Settings

MIGRATIONS = Path(__file__).resolve().parent.parent / "models" / "migrations"

# A list with one counter per request that wants statements counted (tests, benchmarks).
_statement_counter: ContextVar[list[int] | None] = ContextVar("statement_counter", default=None)
# Set for mutations: SQLite then opens transactions with BEGIN IMMEDIATE, so a transaction
# that reads and then writes waits for the lock instead of failing on a stale snapshot.
write_intent: ContextVar[bool] = ContextVar("write_intent", default=False)


def create_engine(settings: Settings) -> AsyncEngine:
    url = settings.effective_database_url
    options: dict[str, Any] = {}
    if url.startswith("sqlite"):
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        options["connect_args"] = {"timeout": 30}
    else:
        options.update(pool_size=10, max_overflow=10, pool_pre_ping=True)
    engine = create_async_engine(url, **options)
    if url.startswith("sqlite"):
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        event.listen(engine.sync_engine, "begin", _sqlite_begin)
    event.listen(engine.sync_engine, "before_cursor_execute", _count_statement)
    return engine


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA busy_timeout=30000")
    # WAL persists in the file: switch only when needed, since switching wants the database to
    # itself and another process (the demo-data loader beside a running gateway) may be writing.
    cursor.execute("PRAGMA journal_mode")
    if str(cursor.fetchone()[0]).lower() != "wal":
        cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()
    # Let SQLAlchemy's "begin" event issue BEGIN itself (the driver's own would be DEFERRED).
    dbapi_connection.isolation_level = None


def _sqlite_begin(connection: Any) -> None:
    connection.exec_driver_sql("BEGIN IMMEDIATE" if write_intent.get() else "BEGIN")


def _count_statement(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
    box = _statement_counter.get()
    # Transaction control (SQLite's explicit BEGIN) is not a query; count the queries.
    if box is not None and not statement.startswith("BEGIN"):
        box[0] += 1


@contextmanager
def count_statements() -> Iterator[list[int]]:
    """Count the SQL statements run in this context (SQLAlchemy's greenlets inherit it)."""
    box = [0]
    token = _statement_counter.set(box)
    try:
        yield box
    finally:
        _statement_counter.reset(token)


class SerialSession(AsyncSession):
    """An AsyncSession whose operations take turns.

    GraphQL resolves sibling fields concurrently, and DataLoaders of different kinds may
    dispatch their batches in the same tick; one AsyncSession must never run two operations
    at once, so each awaits a per-session lock.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._turn = asyncio.Lock()

    async def exec(self, *args: Any, **kwargs: Any) -> Any:
        async with self._turn:
            return await super().exec(*args, **kwargs)

    async def execute(self, *args: Any, **kwargs: Any) -> Any:
        async with self._turn:
            return await super().execute(*args, **kwargs)

    async def get(self, *args: Any, **kwargs: Any) -> Any:
        async with self._turn:
            return await super().get(*args, **kwargs)

    async def flush(self, *args: Any, **kwargs: Any) -> None:
        async with self._turn:
            await super().flush(*args, **kwargs)

    async def commit(self) -> None:
        async with self._turn:
            await super().commit()

    async def rollback(self) -> None:
        async with self._turn:
            await super().rollback()

    async def delete(self, instance: object) -> None:
        async with self._turn:
            await super().delete(instance)

    async def refresh(self, *args: Any, **kwargs: Any) -> None:
        async with self._turn:
            await super().refresh(*args, **kwargs)

    async def close(self) -> None:
        async with self._turn:
            await super().close()


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, class_=SerialSession, expire_on_commit=False)


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade_database(settings: Settings, revision: str = "head") -> None:
    """Apply the migrations (run outside any event loop: Alembic's env starts its own)."""
    if settings.is_sqlite:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
    command.upgrade(alembic_config(settings.effective_database_url), revision)
    if settings.is_sqlite:
        # WAL is recorded in the file: set it once here, while nothing else has the database
        # open, so no later connection has to switch modes beside another process.
        path = settings.effective_database_url.split("///", 1)[1]
        with closing(sqlite3.connect(path)) as connection:
            connection.execute("PRAGMA journal_mode=WAL")


def sync_engine_of(engine: AsyncEngine) -> Engine:
    return engine.sync_engine
