"""Migrations cover every model change: autogenerate finds nothing left to migrate."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.engine import Connection
from sqlmodel import SQLModel

import models  # noqa: F401  (registers the tables)
from gateway.database import create_engine
from gateway.settings import Settings
from tests.conftest import base_settings

pytestmark = pytest.mark.req("GW-1")


def _differences(connection: Connection) -> list[Any]:
    return list(compare_metadata(MigrationContext.configure(connection), SQLModel.metadata))


async def _compare(settings: Settings) -> list[Any]:
    engine = create_engine(settings)
    try:
        async with engine.connect() as connection:
            return await connection.run_sync(_differences)
    finally:
        await engine.dispose()


async def test_models_and_migrations_agree_on_sqlite(sqlite_template: Path) -> None:
    assert await _compare(base_settings(data_dir=sqlite_template.parent)) == []


async def test_models_and_migrations_agree_on_postgresql(postgres_url: str) -> None:
    assert await _compare(base_settings(database_url=postgres_url)) == []
