"""The ``gateway`` command: migrations, demo data, schema export, production safety."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from gateway.settings import Settings, SettingsError, load_settings
from tests.integration.servers import ROOT

pytestmark = pytest.mark.req("GW-1")


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, **(env or {})}
    environment.pop("CI", None)
    return subprocess.run(
        [sys.executable, "-m", "gateway.cli", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_schema_graphql_at_the_root_is_fresh() -> None:
    result = run("export-schema", "--check")
    assert result.returncode == 0, result.stderr


def test_the_production_schema_has_no_development_view() -> None:
    sdl = (ROOT / "schema.graphql").read_text(encoding="utf-8")
    assert "development" not in sdl
    assert "type Query" in sdl


def test_upgrade_and_demo_data_on_a_fresh_directory_are_idempotent(tmp_path: Path) -> None:
    env = {
        "GATEWAY_DATA_DIR": str(tmp_path),
        "GATEWAY_PASSWORD_TIME_COST": "1",
        "GATEWAY_PASSWORD_MEMORY_KIB": "1024",
    }
    assert run("db", "upgrade", env=env).returncode == 0
    first = run("demo-data", env=env)
    assert first.returncode == 0, first.stderr
    assert "16 new accounts, 2 new claims, 2 new virtual cards" in first.stdout
    second = run("demo-data", env=env)
    assert "0 new accounts, 0 new claims, 0 new virtual cards" in second.stdout
    assert (tmp_path / "gateway.sqlite3").exists()


def test_production_refuses_default_secrets() -> None:
    with pytest.raises(SettingsError):
        load_settings(
            {"GATEWAY_ENV": "production", "DATABASE_URL": "postgresql+asyncpg://x/y"}
        ).check()
    with pytest.raises(SettingsError):
        load_settings({"GATEWAY_ENV": "production", "GATEWAY_SECRET_KEY": "k" * 40}).check()
    with pytest.raises(SettingsError):
        load_settings(
            {
                "GATEWAY_ENV": "production",
                "GATEWAY_SECRET_KEY": "k" * 40,
                "DATABASE_URL": "postgresql+asyncpg://x/y",
            }
        ).check()
    load_settings(
        {
            "GATEWAY_ENV": "production",
            "GATEWAY_SECRET_KEY": "k" * 40,
            "DATABASE_URL": "postgresql+asyncpg://x/y",
            "GATEWAY_CARD_TRUST_ROOTS": "/etc/issuer-roots.pem",
        }
    ).check()
    result = run(
        "serve",
        env={"GATEWAY_ENV": "production", "DATABASE_URL": "postgresql+asyncpg://x/y", "PORT": "1"},
    )
    assert result.returncode != 0
    assert "GATEWAY_SECRET_KEY" in result.stderr


def test_embedded_defaults_are_safe() -> None:
    settings = load_settings({})
    assert settings.environment == "embedded"
    assert settings.host == "127.0.0.1"
    assert settings.port == 8000
    assert settings.is_sqlite
    assert Settings().development_view is True
    assert load_settings({"GATEWAY_ENV": "production"}).development_view is False


@pytest.mark.req("XC-2", "SW-9")
def test_staff_accounts_are_created_with_a_one_time_password(tmp_path: Path) -> None:
    env = {
        "GATEWAY_DATA_DIR": str(tmp_path),
        "GATEWAY_PASSWORD_TIME_COST": "1",
        "GATEWAY_PASSWORD_MEMORY_KIB": "1024",
    }
    assert run("db", "upgrade", env=env).returncode == 0
    assert run("demo-data", env=env).returncode == 0
    made = run(
        "government-admin",
        "hngov01",
        "--name",
        "湖南省地方金融监管局",
        "--mobile",
        "13500000077",
        "--region",
        "430000",
        env=env,
    )
    assert made.returncode == 0, made.stderr
    assert "initial password (shown once): Init-" in made.stdout
    again = run("reviewer", "hngov01", "--name", "x", "--mobile", "13500000078", env=env)
    assert again.returncode == 1
    assert "taken" in again.stderr
    unknown = run(
        "government-admin",
        "gov02",
        "--name",
        "x",
        "--mobile",
        "13500000079",
        "--region",
        "999999",
        env=env,
    )
    assert unknown.returncode == 1
