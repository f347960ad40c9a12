"""The connection and body limits' settings (issue 14): defaults, environment overrides, and
what uvicorn is given."""

from __future__ import annotations

import pytest

from gateway.server import HeadLimitedProtocol, uvicorn_options
from gateway.settings import load_settings

pytestmark = pytest.mark.req("GW-1")


def test_defaults() -> None:
    settings = load_settings({})
    assert settings.header_timeout_seconds == 10.0
    assert settings.keep_alive_timeout_seconds == 5
    assert settings.max_head_bytes == 64 * 1024
    assert settings.max_connections == 0
    assert settings.max_request_bytes == 1_000_000
    assert settings.max_upload_bytes == 21 * 1024 * 1024
    assert settings.max_upload_file_bytes == 20 * 1024 * 1024
    options = uvicorn_options(settings)
    assert options["timeout_keep_alive"] == 5
    assert options["limit_concurrency"] is None
    assert options["ws"] == "websockets-sansio"
    protocol = options["http"]
    assert issubclass(protocol, HeadLimitedProtocol)
    assert (protocol.header_timeout, protocol.max_head_bytes) == (10.0, 64 * 1024)


def test_environment_overrides() -> None:
    settings = load_settings(
        {
            "GATEWAY_HEADER_TIMEOUT": "2.5",
            "GATEWAY_KEEP_ALIVE_TIMEOUT": "3",
            "GATEWAY_MAX_HEAD_BYTES": "16384",
            "GATEWAY_MAX_CONNECTIONS": "500",
            "GATEWAY_MAX_REQUEST_BYTES": "2000000",
            "GATEWAY_MAX_UPLOAD_BYTES": "30000000",
            "GATEWAY_MAX_UPLOAD_FILE_BYTES": "25000000",
        }
    )
    assert (settings.max_request_bytes, settings.max_upload_bytes) == (2_000_000, 30_000_000)
    assert settings.max_upload_file_bytes == 25_000_000
    options = uvicorn_options(settings)
    assert (options["timeout_keep_alive"], options["limit_concurrency"]) == (3, 500)
    assert (options["http"].header_timeout, options["http"].max_head_bytes) == (2.5, 16384)
    # Each configuration is its own class: the defaults are left alone.
    assert HeadLimitedProtocol.header_timeout == 10.0
