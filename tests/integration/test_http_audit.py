"""The graphql-http audit suite (npm) against a running gateway: no MUST failure and no
SHOULD warning (GW-1)."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import IN_CI
from tests.integration.servers import ROOT, Server, migrate
from tests.integration.test_subscriptions import server_env

pytestmark = [pytest.mark.req("GW-1"), pytest.mark.slow]
AUDIT = ROOT / "tests" / "http_audit"


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    env = server_env(tmp_path)
    migrate(env)
    running = Server(env, tmp_path / "server.log")
    try:
        running.wait_ready()
        yield running
    finally:
        running.stop()


def test_graphql_over_http_audit_passes_every_must_and_should(server: Server) -> None:
    node = shutil.which("node")
    if node is None or not (AUDIT / "node_modules" / "graphql-http").is_dir():
        if IN_CI:
            pytest.fail(
                "node and tests/http_audit/node_modules are required (make test installs them)"
            )
        pytest.skip("run `make test` to install the audit suite")
    output = subprocess.run(
        [node, "audit.mjs", f"{server.url}/graphql"],
        cwd=AUDIT,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout
    results = [json.loads(line) for line in output.splitlines() if line.strip()]
    assert len(results) > 40
    problems = [r for r in results if r["status"] != "ok"]
    assert problems == [], problems
