"""Fixtures: the gateway in-process against SQLite and PostgreSQL, and real servers.

PostgreSQL and Redis are local services on the project's machines. When they cannot be
reached the tests that need them are skipped, except under ``CI=true``, where that is a
failure of the run.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import asyncpg
import pytest
from sqlalchemy import text

from gateway.app import create_app
from gateway.database import upgrade_database
from gateway.settings import Settings
from tests.agreements import Signer, make_signer
from tests.cards import Cards
from tests.support import Gateway

IN_CI = os.environ.get("CI", "").lower() == "true"
POSTGRES_ADMIN_DSN = os.environ.get(
    "TEST_POSTGRES_DSN", "postgresql://postgres@127.0.0.1:5432/postgres"
)
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
TEST_SECRET = "test-secret-key-that-is-long-enough-0123456789"


def _reachable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def require_service(name: str, host: str, port: int) -> None:
    if _reachable(host, port):
        return
    if IN_CI:
        pytest.fail(
            f"{name} at {host}:{port} is unreachable and CI=true requires it", pytrace=False
        )
    pytest.skip(f"{name} at {host}:{port} is unreachable")


def base_settings(**changes: object) -> Settings:
    return Settings(
        secret_key=TEST_SECRET,
        password_time_cost=1,
        password_memory_kib=1024,
    ).with_overrides(**changes)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated SQLite file; every test copies it (migrations run once per session)."""
    folder = tmp_path_factory.mktemp("sqlite-template")
    upgrade_database(base_settings(data_dir=folder))
    return folder / "gateway.sqlite3"


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A private database for this test session, migrated once, dropped at the end."""
    require_service("PostgreSQL", "127.0.0.1", 5432)
    name = f"gateway_test_{uuid.uuid4().hex[:10]}"

    async def admin(statement: str) -> None:
        connection = await asyncpg.connect(POSTGRES_ADMIN_DSN)
        try:
            await connection.execute(statement)
        finally:
            await connection.close()

    asyncio.run(admin(f'CREATE DATABASE "{name}"'))
    base = POSTGRES_ADMIN_DSN.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://")
    url = f"{base}/{name}"
    try:
        upgrade_database(base_settings(database_url=url))
        yield url
    finally:
        asyncio.run(admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(scope="session")
def redis_url() -> str:
    require_service("Redis", "127.0.0.1", 6379)
    return REDIS_URL


@pytest.fixture(params=["sqlite", "postgres"])
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def settings(
    backend: str, request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path
) -> Settings:
    if backend == "sqlite":
        shutil.copy(sqlite_template, tmp_path / "gateway.sqlite3")
        return base_settings(data_dir=tmp_path)
    url = request.getfixturevalue("postgres_url")
    return base_settings(database_url=url, data_dir=tmp_path)


TABLES = (
    "operator_permission",
    "card",
    "card_challenge",
    "session",
    "overseas_profile",
    "account",
    "enterprise",
    "institution",
    "region",
    "captcha",
    "verification_code",
)


@pytest.fixture
async def gateway(settings: Settings) -> AsyncIterator[Gateway]:
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        if not settings.is_sqlite:
            async with app.state.services.sessionmaker() as db:
                await db.exec(text(f"TRUNCATE {', '.join(TABLES)} RESTART IDENTITY CASCADE"))  # type: ignore[call-overload]
                await db.commit()
        async with Gateway(app) as client:
            yield client


@pytest.fixture
def cards(settings: Settings, tmp_path: Path) -> Cards:
    """Virtual cards from the gateway's own development CA (same data directory)."""
    return Cards(settings, tmp_path / "cards")


@pytest.fixture
async def signer(gateway: Gateway, cards: Cards) -> Signer:
    """A legal-person card session with an ENABLED seal, and two banks (BOC, ICBC)."""
    return await make_signer(gateway, cards)
